// Keeps every PodDisruptionBudget's status current (observedGeneration, currentHealthy, desiredHealthy,
// disruptionsAllowed, expectedPods, disruptedPods, the DisruptionAllowed condition) from the pod index.
// Expected pods come from the controllers' scale for maxUnavailable and percentages (a pod without a
// controller counts as one), otherwise from the matching pods; finished pods are not counted.
// May import: src/sim/* (not the HTTP layer).
import { computePdb, PdbValueError } from '../pdb.js';
import type { PdbNumbers } from '../pdb.js';
import type { PdbSnapshot } from '../record.js';
import { labelSelectorFromSpec, NOTHING } from '../selectors.js';
import type { LabelSelector } from '../selectors.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { condition } from './objects.js';
import { controllerOf, isActive, isPodReady, isTerminal, isTerminating, keyOf } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

const DISRUPTED_TIMEOUT_MS = 2 * 60 * 1000;

const selectorCache = new Map<string, LabelSelector>();

/** The budget's selector, parsed once per uid and generation; a malformed one selects nothing. */
export function pdbSelector(pdb: KObject): LabelSelector {
  const key = `${pdb.metadata.uid}:${pdb.metadata.generation}`;
  let sel = selectorCache.get(key);
  if (!sel) {
    try {
      sel = labelSelectorFromSpec(pdb.spec?.selector);
    } catch {
      sel = NOTHING;
    }
    if (selectorCache.size > 10_000) selectorCache.clear();
    selectorCache.set(key, sel);
  }
  return sel;
}

export function pdbSelects(pdb: KObject, pod: KObject): boolean {
  return pdbSelector(pdb).matches(pod.metadata.labels);
}

export function pdbsInNamespace(ctx: SimContext, ns: string): KObject[] {
  return ctx.store.list('poddisruptionbudgets', { namespace: ns }).items;
}

function controllerScale(ctx: SimContext, ns: string, pods: readonly KObject[]): number {
  let total = 0;
  const seen = new Set<string>();
  for (const p of pods) {
    const ref = controllerOf(p);
    if (!ref) {
      total += 1;
      continue;
    }
    if (seen.has(ref.uid)) continue;
    seen.add(ref.uid);
    if (ref.kind === 'ReplicaSet') {
      const rs = ctx.store.tryGet('replicasets', ns, ref.name);
      const dep =
        rs && controllerOf(rs)?.kind === 'Deployment'
          ? ctx.store.tryGet('deployments', ns, controllerOf(rs)?.name ?? '')
          : undefined;
      total += dep?.spec?.replicas ?? rs?.spec?.replicas ?? 1;
    } else if (ref.kind === 'DaemonSet') {
      total += ctx.store.tryGet('daemonsets', ns, ref.name)?.status?.desiredNumberScheduled ?? 1;
    } else total += 1;
  }
  return total;
}

/** The budget's numbers from the pods as they are now (pods named in disruptedPods are not healthy). */
export function budgetNumbers(
  ctx: SimContext,
  pdb: KObject,
): PdbNumbers & { disrupted: Record<string, string> } {
  const ns = pdb.metadata.namespace ?? 'default';
  const sel = pdbSelector(pdb);
  const pods = ctx.pods.inNamespace(ns).filter((p) => !isTerminal(p) && sel.matches(p.metadata.labels));
  const now = ctx.now();
  const disrupted: Record<string, string> = {};
  for (const [name, at] of Object.entries<string>(pdb.status?.disruptedPods ?? {})) {
    const p = ctx.pods.get(`${ns}/${name}`);
    if (p && isActive(p) && Date.parse(at) + DISRUPTED_TIMEOUT_MS > now) disrupted[name] = at;
  }
  const currentHealthy = pods.filter(
    (p) => isPodReady(p) && !isTerminating(p) && disrupted[p.metadata.name] === undefined,
  ).length;
  try {
    const n = computePdb(pdb.spec ?? {}, {
      podCount: pods.length,
      controllerScale: controllerScale(ctx, ns, pods),
      currentHealthy,
    });
    return { ...n, disrupted };
  } catch (e) {
    if (!(e instanceof PdbValueError)) throw e;
    return { expectedPods: pods.length, currentHealthy, desiredHealthy: 0, disruptionsAllowed: 0, disrupted };
  }
}

export function snapshot(pdb: KObject, n: PdbNumbers): PdbSnapshot {
  return {
    pdb: keyOf(pdb),
    disruptionsAllowed: n.disruptionsAllowed,
    currentHealthy: n.currentHealthy,
    desiredHealthy: n.desiredHealthy,
    expectedPods: n.expectedPods,
  };
}

/** Recomputes and writes the status when it changed. Returns the PDB as stored. */
export function syncBudget(ctx: SimContext, ns: string, name: string): KObject | undefined {
  const pdb = ctx.store.tryGet('poddisruptionbudgets', ns, name);
  if (!pdb) return undefined;
  const n = budgetNumbers(ctx, pdb);
  const old = pdb.status ?? {};
  const allowed = n.disruptionsAllowed > 0;
  const prevCond = (old.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
  const cond =
    prevCond && prevCond.status === (allowed ? 'True' : 'False')
      ? prevCond
      : {
          ...condition(
            'DisruptionAllowed',
            allowed ? 'True' : 'False',
            ctx.now(),
            allowed ? 'SufficientPods' : 'InsufficientPods',
          ),
          observedGeneration: pdb.metadata.generation,
        };
  delete cond.lastProbeTime;
  const status: any = {
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptionsAllowed: n.disruptionsAllowed,
    currentHealthy: n.currentHealthy,
    desiredHealthy: n.desiredHealthy,
    expectedPods: n.expectedPods,
    conditions: [cond],
    ...(Object.keys(n.disrupted).length > 0 ? { disruptedPods: n.disrupted } : {}),
  };
  if (JSON.stringify(status) === JSON.stringify(old)) return pdb;
  const next = { ...pdb, status, metadata: { ...pdb.metadata } };
  delete next.metadata.resourceVersion;
  return ctx.store.update('poddisruptionbudgets', next, { subresource: 'status' });
}

export function installPdbController(ctx: SimContext): void {
  ctx.on('pdb', (key) => {
    const [ns, name] = key.split('/') as [string, string];
    syncBudget(ctx, ns, name);
  });
}

/**
 * Captures the budgets of these namespaces now; the returned check records each budget that went from
 * satisfied to below its desired healthy count since (which an eviction must never cause).
 */
export function watchBudgets(
  ctx: SimContext,
  namespaces: readonly string[],
): (cause: 'reboot' | 'eviction', detail: string) => void {
  const before = new Map<string, PdbNumbers>();
  for (const ns of new Set(namespaces)) {
    for (const pdb of pdbsInNamespace(ctx, ns)) before.set(keyOf(pdb), budgetNumbers(ctx, pdb));
  }
  return (cause, detail) => {
    for (const [key, b] of before) {
      const [ns, name] = key.split('/') as [string, string];
      const pdb = ctx.store.tryGet('poddisruptionbudgets', ns, name);
      if (!pdb) continue;
      const n = budgetNumbers(ctx, pdb);
      if (b.currentHealthy >= b.desiredHealthy && n.currentHealthy < n.desiredHealthy) {
        ctx.record.append({
          kind: 'pdbViolation',
          at: ctx.now(),
          pdb: key,
          cause,
          currentHealthy: n.currentHealthy,
          desiredHealthy: n.desiredHealthy,
          detail,
        });
      }
    }
  };
}
