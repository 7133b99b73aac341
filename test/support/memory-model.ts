// The objects of the in-memory cluster (nodes, pods, PDBs, timing) and their views as the ports return them.
// May import: core, test/support.

import { matchesSpec } from '../../src/core/selector.js';
import type { LabelSelectorSpec, NodeView, PdbView, PodView, ReadyState } from '../../src/core/types.js';

const copy = <T>(v: T): T => structuredClone(v);

export type NodeBehaviour = 'normal' | 'ignores-reboot' | 'never-ready';

export interface MemNode {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  unschedulable: boolean;
  ready: ReadyState;
  readySince: number;
  bootID: string;
  zone?: string;
  controlPlane: boolean;
  sentinel: 'required' | 'not-required' | 'error' | 'hang';
  behaviour: NodeBehaviour;
  /** Boots seen on this node (each a new boot ID). */
  boots: number;
  rebooting: boolean;
  rv: number;
}

export interface MemPod {
  namespace: string;
  name: string;
  uid: string;
  node?: string;
  phase: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The controller; apiVersion defaults to the one its kind's controller writes. */
  owner?: { kind: string; name: string; apiVersion?: string; uid?: string };
  hasEmptyDir: boolean;
  ready: boolean;
  deletionTimestamp?: number;
  /** Once terminating, never goes (a finalizer nobody removes, a kubelet that never confirms). */
  stuck?: boolean;
}

export interface MemPdb {
  namespace: string;
  name: string;
  selector: LabelSelectorSpec;
  minAvailable: number;
}

export interface Timing {
  /** Trigger to NotReady. */
  downMs: number;
  /** Trigger to the new boot ID. */
  bootMs: number;
  /** New boot to Ready. */
  readyMs: number;
  /** Eviction accepted to pod gone. */
  terminateMs: number;
  /** Pod gone to replacement created. */
  rescheduleMs: number;
  /** Replacement created to Ready. */
  podReadyMs: number;
}

export const defaultTiming: Timing = {
  downMs: 2_000,
  bootMs: 40_000,
  readyMs: 10_000,
  terminateMs: 1_000,
  rescheduleMs: 1_000,
  podReadyMs: 3_000,
};

export function nodeView(n: MemNode): NodeView {
  return copy({
    name: n.name,
    labels: n.labels,
    annotations: n.annotations,
    unschedulable: n.unschedulable,
    taints: n.unschedulable ? [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] : [],
    ready: n.ready,
    readySince: n.readySince,
    bootID: n.bootID,
    kernel: '6.1.0',
    kubeletVersion: 'v1.31.0',
    os: n.labels['kubernetes.io/os'] ?? 'linux',
    roles: n.controlPlane ? ['control-plane'] : [],
    ...(n.zone === undefined ? {} : { zone: n.zone }),
    controlPlane: n.controlPlane,
    resourceVersion: String(n.rv),
  });
}

/** The apiVersion a controller of this kind writes into its pods' ownerReferences. */
function apiVersionOf(kind: string): string {
  if (kind === 'Job') return 'batch/v1';
  return ['ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(kind) ? 'apps/v1' : 'v1';
}

export function podView(p: MemPod): PodView {
  return copy({
    namespace: p.namespace,
    name: p.name,
    uid: p.uid,
    ...(p.node === undefined ? {} : { nodeName: p.node }),
    phase: p.phase,
    labels: p.labels,
    annotations: p.annotations,
    ...(p.owner === undefined
      ? {}
      : { owner: { apiVersion: apiVersionOf(p.owner.kind), ...p.owner, controller: true } }),
    ...(p.deletionTimestamp === undefined ? {} : { deletionTimestamp: p.deletionTimestamp }),
    hasEmptyDir: p.hasEmptyDir,
    ready: p.ready,
  });
}

export function pdbStatus(pdb: MemPdb, pods: Iterable<MemPod>): PdbView {
  const matching = [...pods].filter(
    (p) => p.namespace === pdb.namespace && matchesSpec(pdb.selector, p.labels),
  );
  const healthy = matching.filter((p) => p.ready && p.deletionTimestamp === undefined).length;
  return copy({
    namespace: pdb.namespace,
    name: pdb.name,
    selector: pdb.selector,
    minAvailable: pdb.minAvailable,
    disruptionsAllowed: Math.max(0, healthy - pdb.minAvailable),
    currentHealthy: healthy,
    desiredHealthy: pdb.minAvailable,
    expectedPods: matching.length,
  });
}

// --- ClusterPort ---------------------------------------------------------------------------------------
