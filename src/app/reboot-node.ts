// rebootNode(): one node from lock to release — take the lock, record the node's state, cordon, drain, reboot
// (guarded by the boot ID), wait for the new boot and a stable Ready, uncordon if we cordoned, wait for the
// workloads, release — or resume all that from the recorded phase. Every ending is reported, never silent.
// May import: core, ports, app.

import type { NodeStep } from '../core/events.js';
import {
  newNodeRecord,
  NodePhase,
  parseNodeRecord,
  POST_TRIGGER_PHASES,
  resumeDecision,
  type NodeRecord,
  type ParsedNodeRecord,
} from '../core/machine.js';
import { STATE_ANNOTATION } from '../core/keys.js';
import type { NodeView } from '../core/types.js';
import { acquireForNode, type Acquired } from './acquire.js';
import type { Outcome } from './node-endings.js';
import { runSteps } from './node-steps.js';
import { IllegalMoveError, keep, LockLostError, undo, type NodeCtx } from './node-state.js';
import { anySignal, errorMessage } from './util.js';

export interface NodeWork {
  readonly node: NodeView;
  /** The state annotation found on the node. */
  readonly parsed: ParsedNodeRecord;
  /** Why this node: the sentinel's reason, or why it is resumed. */
  readonly reason: string;
  /** Undo a resumed node that has not been rebooted yet instead of continuing (window closed, blocked). */
  readonly undoBecause?: string;
}

export type NodeOutcomeKind = 'rebooted' | 'failed' | 'pending' | 'skipped';

export interface NodeOutcome {
  readonly node: string;
  readonly outcome: NodeOutcomeKind;
  readonly reason: string;
  /** The run must not start more nodes. */
  readonly stopRun: boolean;
}

export function report(
  ctx: NodeCtx,
  node: string,
  outcome: NodeOutcomeKind,
  reason: string,
  stopRun = false,
): NodeOutcome {
  const { emit, clock } = ctx.deps;
  const step: NodeStep = outcome === 'rebooted' ? 'done' : outcome === 'failed' ? 'failed' : 'skipped';
  emit({ type: 'step', at: clock.now(), node, step, message: reason });
  emit({
    type: 'node-result',
    at: clock.now(),
    node,
    outcome: outcome === 'pending' ? 'skipped' : outcome,
    reason,
  });
  return { node, outcome, reason, stopRun };
}

export async function rebootNode(ctx: NodeCtx, work: NodeWork): Promise<NodeOutcome> {
  const name = work.node.name;
  if (work.parsed.kind === 'unreadable') {
    return report(
      ctx,
      name,
      'failed',
      `state annotation unreadable (${work.parsed.error}); node left untouched: check it, then remove the annotation`,
    );
  }
  const recorded = work.parsed.kind === 'ok' ? work.parsed.record : undefined;
  let acq: Acquired;
  try {
    acq = await acquireForNode(ctx, work.node, recorded);
  } catch (err) {
    return report(
      ctx,
      name,
      'failed',
      `could not take the lock: ${errorMessage(err)}; node not touched`,
      true,
    );
  }
  if (acq.kind !== 'held') return report(ctx, name, 'pending', acq.reason, acq.kind === 'unreadable');

  // The record was read when the nodes were listed; another run may have moved the node on since. Now that
  // we hold the lock, nobody else can: read the record again and go by that.
  let now: ParsedNodeRecord | undefined;
  let reread: NodeView | undefined;
  try {
    if (recorded !== undefined) {
      reread = await ctx.deps.cluster.getNode(name);
      now = parseNodeRecord(reread.annotations[STATE_ANNOTATION]);
    }
  } catch (err) {
    now = { kind: 'unreadable', error: `cannot read the node: ${errorMessage(err)}` };
  }
  if (now?.kind === 'unreadable') {
    // Unknown: touch nothing, and keep the hold as it is (the node may be down mid-reboot).
    return report(ctx, name, 'failed', `its state is unknown now (${now.error}); left as it was, lock kept`);
  }
  if (now?.kind === 'none') {
    return skipAndRelease(ctx, name, 'another run finished or undid it since it was listed');
  }

  let record: NodeRecord;
  let fresh = false;
  if (now !== undefined) record = { ...now.record, runId: ctx.runId, owner: ctx.opts.owner };
  else if (acq.fromHolder !== undefined) {
    const phase = Object.values(NodePhase).find((p) => p === acq.fromHolder?.phase);
    if (phase === undefined) {
      return report(
        ctx,
        name,
        'failed',
        `the lock records an unknown phase "${acq.fromHolder.phase}" for ${name}; left untouched`,
      );
    }
    const h = acq.fromHolder;
    record = newNodeRecord({
      runId: ctx.runId,
      owner: ctx.opts.owner,
      wasUnschedulable: h.wasUnschedulable,
      bootID: h.bootID,
      now: ctx.deps.clock.now(),
      phase,
    });
  } else {
    const current = acq.current ?? work.node;
    if (current.bootID !== work.node.bootID) {
      // Someone rebooted it since it was checked (another run, or on its own): its need is gone.
      return skipAndRelease(
        ctx,
        name,
        `rebooted since it was checked (boot ID ${current.bootID}, was ${work.node.bootID})`,
      );
    }
    fresh = true;
    record = newNodeRecord({
      runId: ctx.runId,
      owner: ctx.opts.owner,
      wasUnschedulable: current.unschedulable,
      bootID: current.bootID,
      now: ctx.deps.clock.now(),
    });
  }

  const lost = new AbortController();
  const stopRenew = new AbortController();
  const renewing = ctx.lock.renewLoop(name, stopRenew.signal, (reason) =>
    lost.abort(new LockLostError(reason)),
  );
  const signal = anySignal(ctx.opts.signal, lost.signal);
  const holder: { record: NodeRecord } = { record };
  try {
    // The node as read just now: before taking the lock (fresh), or just after it (resumed).
    const current = reread ?? acq.current ?? (await ctx.deps.cluster.getNode(name));
    const decision =
      work.undoBecause !== undefined && !POST_TRIGGER_PHASES.has(record.phase) && record.phase !== 'done'
        ? { action: 'abort' as const, reason: work.undoBecause }
        : resumeDecision({ kind: 'ok', record }, current, { forceReboot: ctx.opts.forceReboot });
    if (!fresh) {
      ctx.deps.emit({
        type: 'log',
        at: ctx.deps.clock.now(),
        level: 'info',
        node: name,
        message: `resuming: ${decision.reason}`,
      });
    }
    const out: Outcome = await runSteps(ctx, name, holder, decision, signal, {
      resumed: !fresh,
      undoBecause: work.undoBecause,
    });
    return report(ctx, name, out.outcome, out.reason, out.stopRun);
  } catch (err) {
    return report(ctx, name, 'failed', await onError(ctx, name, holder.record, err, lost.signal), true);
  } finally {
    stopRenew.abort();
    await renewing;
  }
}

/** Not touched after all: release the hold just taken and report the node skipped, saying why. */
async function skipAndRelease(ctx: NodeCtx, name: string, why: string): Promise<NodeOutcome> {
  const r = await ctx.lock
    .release(name)
    .catch((err: unknown) => ({ kind: 'error' as const, reason: errorMessage(err) }));
  const what = r.kind === 'released' ? 'lock released' : `lock not released: ${r.reason}`;
  return report(ctx, name, 'skipped', `${why}; not touched, ${what}`);
}

async function onError(
  ctx: NodeCtx,
  name: string,
  record: NodeRecord,
  err: unknown,
  lost: AbortSignal,
): Promise<string> {
  if (err instanceof LockLostError || lost.aborted) {
    const why = err instanceof LockLostError ? err.message : errorMessage(lost.reason);
    return `lost the lock (${why}); not touching the node any more`;
  }
  const what =
    err instanceof IllegalMoveError ? `unexpected state: ${err.message}` : `error: ${errorMessage(err)}`;
  try {
    if (!POST_TRIGGER_PHASES.has(record.phase) && record.phase !== 'uncordoned' && record.phase !== 'done') {
      return `${what}; before any reboot, so undone: ${await undo(ctx, name, record)}`;
    }
    return `${what}; ${await keep(ctx, name, { ...record, message: what }, undefined)}`;
  } catch (cleanupErr) {
    return `${what}; and cleaning up failed too: ${errorMessage(cleanupErr)}; the state recorded on the node says where it stopped`;
  }
}
