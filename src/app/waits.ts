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
 * Watches the node until check() says done or the deadline passes. check may ask to be called again at a
 * time (for "held long enough" rules). A failing watch is restarted; until then the node is read directly.
 */
async function watchUntil(
  deps: Deps,
  name: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  check: (node: NodeView, now: number) => { done: boolean; recheckAt?: number },
  describe: (last: NodeView | undefined) => string,
): Promise<WaitResult> {
  const { cluster, clock } = deps;
  const deadline = clock.now() + timeoutMs;
  const wake = new Wake();
  let latest: NodeView | undefined;
  let watching = false;
  const stop = new AbortController();
  const startWatch = (): void => {
    watching = true;
    cluster
      .watchNode(
        name,
        (n) => {
          latest = n;
          wake.notify();
        },
        AbortSignal.any([stop.signal, ...(signal ? [signal] : [])]),
      )
      .catch(() => undefined)
      .finally(() => {
        watching = false;
        wake.notify();
      });
  };
  try {
    startWatch();
    for (;;) {
      if (signal?.aborted) return { ok: false, aborted: true, reason: `interrupted; ${describe(latest)}` };
      const now = clock.now();
      let recheckAt = deadline;
      if (latest !== undefined) {
        const r = check(latest, now);
        if (r.done) return { ok: true, node: latest };
        if (r.recheckAt !== undefined) recheckAt = Math.min(recheckAt, r.recheckAt);
      }
      if (now >= deadline) return { ok: false, aborted: false, reason: describe(latest) };
      if (!watching) {
        await nap(deps.clock, 1_000, signal);
        try {
          latest = await cluster.getNode(name);
        } catch {
          // keep the last view; the deadline decides
        }
        if (!stop.signal.aborted) startWatch();
        continue;
      }
      await wake.wait(clock, Math.max(1, recheckAt - now), signal);
    }
  } finally {
    stop.abort();
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
