// Writing a node's progress where a later run can find it: the state annotation on the node and the phase on
// its Lease hold; kured's annotations and the pre/post-reboot labels; and the three ways a node's work ends:
// finished (clear, release), undone (uncordon if ours, clear, release) or kept (cordoned and locked for a person).
// May import: core, ports, app.

import {
  KURED_IN_PROGRESS_ANNOTATION,
  KURED_MOST_RECENT_NEEDED_ANNOTATION,
  STATE_ANNOTATION,
} from '../core/keys.js';
import { describeHolder } from '../core/lock.js';
import {
  serializeNodeRecord,
  shouldUncordon,
  transition,
  type NodeEvent,
  type NodeRecord,
} from '../core/machine.js';
import type { LeaseLock } from './lock.js';
import type { RunDeps, RunOptions } from './types.js';
import { errorMessage, iso, nap } from './util.js';

export interface NodeCtx {
  readonly deps: RunDeps;
  readonly opts: RunOptions;
  readonly runId: string;
  readonly lock: LeaseLock;
}

/** Thrown when this run no longer holds the node's lock: stop touching the node at once. */
export class LockLostError extends Error {}

/** Thrown when the machine refuses a move: a bug or a changed world; the node is left as recorded. */
export class IllegalMoveError extends Error {}

export async function persist(
  ctx: NodeCtx,
  node: string,
  record: NodeRecord,
  extra: Record<string, string | null> = {},
): Promise<void> {
  await ctx.deps.cluster.patchNodeMeta(node, {
    annotations: { [STATE_ANNOTATION]: serializeNodeRecord(record), ...extra },
  });
  const v = await ctx.lock.update(node, { phase: record.phase });
  if (v.kind === 'lost') throw new LockLostError(v.reason);
}

/** Applies a machine event and persists the new record. */
export async function advance(
  ctx: NodeCtx,
  node: string,
  record: NodeRecord,
  event: NodeEvent,
): Promise<NodeRecord> {
  const t = transition(record, event, ctx.deps.clock.now());
  if (!t.ok) throw new IllegalMoveError(t.error);
  await persist(ctx, node, t.record);
  return t.record;
}

/** The annotations and labels written when a node's work starts. */
export function startMarks(ctx: NodeCtx): {
  annotations: Record<string, string>;
  labels: Record<string, string>;
} {
  const now = iso(ctx.deps.clock.now());
  return {
    annotations: ctx.opts.annotateNodes
      ? { [KURED_IN_PROGRESS_ANNOTATION]: now, [KURED_MOST_RECENT_NEEDED_ANNOTATION]: now }
      : {},
    labels: { ...ctx.opts.preRebootNodeLabels },
  };
}

function log(ctx: NodeCtx, node: string, level: 'info' | 'warn' | 'error', message: string): void {
  ctx.deps.emit({ type: 'log', at: ctx.deps.clock.now(), level, node, message });
}

async function clearAndRelease(ctx: NodeCtx, node: string): Promise<string> {
  const annotations: Record<string, null> = { [STATE_ANNOTATION]: null };
  if (ctx.opts.annotateNodes) annotations[KURED_IN_PROGRESS_ANNOTATION] = null;
  await ctx.deps.cluster.patchNodeMeta(node, { annotations });
  const r = await ctx.lock.release(node);
  if (r.kind === 'not-held') {
    log(ctx, node, 'warn', `lock: ${r.reason}`);
    return 'lock was no longer held';
  }
  ctx.deps.emit({ type: 'lock', at: ctx.deps.clock.now(), node, action: 'released', holders: [] });
  return 'lock released';
}

/** Done: wait --lock-release-delay, clear the record, release the lock. */
export async function finish(ctx: NodeCtx, node: string, delay: boolean): Promise<string> {
  if (delay && ctx.opts.lockReleaseDelayMs > 0) {
    log(
      ctx,
      node,
      'info',
      `waiting ${Math.round(ctx.opts.lockReleaseDelayMs / 1000)}s before releasing the lock`,
    );
    await nap(ctx.deps.clock, ctx.opts.lockReleaseDelayMs, ctx.opts.signal);
  }
  return clearAndRelease(ctx, node);
}

/** Undo before any reboot: uncordon only what this tool cordoned, clear the record, release the lock. */
export async function undo(
  ctx: NodeCtx,
  node: string,
  record: Pick<NodeRecord, 'wasUnschedulable'>,
): Promise<string> {
  const u = shouldUncordon(record);
  let what: string;
  if (u.ok) {
    await ctx.deps.cluster.setUnschedulable(node, false);
    what = 'uncordoned';
  } else what = `left cordoned (${u.reason})`;
  ctx.deps.emit({ type: 'step', at: ctx.deps.clock.now(), node, step: 'cordon', message: what });
  return `${what}, ${await clearAndRelease(ctx, node)}`;
}

/** A failure that needs a person: record it, keep the node cordoned and its lock held with no expiry. */
export async function keep(
  ctx: NodeCtx,
  node: string,
  record: NodeRecord,
  event: NodeEvent | undefined,
): Promise<string> {
  try {
    const t = event === undefined ? undefined : transition(record, event, ctx.deps.clock.now());
    const next = t?.ok ? t.record : record;
    await ctx.deps.cluster.patchNodeMeta(node, {
      annotations: { [STATE_ANNOTATION]: serializeNodeRecord(next) },
    });
    const v = await ctx.lock.update(node, { phase: next.phase, ttlMs: 0 });
    if (v.kind === 'ok') {
      ctx.deps.emit({
        type: 'lock',
        at: ctx.deps.clock.now(),
        node,
        action: 'kept',
        holders: [describeHolder(v.holder)],
        message: 'kept until the node is fixed; run again to resume, or release it by hand',
      });
    }
  } catch (err) {
    log(ctx, node, 'error', `could not record the failure: ${errorMessage(err)}`);
  }
  return 'it stays cordoned and the lock stays held; run again once it is fixed to finish it';
}
