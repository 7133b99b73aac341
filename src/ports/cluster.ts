// The cluster port: what the reboot process reads and writes through the Kubernetes API.
// May import: core.

import type { NodeView, PdbView, PodView } from '../core/types.js';

export type EvictResult =
  | { readonly kind: 'evicted' }
  | { readonly kind: 'gone' } // 404: already gone counts as done
  | { readonly kind: 'refused'; readonly code: 429; readonly message: string; readonly pdb?: string }
  // 403 with the cause NamespaceTerminating: the namespace is being deleted, so no eviction can be created
  // there. Not a missing permission: the namespace's deletion is removing the pod anyway.
  | { readonly kind: 'namespace-terminating'; readonly message: string }
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

/** One write to a node: labels, annotations and cordon state together, so a step costs one request. */
export interface NodePatch {
  /** null removes the key. */
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly annotations?: Readonly<Record<string, string | null>>;
  /** true cordons (spec.unschedulable), false uncordons (removes the field, as kubectl does). */
  readonly unschedulable?: boolean;
  /**
   * Compare-and-swap: write only if the node's metadata.resourceVersion is still this one. A mismatch rejects
   * with core/errors ConflictError and writes nothing. Every write of the node's record carries it.
   */
  readonly ifResourceVersion?: string;
}

/** The pods bound to a node, and where a watch of them can start without listing again. */
export interface PodsOnNode {
  readonly items: PodView[];
  /** Opaque version of the list (its resourceVersion); undefined when the source has none. */
  readonly version?: string;
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface ClusterPort {
  listNodes(labelSelector?: string): Promise<NodeView[]>;
  getNode(name: string): Promise<NodeView>;
  /** Writes the patch in one request and returns the node as it is after it. */
  patchNode(name: string, patch: NodePatch): Promise<NodeView>;
  /** Pods bound to the node, paged, optionally narrowed by a label selector. */
  listPodsOnNode(nodeName: string, labelSelector?: string): Promise<PodsOnNode>;
  /** Pods anywhere matching a label selector (blocking pods, health checks). Paged. */
  listPods(opts: { labelSelector?: string; namespace?: string }): Promise<PodView[]>;
  listPdbs(): Promise<PdbView[]>;
  /** The DaemonSet's uid, or undefined when it does not exist (NotFound). Any other failure rejects. */
  getDaemonSet(namespace: string, name: string): Promise<{ readonly uid: string } | undefined>;
  evictPod(pod: PodRef, gracePeriodSeconds?: number): Promise<EvictResult>;
  deletePod(pod: PodRef, gracePeriodSeconds?: number): Promise<void>;
  /**
   * Resolves once every pod is gone: NotFound, or the same name with another uid. Watches, not polls.
   * Calls onGone for each as it goes, and onTerminating (when given) with the pod's deletionTimestamp (epoch
   * ms, on the server's clock) when it is seen with one. Rejects when the signal aborts. With `from` (the
   * pods are all on that node, as listed at that version) it watches the node's pods from there instead of
   * listing again.
   */
  waitPodsGone(
    pods: readonly PodRef[],
    onGone: (pod: PodRef) => void,
    signal: AbortSignal,
    from?: { readonly node: string; readonly version: string },
    onTerminating?: (pod: PodRef, deletionTimestamp: number) => void,
  ): Promise<void>;
  /** Calls onChange with the node's current view now and at every change, until the signal aborts. */
  watchNode(name: string, onChange: (node: NodeView) => void, signal: AbortSignal): Promise<void>;
}
