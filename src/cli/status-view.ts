// Maps the app's StatusReport onto the status table's view (ui/status-table): sentinel answers, our phase or
// an admin's cordon as the STATE, the lock (its holders, and the nodes in progress that hold no slot but
// count) and kured's lock for the footer.
// May import: app (types), core, ui (types).

import type { StatusReport, StatusRow } from '../app/status.js';
import { countsInProgress, PHASES, type NodePhase } from '../core/machine.js';
import type { SentinelResult } from '../core/types.js';
import type { NodeStatusView, StatusView } from '../ui/status-table.js';

export function toStatusView(report: StatusReport): StatusView {
  return {
    at: report.at,
    window: report.window,
    lock: {
      holders: report.lock.holders,
      expired: report.lock.expired,
      unslotted: report.rows.filter(unslotted).map((r) => `${r.name} (${r.phase ?? '?'})`),
      ...(report.lock.error === undefined ? {} : { error: report.lock.error }),
      ...(report.foreignLock.free ? {} : { foreign: report.foreignLock.reason }),
    },
    nodes: report.rows.map(toNodeView),
  };
}

function toNodeView(row: StatusRow): NodeStatusView {
  const sentinel = sentinelOf(row);
  return {
    name: row.name,
    ready: row.ready,
    unschedulable: !row.schedulable,
    ...(sentinel ? { sentinel } : {}),
    state: stateOf(row),
    lockHeld: row.lockHolder !== undefined,
    ...(row.zone === undefined ? {} : { zone: row.zone }),
    roles: row.roles,
    ...(row.kernel === undefined ? {} : { kernel: row.kernel }),
    ...(row.readySince === undefined ? {} : { readySince: row.readySince }),
    reasons: row.blockedBy,
  };
}

/** A node whose record counts against --concurrency (core/machine.ts PHASES) but that holds no slot. */
function unslotted(row: StatusRow): boolean {
  if (row.phase === undefined || row.lockHolder !== undefined) return false;
  if (row.phase === 'unreadable')
    return countsInProgress({ kind: 'unreadable', error: row.phaseMessage ?? '' });
  return Object.hasOwn(PHASES, row.phase) && PHASES[row.phase as NodePhase].counts;
}

function sentinelOf(row: StatusRow): SentinelResult | undefined {
  if (row.source === undefined) return undefined;
  switch (row.rebootRequired) {
    case 'yes':
      return { kind: 'required', reason: row.why, source: row.source };
    case 'no':
      return { kind: 'not-required', source: row.source };
    case 'unknown':
      return { kind: 'unknown', error: row.why, source: row.source };
  }
}

/** Our recorded phase when there is one; otherwise idle, or cordoned when someone else cordoned it. */
function stateOf(row: StatusRow): string {
  if (row.phase !== undefined) return row.phaseMessage ? `${row.phase}: ${row.phaseMessage}` : row.phase;
  const failed = row.lastFailure === undefined ? '' : ` (last reboot failed: ${row.lastFailure})`;
  if (!row.schedulable) return `cordoned (not by us)${failed}`;
  return `idle${failed}`;
}
