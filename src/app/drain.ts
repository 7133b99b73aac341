// Drains one (already cordoned) node with kubectl's semantics: plan with the filters (any refusal evicts
// nothing), evict all in parallel, retry 429s with a short backoff (and at once when a pod of the same PDB
// goes away), treat 500 as fatal for that pod, then wait for the pods to be gone through the watch-based port.
// As kubectl does: a pod terminating longer than --skip-wait-for-delete-timeout is no longer waited for, and an
// eviction refused because the pod's namespace is being deleted (403 NamespaceTerminating) is retried every
// 5 s until the pod is seen terminating, then the pod is waited for like an evicted one.
// May import: core, ports, app.

import type { DrainWait } from '../core/events.js';
import { NO_FACTS, podKey, skipLongTerminating, terminatingTooLongAt } from '../core/filters.js';
import type { WorkloadRef } from '../core/machine.js';
import { matchesSpec } from '../core/selector.js';
import type { PdbView, PodView } from '../core/types.js';
import type { PodRef } from '../ports/cluster.js';
import { DaemonSetLookup, planNodeDrain } from './drain-facts.js';
import type { DrainRunOptions, RunDeps } from './types.js';
import { anySignal, errorMessage, Wake } from './util.js';

export type DrainOutcome =
  | {
      readonly ok: true;
      readonly evicted: readonly string[];
      readonly workloads: readonly WorkloadRef[];
      readonly pdbs: readonly string[];
    }
  | { readonly ok: false; readonly message: string; readonly aborted: boolean };

type Deps = Pick<RunDeps, 'cluster' | 'clock' | 'serverTime' | 'emit'> & {
  /** The run's DaemonSet lookups (a fresh one, remembering nothing, when absent). */
  readonly daemonSets?: DaemonSetLookup;
};

/** kubectl's retry delay for an eviction refused in a namespace that is being deleted. */
export const NAMESPACE_TERMINATING_RETRY_MS = 5_000;

/** PDBs that select the pod, by namespace/name. */
export function pdbsFor(pod: PodView, pdbs: readonly PdbView[]): PdbView[] {
  return pdbs.filter((b) => {
    if (b.namespace !== pod.namespace) return false;
    try {
      return matchesSpec(b.selector, pod.labels);
    } catch {
      return false;
    }
  });
}

/** Ready pods per workload (namespace + controller), counted before the drain, for the health gate after. */
export async function snapshotWorkloads(deps: Deps, pods: readonly PodView[]): Promise<WorkloadRef[]> {
  const keys = new Map<string, { namespace: string; kind: string; name: string }>();
  for (const p of pods) {
    if (p.owner === undefined) continue;
    keys.set(`${p.namespace}/${p.owner.kind}/${p.owner.name}`, {
      namespace: p.namespace,
      kind: p.owner.kind,
      name: p.owner.name,
    });
  }
  const namespaces = [...new Set([...keys.values()].map((k) => k.namespace))];
  const all = (await Promise.all(namespaces.map((namespace) => deps.cluster.listPods({ namespace })))).flat();
  return [...keys.values()].map((k) => ({
    ...k,
    readyBefore: all.filter(
      (p) =>
        p.namespace === k.namespace &&
        p.owner?.kind === k.kind &&
        p.owner.name === k.name &&
        p.ready &&
        p.deletionTimestamp === undefined,
    ).length,
  }));
}

export async function drainNode(
  deps: Deps,
  node: string,
  opts: DrainRunOptions,
  runSignal?: AbortSignal,
): Promise<DrainOutcome> {
  const { cluster, clock, emit } = deps;
  // Pods' deletion timestamps are on the API server's clock: so is the time they are judged against.
  const lookup = deps.daemonSets ?? new DaemonSetLookup(cluster);
  const { listed, plan } = await planNodeDrain(cluster, lookup, node, opts, () => deps.serverTime.now());
  if (!plan.ok) return { ok: false, message: plan.message, aborted: false };
  for (const w of plan.warnings)
    emit({ type: 'log', at: clock.now(), level: 'warn', node, message: w.message });
  const pdbList = await cluster.listPdbs();
  // Only finished DaemonSet pods and orphans are ever evicted: the DaemonSet's live pods stay, and an orphan's
  // DaemonSet is gone, so the health check after the reboot has nothing of a DaemonSet's to wait for.
  const workloads = await snapshotWorkloads(
    deps,
    plan.evict.filter((p) => p.owner?.kind !== 'DaemonSet'),
  );
  const pdbKeys = new Set<string>();
  const pdbOf = new Map<string, string>();
  for (const p of plan.evict) {
    for (const b of pdbsFor(p, pdbList)) {
      pdbKeys.add(`${b.namespace}/${b.name}`);
      pdbOf.set(podKey(p), `${b.namespace}/${b.name}`);
    }
  }
  const refs: PodRef[] = plan.evict.map((p) => ({ namespace: p.namespace, name: p.name, uid: p.uid }));
  const total = refs.length;
  const done = new Set<string>(); // eviction accepted or pod gone
  const waiting = new Map<string, DrainWait>();
  const timeout = new AbortController();
  const failed = new AbortController();
  const signal = anySignal(runSignal, timeout.signal, failed.signal);
  const wake = new Wake();
  /** Pod key → its deletionTimestamp (server clock), as listed or as the watch saw it. */
  const terminatingSince = new Map<string, number>();
  const sawTerminating = new Wake();
  const gone = new Set<string>();
  const skipped = new Set<string>(); // terminating longer than --skip-wait-for-delete-timeout: not waited for
  const watchStop = new AbortController();
  let settle = (): void => undefined;
  const settled = new Promise<true>((resolve) => (settle = () => resolve(true)));
  const checkSettled = (): void => {
    if (refs.every((r) => gone.has(podKey(r)) || skipped.has(podKey(r)))) settle();
  };
  let fatal: string | undefined;
  const progress = (): void =>
    emit({
      type: 'drain-progress',
      at: clock.now(),
      node,
      evicted: done.size,
      total,
      waiting: [...waiting.values()],
    });

  const timer =
    opts.timeoutMs > 0
      ? clock.sleep(opts.timeoutMs, signal).then(
          () => timeout.abort(new Error('timeout')),
          () => undefined,
        )
      : undefined;
  const grace = opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined;
  const byKey = new Map(plan.evict.map((p) => [podKey(p), p]));

  /** Stops waiting for a pod once it has been terminating longer than --skip-wait-for-delete-timeout. */
  const skipWhenTooLong = async (key: string, since: number): Promise<void> => {
    const timeout = opts.skipWaitForDeleteTimeoutSeconds;
    const pod = byKey.get(key);
    if (timeout <= 0 || pod === undefined) return;
    const at = terminatingTooLongAt(since, timeout);
    while (!signal.aborted && !gone.has(key)) {
      const now = deps.serverTime.now();
      const verdict = skipLongTerminating({ ...pod, deletionTimestamp: since }, opts, now, NO_FACTS);
      if (verdict !== undefined) {
        skipped.add(key);
        done.add(key);
        waiting.delete(key);
        emit({
          type: 'log',
          at: clock.now(),
          level: 'warn',
          node,
          message: `${key}: ${verdict.message}; not waiting for it`,
        });
        progress();
        checkSettled();
        return;
      }
      await clock.sleep(Math.max(1, at - now), signal).catch(() => undefined);
    }
  };
  const onTerminating = (ref: PodRef, since: number): void => {
    const key = podKey(ref);
    if (terminatingSince.has(key)) return;
    terminatingSince.set(key, since);
    sawTerminating.notify();
    void skipWhenTooLong(key, since);
  };

  const evictOne = async (ref: PodRef): Promise<void> => {
    const key = podKey(ref);
    let delay = opts.retryInitialMs;
    while (!signal.aborted && !done.has(key)) {
      let res;
      try {
        res = await cluster.evictPod(ref, grace);
      } catch (err) {
        res = { kind: 'error' as const, code: 0, message: errorMessage(err) };
      }
      if (res.kind === 'evicted' || res.kind === 'gone') {
        waiting.delete(key);
        done.add(key);
        progress();
        return;
      }
      if (res.kind === 'namespace-terminating') {
        // No eviction can be created in a namespace being deleted. A pod already terminating is waited for;
        // otherwise try again in 5 s, or as soon as the watch sees the pod's deletion start.
        if (terminatingSince.has(key)) {
          waiting.delete(key);
          done.add(key);
          progress();
          return;
        }
        waiting.set(key, { pod: key, message: res.message });
        progress();
        await sawTerminating.wait(clock, NAMESPACE_TERMINATING_RETRY_MS, signal);
        continue;
      }
      if (res.kind === 'error') {
        fatal = `cannot evict ${key}: ${res.message}${res.code === 500 ? ' (more than one PodDisruptionBudget selects it)' : ''}`;
        failed.abort(new Error(fatal));
        return;
      }
      const pdb = res.pdb ?? pdbOf.get(key);
      waiting.set(key, { pod: key, ...(pdb === undefined ? {} : { pdb }), message: res.message });
      progress();
      await wake.wait(clock, delay, signal);
      delay = Math.min(opts.retryMaxMs, delay * 2);
    }
  };

  const goneWatch = cluster
    .waitPodsGone(
      refs,
      (ref) => {
        gone.add(podKey(ref));
        done.add(podKey(ref));
        waiting.delete(podKey(ref));
        wake.notify(); // a pod went away: a PDB may allow the next eviction now
        progress();
        checkSettled();
      },
      anySignal(signal, watchStop.signal),
      // Watch the node's pods from the list just made: no second list to learn which are still there.
      listed.version === undefined ? undefined : { node, version: listed.version },
      onTerminating,
    )
    .then(
      () => true,
      () => false,
    );
  for (const p of plan.evict) if (p.deletionTimestamp !== undefined) onTerminating(p, p.deletionTimestamp);

  try {
    progress();
    await Promise.all(refs.map(evictOne));
    const allGone = signal.aborted ? false : await Promise.race([goneWatch, settled]);
    if (allGone) return { ok: true, evicted: refs.map(podKey), workloads, pdbs: [...pdbKeys] };
    if (fatal !== undefined) return { ok: false, message: fatal, aborted: false };
    const left = refs.map(podKey).filter((k) => !gone.has(k));
    const stuck = [...waiting.values()].map((w) => `${w.pod}${w.pdb ? ` (PDB ${w.pdb})` : ''}`);
    if (timeout.signal.aborted) {
      return {
        ok: false,
        aborted: false,
        message: `drain timed out after ${opts.timeoutMs / 1000}s: ${stuck.length > 0 ? `evictions refused for ${stuck.join(', ')}` : `waiting for ${left.join(', ')} to go away`}`,
      };
    }
    return { ok: false, aborted: true, message: `drain interrupted; ${left.length} pod(s) not gone yet` };
  } finally {
    watchStop.abort();
    timeout.abort();
    await timer;
  }
}
