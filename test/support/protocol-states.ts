// End-to-end support for the protocol cases: writes the exact coordination state a test starts from into a
// simulated cluster (the Lease's holders record, a node's v2 state record with its in-progress label, labels,
// cordons, sentinels), all on the simulator's clock, and reads back what a run left there.
import { readlinkSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { RunningCluster } from '../../src/sim/index.js';
import type { KObject } from '../../src/sim/types.js';
import { HOLDERS_KEY, LEASE_NAME, LEASE_NAMESPACE, STATE_KEY, node, type CliResult } from './e2e-cli.js';

export const IN_PROGRESS_KEY = 'reboot-daemon.io/in-progress';
export const EXCLUDE_KEY = 'reboot-daemon.io/exclude';
/** How long after its TTL a hold counts as expired (core/lock-record.ts EXPIRY_MARGIN_MS). */
export const EXPIRY_MARGIN_MS = 5_000;

/** The owner a CLI started by this test process records (user@host), as the composition root computes it. */
export function ourOwner(): string {
  let user = process.env['USER'] ?? '';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry: keep $USER.
  }
  return `${user || 'unknown'}@${hostname()}`;
}

/** This machine's kernel boot ID and this process's pid namespace, as a CLI beside it would record them. */
export function localKernel(): { bootId?: string; pidNs?: string } {
  const read = (f: () => string): string | undefined => {
    try {
      return f().trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const bootId = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const pidNs = read(() => readlinkSync('/proc/self/ns/pid'));
  return { ...(bootId ? { bootId } : {}), ...(pidNs ? { pidNs } : {}) };
}

export interface HoldSpec {
  readonly node: string;
  readonly owner: string;
  readonly runId: string;
  readonly proc: {
    readonly id: string;
    readonly host: string;
    readonly pid: number;
    readonly bootId?: string;
    readonly pidNs?: string;
    readonly startTime?: string;
  };
  /** Server time (the simulator's clock), epoch ms. */
  readonly renewedAt: number;
  readonly acquiredAt?: number;
  readonly ttlMs: number;
}

/** A process on another machine: its pid says nothing here, so only the TTL can end its hold. */
export function remoteProc(id: string): HoldSpec['proc'] {
  return { id, host: 'elsewhere', pid: 4242, bootId: 'another-kernel', pidNs: 'pid:[1]' };
}

/** A renewal time that is expired by `byMs` on the simulator's clock. */
export function expiredAt(sim: RunningCluster, ttlMs: number, byMs = 60_000): number {
  return sim.clock.now() - ttlMs - EXPIRY_MARGIN_MS - byMs;
}

function ensureNamespace(sim: RunningCluster): void {
  if (sim.store.tryGet('namespaces', undefined, LEASE_NAMESPACE)) return;
  sim.store.create('namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: LEASE_NAMESPACE },
  });
}

/** Writes the Lease v2 record (slots only) with these holds, replacing any Lease there. Returns its text. */
export function writeLease(sim: RunningCluster, holds: readonly HoldSpec[], maxHolders = 1): string {
  ensureNamespace(sim);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const text = JSON.stringify({
    version: 2,
    maxHolders,
    holders: holds.map((h) => ({
      node: h.node,
      owner: h.owner,
      runId: h.runId,
      proc: h.proc,
      acquiredAt: iso(h.acquiredAt ?? h.renewedAt),
      renewedAt: iso(h.renewedAt),
      ttlMs: h.ttlMs,
    })),
  });
  if (sim.store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME))
    sim.store.delete('leases', LEASE_NAMESPACE, LEASE_NAME);
  const latest = Math.max(0, ...holds.map((h) => h.renewedAt));
  sim.store.create('leases', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: LEASE_NAME, namespace: LEASE_NAMESPACE, annotations: { [HOLDERS_KEY]: text } },
    spec: {
      holderIdentity: holds.map((h) => h.node).join(','),
      leaseDurationSeconds: Math.ceil(Math.max(1, ...holds.map((h) => h.ttlMs)) / 1000),
      ...(holds.length > 0 ? { renewTime: new Date(latest).toISOString().replace('Z', '000Z') } : {}),
    },
  });
  return text;
}

/** The Lease's holders annotation as stored, or undefined without a Lease. */
export function leaseText(sim: RunningCluster): string | undefined {
  return sim.store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME)?.metadata.annotations?.[HOLDERS_KEY];
}

export interface RecordSpec {
  readonly owner: string;
  readonly runId: string;
  readonly proc: string;
  readonly gen?: number;
  readonly phase: string;
  readonly wasUnschedulable: boolean;
  readonly bootID: string;
  /** Server times; default now on the simulator's clock. */
  readonly startedAt?: number;
  readonly since?: number;
  readonly rebootRequestedAt?: number;
  readonly message?: string;
}

/** A node's v2 state record, as the product writes it (serialised JSON). */
export function recordText(sim: RunningCluster, r: RecordSpec): string {
  const now = sim.clock.now();
  return JSON.stringify({
    version: 2,
    token: { owner: r.owner, runId: r.runId, proc: r.proc, gen: r.gen ?? 0 },
    phase: r.phase,
    wasUnschedulable: r.wasUnschedulable,
    bootID: r.bootID,
    startedAt: r.startedAt ?? now,
    since: r.since ?? now,
    ...(r.rebootRequestedAt === undefined ? {} : { rebootRequestedAt: r.rebootRequestedAt }),
    ...(r.message === undefined ? {} : { message: r.message }),
  });
}

function patchNode(sim: RunningCluster, name: string, body: Record<string, unknown>): KObject {
  return sim.store.patch('nodes', undefined, name, 'application/merge-patch+json', body);
}

/** Sets (or, with null, removes) a node's state record and the in-progress label that goes with it. */
export function setRecord(sim: RunningCluster, name: string, text: string | null): void {
  patchNode(sim, name, {
    metadata: {
      annotations: { [STATE_KEY]: text },
      labels: { [IN_PROGRESS_KEY]: text === null ? null : 'true' },
    },
  });
}

export function setLabel(sim: RunningCluster, name: string, key: string, value: string | null): void {
  patchNode(sim, name, { metadata: { labels: { [key]: value } } });
}

/** As `kubectl cordon` / `uncordon` would. */
export function setCordon(sim: RunningCluster, name: string, cordoned: boolean): void {
  patchNode(sim, name, { spec: { unschedulable: cordoned ? true : null } });
}

export function setSentinel(sim: RunningCluster, name: string, present: boolean): void {
  const host = sim.cluster.host(name);
  if (present) host.setRebootRequired();
  else host.clearRebootRequired();
}

export function recordOf(sim: RunningCluster, name: string): string | undefined {
  return node(sim, name).metadata.annotations?.[STATE_KEY];
}

/** Evictions the simulator saw of pods on a node, in order. */
export function evictionsOn(sim: RunningCluster, name: string): number {
  return sim.cluster.record.of('eviction').filter((e) => e.node === name && e.outcome === 'evicted').length;
}

/** Pods bound to a node that are not being deleted and not helper pods. */
export function podsOn(sim: RunningCluster, name: string): string[] {
  return sim.store
    .list('pods')
    .items.filter(
      (p) =>
        p.spec?.nodeName === name &&
        p.metadata.deletionTimestamp === undefined &&
        p.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'reboot-daemon',
    )
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
}

/** The JSON events of a `--log-format json` run. */
export function jsonEvents(r: CliResult): Record<string, unknown>[] {
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** "HH:MM-HH:MM" in UTC: a daily window from `fromMs` to `toMs` after `at` (may wrap midnight). */
export function utcWindow(at: number, fromMs: number, toMs: number): string {
  const hhmm = (ms: number): string => new Date(at + ms).toISOString().slice(11, 16);
  return `${hhmm(fromMs)}-${hhmm(toMs)}`;
}
