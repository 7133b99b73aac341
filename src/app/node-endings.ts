// Two ways a node's work ends early: a stop request (before the reboot the node is restored; after it, the
// state stays recorded and the lock held for a resume) and an abort decided on resume (undo, no reboot).
// May import: core, ports, app.

import { POST_TRIGGER_PHASES, type NodeRecord, type ResumeDecision } from '../core/machine.js';
import { advance, keep, LockLostError, undo, type NodeCtx } from './node-state.js';

export interface Outcome {
  readonly outcome: 'rebooted' | 'failed' | 'pending' | 'skipped';
  readonly reason: string;
  readonly stopRun: boolean;
}

/** Nothing rebooted yet, so nothing to wait for: undoing restores the node. */
function undoable(r: NodeRecord): boolean {
  return (
    !POST_TRIGGER_PHASES.has(r.phase) &&
    r.phase !== 'uncordoned' &&
    r.phase !== 'health-timeout' &&
    r.phase !== 'done'
  );
}

export async function stopNode(
  ctx: NodeCtx,
  name: string,
  holder: { record: NodeRecord },
  signal: AbortSignal,
): Promise<Outcome> {
  if (signal.reason instanceof LockLostError) throw signal.reason;
  const r = holder.record;
  if (undoable(r)) {
    holder.record = (
      await advance(ctx, name, r, { type: 'abandon', message: 'stopped before the reboot' })
    ).record;
    return {
      outcome: 'pending',
      reason: `stopped before the reboot: ${await undo(ctx, name, r)}`,
      stopRun: true,
    };
  }
  if (POST_TRIGGER_PHASES.has(r.phase)) await keep(ctx, name, r, undefined);
  return {
    outcome: 'pending',
    reason: `stopped at ${r.phase}; run again to finish this node`,
    stopRun: true,
  };
}

export async function abortNode(
  ctx: NodeCtx,
  name: string,
  holder: { record: NodeRecord },
  decision: ResumeDecision,
  undoBecause: string | undefined,
): Promise<Outcome> {
  const r = holder.record;
  const earlierFailure = r.phase === 'drain-failed' && undoBecause === undefined;
  holder.record = (await advance(ctx, name, r, { type: 'abandon', message: decision.reason })).record;
  const what = await undo(ctx, name, r);
  if (undoBecause !== undefined)
    return { outcome: 'pending', reason: `${decision.reason}: ${what}`, stopRun: false };
  return {
    outcome: earlierFailure ? 'failed' : 'skipped',
    reason: `${earlierFailure ? `an earlier drain failed (${r.message ?? 'no detail'})` : decision.reason}: ${what}`,
    stopRun: false,
  };
}
