// status(): one row per node — roles, zone, Ready, schedulable, kernel, Ready since, whether a reboot is
// required (yes/no/unknown, why, from where), what blocks it, who holds its lock, and our recorded phase —
// plus the window, our Lease and kured's lock. Reads only.
// May import: core, ports, app.

import { STATE_ANNOTATION } from '../core/keys.js';
import { describeHolder, isExpired, parseLockRecord, type LockHolder } from '../core/lock.js';
import { parseNodeRecord } from '../core/machine.js';
import { excludedBy } from '../core/order.js';
import type { ReadyState, SentinelSource } from '../core/types.js';
import type { WindowState } from '../core/window.js';
import { checkBlockers, checkForeignLock, probeNodes, type ForeignLockVerdict } from './gates.js';
import type { RunDeps } from './types.js';
import { errorMessage } from './util.js';

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

type StatusDeps = Pick<
  RunDeps,
  'cluster' | 'sentinel' | 'lease' | 'foreignLock' | 'blockers' | 'clock' | 'emit' | 'windowState'
>;

export async function status(deps: StatusDeps, opts: StatusOptions): Promise<StatusReport> {
  const now = deps.clock.now();
  const nodes = (await deps.cluster.listNodes(opts.nodeSelector)).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  let holders: readonly LockHolder[] = [];
  let lockError: string | undefined;
  try {
    const parsed = parseLockRecord((await deps.lease.read())?.record);
    if (parsed.ok) holders = parsed.record.holders;
    else lockError = parsed.error;
  } catch (err) {
    lockError = errorMessage(err);
  }
  const foreignLock = await checkForeignLock(deps);
  const probes = await probeNodes(deps, nodes, opts.probeConcurrency, opts.signal);
  const rows: StatusRow[] = [];
  for (const node of nodes) {
    const probe = probes.get(node.name);
    const required = probe?.kind === 'required' ? 'yes' : probe?.kind === 'not-required' ? 'no' : 'unknown';
    const why =
      probe === undefined
        ? 'not checked'
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
        : { lockHolder: `${describeHolder(holder)}${isExpired(holder, now) ? ' expired' : ''}` }),
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
    window: deps.windowState(now),
    lock: {
      holders: holders.filter((h) => !isExpired(h, now)).map(describeHolder),
      expired: holders.filter((h) => isExpired(h, now)).map(describeHolder),
      ...(lockError === undefined ? {} : { error: lockError }),
    },
    foreignLock,
    rows,
  };
}
