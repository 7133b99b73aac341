// Small facts about pods and nodes that every behaviour asks: controller owner, mirror/DaemonSet/bare,
// terminal, terminating, ready; node Ready status, taints, tolerations.
// May import: ../types.js.
import type { KObject, OwnerReference } from '../types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are loose JSON */

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export const keyOf = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function controllerOf(o: KObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isMirrorPod(p: KObject): boolean {
  return p.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined || controllerOf(p)?.kind === 'Node';
}

export function isDaemonSetPod(p: KObject): boolean {
  return controllerOf(p)?.kind === 'DaemonSet';
}

export function phaseOf(p: KObject): string {
  return p.status?.phase ?? 'Pending';
}

export function isTerminal(p: KObject): boolean {
  const ph = phaseOf(p);
  return ph === 'Succeeded' || ph === 'Failed';
}

export function isTerminating(p: KObject): boolean {
  return p.metadata.deletionTimestamp !== undefined;
}

export function isPodReady(p: KObject): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Counts toward a controller's replicas: not finished and not being deleted. */
export function isActive(p: KObject): boolean {
  return !isTerminal(p) && !isTerminating(p);
}

export function nodeReadyStatus(n: KObject): string {
  return (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status ?? 'Unknown';
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function tolerates(
  tolerations: readonly Toleration[],
  taint: { key: string; value?: string; effect: string },
): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why the pod may not be placed on the node, or undefined when it fits (readiness is checked apart). */
export function unfitReason(pod: KObject, node: KObject): string | undefined {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  if (
    node.spec?.unschedulable === true &&
    !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return 'node(s) were unschedulable';
  }
  for (const t of node.spec?.taints ?? []) {
    if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t)) {
      return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
    }
  }
  const sel: Record<string, string> = pod.spec?.nodeSelector ?? {};
  for (const [k, v] of Object.entries(sel)) {
    if (node.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  return undefined;
}
