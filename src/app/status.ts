// status(): one row per node — roles, zone, Ready, schedulable, kernel, Ready since, whether a reboot is
// required (yes/no/unknown, why, from where), what blocks it, who holds its lock, and our recorded phase —
// plus the window, our Lease and kured's lock. Reads only.
// May import: core, ports, app.

import { LAST_FAILURE_ANNOTATION, STATE_ANNOTATION } from '../core/keys.js';
import { describeHolder, holdState, type LockHolder } from '../core/lock.js';
import { parseNodeRecord } from '../core/machine.js';
import { excludedBy, unsupportedBy } from '../core/order.js';
import type { ReadyState, SentinelSource } from '../core/types.js';
import type { WindowState } from '../core/window.js';
import { checkBlockers, type ForeignLockVerdict } from './gates.js';
import { leaseLockFor, survey } from './survey.js';
import type { RunDeps } from './types.js';

export interface StatusRow {
  readonly name: string;
  readonly roles: readonly string[];
  readonly zone?: string;
  readonly ready: ReadyState;
  readonly schedulable: boolean;
  readonly kernel?: string;
  /** Epoch ms of the last Ready transition: since the boot, for a node that has been Ready since. */
  readonly readySince?: number;
  readonly rebootRequired: 'yes' | 'no' | 'unknown';
  readonly why: string;
  readonly source?: SentinelSource;
  readonly blockedBy: readonly string[];
  readonly lockHolder?: string;
  /** Our recorded phase on the node ("unreadable" when the annotation cannot be parsed). */
  readonly phase?: string;
  readonly phaseMessage?: string;
  /** The last reboot of this node that could not start (LAST_FAILURE_ANNOTATION): when, and why. */
  readonly lastFailure?: string;
}

export interface StatusReport {
  readonly at: number;
  readonly window: WindowState;
  readonly lock: {
    readonly holders: readonly string[];
    readonly expired: readonly string[];
    readonly error?: string;
  };
  readonly foreignLock: ForeignLockVerdict;
  readonly rows: readonly StatusRow[];
}

export interface StatusOptions {
  readonly nodeSelector?: string;
  readonly probeConcurrency: number;
  /** Check blockers for nodes that need a reboot (may query Prometheus once per such node). Default true. */
  readonly checkBlockers?: boolean;
  readonly signal?: AbortSignal;
}

export async function status(deps: RunDeps, opts: StatusOptions): Promise<StatusReport> {
  const lockView = leaseLockFor(
    deps,
    { owner: 'status', concurrency: 1, lockTtlMs: 1, maxPerZone: 0 },
    'status',
  );
  const s = await survey(deps, lockView, {
    ...(opts.nodeSelector === undefined ? {} : { nodeSelector: opts.nodeSelector }),
    probeConcurrency: opts.probeConcurrency,
    probe: 'all',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const now = s.at;
  const nodes = s.nodes;
  const holders: readonly LockHolder[] = s.lock.ok ? s.lock.record.holders : [];
  const lockError = s.lock.ok ? undefined : s.lock.error;
  const foreignLock = s.foreignLock;
  const probes = s.probes;
  const dead = (h: LockHolder): boolean => !holdState(h, now, lockView.liveness).live;
  const rows: StatusRow[] = [];
  for (const node of nodes) {
    const probe = probes.get(node.name);
    const required = probe?.kind === 'required' ? 'yes' : probe?.kind === 'not-required' ? 'no' : 'unknown';
    const why =
      probe === undefined
        ? (unsupportedBy(node) ?? 'not checked')
        : probe.kind === 'required'
          ? probe.reason
          : probe.kind === 'unknown'
            ? `check failed: ${probe.error}`
            : 'no sentinel';
    const blockedBy: string[] = [];
    const excluded = excludedBy(node);
    if (excluded !== undefined) blockedBy.push(excluded);
    if (required === 'yes' && opts.checkBlockers !== false)
      blockedBy.push(...(await checkBlockers(deps, node.name)).reasons);
    const holder = holders.find((h) => h.node === node.name);
    const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
    rows.push({
      name: node.name,
      roles: node.roles,
      ...(node.zone === undefined ? {} : { zone: node.zone }),
      ready: node.ready,
      schedulable: !node.unschedulable,
      ...(node.kernel === undefined ? {} : { kernel: node.kernel }),
      ...(node.readySince === undefined ? {} : { readySince: node.readySince }),
      rebootRequired: required,
      why,
      ...(probe === undefined ? {} : { source: probe.source }),
      blockedBy,
      ...(holder === undefined
        ? {}
        : { lockHolder: `${describeHolder(holder)}${dead(holder) ? ' expired' : ''}` }),
      ...(node.annotations[LAST_FAILURE_ANNOTATION] === undefined
        ? {}
        : { lastFailure: node.annotations[LAST_FAILURE_ANNOTATION].slice(0, 1024) }),
      ...(parsed.kind === 'ok'
        ? {
            phase: parsed.record.phase,
            ...(parsed.record.message ? { phaseMessage: parsed.record.message } : {}),
          }
        : parsed.kind === 'unreadable'
          ? { phase: 'unreadable', phaseMessage: parsed.error }
          : {}),
    });
  }
  return {
    at: now,
    window: s.window,
    lock: {
      holders: holders.filter((h) => !dead(h)).map(describeHolder),
      expired: holders.filter(dead).map(describeHolder),
      ...(lockError === undefined ? {} : { error: lockError }),
    },
    foreignLock,
    rows,
  };
}
