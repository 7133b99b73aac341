// The per-node state machine: a transition function that rejects illegal moves, and resumeDecision(): what a
// later run does with a recorded phase. The record itself (phases, shape, parsing) is in core/node-record.ts.
// May import: core/types, core/node-record.

import type { NodeView } from './types.js';
import { NodePhase, type NodeRecord, type ParsedNodeRecord, type WorkloadRef } from './node-record.js';

export * from './node-record.js';

export type NodeEvent =
  | { readonly type: 'cordoned' }
  | {
      readonly type: 'drained';
      readonly workloads?: readonly WorkloadRef[];
      readonly pdbs?: readonly string[];
    }
  | { readonly type: 'drain-failed'; readonly message: string }
  /** currentBootID: the node's boot ID seen just now; the request is refused unless it is still the recorded one. */
  | { readonly type: 'reboot-requested'; readonly currentBootID: string; readonly force?: boolean }
  | { readonly type: 'boot-seen'; readonly bootID: string }
  | { readonly type: 'reboot-timeout'; readonly message: string }
  | { readonly type: 'uncordoned' }
  | { readonly type: 'ready-timeout'; readonly message: string }
  | { readonly type: 'healthy' }
  | { readonly type: 'health-timeout'; readonly message: string }
  | { readonly type: 'abandon'; readonly message: string };

export type Transition =
  { readonly ok: true; readonly record: NodeRecord } | { readonly ok: false; readonly error: string };

/** Where each event may come from, and where it leads. */
const MOVES: Readonly<Record<NodeEvent['type'], { from: readonly NodePhase[]; to: NodePhase }>> = {
  cordoned: { from: [NodePhase.Locked, NodePhase.Cordoned], to: NodePhase.Cordoned },
  drained: { from: [NodePhase.Cordoned], to: NodePhase.Drained },
  'drain-failed': { from: [NodePhase.Locked, NodePhase.Cordoned], to: NodePhase.DrainFailed },
  'reboot-requested': {
    from: [NodePhase.Drained, NodePhase.DrainFailed, NodePhase.Rebooting, NodePhase.RebootTimeout],
    to: NodePhase.Rebooting,
  },
  'boot-seen': { from: [NodePhase.Rebooting, NodePhase.RebootTimeout], to: NodePhase.Rebooted },
  'reboot-timeout': { from: [NodePhase.Rebooting], to: NodePhase.RebootTimeout },
  uncordoned: { from: [NodePhase.Rebooted, NodePhase.ReadyTimeout], to: NodePhase.Uncordoned },
  'ready-timeout': { from: [NodePhase.Rebooted], to: NodePhase.ReadyTimeout },
  healthy: { from: [NodePhase.Uncordoned, NodePhase.HealthTimeout], to: NodePhase.Done },
  'health-timeout': { from: [NodePhase.Uncordoned], to: NodePhase.HealthTimeout },
  abandon: {
    from: [
      NodePhase.Locked,
      NodePhase.Cordoned,
      NodePhase.Drained,
      NodePhase.DrainFailed,
      NodePhase.Abandoned,
    ],
    to: NodePhase.Abandoned,
  },
};

export function transition(record: NodeRecord, event: NodeEvent, now: number): Transition {
  const move = MOVES[event.type];
  if (!move.from.includes(record.phase)) {
    return {
      ok: false,
      error: `cannot go from ${record.phase} on ${event.type} (allowed from ${move.from.join(', ')})`,
    };
  }
  const { message: _previous, ...rest } = record;
  const base: NodeRecord = { ...rest, phase: move.to, since: now };
  switch (event.type) {
    case 'reboot-requested':
      if (event.currentBootID !== record.bootID) {
        return {
          ok: false,
          error: `boot ID is ${event.currentBootID}, not the recorded ${record.bootID}: the reboot already happened`,
        };
      }
      if (record.phase === NodePhase.DrainFailed && !event.force) {
        return { ok: false, error: 'the drain failed; rebooting anyway needs --force-reboot' };
      }
      return { ok: true, record: { ...base, rebootRequestedAt: now } };
    case 'boot-seen':
      if (event.bootID === record.bootID) {
        return { ok: false, error: `boot ID ${event.bootID} is still the pre-reboot one` };
      }
      return { ok: true, record: { ...base, newBootID: event.bootID } };
    case 'drained':
      return {
        ok: true,
        record: {
          ...base,
          ...(event.workloads === undefined ? {} : { workloads: event.workloads }),
          ...(event.pdbs === undefined ? {} : { pdbs: event.pdbs }),
        },
      };
    case 'drain-failed':
    case 'reboot-timeout':
    case 'ready-timeout':
    case 'health-timeout':
    case 'abandon':
      return { ok: true, record: { ...base, message: event.message } };
    default:
      return { ok: true, record: base };
  }
}

/** Uncordon only what this tool cordoned. */
export function shouldUncordon(record: Pick<NodeRecord, 'wasUnschedulable'>): {
  ok: boolean;
  reason: string;
} {
  return record.wasUnschedulable
    ? { ok: false, reason: 'the node was cordoned before this tool touched it; it stays cordoned' }
    : { ok: true, reason: 'this tool cordoned it' };
}

export const ResumeAction = {
  /** Take the node from the start (lock held, nothing else done yet, or nothing recorded). */
  Cordon: 'cordon',
  Drain: 'drain',
  /** Trigger the reboot; safe to repeat because the trigger is guarded by the recorded boot ID. */
  Reboot: 'reboot',
  WaitReady: 'wait-ready',
  WaitHealthy: 'wait-healthy',
  /** Undo: uncordon if this tool cordoned it, clear the record, release the lock. No reboot. */
  Abort: 'abort',
  /** Finished: clear the record and release the lock. */
  Clean: 'clean',
  /** The record cannot be trusted: leave the node exactly as it is and say so. */
  Manual: 'manual',
} as const;
export type ResumeAction = (typeof ResumeAction)[keyof typeof ResumeAction];

export interface ResumeDecision {
  readonly action: ResumeAction;
  readonly reason: string;
}

export function resumeDecision(
  parsed: ParsedNodeRecord,
  node: Pick<NodeView, 'bootID'>,
  opts: { readonly forceReboot?: boolean } = {},
): ResumeDecision {
  if (parsed.kind === 'none')
    return { action: 'cordon', reason: 'no state recorded: start from the beginning' };
  if (parsed.kind === 'unreadable') {
    return {
      action: 'manual',
      reason: `state annotation unreadable (${parsed.error}); not touching the node: check it and remove the annotation`,
    };
  }
  const r = parsed.record;
  const booted = node.bootID !== r.bootID;
  const bootNote = `boot ID ${node.bootID}${booted ? ` (was ${r.bootID})` : ' (unchanged)'}`;
  switch (r.phase) {
    case 'locked':
    case 'cordoned':
    case 'drained':
      if (booted)
        return { action: 'abort', reason: `${r.phase}, but the node rebooted on its own since: ${bootNote}` };
      if (r.phase === 'locked') return { action: 'cordon', reason: 'locked, nothing else done yet' };
      if (r.phase === 'cordoned') return { action: 'drain', reason: 'cordoned, drain not finished' };
      return { action: 'reboot', reason: 'drained, reboot not requested yet' };
    case 'drain-failed':
      if (booted)
        return {
          action: 'abort',
          reason: `drain failed and the node rebooted on its own since: ${bootNote}`,
        };
      return opts.forceReboot
        ? { action: 'reboot', reason: 'drain failed; --force-reboot reboots anyway' }
        : { action: 'abort', reason: 'drain failed: undo the cordon, no reboot' };
    case 'rebooting':
    case 'reboot-timeout':
      return booted
        ? { action: 'wait-ready', reason: `reboot happened: ${bootNote}; waiting for Ready` }
        : {
            action: 'reboot',
            reason: `reboot requested, ${bootNote}: triggering again is safe, the trigger is guarded by boot ID ${r.bootID}`,
          };
    case 'rebooted':
    case 'ready-timeout':
      return booted
        ? { action: 'wait-ready', reason: `rebooted (${bootNote}); waiting for a stable Ready` }
        : { action: 'manual', reason: `recorded as rebooted but ${bootNote}: inconsistent, not touching it` };
    case 'uncordoned':
    case 'health-timeout':
      return {
        action: 'wait-healthy',
        reason: `${r.phase}: waiting for the evicted workloads and their PDBs`,
      };
    case 'abandoned':
      return { action: 'abort', reason: 'an earlier run was undoing this node: finish undoing it' };
    case 'done':
      return { action: 'clean', reason: 'done: clearing the record and the lock' };
  }
}
