// An in-memory index of pods (by key, node and namespace) kept from the store's change stream and from
// the behaviours' own writes. Newer resourceVersions win, so a late echo of an old write never undoes a
// newer one (deletions leave a tombstone version).
// May import: ../types.js, ./pod-facts.js.
import type { KObject } from '../types.js';
import { controllerOf, keyOf } from './pod-facts.js';

export class PodIndex {
  private readonly byKey = new Map<string, KObject>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly byNs = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly seen = new Map<string, number>();

  private fresh(key: string, rv: string | undefined): boolean {
    const n = Number(rv ?? 0);
    if (n <= (this.seen.get(key) ?? -1)) return false;
    this.seen.set(key, n);
    return true;
  }

  private unlink(key: string): void {
    const old = this.byKey.get(key);
    if (!old) return;
    this.byNode.get(old.spec?.nodeName ?? '')?.delete(key);
    this.byNs.get(old.metadata.namespace ?? '')?.delete(key);
    const owner = controllerOf(old)?.uid;
    if (owner) this.byOwner.get(owner)?.delete(key);
    this.byKey.delete(key);
  }

  upsert(pod: KObject): void {
    const key = keyOf(pod);
    if (!this.fresh(key, pod.metadata.resourceVersion)) return;
    this.unlink(key);
    this.byKey.set(key, pod);
    const node = pod.spec?.nodeName ?? '';
    const ns = pod.metadata.namespace ?? '';
    if (!this.byNode.has(node)) this.byNode.set(node, new Set());
    this.byNode.get(node)?.add(key);
    if (!this.byNs.has(ns)) this.byNs.set(ns, new Set());
    this.byNs.get(ns)?.add(key);
    const owner = controllerOf(pod)?.uid;
    if (owner) {
      if (!this.byOwner.has(owner)) this.byOwner.set(owner, new Set());
      this.byOwner.get(owner)?.add(key);
    }
  }

  remove(pod: KObject): void {
    const key = keyOf(pod);
    if (!this.fresh(key, pod.metadata.resourceVersion)) return;
    this.unlink(key);
  }

  get(key: string): KObject | undefined {
    return this.byKey.get(key);
  }

  private collect(keys: Set<string> | undefined): KObject[] {
    const out: KObject[] = [];
    for (const k of keys ?? []) {
      const p = this.byKey.get(k);
      if (p) out.push(p);
    }
    return out;
  }

  onNode(node: string): KObject[] {
    return this.collect(this.byNode.get(node));
  }
  inNamespace(ns: string): KObject[] {
    return this.collect(this.byNs.get(ns));
  }
  /** Pods whose controller owner has this uid. */
  ownedBy(uid: string): KObject[] {
    return this.collect(this.byOwner.get(uid));
  }
  /** Pods not yet bound to a node. */
  unbound(): KObject[] {
    return this.onNode('');
  }
  count(node: string): number {
    return this.byNode.get(node)?.size ?? 0;
  }
  all(): KObject[] {
    return [...this.byKey.values()];
  }
}
