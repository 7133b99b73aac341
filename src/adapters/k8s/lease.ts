// The LeaseStore on a coordination.k8s.io/v1 Lease: the raw holders record lives in an annotation,
// spec.holderIdentity mirrors the holder names, and writes are compare-and-swap on metadata.resourceVersion.
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node.

import { V1MicroTime } from '@kubernetes/client-node';
import type { V1Lease } from '@kubernetes/client-node';
import type { Clock } from '../../ports/clock.js';
import type { CasResult, LeaseSnapshot, LeaseStore } from '../../ports/lock.js';
import type { K8sClients } from './client.js';
import { apiCode, isNotFound, rethrow } from './api-errors.js';
import { toMs } from './convert.js';
import { DEFAULT_NAMESPACE, ensureNamespaceOnce } from './namespace.js';

export const LEASE_NAME = 'reboot-daemon-lock';
export const HOLDERS_ANNOTATION = 'reboot-daemon.io/holders';

export interface LeaseStoreOptions {
  readonly namespace?: string;
  readonly name?: string;
  /**
   * Where renewTime and acquireTime come from: the API server's clock (ports/server-time.ts ServerTime), so
   * runners whose own clocks disagree still write comparable times.
   */
  readonly clock: Pick<Clock, 'now'>;
  /** Make sure the namespace exists (creating it when allowed) before the first create. Default true. */
  readonly createNamespace?: boolean;
}

export class KubernetesLeaseStore implements LeaseStore {
  private readonly namespace: string;
  private readonly name: string;
  private readonly ensure: () => Promise<void>;
  /** The last Lease read or written, so a replace keeps fields that are not ours. */
  private last: V1Lease | undefined;

  constructor(
    private readonly clients: K8sClients,
    private readonly opts: LeaseStoreOptions,
  ) {
    this.namespace = opts.namespace ?? DEFAULT_NAMESPACE;
    this.name = opts.name ?? LEASE_NAME;
    this.ensure = () => ensureNamespaceOnce(clients, this.namespace);
  }

  async read(): Promise<LeaseSnapshot | undefined> {
    let lease: V1Lease;
    try {
      lease = await this.clients.coordination.readNamespacedLease({
        name: this.name,
        namespace: this.namespace,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      return rethrow(err, 'get', 'leases');
    }
    this.last = lease;
    return {
      record: lease.metadata?.annotations?.[HOLDERS_ANNOTATION],
      resourceVersion: lease.metadata?.resourceVersion ?? '',
    };
  }

  async create(record: string, holderIdentity: string, leaseDurationSeconds: number): Promise<CasResult> {
    if (this.opts.createNamespace !== false) await this.ensure();
    // Built after any request above: the server's clock is known from its answers.
    const body = this.body(undefined, record, holderIdentity, leaseDurationSeconds);
    try {
      const created = await this.clients.coordination.createNamespacedLease({
        namespace: this.namespace,
        body,
      });
      this.last = created;
      return { ok: true, resourceVersion: created.metadata?.resourceVersion ?? '' };
    } catch (err) {
      if (apiCode(err) === 409) return { ok: false, conflict: true };
      return rethrow(err, 'create', 'leases');
    }
  }

  async update(
    record: string,
    holderIdentity: string,
    leaseDurationSeconds: number,
    resourceVersion: string,
  ): Promise<CasResult> {
    const base = this.last?.metadata?.resourceVersion === resourceVersion ? this.last : undefined;
    const body = this.body(base, record, holderIdentity, leaseDurationSeconds);
    body.metadata = { ...body.metadata, resourceVersion };
    try {
      const replaced = await this.clients.coordination.replaceNamespacedLease({
        name: this.name,
        namespace: this.namespace,
        body,
      });
      this.last = replaced;
      return { ok: true, resourceVersion: replaced.metadata?.resourceVersion ?? '' };
    } catch (err) {
      // 409: someone wrote since we read. 404: someone deleted it; either way our view is stale.
      const code = apiCode(err);
      if (code === 409 || code === 404) return { ok: false, conflict: true };
      return rethrow(err, 'update', 'leases');
    }
  }

  private body(base: V1Lease | undefined, record: string, holder: string, duration: number): V1Lease {
    const now = new V1MicroTime(this.opts.clock.now());
    const previous = base?.spec?.holderIdentity ?? '';
    const changed = previous !== holder;
    // MicroTime is not in client-node's type map, so a read Lease holds it as a string (or a Date).
    const acquired = toMs(base?.spec?.acquireTime as Date | string | undefined);
    const transitions = (base?.spec?.leaseTransitions ?? 0) + (base && changed ? 1 : 0);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...(base?.metadata ?? {}),
        name: this.name,
        namespace: this.namespace,
        labels: { ...(base?.metadata?.labels ?? {}), 'app.kubernetes.io/managed-by': 'reboot-daemon' },
        annotations: { ...(base?.metadata?.annotations ?? {}), [HOLDERS_ANNOTATION]: record },
      },
      spec: {
        ...(base?.spec ?? {}),
        holderIdentity: holder,
        leaseDurationSeconds: Math.max(1, Math.round(duration)),
        acquireTime: changed || acquired === undefined ? now : new V1MicroTime(acquired),
        renewTime: now,
        leaseTransitions: transitions,
      },
    };
  }
}
