// Shared types of the simulated cluster: object shapes, the resource registry and the Store contract.
// May import: nothing outside src/sim.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  generation?: number;
}

/** Any Kubernetes object as JSON. spec/status stay loosely typed: the simulator is data-driven. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

/** A served resource type, as discovery lists it. */
export interface ResourceType {
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly resource: string; // plural, e.g. 'pods'
  readonly kind: string;
  readonly listKind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
}

export const WatchEventType = {
  Added: 'ADDED',
  Modified: 'MODIFIED',
  Deleted: 'DELETED',
  Bookmark: 'BOOKMARK',
  Error: 'ERROR',
} as const;
export type WatchEventType = (typeof WatchEventType)[keyof typeof WatchEventType];

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KObject;
}

export interface ListOptions {
  namespace?: string; // undefined = all namespaces
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions extends Omit<ListOptions, 'limit' | 'continue'> {
  /** Start after this version; '' or '0' or undefined means "from now". Too old gives a 410 Gone StatusError. */
  resourceVersion?: string;
}

export const PatchType = {
  Merge: 'application/merge-patch+json',
  StrategicMerge: 'application/strategic-merge-patch+json',
  Json: 'application/json-patch+json',
  Apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** dryRun: check everything a write would (decode, validation, conflicts), store nothing. */
export interface WriteOptions {
  dryRun?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: 'status';
}

/** fields: the request's field validation (unknown fields), run on the patched object once it decodes. */
export interface PatchOptions extends UpdateOptions {
  fields?: (patched: KObject) => KObject;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A change seen by in-process behaviours (controllers, lifecycle). `old` is absent for ADDED. */
export type ChangeListener = (resource: string, type: WatchEventType, obj: KObject, old?: KObject) => void;

/**
 * The in-memory object store. Objects are deep-copied in and out. Every write bumps the global
 * resourceVersion. Errors are thrown as StatusError (see ./status.ts) with the right code and reason.
 * `resource` is the plural name ('pods', 'nodes', 'leases', ...), unique across the groups served.
 */
export interface Store {
  currentResourceVersion(): number;
  get(resource: string, namespace: string | undefined, name: string): KObject;
  tryGet(resource: string, namespace: string | undefined, name: string): KObject | undefined;
  list(resource: string, opts?: ListOptions): ListResult;
  /** Creates; an object kube-apiserver would refuse gives its 400 or 422 (see ./validate.ts). */
  create(resource: string, obj: KObject, opts?: WriteOptions): KObject;
  /**
   * Replaces the object. A metadata.resourceVersion that is set and stale gives 409 Conflict; one that
   * is missing gives 422 for kinds that only allow conditional updates (leases).
   */
  update(resource: string, obj: KObject, opts?: UpdateOptions): KObject;
  patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: unknown,
    opts?: PatchOptions,
  ): KObject;
  /**
   * Deletes. Pods with a grace period > 0 that are not yet terminating get deletionTimestamp and stay
   * (a lifecycle behaviour removes them); everything else goes at once. Returns the object as deleted.
   */
  delete(resource: string, namespace: string | undefined, name: string, opts?: DeleteOptions): KObject;
  /** Final removal, used by behaviours once a grace period ends. Emits DELETED. */
  remove(resource: string, namespace: string | undefined, name: string): void;
  watch(resource: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void): () => void;
  onChange(listener: ChangeListener): () => void;
}

/** The clock the simulator runs on. Simulated time = start + real elapsed × timeScale. */
export interface SimClock {
  readonly timeScale: number;
  now(): number; // simulated epoch ms
  setTimeout(fn: () => void, simMs: number): () => void; // returns cancel
}
