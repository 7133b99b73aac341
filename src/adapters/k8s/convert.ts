// Converts API objects (V1Node, V1Pod, V1PodDisruptionBudget) into the domain views of core/types.ts.
// Accepts both client-node's deserialized objects (dates as Date) and raw watch JSON (dates as strings).
// May import: core and @kubernetes/client-node types.

import type { V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { ReadyState } from '../../core/types.js';
import type { LabelSelectorSpec, NodeView, OwnerRef, PdbView, PodView, Taint } from '../../core/types.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE = 'kubernetes.io/role';
const ZONE = 'topology.kubernetes.io/zone';
const LEGACY_ZONE = 'failure-domain.beta.kubernetes.io/zone';

/** Epoch ms of a Date or an RFC 3339 string; undefined when absent or unparseable. */
export function toMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function readyState(status: string | undefined): ReadyState {
  if (status === ReadyState.True) return ReadyState.True;
  if (status === ReadyState.False) return ReadyState.False;
  return ReadyState.Unknown;
}

export function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length)
      roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === LEGACY_ROLE && value) roles.add(value);
  }
  return [...roles].sort();
}

export function toNodeView(node: V1Node): NodeView {
  const labels = { ...(node.metadata?.labels ?? {}) };
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const roles = nodeRoles(labels);
  const taints: Taint[] = (node.spec?.taints ?? []).map((t) => ({
    key: t.key,
    effect: t.effect,
    ...(t.value === undefined || t.value === null ? {} : { value: t.value }),
  }));
  const zone = labels[ZONE] ?? labels[LEGACY_ZONE];
  const readySince = toMs(ready?.lastTransitionTime as Date | string | undefined);
  const heartbeat = toMs(ready?.lastHeartbeatTime as Date | string | undefined);
  const kernel = node.status?.nodeInfo?.kernelVersion;
  const os =
    labels['kubernetes.io/os'] ??
    labels['beta.kubernetes.io/os'] ??
    node.status?.nodeInfo?.operatingSystem ??
    '';
  const rv = node.metadata?.resourceVersion;
  return {
    name: node.metadata?.name ?? '',
    labels,
    annotations: { ...(node.metadata?.annotations ?? {}) },
    unschedulable: node.spec?.unschedulable === true,
    taints,
    ready: readyState(ready?.status),
    ...(readySince === undefined ? {} : { readySince }),
    ...(heartbeat === undefined ? {} : { heartbeat }),
    bootID: node.status?.nodeInfo?.bootID ?? '',
    ...(kernel ? { kernel } : {}),
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
    os,
    roles,
    ...(zone ? { zone } : {}),
    controlPlane: roles.includes('control-plane') || roles.includes('master'),
    ...(rv ? { resourceVersion: rv } : {}),
  };
}

function controllerOf(pod: V1Pod): OwnerRef | undefined {
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return undefined;
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    ...(ref.uid ? { uid: ref.uid } : {}),
    controller: true,
  };
}

export function toPodView(pod: V1Pod): PodView {
  const owner = controllerOf(pod);
  const deletionTimestamp = toMs(pod.metadata?.deletionTimestamp as Date | string | undefined);
  const nodeName = pod.spec?.nodeName;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    ...(nodeName ? { nodeName } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    labels: { ...(pod.metadata?.labels ?? {}) },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    ...(owner ? { owner } : {}),
    ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }),
    hasEmptyDir: (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined && v.emptyDir !== null),
    ready: ready?.status === 'True',
  };
}

export function toPdbView(pdb: V1PodDisruptionBudget): PdbView {
  const sel = pdb.spec?.selector;
  const selector: LabelSelectorSpec = {
    ...(sel?.matchLabels ? { matchLabels: { ...sel.matchLabels } } : {}),
    ...(sel?.matchExpressions
      ? {
          matchExpressions: sel.matchExpressions.map((e) => ({
            key: e.key,
            operator: e.operator,
            ...(e.values ? { values: [...e.values] } : {}),
          })),
        }
      : {}),
  };
  const minAvailable = pdb.spec?.minAvailable;
  const maxUnavailable = pdb.spec?.maxUnavailable;
  return {
    namespace: pdb.metadata?.namespace ?? '',
    name: pdb.metadata?.name ?? '',
    selector,
    ...(minAvailable === undefined || minAvailable === null ? {} : { minAvailable }),
    ...(maxUnavailable === undefined || maxUnavailable === null ? {} : { maxUnavailable }),
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    currentHealthy: pdb.status?.currentHealthy ?? 0,
    desiredHealthy: pdb.status?.desiredHealthy ?? 0,
    expectedPods: pdb.status?.expectedPods ?? 0,
  };
}
