// The kubelet's admission of a pod bound to its node, as a real kubelet does it: pkg/kubelet/lifecycle/
// predicate.go runs the scheduler's noderesources Fits (pkg/scheduler/framework/plugins/noderesources/fit.go,
// fitsRequest) against the node's allocatable minus the requests of the pods it already admitted; the first
// shortfall rejects the pod as Failed, reason OutOf<resource>. A critical pod (pkg/kubelet/types IsCriticalPod:
// a static or mirror pod, or priority >= 2000000000) is admitted instead by evicting lower pods when only
// resources are short (pkg/kubelet/preemption/preemption.go, CriticalPodAdmissionHandler).
// May import: ../types.js, ../quantity.js, ./pod-facts.js.
import { resourceAmount } from '../quantity.js';
import type { KObject } from '../types.js';
import { isMirrorPod, isTerminal } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are loose JSON */

/** scheduling.SystemCriticalPriority: system-cluster-critical; system-node-critical is 1000 above. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

export interface Requests {
  /** millicores */
  readonly cpu: number;
  /** bytes */
  readonly memory: number;
}

const RESOURCES = ['cpu', 'memory'] as const;

function containerRequest(c: any, r: string): number {
  // The API server defaults a request to its limit when only the limit is given.
  return resourceAmount(r, c?.resources?.requests?.[r] ?? c?.resources?.limits?.[r]);
}

/** The pod's effective requests: the sum over its containers, or the largest init container if larger. */
export function podRequests(pod: KObject): Requests {
  const sum = (r: string): number =>
    (pod.spec?.containers ?? []).reduce((n: number, c: any) => n + containerRequest(c, r), 0);
  const init = (r: string): number =>
    Math.max(0, ...(pod.spec?.initContainers ?? []).map((c: any) => containerRequest(c, r)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}

/** pkg/apis/core/v1/helper/qos GetPodQOS, for cpu and memory. */
export function qosClass(pod: KObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const set = (c: any, kind: 'requests' | 'limits', r: string): boolean =>
    resourceAmount(r, c?.resources?.[kind]?.[r]) > 0;
  if (containers.every((c) => RESOURCES.every((r) => !set(c, 'requests', r) && !set(c, 'limits', r))))
    return 'BestEffort';
  const guaranteed = containers.every((c) =>
    RESOURCES.every(
      (r) =>
        set(c, 'limits', r) &&
        (!set(c, 'requests', r) ||
          resourceAmount(r, c.resources.requests[r]) === resourceAmount(r, c.resources.limits[r])),
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function priorityOf(pod: KObject): number {
  return typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0;
}

export function isCriticalPod(pod: KObject): boolean {
  return isMirrorPod(pod) || priorityOf(pod) >= SYSTEM_CRITICAL_PRIORITY;
}

export interface Shortfall {
  readonly resource: 'pods' | 'cpu' | 'memory';
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
}

/** The pods the kubelet counts against its node: admitted (started) and not finished. */
export function admittedPods(podsOnNode: readonly KObject[], except?: KObject): KObject[] {
  return podsOnNode.filter(
    (p) =>
      p.metadata.uid !== except?.metadata.uid &&
      !isTerminal(p) &&
      (p.status?.phase === 'Running' || p.status?.startTime !== undefined),
  );
}

/** What does not fit, in fitsRequest's order (pods first; cpu and memory only when requested). */
export function shortfalls(pod: KObject, node: KObject, admitted: readonly KObject[]): Shortfall[] {
  const alloc = node.status?.allocatable ?? {};
  const out: Shortfall[] = [];
  const podCap = resourceAmount('pods', alloc.pods ?? '110');
  if (admitted.length + 1 > podCap)
    out.push({ resource: 'pods', requested: 1, used: admitted.length, capacity: podCap });
  const want = podRequests(pod);
  for (const r of RESOURCES) {
    if (want[r] === 0) continue;
    const capacity = resourceAmount(r, alloc[r]);
    const used = admitted.reduce((n, p) => n + podRequests(p)[r], 0);
    if (want[r] > capacity - used) out.push({ resource: r, requested: want[r], used, capacity });
  }
  return out;
}

/** The kubelet's rejection text (InsufficientResourceError.Error). */
export function shortfallMessage(s: Shortfall): string {
  return `Node didn't have enough resource: ${s.resource}, requested: ${s.requested}, used: ${s.used}, capacity: ${s.capacity}`;
}

type Need = Map<Shortfall['resource'], number>;

const amountOf = (p: KObject, r: Shortfall['resource']): number => (r === 'pods' ? 1 : podRequests(p)[r]);

function subtract(need: Need, pods: readonly KObject[]): Need {
  const out: Need = new Map();
  for (const [r, q] of need) {
    const left = pods.reduce((n, p) => n - amountOf(p, r), q);
    if (left > 0) out.set(r, left);
  }
  return out;
}

/** preemption.go getPodsToPreemptByDistance: greedily the pod closest to the need, smaller requests on ties. */
function byDistance(candidates: readonly KObject[], need: Need): KObject[] | undefined {
  const pods = [...candidates];
  const chosen: KObject[] = [];
  let left = need;
  while (left.size > 0) {
    if (pods.length === 0) return undefined;
    const distance = (p: KObject): number => {
      let d = 0;
      for (const [r, q] of left) {
        const remaining = q - amountOf(p, r);
        if (remaining > 0) d += (remaining / q) ** 2;
      }
      return d;
    };
    let best = 0;
    let bestDistance = left.size + 1;
    pods.forEach((p, i) => {
      const d = distance(p);
      if (d < bestDistance || (d === bestDistance && smaller(p, pods[best] as KObject))) {
        best = i;
        bestDistance = d;
      }
    });
    const pick = pods.splice(best, 1)[0] as KObject;
    chosen.push(pick);
    left = subtract(left, [pick]);
  }
  return chosen;
}

/** preemption.go smallerResourceRequest: memory first, then cpu. */
function smaller(a: KObject, b: KObject): boolean {
  const ra = podRequests(a);
  const rb = podRequests(b);
  if (ra.memory !== rb.memory) return ra.memory < rb.memory;
  return ra.cpu < rb.cpu;
}

/**
 * preemption.go getPodsToPreempt: the fewest Guaranteed pods needed even if every Burstable and BestEffort
 * pod went, then the Burstable ones, then the BestEffort ones. Only pods the preemptor may preempt count:
 * non-critical ones for a critical pod (kubetypes.Preemptable). Undefined when even all of them are not enough.
 */
export function podsToPreempt(
  preemptor: KObject,
  short: readonly Shortfall[],
  admitted: readonly KObject[],
): KObject[] | undefined {
  const need: Need = new Map(short.map((s) => [s.resource, s.requested - (s.capacity - s.used)]));
  const open = admitted.filter((p) => !isCriticalPod(p) || priorityOf(preemptor) > priorityOf(p));
  const of = (q: string): KObject[] => open.filter((p) => qosClass(p) === q);
  const [bestEffort, burstable, guaranteed] = [of('BestEffort'), of('Burstable'), of('Guaranteed')];
  if (subtract(need, open).size > 0) return undefined;
  const g = byDistance(guaranteed, subtract(need, [...bestEffort, ...burstable]));
  const b = g && byDistance(burstable, subtract(need, [...bestEffort, ...g]));
  const e = g && b && byDistance(bestEffort, subtract(need, [...g, ...b]));
  return g && b && e ? [...g, ...b, ...e] : undefined;
}

export type Admission =
  | { readonly ok: true; readonly preempt: readonly KObject[] }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** The kubelet's verdict on a pod bound to this node: admit (after preempting some pods) or reject. */
export function admitPod(pod: KObject, node: KObject, admitted: readonly KObject[]): Admission {
  const short = shortfalls(pod, node, admitted);
  if (short.length === 0) return { ok: true, preempt: [] };
  if (isCriticalPod(pod)) {
    const victims = podsToPreempt(pod, short, admitted);
    if (victims) return { ok: true, preempt: victims };
    const what = short.map((s) => `${s.resource}, ${s.requested - (s.capacity - s.used)}`).join('; ');
    return {
      ok: false,
      reason: 'UnexpectedAdmissionError',
      message: `Unexpected error while attempting to recover from admission failure: preemption: error finding a set of pods to preempt: no set of running pods found to reclaim resources: [(res: ${what})]`,
    };
  }
  // predicate.go: only the first failure is reported.
  const first = short[0] as Shortfall;
  return { ok: false, reason: `OutOf${first.resource}`, message: shortfallMessage(first) };
}
