// Taking a node's slot in the cluster-wide lock before touching it, waiting up to --lock-wait for a free
// slot. A resumed node keeps what was recorded before we first touched it (wasUnschedulable, boot ID).
// May import: core, ports, app.

import type { LockHolder } from '../core/lock.js';
import { describeHolder } from '../core/lock.js';
import type { NodeRecord } from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import type { NodeCtx } from './node-state.js';
import { nap } from './util.js';

export type Acquired =
  /** current: the node as read just before the lock was taken (for a node without a record). */
  | { readonly kind: 'held'; readonly fromHolder?: LockHolder; readonly current?: NodeView }
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

const LOCK_POLL_MS = 5_000;

export async function acquireForNode(
  ctx: NodeCtx,
  node: NodeView,
  recorded: NodeRecord | undefined,
): Promise<Acquired> {
  const { clock, emit } = ctx.deps;
  const deadline = clock.now() + ctx.opts.lockWaitMs;
  let announced = false;
  for (;;) {
    // Read the node afresh each time: what we record must be its state just before we take it.
    const current = recorded === undefined ? await ctx.deps.cluster.getNode(node.name) : undefined;
    const v = await ctx.lock.acquire({
      node: node.name,
      wasUnschedulable: recorded?.wasUnschedulable ?? current?.unschedulable ?? node.unschedulable,
      bootID: recorded?.bootID ?? current?.bootID ?? node.bootID,
      ...(node.zone === undefined ? {} : { zone: node.zone }),
      phase: recorded?.phase ?? 'locked',
    });
    if (v.kind === 'unreadable') {
      emit({
        type: 'blocked',
        at: clock.now(),
        node: node.name,
        reasons: [`lock unreadable, not rebooting: ${v.reason}`],
      });
      return { kind: 'unreadable', reason: `lock unreadable, not rebooting: ${v.reason}` };
    }
    if (v.kind === 'acquire' || v.kind === 'already-held') {
      emit({
        type: 'lock',
        at: clock.now(),
        node: node.name,
        action: 'acquired',
        holders: [describeHolder(v.kind === 'acquire' ? v.holder : { ...v.holder, runId: ctx.runId })],
        message: v.reason,
      });
      emit({ type: 'step', at: clock.now(), node: node.name, step: 'lock', message: v.reason });
      const fromHolder =
        v.kind === 'already-held' && v.takeover && recorded === undefined ? v.holder : undefined;
      return { kind: 'held', ...(fromHolder ? { fromHolder } : {}), ...(current ? { current } : {}) };
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0 || ctx.opts.signal?.aborted) {
      emit({
        type: 'lock',
        at: clock.now(),
        node: node.name,
        action: 'waiting',
        holders: v.holders.map(describeHolder),
        message: v.reason,
      });
      return { kind: 'pending', reason: `lock held: ${v.reason}` };
    }
    if (!announced) {
      announced = true;
      emit({
        type: 'lock',
        at: clock.now(),
        node: node.name,
        action: 'waiting',
        holders: v.holders.map(describeHolder),
        message: v.reason,
      });
      emit({
        type: 'step',
        at: clock.now(),
        node: node.name,
        step: 'wait',
        message: `waiting for the lock: ${v.reason}`,
      });
    }
    await nap(clock, Math.min(LOCK_POLL_MS, remaining), ctx.opts.signal);
  }
}
