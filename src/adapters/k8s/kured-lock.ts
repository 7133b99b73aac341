// Reads kured's lock, the annotation weave.works/kured-node-lock on its DaemonSet, so both tools never
// reboot at once. Understands the single-holder and the multi-holder ({maxOwners, locks}) forms and honours
// each lock's TTL (nanoseconds; 0 = no expiry). Unreadable means unknown: it throws.
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node types.

import type { V1DaemonSet } from '@kubernetes/client-node';
import type { Clock } from '../../ports/clock.js';
import type { ForeignLockReader } from '../../ports/lock.js';
import type { K8sClients } from './client.js';
import { isNotFound, rethrow } from './api-errors.js';
import { listAll } from './paging.js';

export const KURED_LOCK_ANNOTATION = 'weave.works/kured-node-lock';

interface KuredLock {
  readonly nodeID?: unknown;
  readonly created?: unknown;
  readonly TTL?: unknown;
}

function lockHolder(lock: KuredLock, now: number, where: string): string | undefined {
  if (typeof lock.nodeID !== 'string') throw new Error(`${where}: lock entry has no nodeID`);
  if (lock.nodeID === '') return undefined;
  const ttlNs = lock.TTL === undefined || lock.TTL === null ? 0 : Number(lock.TTL);
  if (!Number.isFinite(ttlNs)) throw new Error(`${where}: TTL ${String(lock.TTL)} is not a number`);
  if (ttlNs > 0) {
    const created = typeof lock.created === 'string' ? Date.parse(lock.created) : NaN;
    if (Number.isNaN(created))
      throw new Error(`${where}: lock of ${lock.nodeID} has TTL but no valid "created"`);
    if (created + ttlNs / 1e6 < now) return undefined;
  }
  return lock.nodeID;
}

/**
 * Holders in one annotation value, expired locks left out. `where` names the DaemonSet in errors.
 * "" or whitespace means free; malformed JSON throws.
 */
export function parseKuredLock(value: string | undefined, now: number, where = 'kured lock'): string[] {
  if (value === undefined || value.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new Error(`${where}: annotation ${KURED_LOCK_ANNOTATION} is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${where}: annotation ${KURED_LOCK_ANNOTATION} is not a JSON object`);
  }
  const obj = parsed as { locks?: unknown; maxOwners?: unknown } & KuredLock;
  if ('locks' in obj || 'maxOwners' in obj) {
    if (obj.locks === null || obj.locks === undefined) return [];
    if (!Array.isArray(obj.locks)) throw new Error(`${where}: "locks" is not a list`);
    const holders = obj.locks.map((l: unknown) => {
      if (l === null || typeof l !== 'object') throw new Error(`${where}: a lock entry is not an object`);
      return lockHolder(l as KuredLock, now, where);
    });
    return [...new Set(holders.filter((h): h is string => h !== undefined))];
  }
  const one = lockHolder(obj, now, where);
  return one === undefined ? [] : [one];
}

export interface KuredLockOptions {
  /** Judges the locks' expiry: the API server's clock (ServerTime), near the clocks of kured's nodes. */
  readonly clock: Pick<Clock, 'now'>;
  /** Read this DaemonSet only. When absent, every DaemonSet carrying the annotation is read (cluster-wide list). */
  readonly daemonSet?: { readonly namespace: string; readonly name: string };
}

export const DEFAULT_KURED_DAEMONSET = { namespace: 'kube-system', name: 'kured' } as const;

export class KuredLockReader implements ForeignLockReader {
  constructor(
    private readonly clients: K8sClients,
    private readonly opts: KuredLockOptions,
  ) {}

  async holders(): Promise<string[]> {
    const now = this.opts.clock.now();
    const sets = await this.daemonSets();
    const all = new Set<string>();
    for (const ds of sets) {
      const where = `DaemonSet ${ds.metadata?.namespace ?? ''}/${ds.metadata?.name ?? ''}`;
      for (const h of parseKuredLock(ds.metadata?.annotations?.[KURED_LOCK_ANNOTATION], now, where))
        all.add(h);
    }
    return [...all].sort();
  }

  private async daemonSets(): Promise<V1DaemonSet[]> {
    const target = this.opts.daemonSet;
    if (target) {
      try {
        return [await this.clients.apps.readNamespacedDaemonSet(target)];
      } catch (err) {
        if (isNotFound(err)) return [];
        return rethrow(err, 'get', 'daemonsets');
      }
    }
    try {
      const { items } = await listAll((page) => this.clients.apps.listDaemonSetForAllNamespaces(page));
      return items.filter((ds) => ds.metadata?.annotations?.[KURED_LOCK_ANNOTATION] !== undefined);
    } catch (err) {
      return rethrow(err, 'list', 'daemonsets');
    }
  }
}
