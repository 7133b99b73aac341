// Taking a node before touching it, in the one order that keeps the limits exact: first the record on the node
// (a new intent, or a takeover of an orphaned record with the next generation: both compare-and-swap), then a
// slot in the Lease, whose write counts every live hold and every node in progress as read after the Lease.
// Before a dead hold is dropped, its node is fenced: an intent it left is cleared, so a frozen process that
// wakes up cannot go on with it. Waits up to --lock-wait for a slot.
// May import: core, ports, app.

import { ConflictError } from '../core/errors.js';
import { IN_PROGRESS_LABEL, STATE_ANNOTATION } from '../core/keys.js';
import { describeHolder, EXPIRY_MARGIN_MS, holdState, type LockHolder } from '../core/lock.js';
import {
  describeToken,
  NodePhase,
  newNodeRecord,
  parseNodeRecord,
  sameToken,
  type FenceToken,
  type NodeRecord,
} from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import { inProgressOf } from './survey.js';
import type { InProgressRead } from './lock.js';
import { NodeHandle, recordPatch, type NodeCtx } from './node-write.js';
import { errorMessage, nap } from './util.js';

export type Claim =
  | {
      readonly kind: 'held';
      readonly handle: NodeHandle;
      readonly adopted?: FenceToken;
      readonly reason: string;
    }
  | { readonly kind: 'busy'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

const LOCK_POLL_MS = 5_000;

/** The record this run would write to take the node: a new intent, or a takeover of the orphan on it. */
type Taking =
  | { readonly kind: 'take'; readonly record: NodeRecord; readonly adopted?: FenceToken }
  | { readonly kind: 'busy'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

function taking(ctx: NodeCtx, node: NodeView, holders: readonly LockHolder[], now: number): Taking {
  const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
  const token = (gen: number): FenceToken => ({
    owner: ctx.opts.owner,
    runId: ctx.runId,
    proc: ctx.lock.proc.id,
    gen,
  });
  if (parsed.kind === 'unreadable')
    return {
      kind: 'unreadable',
      reason: `state annotation unreadable (${parsed.error}); node left untouched`,
    };
  if (parsed.kind === 'none') {
    return {
      kind: 'take',
      record: newNodeRecord({
        token: token(0),
        process: ctx.lock.proc,
        wasUnschedulable: node.unschedulable,
        bootID: node.bootID,
        now,
      }),
    };
  }
  const r = parsed.record;
  if (r.token.runId === ctx.runId && r.token.proc === ctx.lock.proc.id) return { kind: 'take', record: r };
  // Another run's record: ours to take over only when no live hold works on it.
  const hold = holders.find((h) => h.node === node.name);
  if (hold !== undefined && holdState(hold, now, ctx.lock.liveness).live && hold.runId === r.token.runId) {
    return { kind: 'busy', reason: `in progress by ${describeHolder(hold)}: ${r.phase}` };
  }
  // An intent with no slot yet may be a live run between its two writes: taken over only once it is older than
  // a TTL on the server's clock (a dead hold of its run is fenced sooner, by clearing it).
  const gone = r.process !== undefined && ctx.lock.liveness(r.process) === 'dead';
  if (r.phase === NodePhase.Locked && !gone && r.since + ctx.opts.lockTtlMs + EXPIRY_MARGIN_MS >= now) {
    return {
      kind: 'busy',
      reason: `${describeToken(r.token)} is taking it (an intent ${Math.round((now - r.since) / 1000)}s old)`,
    };
  }
  return {
    kind: 'take',
    record: { ...r, token: token(r.token.gen + 1), process: ctx.lock.proc },
    adopted: r.token,
  };
}

export async function claimNode(ctx: NodeCtx, name: string, known?: NodeView): Promise<Claim> {
  const { clock, emit, cluster } = ctx.deps;
  const deadline = clock.now() + ctx.opts.lockWaitMs;
  let announced = false;
  for (;;) {
    const attempt = await claimOnce(ctx, name, known);
    known = undefined;
    if (attempt.kind !== 'busy') return attempt;
    const remaining = deadline - clock.now();
    const waiting = (): void =>
      emit({
        type: 'lock',
        at: clock.now(),
        node: name,
        action: 'waiting',
        holders: [],
        message: attempt.reason,
      });
    if (remaining <= 0 || ctx.opts.signal?.aborted) {
      waiting();
      return attempt;
    }
    if (!announced) {
      announced = true;
      waiting();
      emit({
        type: 'step',
        at: clock.now(),
        node: name,
        step: 'wait',
        message: `waiting for the lock: ${attempt.reason}`,
      });
    }
    await nap(clock, Math.min(LOCK_POLL_MS, remaining), ctx.opts.signal);
    void cluster;
  }
}

async function claimOnce(ctx: NodeCtx, name: string, known?: NodeView): Promise<Claim> {
  const { cluster, emit, clock } = ctx.deps;
  // The node as the survey listed it, if given: the intent's compare-and-swap finds out if it changed since.
  let node = known ?? (await cluster.getNode(name));
  // The Lease is read first only for a node that carries a record: whether its holder is alive decides a
  // takeover. A fresh intent needs no look: the slot's own compare-and-swap decides after it.
  let holders: readonly LockHolder[] = [];
  const readHolders = async (): Promise<Claim | undefined> => {
    const read = await ctx.lock.read();
    if (!read.ok) return { kind: 'unreadable', reason: `lock unreadable, not rebooting: ${read.error}` };
    holders = read.record.holders;
    return undefined;
  };
  if (node.annotations[STATE_ANNOTATION] !== undefined) {
    const bad = await readHolders();
    if (bad) return bad;
  }
  let take: Taking;
  let written: NodeView;
  // 1. The record: an intent, or a takeover. A conflict means the node changed: look again.
  for (let i = 0; ; i++) {
    take = taking(ctx, node, holders, ctx.lock.now());
    if (take.kind !== 'take' && known !== undefined) {
      // Judged on the survey's view: look at the node as it is now before saying no.
      known = undefined;
      node = await cluster.getNode(name);
      if (node.annotations[STATE_ANNOTATION] !== undefined) {
        const bad = await readHolders();
        if (bad) return bad;
      }
      continue;
    }
    if (take.kind !== 'take') return take;
    try {
      written = await cluster.patchNode(
        name,
        recordPatch({ record: take.record }, ctx.opts.annotateNodes, node.resourceVersion),
      );
      break;
    } catch (err) {
      if (!(err instanceof ConflictError) || i >= 5) throw err;
      node = await cluster.getNode(name);
      if (node.annotations[STATE_ANNOTATION] !== undefined) {
        const bad = await readHolders();
        if (bad) return bad;
      }
    }
  }
  const handle = new NodeHandle(ctx, name, written, take.record);
  // 2. The slot.
  const v = await ctx.lock.acquire({ node: name, ...(node.zone ? { zone: node.zone } : {}) }, (dead) =>
    inProgressFresh(ctx, handle, dead),
  );
  if (v.kind === 'unreadable') {
    await letGo(ctx, handle);
    return { kind: 'unreadable', reason: `lock unreadable, not rebooting: ${v.reason}` };
  }
  if (v.kind === 'full') {
    await letGo(ctx, handle);
    return { kind: 'busy', reason: v.reason };
  }
  const reason = take.adopted
    ? `${v.reason}; took over ${take.record.phase} from ${describeToken(take.adopted)}`
    : v.reason;
  emit({
    type: 'lock',
    at: clock.now(),
    node: name,
    action: 'acquired',
    holders: [describeHolder(v.holder)],
    message: reason,
  });
  emit({ type: 'step', at: clock.now(), node: name, step: 'lock', message: reason });
  return { kind: 'held', handle, ...(take.adopted ? { adopted: take.adopted } : {}), reason };
}

/** No slot after all: clear an intent of ours (nothing was done on the node); a taken-over record stays as it is. */
async function letGo(ctx: NodeCtx, handle: NodeHandle): Promise<void> {
  if (handle.record.phase !== NodePhase.Locked || handle.record.token.gen !== 0) return;
  try {
    await handle.write(() => ({ record: null }));
  } catch (err) {
    ctx.deps.emit({
      type: 'log',
      at: ctx.deps.clock.now(),
      level: 'warn',
      node: handle.name,
      message: `could not clear the intent on ${handle.name} (${errorMessage(err)}); the next run clears it`,
    });
  }
}

/** A dead hold's node after a fence: `fenced` when no intent of that hold's run is left on it. */
export interface Fence {
  readonly node?: NodeView;
  readonly fenced: boolean;
}

/**
 * Fences a dead hold's node: clears the intent (phase locked) that hold's run left on it, by compare-and-swap,
 * reading again after a conflict. Fenced when the node is gone, carries no intent of that run, or it was
 * cleared; not fenced when the writes kept conflicting: then the hold must stay.
 */
export async function fenceDeadHold(ctx: NodeCtx, h: LockHolder, known?: NodeView): Promise<Fence> {
  const { cluster } = ctx.deps;
  let node: NodeView | undefined = known;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (node === undefined) {
      try {
        node = await cluster.getNode(h.node);
      } catch (err) {
        const e = err as { code?: unknown; statusCode?: unknown };
        if (e.code === 404 || e.statusCode === 404) return { fenced: true };
        throw err;
      }
    }
    const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
    if (
      parsed.kind !== 'ok' ||
      parsed.record.phase !== NodePhase.Locked ||
      parsed.record.token.runId !== h.runId
    )
      return { node, fenced: true };
    try {
      const cleared = await cluster.patchNode(
        h.node,
        recordPatch({ record: null }, ctx.opts.annotateNodes, node.resourceVersion),
      );
      return { node: cleared, fenced: true };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      node = undefined; // read again and judge again
    }
  }
  return node === undefined ? { fenced: false } : { node, fenced: false };
}

/**
 * Nodes in progress as the Lease decision must count them: the in-progress list, read now, and the nodes of dead
 * holds, each fenced first. The node being claimed is checked too: if its record is no longer ours (another run
 * took it over meanwhile), the claim must not win a slot for it.
 */
async function inProgressFresh(
  ctx: NodeCtx,
  handle: NodeHandle,
  dead: readonly LockHolder[],
): Promise<InProgressRead> {
  const { cluster } = ctx.deps;
  const self = handle.name;
  const listed = await cluster.listNodes(IN_PROGRESS_LABEL);
  const byName = new Map(listed.map((n) => [n.name, n]));
  const fenced = new Set<string>();
  for (const h of dead) {
    const f = await fenceDeadHold(ctx, h, byName.get(h.node));
    if (f.fenced) fenced.add(h.node);
    if (f.node === undefined) byName.delete(h.node);
    else byName.set(h.node, f.node);
  }
  const mine = byName.get(self) ?? (dead.some((h) => h.node === self) ? undefined : handle.node);
  const now = mine ?? (await cluster.getNode(self));
  const parsed = parseNodeRecord(now.annotations[STATE_ANNOTATION]);
  const lost =
    parsed.kind !== 'ok' || !sameToken(parsed.record.token, handle.record.token)
      ? `${self}: its record changed hands while the slot was taken`
      : undefined;
  return {
    inProgress: inProgressOf([...byName.values()].filter((n) => n.name !== self)),
    fenced,
    ...(lost === undefined ? {} : { lost }),
  };
}
