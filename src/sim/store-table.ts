// One resource's objects inside the store: a map keyed by "namespace/name" (or "name" when cluster-scoped),
// the keys in sorted order for paging (kept up to date cheaply, sorted lazily), and for pods an index by
// spec.nodeName. Stored objects are treated as immutable: a write replaces the object, never edits it.
// May import: ./types.js.

import type { KObject, ResourceType } from './types.js';

/** The storage key of an object: "ns/name" for namespaced kinds, "name" otherwise. */
export function storageKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** First index in a sorted array whose value is >= key (strict: > key). Code-unit order, like etcd. */
export function lowerBound(sorted: readonly string[], key: string, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as string;
    if (v < key || (strict && v === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Lazily merged pending inserts above this size cause a full sort instead of binary inserts. */
const BINARY_INSERT_LIMIT = 64;

export class Table {
  readonly objects = new Map<string, KObject>();
  /** Keys of pods by spec.nodeName ('' for unscheduled); only for resources with that field. */
  readonly byNode: Map<string, Set<string>> | undefined;
  private sorted: string[] | undefined;
  private readonly pendingKeys = new Set<string>();

  constructor(readonly type: ResourceType) {
    this.byNode = type.resource === 'pods' ? new Map() : undefined;
  }

  get(key: string): KObject | undefined {
    return this.objects.get(key);
  }

  /** Stores the object under the key, replacing any previous one. */
  put(key: string, obj: KObject): void {
    const old = this.objects.get(key);
    this.objects.set(key, obj);
    if (old === undefined && this.sorted !== undefined) this.pendingKeys.add(key);
    if (this.byNode !== undefined) {
      const before = old === undefined ? undefined : nodeOf(old);
      const after = nodeOf(obj);
      if (before !== after) {
        if (before !== undefined) this.unindex(before, key);
        let set = this.byNode.get(after);
        if (set === undefined) this.byNode.set(after, (set = new Set()));
        set.add(key);
      }
    }
  }

  delete(key: string): void {
    const old = this.objects.get(key);
    if (old === undefined) return;
    this.objects.delete(key);
    if (this.byNode !== undefined) this.unindex(nodeOf(old), key);
    if (this.sorted === undefined) return;
    if (this.pendingKeys.delete(key)) return;
    const i = lowerBound(this.sorted, key);
    if (this.sorted[i] === key) this.sorted.splice(i, 1);
  }

  /** All keys in code-unit order (a real server's namespace/name order). Do not modify the result. */
  sortedKeys(): readonly string[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.objects.keys()].sort(compare);
      this.pendingKeys.clear();
    } else if (this.pendingKeys.size > BINARY_INSERT_LIMIT) {
      this.sorted = this.sorted.concat([...this.pendingKeys]).sort(compare);
      this.pendingKeys.clear();
    } else if (this.pendingKeys.size > 0) {
      for (const k of this.pendingKeys) this.sorted.splice(lowerBound(this.sorted, k), 0, k);
      this.pendingKeys.clear();
    }
    return this.sorted;
  }

  /** Sorted keys of the pods bound to a node. */
  keysOnNode(node: string): string[] {
    const set = this.byNode?.get(node);
    return set === undefined ? [] : [...set].sort(compare);
  }

  private unindex(node: string, key: string): void {
    const set = this.byNode?.get(node);
    if (set === undefined) return;
    set.delete(key);
    if (set.size === 0) this.byNode?.delete(node);
  }
}

function nodeOf(obj: KObject): string {
  const n: unknown = obj.spec?.nodeName;
  return typeof n === 'string' ? n : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
