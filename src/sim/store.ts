// The in-memory object store of the simulated API server: create/get/list/update/patch/delete/watch
// with a global resourceVersion, optimistic concurrency, graceful pod deletion, finalizers, paging and
// selector-aware watches. Objects are copied in and out; stored objects are never modified in place.
// May import: anything in src/sim (not the HTTP layer).

import { deepCopy } from './copy.js';
import { randomUUID } from 'node:crypto';
import { applyPatch } from './patch.js';
import { apiVersionOf, hasStatusSubresource, RESOURCES, tracksGeneration } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { alreadyExists, badRequest, conflict, notFound } from './status.js';
import { checkBodyDecodes, checkPatchedDecodes } from './decode-check.js';
import { checkCreate, checkResourceVersionGiven, checkUpdate } from './validate.js';
import { checkPreconditions, planDelete } from './store-delete.js';
import { ChangeLog } from './store-log.js';
import { listTable } from './store-list.js';
import { storageKey, Table } from './store-table.js';
import {
  WatchEventType,
  type DeleteOptions,
  type KObject,
  type ListOptions,
  type ListResult,
  type PatchType,
  type SimClock,
  type Store,
  type UpdateOptions,
  type WriteOptions,
  type WatchEvent,
  type WatchOptions,
} from './types.js';

export interface StoreOptions {
  /** Changes kept per resource for watch replay (default 10,000). */
  historySize?: number;
  /** Called with errors thrown by onChange listeners; by default the first one is rethrown to the writer. */
  onListenerError?: (err: unknown) => void;
  /**
   * Asked at each write: false keeps the change out of the replay history (live watchers and listeners
   * still get it). Used for kubelet heartbeats, so a large cluster's heartbeats do not push everything
   * else out of the history. Default: every change is kept.
   */
  keepInHistory?: (resource: string) => boolean;
}

/** RFC 3339 with whole seconds, as Kubernetes writes timestamps. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const GEN_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GEN_ALPHABET[Math.floor(Math.random() * GEN_ALPHABET.length)];
  return s;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createStore(clock: SimClock, opts: StoreOptions = {}): Store {
  const tables = new Map(RESOURCES.map((r) => [r.resource, new Table(r)]));
  const log = new ChangeLog(opts.historySize ?? 10_000, opts.onListenerError, opts.keepInHistory);
  let rv = 1;

  const tableOf = (resource: string): Table => {
    const t = tables.get(resource);
    if (t === undefined) throw notFound(resource);
    return t;
  };
  const nsOf = (t: Table, ns: string | undefined): string | undefined =>
    t.type.namespaced ? (ns === undefined || ns === '' ? 'default' : ns) : undefined;
  const existing = (t: Table, ns: string | undefined, name: string): KObject => {
    const o = t.get(storageKey(t.type, nsOf(t, ns), name));
    if (o === undefined) throw notFound(t.type, name);
    return o;
  };

  /** Stores `obj` (owned by the store from now on) with the next resourceVersion and records it. */
  const write = (t: Table, type: WatchEventType, obj: KObject, old: KObject | undefined): KObject => {
    rv++;
    obj.metadata.resourceVersion = String(rv);
    t.put(storageKey(t.type, obj.metadata.namespace, obj.metadata.name), obj);
    log.record({ rv, resource: t.type.resource, type, obj, old });
    return deepCopy(obj);
  };
  const erase = (t: Table, obj: KObject): KObject => {
    rv++;
    const gone: KObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
    t.delete(storageKey(t.type, obj.metadata.namespace, obj.metadata.name));
    log.record({ rv, resource: t.type.resource, type: WatchEventType.Deleted, obj: gone, old: obj });
    return deepCopy(gone);
  };

  const checkShape = (t: Table, obj: KObject): void => {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw badRequest('the body must be a JSON object');
    if (typeof obj.kind === 'string' && obj.kind !== '' && obj.kind !== t.type.kind) {
      throw badRequest(
        `the kind of the object (${obj.kind}) does not match the resource (${t.type.resource}, kind ${t.type.kind})`,
      );
    }
    if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = { name: '' };
    obj.apiVersion = apiVersionOf(t.type);
    obj.kind = t.type.kind;
  };

  const create = (resource: string, input: KObject, o: WriteOptions = {}): KObject => {
    const t = tableOf(resource);
    const obj = deepCopy(input);
    checkShape(t, obj);
    checkBodyDecodes(t.type, obj);
    const m = obj.metadata;
    if (t.type.namespaced) m.namespace = m.namespace || 'default';
    else if (m.namespace)
      throw badRequest(`${t.type.resource} are not namespaced, but namespace "${m.namespace}" was given`);
    else delete m.namespace;
    if (!m.name && m.generateName) {
      do m.name = `${m.generateName}${randomSuffix()}`;
      while (t.get(storageKey(t.type, m.namespace, m.name)) !== undefined);
    }
    if (m.name === undefined) m.name = '';
    m.uid = randomUUID();
    m.creationTimestamp = rfc3339(clock.now());
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (tracksGeneration(resource)) m.generation = 1;
    else delete m.generation;
    // Defaults a real server fills in.
    if (resource === 'pods') obj.status = { phase: 'Pending', ...(obj.status ?? {}) };
    if (resource === 'namespaces') obj.status = { phase: 'Active', ...(obj.status ?? {}) };
    checkCreate(t.type, obj);
    if (t.get(storageKey(t.type, m.namespace, m.name)) !== undefined) throw alreadyExists(t.type, m.name);
    if (o.dryRun) return deepCopy(obj);
    return write(t, WatchEventType.Added, obj, undefined);
  };

  /** Update from an object the store already owns (a fresh copy). */
  const updateOwned = (t: Table, obj: KObject, o: UpdateOptions): KObject => {
    checkShape(t, obj);
    const subresource = o.subresource;
    const ns = nsOf(t, obj.metadata.namespace);
    const cur = existing(t, ns, obj.metadata.name);
    const cm = cur.metadata;
    const wantRv = obj.metadata.resourceVersion;
    checkResourceVersionGiven(t.type, cm.name, wantRv);
    if (wantRv !== undefined && wantRv !== '' && wantRv !== cm.resourceVersion)
      throw conflict(t.type, cm.name);
    if (obj.metadata.uid && obj.metadata.uid !== cm.uid) {
      throw conflict(
        t.type,
        cm.name,
        `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${cm.uid}`,
      );
    }
    let next: KObject;
    if (subresource === 'status') {
      next = { ...cur, metadata: { ...cm } };
      if (obj.status === undefined) delete next.status;
      else next.status = obj.status;
    } else {
      next = obj;
      const m = next.metadata;
      m.namespace = cm.namespace;
      if (cm.namespace === undefined) delete m.namespace;
      m.uid = cm.uid;
      m.creationTimestamp = cm.creationTimestamp;
      for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
        if (cm[k] === undefined) delete m[k];
        else (m as unknown as Record<string, unknown>)[k] = cm[k];
      }
      if (tracksGeneration(t.type.resource) && !sameJson(cur.spec, next.spec))
        m.generation = (cm.generation ?? 1) + 1;
      if (hasStatusSubresource(t.type.resource)) {
        if (cur.status === undefined) delete next.status;
        else next.status = cur.status;
      }
    }
    next.metadata.resourceVersion = cm.resourceVersion;
    checkUpdate(t.type, next, cur);
    if (o.dryRun) return deepCopy(next);
    if (sameJson(next, cur)) return deepCopy(cur);
    const finalizersDone = (next.metadata.finalizers ?? []).length === 0 && (cm.finalizers ?? []).length > 0;
    if (cm.deletionTimestamp !== undefined && finalizersDone) {
      if (t.type.resource !== 'pods' || cm.deletionGracePeriodSeconds === 0) return erase(t, next);
    }
    return write(t, WatchEventType.Modified, next, cur);
  };

  const del = (
    resource: string,
    namespace: string | undefined,
    name: string,
    o: DeleteOptions = {},
  ): KObject => {
    const t = tableOf(resource);
    const cur = existing(t, namespace, name);
    checkPreconditions(t.type, cur, o.preconditions);
    const plan = planDelete(resource, cur, o);
    if (plan.action === 'erase') return erase(t, cur);
    if (plan.action === 'keep') return deepCopy(cur);
    const grace = plan.graceSeconds;
    const at = rfc3339(clock.now() + grace * 1000);
    const next: KObject = {
      ...cur,
      metadata: { ...cur.metadata, deletionTimestamp: at, deletionGracePeriodSeconds: grace },
    };
    // A namespace kept by its finalizers is Terminating, as the namespace registry marks it.
    if (resource === 'namespaces') next.status = { ...(cur.status ?? {}), phase: 'Terminating' };
    return write(t, WatchEventType.Modified, next, cur);
  };

  return {
    currentResourceVersion: () => rv,
    get: (resource, namespace, name) => {
      const t = tableOf(resource);
      return deepCopy(existing(t, namespace, name));
    },
    tryGet: (resource, namespace, name) => {
      const t = tableOf(resource);
      const o = t.get(storageKey(t.type, nsOf(t, namespace), name));
      return o === undefined ? undefined : deepCopy(o);
    },
    list: (resource: string, o: ListOptions = {}): ListResult => {
      const t = tableOf(resource);
      return listTable(t, o, rv, log.compactedRv(resource));
    },
    create,
    update: (resource, obj, o = {}) => {
      const t = tableOf(resource);
      const copy = deepCopy(obj);
      checkBodyDecodes(t.type, copy);
      return updateOwned(t, copy, o);
    },
    patch: (resource, namespace, name, patchType: PatchType, body, o = {}) => {
      const t = tableOf(resource);
      const patched = applyPatch(existing(t, namespace, name), patchType, body);
      checkPatchedDecodes(t.type, patched, patchType, body);
      return updateOwned(t, o.fields ? o.fields(patched) : patched, o);
    },
    delete: del,
    remove: (resource, namespace, name) => {
      const t = tableOf(resource);
      const cur = t.get(storageKey(t.type, nsOf(t, namespace), name));
      if (cur !== undefined) erase(t, cur);
    },
    watch: (resource: string, o: WatchOptions, onEvent: (e: WatchEvent) => void) => {
      const t = tableOf(resource);
      const filter = {
        namespace: t.type.namespaced && o.namespace ? o.namespace : undefined,
        label: parseLabelSelector(o.labelSelector),
        field: parseFieldSelector(o.fieldSelector, resource),
      };
      let from: number | undefined;
      if (o.resourceVersion !== undefined && o.resourceVersion !== '' && o.resourceVersion !== '0') {
        if (!/^\d+$/.test(o.resourceVersion)) {
          throw badRequest(
            `resourceVersion: Invalid value: "${o.resourceVersion}": must be a non-negative integer`,
          );
        }
        from = Number(o.resourceVersion);
      }
      return log.watch(resource, filter, from, onEvent);
    },
    onChange: (listener) => log.onChange(listener),
  };
}
