// Builds RunDeps over the in-memory cluster for app tests, records the events, and offers small helpers.
// May import: core, ports, app, test/support.

import type { RunEvent } from '../../src/core/events.js';
import type { WindowState } from '../../src/core/window.js';
import type { Blocker } from '../../src/ports/blockers.js';
import type { ProcessIdentity } from '../../src/ports/process.js';
import { resolveRunOptions, type RunDeps, type RunOptions } from '../../src/app/types.js';
import { FakeClock } from './fake-clock.js';
import { MemoryCluster, type Timing } from './memory-cluster.js';
import { makeWorld, Session, type World } from './memory-ports.js';

export const alwaysOpen = (): WindowState => ({ open: true, canStart: true, description: 'any time' });
export const closed =
  (nextOpen: number): (() => WindowState) =>
  () => ({
    open: false,
    canStart: false,
    nextOpen,
    description: 'sat,sun 01:00-05:00',
  });

export function world(nodes: string[] | number, timing: Partial<Timing> = {}, autoClock = true): World {
  const clock = new FakeClock(undefined, autoClock);
  const mem = new MemoryCluster(clock, timing);
  const names = typeof nodes === 'number' ? Array.from({ length: nodes }, (_, i) => `node-${i + 1}`) : nodes;
  for (const n of names) mem.addNode(n);
  return makeWorld(mem);
}

export interface Harness {
  deps: RunDeps;
  events: RunEvent[];
  session: Session;
}

export function harness(
  w: World,
  o: {
    blockers?: Blocker[];
    windowState?: () => WindowState;
    crashAfterWrites?: number;
    skewMs?: number;
    identity?: ProcessIdentity;
  } = {},
): Harness {
  const events: RunEvent[] = [];
  const session = new Session(w, o.crashAfterWrites, {
    ...(o.skewMs === undefined ? {} : { skewMs: o.skewMs }),
    ...(o.identity === undefined ? {} : { identity: o.identity }),
  });
  const deps: RunDeps = {
    ...session.ports,
    blockers: o.blockers ?? [],
    emit: (e) => {
      if (!session.dead) events.push(e);
    },
    windowState: o.windowState ?? alwaysOpen,
  };
  return { deps, events, session };
}

export function options(
  o: Parameters<typeof resolveRunOptions>[0] extends infer P ? Partial<P> : never = {},
): RunOptions {
  return resolveRunOptions({
    owner: 'alice@ops',
    readyStableMs: 20_000,
    lockTtlMs: 5 * 60_000,
    healthPollMs: 2_000,
    ...o,
    drain: { ...o.drain },
  } as Parameters<typeof resolveRunOptions>[0]);
}

export function stepsOf(events: readonly RunEvent[], node: string): string[] {
  return events.flatMap((e) => (e.type === 'step' && e.node === node ? [e.step] : []));
}

/** Boots per node caused by reboots (each boot gives a new boot ID). */
export function boots(w: World): Record<string, number> {
  return Object.fromEntries([...w.mem.nodes.values()].map((n) => [n.name, n.boots]));
}

/** With a manual clock: advances time in steps until the promise settles. */
export async function drive<T>(clock: FakeClock, p: Promise<T>, stepMs = 500): Promise<T> {
  let settled = false;
  const out = p.finally(() => (settled = true));
  while (!settled) await clock.advance(stepMs);
  return out;
}
