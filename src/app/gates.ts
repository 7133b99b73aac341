// What must hold before a reboot starts, each answered with reasons: the sentinel checks (bounded parallel),
// the blockers (any blocks; an error blocks), kured's own lock (held or unreadable blocks) and the window.
// May import: core, ports, app.

import { agentReport } from '../core/agent-report.js';
import { anyBlocks, type BlockerOutcome, type BlockVerdict } from '../core/blockers.js';
import { excludedBy } from '../core/order.js';
import type { NodeView, SentinelResult } from '../core/types.js';
import type { RunDeps } from './types.js';
import { errorMessage, mapLimit } from './util.js';

/**
 * Sentinel checks with at most `limit` at once; each emits a probe event. A thrown error is unknown. A node
 * whose agent publishes reports (core/agent-report.ts) is answered from the listed annotations: no check pod.
 */
export async function probeNodes(
  deps: Pick<RunDeps, 'sentinel' | 'clock' | 'serverTime' | 'emit'>,
  nodes: readonly NodeView[],
  limit: number,
  signal?: AbortSignal,
): Promise<Map<string, SentinelResult>> {
  const results = await mapLimit(nodes, limit, async (node): Promise<[string, SentinelResult]> => {
    let result: SentinelResult;
    try {
      result = agentReport(node, deps.serverTime.now()) ?? (await deps.sentinel.check(node.name, signal));
    } catch (err) {
      result = { kind: 'unknown', error: errorMessage(err), source: 'probe' };
    }
    deps.emit({ type: 'probe', at: deps.clock.now(), node: node.name, result });
    return [node.name, result];
  });
  return new Map(results);
}

/** All blockers for this node, in parallel, combined: any blocks, and an error counts as blocked. */
export async function checkBlockers(
  deps: Pick<RunDeps, 'blockers'>,
  node: string,
  signal?: AbortSignal,
): Promise<BlockVerdict> {
  const outcomes = await Promise.all(
    deps.blockers.map(async (b): Promise<BlockerOutcome> => {
      try {
        const r = await b.check(node, signal);
        return { name: b.name, blocked: r.blocked, reasons: r.reasons };
      } catch (err) {
        return { name: b.name, error: errorMessage(err) };
      }
    }),
  );
  return anyBlocks(outcomes);
}

export type ForeignLockVerdict = { readonly free: true } | { readonly free: false; readonly reason: string };

/** kured's DaemonSet lock: held means wait; unreadable means unknown, and unknown means do not start. */
export async function checkForeignLock(deps: Pick<RunDeps, 'foreignLock'>): Promise<ForeignLockVerdict> {
  if (deps.foreignLock === undefined) return { free: true };
  try {
    const holders = await deps.foreignLock.holders();
    return holders.length === 0
      ? { free: true }
      : { free: false, reason: `kured's lock is held by ${holders.join(', ')}` };
  } catch (err) {
    return { free: false, reason: `kured's lock is unreadable, counted as held: ${errorMessage(err)}` };
  }
}

/** Start gate for one node: window, kured's lock, blockers. Returns undefined when it may start. */
export async function startGate(
  deps: RunDeps,
  node: string,
  signal?: AbortSignal,
  view?: NodeView,
): Promise<{ reason: string; global: boolean } | undefined> {
  // The exclusion label is a gate too: nothing is triggered on an opted-out node, whatever its record says.
  const excluded = view === undefined ? undefined : excludedBy(view);
  if (excluded !== undefined) return { reason: excluded, global: false };
  const w = deps.windowState(deps.serverTime.now());
  if (!w.canStart) {
    const when = w.nextOpen !== undefined ? `; next opens ${new Date(w.nextOpen).toISOString()}` : '';
    const why = w.open ? 'the window closes too soon to start' : 'outside the maintenance window';
    return { reason: `${why} (${w.description})${when}`, global: true };
  }
  const foreign = await checkForeignLock(deps);
  if (!foreign.free) return { reason: foreign.reason, global: true };
  const blocked = await checkBlockers(deps, node, signal);
  if (blocked.blocked) {
    deps.emit({ type: 'blocked', at: deps.clock.now(), node, reasons: blocked.reasons });
    return { reason: `blocked: ${blocked.reasons.join('; ')}`, global: false };
  }
  return undefined;
}
