// The eviction subresource (POST pods/NAME/eviction) with PodDisruptionBudget checks as the API server
// does them: 404 for a missing pod; no budget check for Pending, finished or terminating pods; 500 when
// more than one budget matches; 429 (cause DisruptionBudget) when none may be disrupted; otherwise the
// budget's disruptionsAllowed drops at once (the pod goes in disruptedPods) and the pod is deleted.
// Not-ready pods follow unhealthyPodEvictionPolicy. Every attempt is recorded with the budget around it.
// May import: src/sim/* (not the HTTP layer).
import type { SimContext } from './behaviours/context.js';
import {
  budgetNumbers,
  pdbSelects,
  pdbsInNamespace,
  snapshot,
  syncBudget,
  watchBudgets,
} from './behaviours/pdb-controller.js';
import { isPodReady, isTerminal, isTerminating, phaseOf } from './behaviours/pod-facts.js';
import { deletePod } from './behaviours/workloads.js';
import type { PdbSnapshot } from './record.js';
import { internalError, notFound, tooManyRequests } from './status.js';
import { rfc3339 } from './store.js';
import type { KObject } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are loose JSON */

export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

function success(): KObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    code: 201,
  } as unknown as KObject;
}

export function evictPod(ctx: SimContext, namespace: string, name: string, body: unknown): KObject {
  ctx.drain();
  const at = ctx.now();
  const podKey = `${namespace}/${name}`;
  const pod = ctx.store.tryGet('pods', namespace, name);
  const rec = (
    outcome: 'evicted' | 'refused' | 'multiplePdbs' | 'notFound' | 'skippedCheck',
    pdb?: KObject,
    before?: PdbSnapshot,
    after?: PdbSnapshot,
  ): void =>
    ctx.record.append({
      kind: 'eviction',
      at,
      pod: podKey,
      node: pod?.spec?.nodeName,
      outcome,
      pdb: pdb ? `${pdb.metadata.namespace}/${pdb.metadata.name}` : undefined,
      allowedBefore: before?.disruptionsAllowed,
      before,
      after,
    });
  if (!pod) {
    rec('notFound');
    throw notFound('pods', name);
  }
  const opts = (body as any)?.deleteOptions ?? {};
  const uid = opts.preconditions?.uid;
  if (uid && uid !== pod.metadata.uid) {
    rec('notFound');
    throw notFound('pods', name);
  }
  const grace: number | undefined =
    typeof opts.gracePeriodSeconds === 'number' && opts.gracePeriodSeconds >= 0
      ? opts.gracePeriodSeconds
      : undefined;
  const remove = (): void => {
    deletePod(ctx, pod, grace);
    ctx.drain();
  };

  if (phaseOf(pod) === 'Pending' || isTerminal(pod) || isTerminating(pod)) {
    remove();
    rec('skippedCheck');
    return success();
  }
  const pdbs = pdbsInNamespace(ctx, namespace).filter((p) => pdbSelects(p, pod));
  if (pdbs.length > 1) {
    rec('multiplePdbs', pdbs[0]);
    throw internalError(MULTIPLE_PDBS);
  }
  const pdb = pdbs[0];
  if (!pdb) {
    remove();
    rec('evicted');
    return success();
  }
  const synced = syncBudget(ctx, namespace, pdb.metadata.name) ?? pdb;
  const st = synced.status ?? {};
  const before = snapshot(synced, budgetNumbers(ctx, synced));
  const check = watchBudgets(ctx, [namespace]);
  const allowed: number = st.disruptionsAllowed ?? 0;
  const healthyEnough = (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0;
  const policy = synced.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget';
  if (!isPodReady(pod) && (policy === 'AlwaysAllow' || healthyEnough)) {
    remove();
    rec('evicted', synced, before, snapshot(synced, budgetNumbers(ctx, synced)));
    check('eviction', `eviction of not-ready pod ${podKey}`);
    return success();
  }
  if (allowed <= 0) {
    rec('refused', synced, before, before);
    throw tooManyRequests(EVICTION_REFUSED, [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${synced.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`,
      },
    ]);
  }
  const next = structuredClone(synced);
  next.status = {
    ...st,
    disruptionsAllowed: allowed - 1,
    disruptedPods: { ...(st.disruptedPods ?? {}), [name]: rfc3339(at) },
  };
  delete next.metadata.resourceVersion;
  ctx.store.update('poddisruptionbudgets', next, { subresource: 'status' });
  remove();
  const after = ctx.store.tryGet('poddisruptionbudgets', namespace, pdb.metadata.name);
  rec('evicted', synced, before, after ? snapshot(after, budgetNumbers(ctx, after)) : undefined);
  check('eviction', `eviction of ${podKey}`);
  return success();
}

export function podLog(ctx: SimContext, namespace: string, name: string): string {
  const pod = ctx.store.tryGet('pods', namespace, name);
  if (!pod) throw notFound('pods', name);
  return ctx.logs.get(`${namespace}/${name}`) ?? '';
}
