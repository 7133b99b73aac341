// Writing a node's progress where a later run can find it: the state annotation on the node (with the cordon,
// kured's annotations and the pre/post-reboot labels in the same patch), and on its Lease hold the phases other
// runs must see; and the three ways a node's work ends: finished (clear, release), undone (uncordon if ours,
// clear, release) or kept (cordoned and locked for a person).
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
import type { NodeView } from '../core/types.js';
import type { NodePatch } from '../ports/cluster.js';
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

/**
 * Phases also written to the node's Lease hold. The hold says 'locked' from the moment it is taken; 'rebooting'
 * is written before the trigger, and that write (a compare-and-swap on the Lease) proves the hold is still ours
 * just before the one step that cannot be undone. The other phases live on the node only: a run that takes a
 * hold over reads them there, and the renew loop notices a lost hold in between.
 */
const LEASE_PHASES: ReadonlySet<string> = new Set(['rebooting']);

/**
 * Writes the record to the node in one patch, with `extra` (cordon, marks, labels) in the same request, and
 * returns the node as it is after the write. Phases in LEASE_PHASES are recorded on the Lease first.
 */
export async function persist(
  ctx: NodeCtx,
  node: string,
  record: NodeRecord,
  extra: NodePatch = {},
): Promise<NodeView> {
  if (LEASE_PHASES.has(record.phase)) {
    const v = await ctx.lock.update(node, { phase: record.phase });
    if (v.kind === 'lost') throw new LockLostError(v.reason);
  }
  return ctx.deps.cluster.patchNode(node, {
    ...extra,
    annotations: { ...extra.annotations, [STATE_ANNOTATION]: serializeNodeRecord(record) },
  });
}

/** Applies a machine event and persists the new record; returns it with the node as written. */
export async function advance(
  ctx: NodeCtx,
  node: string,
  record: NodeRecord,
  event: NodeEvent,
  extra: NodePatch = {},
): Promise<{ record: NodeRecord; node: NodeView }> {
  const next = move(ctx, record, event);
  return { record: next, node: await persist(ctx, node, next, extra) };
}

/** Applies a machine event in memory only (a phase not worth a write: resuming from the one before is cheap). */
export function move(ctx: NodeCtx, record: NodeRecord, event: NodeEvent): NodeRecord {
  const t = transition(record, event, ctx.deps.clock.now());
  if (!t.ok) throw new IllegalMoveError(t.error);
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

async function clearAndRelease(
  ctx: NodeCtx,
  node: string,
  extra: NodePatch = {},
  written: () => void = () => undefined,
): Promise<string> {
  const annotations: Record<string, string | null> = { ...extra.annotations, [STATE_ANNOTATION]: null };
  if (ctx.opts.annotateNodes) annotations[KURED_IN_PROGRESS_ANNOTATION] = null;
  await ctx.deps.cluster.patchNode(node, { ...extra, annotations });
  written();
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
  const what = u.ok ? 'uncordoned' : `left cordoned (${u.reason})`;
  // One patch uncordons and clears the record: never a node uncordoned with a record saying it is ours.
  const released = await clearAndRelease(ctx, node, u.ok ? { unschedulable: false } : {}, () =>
    ctx.deps.emit({ type: 'step', at: ctx.deps.clock.now(), node, step: 'cordon', message: what }),
  );
  return `${what}, ${released}`;
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
    await ctx.deps.cluster.patchNode(node, {
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
