// rebootNode(): one node, from taking it to releasing it. Claim the node (record first, then a slot), decide
// from the record as it is now where to start (core/machine.ts resumeDecision), pass the gates for a node that
// would be cordoned, then run the steps. Every ending is reported, never silent. A lost record or slot stops
// all work on the node at once and undoes nothing: someone else owns it now.
// May import: core, ports, app.

import type { NodeStep } from '../core/events.js';
import { PHASES, resumeDecision, type ParsedNodeRecord } from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import { claimNode } from './claim.js';
import { startGate } from './gates.js';
import { IllegalMoveError, LockLostError, type NodeCtx } from './node-write.js';
import { NodeRun, releaseSlot, runSteps, undo, type Outcome } from './node-steps.js';
import { anySignal, errorMessage } from './util.js';

export interface NodeWork {
  readonly node: NodeView;
  /** The state annotation found on the node when it was listed (the claim reads it again). */
  readonly parsed: ParsedNodeRecord;
  /** Why this node: the sentinel's reason, or why it is resumed. */
  readonly reason: string;
  /** The start gate was passed just before this node was started (a fresh node): not asked again before claiming. */
  readonly gatePassed?: boolean;
}

export type NodeOutcomeKind = 'rebooted' | 'failed' | 'pending' | 'skipped';

export interface NodeOutcome {
  readonly node: string;
  readonly outcome: NodeOutcomeKind;
  readonly reason: string;
  /** The run must not start more nodes. */
  readonly stopRun: boolean;
}

export function report(ctx: NodeCtx, node: string, o: Outcome): NodeOutcome {
  const { emit, clock } = ctx.deps;
  const step: NodeStep = o.outcome === 'rebooted' ? 'done' : o.outcome === 'failed' ? 'failed' : 'skipped';
  emit({ type: 'step', at: clock.now(), node, step, message: o.reason });
  emit({
    type: 'node-result',
    at: clock.now(),
    node,
    outcome: o.outcome === 'pending' ? 'skipped' : o.outcome,
    reason: o.reason,
  });
  return { node, ...o };
}

export async function rebootNode(ctx: NodeCtx, work: NodeWork): Promise<NodeOutcome> {
  const name = work.node.name;
  const out = (o: Outcome): NodeOutcome => report(ctx, name, o);
  if (work.parsed.kind === 'unreadable') {
    return out({
      outcome: 'failed',
      reason: `state annotation unreadable (${work.parsed.error}); node left untouched: check it, then remove the annotation`,
      stopRun: false,
    });
  }
  let claim;
  try {
    claim = await claimNode(ctx, name, work.node);
  } catch (err) {
    return out({
      outcome: 'failed',
      reason: `could not take the node: ${errorMessage(err)}; not touched`,
      stopRun: true,
    });
  }
  if (claim.kind === 'unreadable') return out({ outcome: 'failed', reason: claim.reason, stopRun: true });
  if (claim.kind === 'busy')
    return out({ outcome: 'pending', reason: `lock held: ${claim.reason}`, stopRun: false });

  const h = claim.handle;
  const decision = resumeDecision({ kind: 'ok', record: h.record }, h.node, ctx.opts);
  const lost = new AbortController();
  const stopRenew = new AbortController();
  const renewing = ctx.lock.renewLoop(name, stopRenew.signal, (reason) =>
    lost.abort(new LockLostError(reason)),
  );
  const signal = anySignal(ctx.opts.signal, lost.signal);
  const r = new NodeRun(ctx, h, signal, claim.adopted !== undefined);
  try {
    if (claim.adopted !== undefined || h.record.phase !== 'locked')
      r.log('info', `resuming ${name}: ${decision.reason}`);
    if (decision.start === 'manual') {
      await releaseSlot(r);
      return out({
        outcome: 'failed',
        reason: `${decision.reason}; lock released, the record stays`,
        stopRun: true,
      });
    }
    if (decision.start === 'undo') {
      const n = await undo(r, h.record.phase === 'drain-failed' ? 'failed' : 'skipped', decision.reason);
      return out('end' in n ? n.end : { outcome: 'failed', reason: 'unreachable', stopRun: true });
    }
    if (decision.gate !== undefined && !(work.gatePassed === true && claim.adopted === undefined)) {
      // Nothing is cordoned, drained or triggered while the window is closed, a blocker says no or kured holds its lock.
      const closed = await startGate(ctx.deps, name, signal, h.node);
      if (closed !== undefined) {
        if (decision.gate === 'undo') {
          const n = await undo(r, 'pending', closed.reason);
          return out('end' in n ? n.end : { outcome: 'pending', reason: closed.reason, stopRun: false });
        }
        return out({
          outcome: 'pending',
          reason: `${closed.reason}; left as recorded (${h.record.phase}), ${await releaseSlot(r)}`,
          stopRun: false,
        });
      }
    }
    if (decision.start === 'wait-boot') r.step('reboot', decision.reason);
    const start = decision.needsEvidence ? 'check' : decision.start;
    return out(await runSteps(r, start));
  } catch (err) {
    return out(await onError(r, err, lost.signal));
  } finally {
    stopRenew.abort();
    await renewing;
  }
}

async function onError(r: NodeRun, err: unknown, lost: AbortSignal): Promise<Outcome> {
  if (err instanceof LockLostError || lost.aborted) {
    const why = err instanceof LockLostError ? err.message : errorMessage(lost.reason);
    await releaseSlot(r);
    return {
      outcome: 'failed',
      reason: `lost the lock (${why}); not touching the node any more`,
      stopRun: true,
    };
  }
  const what =
    err instanceof IllegalMoveError ? `unexpected state: ${err.message}` : `error: ${errorMessage(err)}`;
  try {
    if (!PHASES[r.h.record.phase].triggered) {
      const n = await undo(r, 'failed', `${what}; before any reboot, so undone`, true);
      if ('end' in n) return n.end;
    }
  } catch (cleanupErr) {
    return {
      outcome: 'failed',
      reason: `${what}; and undoing failed too: ${errorMessage(cleanupErr)}; the record on the node says where it stopped`,
      stopRun: true,
    };
  }
  return {
    outcome: 'failed',
    reason: `${what}; it stays cordoned, recorded as ${r.h.record.phase} (${await releaseSlot(r)}); run again once it is fixed to finish it`,
    stopRun: true,
  };
}
