// Waiting for a node to come back and for the cluster to be healthy again: a new boot ID (proof of the
// reboot), then Ready held for a while as observed (the kubelet can flap), then the evicted workloads Ready
// again and their PDBs satisfied. Each wait has a deadline and returns a verdict with a reason.
// May import: core, ports, app.

import type { WorkloadRef } from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import type { RunDeps } from './types.js';
import { errorMessage, nap, Wake } from './util.js';

type Deps = Pick<RunDeps, 'cluster' | 'clock' | 'emit'>;

export type WaitResult =
  | { readonly ok: true; readonly node: NodeView }
  | { readonly ok: false; readonly reason: string; readonly aborted: boolean };

/**
 * One watch of a node, shared by the waits that follow each other (the boot, then a stable Ready), so the node
 * is followed with one stream instead of one per wait. A failing watch is restarted after a pause; until then
 * the node is read directly. close() ends it.
 */
export class NodeFollower {
  /** The node's latest view, once seen. */
  latest: NodeView | undefined;
  readonly wake = new Wake();
  private watching = false;
  private readonly stop = new AbortController();

  constructor(
    private readonly deps: Deps,
    readonly name: string,
    /** Told of every view of the node the watch delivers (the node's steps keep their last view fresh). */
    private readonly onView: (node: NodeView) => void = () => undefined,
  ) {
    this.start();
  }

  /** How many times the watch was started: a restart may have missed changes in between. */
  starts = 0;

  private start(): void {
    this.starts++;
    this.watching = true;
    this.deps.cluster
      .watchNode(
        this.name,
        (n) => {
          this.latest = n;
          this.onView(n);
          this.wake.notify();
        },
        this.stop.signal,
      )
      .catch(() => undefined)
      .finally(() => {
        this.watching = false;
        this.wake.notify();
      });
  }

  /** Restarts a watch that ended, reading the node once meanwhile. */
  async recover(signal: AbortSignal | undefined): Promise<void> {
    if (this.watching || this.stop.signal.aborted) return;
    await nap(this.deps.clock, 1_000, signal);
    try {
      this.latest = await this.deps.cluster.getNode(this.name);
    } catch {
      // keep the last view; the caller's deadline decides
    }
    if (!this.stop.signal.aborted && !this.watching) this.start();
  }

  get live(): boolean {
    return this.watching;
  }

  close(): void {
    this.stop.abort();
  }
}

/**
 * Follows the node until check() says done or the deadline passes. check may ask to be called again at a
 * time (for "held long enough" rules). Uses the given follower, or one of its own for this wait alone.
 */
async function watchUntil(
  deps: Deps,
  name: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  check: (node: NodeView, now: number) => { done: boolean; recheckAt?: number },
  describe: (last: NodeView | undefined) => string,
  shared: NodeFollower | undefined,
): Promise<WaitResult> {
  const { clock } = deps;
  const deadline = clock.now() + timeoutMs;
  const follower = shared ?? new NodeFollower(deps, name);
  try {
    for (;;) {
      const latest = follower.latest;
      if (signal?.aborted) return { ok: false, aborted: true, reason: `interrupted; ${describe(latest)}` };
      const now = clock.now();
      let recheckAt = deadline;
      if (latest !== undefined) {
        const r = check(latest, now);
        if (r.done) return { ok: true, node: latest };
        if (r.recheckAt !== undefined) recheckAt = Math.min(recheckAt, r.recheckAt);
      }
      if (now >= deadline) return { ok: false, aborted: false, reason: describe(latest) };
      if (!follower.live) {
        await follower.recover(signal);
        continue;
      }
      await follower.wake.wait(clock, Math.max(1, recheckAt - now), signal);
    }
  } finally {
    if (shared === undefined) follower.close();
  }
}

/** Until the node reports a boot ID other than oldBootID. Reports 'down' when it is seen not Ready. */
export function waitForBoot(
  deps: Deps,
  name: string,
  oldBootID: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  onDown: () => void,
  follower?: NodeFollower,
): Promise<WaitResult> {
  let sawDown = false;
  return watchUntil(
    deps,
    name,
    timeoutMs,
    signal,
    (n) => {
      if (n.ready !== 'True' && !sawDown) {
        sawDown = true;
        onDown();
      }
      return { done: n.bootID !== oldBootID };
    },
    (n) =>
      `boot ID still ${n?.bootID ?? oldBootID} after ${Math.round(timeoutMs / 1000)}s` +
      (n ? ` (Ready=${n.ready}${sawDown ? ', it went down' : ', it never went down'})` : ''),
    follower,
  );
}

/** Until Ready=True has held, as observed, for stableMs on a boot other than oldBootID. */
export function waitForReady(
  deps: Deps,
  name: string,
  oldBootID: string,
  stableMs: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  follower?: NodeFollower,
): Promise<WaitResult> {
  let readyFrom: number | undefined;
  return watchUntil(
    deps,
    name,
    timeoutMs,
    signal,
    (n, now) => {
      if (n.ready !== 'True' || n.bootID === oldBootID) {
        readyFrom = undefined;
        return { done: false };
      }
      readyFrom ??= now;
      return now - readyFrom >= stableMs ? { done: true } : { done: false, recheckAt: readyFrom + stableMs };
    },
    (n) =>
      `not back after ${Math.round(timeoutMs / 1000)}s: Ready=${n?.ready ?? 'unknown'}` +
      (readyFrom !== undefined
        ? ` (Ready for only ${Math.round((deps.clock.now() - readyFrom) / 1000)}s)`
        : ''),
    follower,
  );
}

export type HealthResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly aborted: boolean };

/** What is still unhealthy: workloads with fewer Ready pods than before, PDBs below their desired count. */
export async function unhealthy(
  deps: Deps,
  workloads: readonly WorkloadRef[],
  pdbs: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  const namespaces = [...new Set(workloads.map((w) => w.namespace))];
  const pods = (
    await Promise.all(namespaces.map((namespace) => deps.cluster.listPods({ namespace })))
  ).flat();
  for (const w of workloads) {
    const ready = pods.filter(
      (p) =>
        p.namespace === w.namespace &&
        p.owner?.kind === w.kind &&
        p.owner.name === w.name &&
        p.ready &&
        p.deletionTimestamp === undefined,
    ).length;
    if (ready < w.readyBefore) problems.push(`${w.namespace}/${w.name}: ${ready}/${w.readyBefore} Ready`);
  }
  if (pdbs.length > 0) {
    const wanted = new Set(pdbs);
    for (const b of await deps.cluster.listPdbs()) {
      const key = `${b.namespace}/${b.name}`;
      if (wanted.has(key) && b.currentHealthy < b.desiredHealthy) {
        problems.push(`PDB ${key}: ${b.currentHealthy}/${b.desiredHealthy} healthy`);
      }
    }
  }
  return problems;
}

export async function waitForHealthy(
  deps: Deps,
  workloads: readonly WorkloadRef[],
  pdbs: readonly string[],
  timeoutMs: number,
  pollMs: number,
  signal: AbortSignal | undefined,
  onWaiting: (problems: readonly string[]) => void,
): Promise<HealthResult> {
  const deadline = deps.clock.now() + timeoutMs;
  let last: string[] = ['not checked yet'];
  for (;;) {
    if (signal?.aborted) return { ok: false, aborted: true, reason: `interrupted; still ${last.join('; ')}` };
    try {
      last = await unhealthy(deps, workloads, pdbs);
      if (last.length === 0) return { ok: true };
    } catch (err) {
      last = [`cannot check: ${errorMessage(err)}`];
    }
    onWaiting(last);
    if (deps.clock.now() >= deadline) {
      return {
        ok: false,
        aborted: false,
        reason: `not healthy after ${Math.round(timeoutMs / 1000)}s: ${last.join('; ')}`,
      };
    }
    await nap(deps.clock, Math.min(pollMs, Math.max(1, deadline - deps.clock.now())), signal);
  }
}
