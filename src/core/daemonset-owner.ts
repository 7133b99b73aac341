// What the drain filters need to know about a pod's DaemonSet: which pods have one to look up, and what the
// lookup found (the DaemonSet exists, is missing, or could not be read). The filters stay pure: the app looks
// the DaemonSets up and hands the facts in.
// May import: core/types.

import type { PodView } from './types.js';

/** The only owner kubectl's daemonSetFilter treats as a DaemonSet: kind DaemonSet of apps/v1. */
export const DAEMONSET_API_VERSION = 'apps/v1';

export type DaemonSetFact =
  | { readonly kind: 'exists'; readonly uid: string }
  /** NotFound. */
  | { readonly kind: 'missing' }
  /** Any other answer: unknown, so the node is not drained. */
  | { readonly kind: 'unreadable'; readonly error: string };

export interface DrainFacts {
  /** What a lookup found for each DaemonSet a pod on the node names as its controller, by namespace/name. */
  readonly daemonSets: ReadonlyMap<string, DaemonSetFact>;
}

export const NO_FACTS: DrainFacts = { daemonSets: new Map() };

function finished(pod: PodView): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/**
 * The namespace/name of the DaemonSet to look up for this pod, or undefined when none is needed: the pod's
 * controller is not an apps/v1 DaemonSet, or the pod is finished (deleted like any other, as kubectl does).
 */
export function daemonSetToCheck(pod: PodView): string | undefined {
  const o = pod.owner;
  if (o === undefined || o.kind !== 'DaemonSet' || o.apiVersion !== DAEMONSET_API_VERSION) return undefined;
  return finished(pod) ? undefined : `${pod.namespace}/${o.name}`;
}

export type DaemonSetOwnerState =
  | { readonly kind: 'live' }
  | { readonly kind: 'orphan'; readonly why: string }
  | { readonly kind: 'unknown'; readonly why: string };

/**
 * Whether the pod's DaemonSet is still there. A DaemonSet of the same name with another uid is not the pod's
 * owner: the garbage collector judges an owner by uid, and the new DaemonSet makes its own pod on the node,
 * so this one is an orphan too (kubectl looks by name only and would leave it).
 */
export function daemonSetOwnerState(pod: PodView, facts: DrainFacts): DaemonSetOwnerState {
  const key = daemonSetToCheck(pod);
  if (key === undefined) return { kind: 'live' };
  const fact = facts.daemonSets.get(key);
  if (fact === undefined) return { kind: 'unknown', why: `DaemonSet ${key} was not checked` };
  if (fact.kind === 'unreadable')
    return { kind: 'unknown', why: `cannot read DaemonSet ${key}: ${fact.error}` };
  if (fact.kind === 'missing') return { kind: 'orphan', why: `its DaemonSet ${key} no longer exists` };
  const want = pod.owner?.uid;
  if (want !== undefined && want !== '' && fact.uid !== want)
    return { kind: 'orphan', why: `its DaemonSet ${key} was deleted (one of that name was made since)` };
  return { kind: 'live' };
}
