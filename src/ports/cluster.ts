// The cluster port: what the reboot process reads and writes through the Kubernetes API.
// May import: core.

import type { NodeView, PdbView, PodView } from '../core/types.js';

export type EvictResult =
  | { readonly kind: 'evicted' }
  | { readonly kind: 'gone' } // 404: already gone counts as done
  | { readonly kind: 'refused'; readonly code: 429; readonly message: string; readonly pdb?: string }
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

export interface NodeMetaPatch {
  /** null removes the key. */
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly annotations?: Readonly<Record<string, string | null>>;
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface ClusterPort {
  listNodes(labelSelector?: string): Promise<NodeView[]>;
  getNode(name: string): Promise<NodeView>;
  /** Sets spec.unschedulable; returns false without writing when it already has that value. */
  setUnschedulable(name: string, value: boolean): Promise<boolean>;
  patchNodeMeta(name: string, patch: NodeMetaPatch): Promise<void>;
  /** Pods bound to the node, paged, optionally narrowed by a label selector. */
  listPodsOnNode(nodeName: string, labelSelector?: string): Promise<PodView[]>;
  /** Pods anywhere matching a label selector (blocking pods, health checks). Paged. */
  listPods(opts: { labelSelector?: string; namespace?: string }): Promise<PodView[]>;
  listPdbs(): Promise<PdbView[]>;
  evictPod(pod: PodRef, gracePeriodSeconds?: number): Promise<EvictResult>;
  deletePod(pod: PodRef, gracePeriodSeconds?: number): Promise<void>;
  /**
   * Resolves once every pod is gone: NotFound, or the same name with another uid. Watches, not polls.
   * Calls onGone for each as it goes. Rejects when the signal aborts.
   */
  waitPodsGone(pods: readonly PodRef[], onGone: (pod: PodRef) => void, signal: AbortSignal): Promise<void>;
  /** Calls onChange with the node's current view now and at every change, until the signal aborts. */
  watchNode(name: string, onChange: (node: NodeView) => void, signal: AbortSignal): Promise<void>;
}
