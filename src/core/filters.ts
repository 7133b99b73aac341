// Drain pod filters with kubectl drain's semantics, as plain functions run in order (first refusal wins),
// and planDrain(), which says for one node which pods are evicted, which are skipped and which refuse and why.
// May import: core/types, core/keys, core/daemonset-owner, core/filter-messages.

import { daemonSetOwnerState, daemonSetToCheck, type DrainFacts } from './daemonset-owner.js';
import { describeErrorGroup, FilterReason, formatPodList, WARNING_TEXT } from './filter-messages.js';
import { HELPER_ROLE_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './keys.js';
import type { PodView } from './types.js';

export { describeErrorGroup, FilterReason, formatPodList } from './filter-messages.js';
export { NO_FACTS, type DaemonSetFact, type DrainFacts } from './daemonset-owner.js';

export const FilterAction = { Evict: 'evict', Skip: 'skip', Error: 'error' } as const;
export type FilterAction = (typeof FilterAction)[keyof typeof FilterAction];

export interface DrainFilterOptions {
  /** Evict pods that have no controller (bare pods). kubectl's --force. */
  readonly force: boolean;
  /** Leave DaemonSet-managed pods in place instead of refusing the drain. Default true. */
  readonly ignoreDaemonsets: boolean;
  /** Evict pods that use emptyDir volumes (their data is lost). */
  readonly deleteEmptydirData: boolean;
  /** Skip pods whose deletion started longer ago than this many seconds; 0 disables. */
  readonly skipWaitForDeleteTimeoutSeconds: number;
}

export const defaultDrainFilterOptions: DrainFilterOptions = {
  force: false,
  ignoreDaemonsets: true,
  deleteEmptydirData: false,
  skipWaitForDeleteTimeoutSeconds: 0,
};

export interface FilterVerdict {
  readonly action: FilterAction;
  /** A stable key: errors and skips are grouped by it. */
  readonly reason: string;
  readonly message: string;
}

/**
 * Returns undefined when it has nothing to say about the pod; the next filter then decides. An `evict` verdict
 * lets the pod through with a warning (its message); the next filters still run.
 */
export type DrainFilter = (
  pod: PodView,
  opts: DrainFilterOptions,
  now: number,
  facts: DrainFacts,
) => FilterVerdict | undefined;

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export function isFinished(pod: PodView): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** From when a pod whose deletion started at deletionTimestamp has been terminating longer than the timeout. */
export function terminatingTooLongAt(deletionTimestamp: number, timeoutSeconds: number): number {
  return deletionTimestamp + (timeoutSeconds + 1) * 1000; // whole seconds since, above the timeout
}

export const skipLongTerminating: DrainFilter = (pod, opts, now) => {
  const timeout = opts.skipWaitForDeleteTimeoutSeconds;
  if (timeout <= 0 || pod.deletionTimestamp === undefined) return undefined;
  if (now < terminatingTooLongAt(pod.deletionTimestamp, timeout)) return undefined;
  const seconds = Math.floor((now - pod.deletionTimestamp) / 1000);
  return {
    action: 'skip',
    reason: FilterReason.Terminating,
    message: `terminating for ${seconds}s, longer than --skip-wait-for-delete-timeout=${timeout}`,
  };
};

/**
 * This tool's own helper pods (a check or reboot pod of another run, e.g. a second watcher or a cron run
 * checking this node right now): short-lived, bound to the node, with a deadline. Not workloads: skipped, so
 * they neither block the drain as bare pods nor get evicted under a live run.
 */
export const helperPods: DrainFilter = (pod) =>
  pod.owner === undefined &&
  pod.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE &&
  pod.labels[HELPER_ROLE_LABEL] !== undefined
    ? {
        action: 'skip',
        reason: FilterReason.Helper,
        message: `a reboot-daemon ${pod.labels[HELPER_ROLE_LABEL]} pod (short-lived, with a deadline)`,
      }
    : undefined;

/**
 * kubectl's daemonSetFilter: a finished DaemonSet pod is deleted like any other; a running one stays or refuses;
 * one whose DaemonSet is gone (an orphan) refuses unless --force, which deletes it with a warning.
 */
export const daemonSetPods: DrainFilter = (pod, opts, _now, facts) => {
  if (daemonSetToCheck(pod) === undefined || pod.owner === undefined) return undefined;
  const state = daemonSetOwnerState(pod, facts);
  if (state.kind === 'unknown')
    return { action: 'error', reason: FilterReason.DaemonSetUnreadable, message: state.why };
  if (state.kind === 'orphan') {
    return opts.force
      ? { action: 'evict', reason: FilterReason.Orphan, message: `${state.why}: it will not come back` }
      : { action: 'error', reason: FilterReason.Orphan, message: state.why };
  }
  if (opts.ignoreDaemonsets) {
    return {
      action: 'skip',
      reason: FilterReason.DaemonSet,
      message: `managed by DaemonSet ${pod.owner.name}`,
    };
  }
  return {
    action: 'error',
    reason: FilterReason.DaemonSet,
    message: `managed by DaemonSet ${pod.owner.name}`,
  };
};

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export const mirrorPods: DrainFilter = (pod) =>
  pod.annotations[MIRROR_ANNOTATION] === undefined
    ? undefined
    : { action: 'skip', reason: FilterReason.Mirror, message: 'static (mirror) pod, managed by the kubelet' };

export const emptyDirPods: DrainFilter = (pod, opts) => {
  if (!pod.hasEmptyDir || isFinished(pod) || opts.deleteEmptydirData) return undefined;
  return { action: 'error', reason: FilterReason.EmptyDir, message: 'uses emptyDir local storage' };
};

export const unownedPods: DrainFilter = (pod, opts) => {
  if (pod.owner !== undefined || isFinished(pod) || opts.force) return undefined;
  return { action: 'error', reason: FilterReason.Unowned, message: 'has no controller' };
};

/** The filters in kubectl's order. Pass your own list (e.g. [...defaultFilters, mine]) to extend. */
export const defaultFilters: readonly DrainFilter[] = [
  helperPods,
  skipLongTerminating,
  daemonSetPods,
  mirrorPods,
  emptyDirPods,
  unownedPods,
];

export function classifyPod(
  pod: PodView,
  opts: DrainFilterOptions,
  now: number,
  facts: DrainFacts,
  filters: readonly DrainFilter[] = defaultFilters,
): FilterVerdict {
  let warning: FilterVerdict | undefined;
  for (const filter of filters) {
    const verdict = filter(pod, opts, now, facts);
    if (verdict === undefined) continue;
    if (verdict.action !== 'evict') return verdict;
    warning = verdict; // as kubectl, the last warning is the one kept
  }
  if (warning !== undefined) return warning;
  if (pod.owner === undefined && !isFinished(pod))
    return {
      action: 'evict',
      reason: FilterReason.Unowned,
      message: 'has no controller: it will not come back',
    };
  return { action: 'evict', reason: FilterReason.Evict, message: 'will be evicted' };
}

export interface PodDecision {
  readonly pod: PodView;
  readonly verdict: FilterVerdict;
}

export interface DrainErrorGroup {
  readonly reason: string;
  readonly pods: readonly string[];
  /** e.g. "3 pods have no controller: default/a, default/b, default/c (use --force)". */
  readonly message: string;
}

export interface DrainPlan {
  /** The pods to evict; empty when the plan is not ok. */
  readonly evict: readonly PodView[];
  /** The pods that pass every filter, even when others refuse (what the drain would evict once fixed). */
  readonly passing: readonly PodView[];
  readonly skipped: readonly PodDecision[];
  readonly errors: readonly DrainErrorGroup[];
  /** Pods evicted with a warning (kubectl's "Warning: deleting Pods that declare no controller: …"). */
  readonly warnings: readonly DrainErrorGroup[];
  /** False when any pod refuses: then nothing on the node may be evicted. */
  readonly ok: boolean;
  /** One line: the error groups joined, or a summary of what would happen. */
  readonly message: string;
}

type Groups = Map<string, { pods: string[]; samples: Set<string> }>;

function addTo(groups: Groups, verdict: FilterVerdict, pod: PodView): void {
  const group = groups.get(verdict.reason) ?? { pods: [], samples: new Set<string>() };
  group.pods.push(podKey(pod));
  group.samples.add(verdict.message);
  groups.set(verdict.reason, group);
}

export function planDrain(
  pods: readonly PodView[],
  opts: DrainFilterOptions,
  now: number,
  facts: DrainFacts,
  filters: readonly DrainFilter[] = defaultFilters,
): DrainPlan {
  const sorted = [...pods].sort((a, b) => podKey(a).localeCompare(podKey(b)));
  const evict: PodView[] = [];
  const skipped: PodDecision[] = [];
  const byReason: Groups = new Map();
  const warned: Groups = new Map();
  for (const pod of sorted) {
    const verdict = classifyPod(pod, opts, now, facts, filters);
    if (verdict.action === 'evict') {
      evict.push(pod);
      if (WARNING_TEXT[verdict.reason] !== undefined) addTo(warned, verdict, pod);
    } else if (verdict.action === 'skip') skipped.push({ pod, verdict });
    else addTo(byReason, verdict, pod);
  }
  const errors = [...byReason.entries()].map(([reason, g]) => ({
    reason,
    pods: g.pods,
    message: describeErrorGroup(reason, g.pods, [...g.samples].join('; ')),
  }));
  const warnings = [...warned.entries()].map(([reason, g]) => ({
    reason,
    pods: g.pods,
    message: `${WARNING_TEXT[reason] ?? reason}: ${formatPodList(g.pods)}`,
  }));
  const ok = errors.length === 0;
  const message = ok
    ? `${evict.length} ${evict.length === 1 ? 'pod' : 'pods'} to evict, ${skipped.length} left in place`
    : `cannot drain: ${errors.map((e) => e.message).join('; ')}`;
  return { evict: ok ? evict : [], passing: evict, skipped, errors, warnings, ok, message };
}
