// Writes to a node's status as a kubelet and the node controller would: Ready condition changes (with the
// matching not-ready/unreachable NoSchedule taints), heartbeats, and boot ID changes.
// May import: src/sim/* (not the HTTP layer).
import { rfc3339 } from '../store.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from './objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

export type ReadyState = 'True' | 'False' | 'Unknown';

const READY_TEXT: Record<ReadyState, [string, string]> = {
  True: ['KubeletReady', 'kubelet is posting ready status'],
  False: ['KubeletNotReady', 'container runtime status check may not have completed yet'],
  Unknown: ['NodeStatusUnknown', 'Kubelet stopped posting node status.'],
};

function mutate(
  ctx: SimContext,
  name: string,
  fn: (n: KObject) => void,
  subresource?: 'status',
): KObject | undefined {
  const cur = ctx.store.tryGet('nodes', undefined, name);
  if (!cur) return undefined;
  fn(cur);
  delete cur.metadata.resourceVersion;
  return ctx.store.update('nodes', cur, subresource ? { subresource } : undefined);
}

/** Sets Ready (and, for Unknown, every condition) and keeps the not-ready/unreachable taints in step. */
export function setReadyCondition(ctx: SimContext, name: string, state: ReadyState, message?: string): void {
  const now = rfc3339(ctx.now());
  mutate(
    ctx,
    name,
    (n) => {
      n.status.conditions = (n.status.conditions ?? []).map((c: any) => {
        if (c.type === 'Ready') {
          const [reason, text] = READY_TEXT[state];
          const changed = c.status !== state;
          return {
            ...c,
            status: state,
            reason,
            message: message ?? text,
            lastHeartbeatTime: state === 'Unknown' ? c.lastHeartbeatTime : now,
            lastTransitionTime: changed ? now : c.lastTransitionTime,
          };
        }
        if (state === 'Unknown')
          return {
            ...c,
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
            lastTransitionTime: c.status === 'Unknown' ? c.lastTransitionTime : now,
          };
        if (c.status === 'Unknown')
          return {
            ...c,
            status: 'False',
            reason: c.reason === 'NodeStatusUnknown' ? `KubeletHasNo${c.type}` : c.reason,
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          };
        return c;
      });
    },
    'status',
  );
  const wanted = state === 'True' ? undefined : state === 'Unknown' ? UNREACHABLE_TAINT : NOT_READY_TAINT;
  mutate(ctx, name, (n) => {
    const others = (n.spec.taints ?? []).filter(
      (t: any) => !((t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT) && t.effect === 'NoSchedule'),
    );
    const taints = wanted ? [...others, { key: wanted, effect: 'NoSchedule', timeAdded: now }] : others;
    if (taints.length > 0) n.spec.taints = taints;
    else delete n.spec.taints;
  });
}

export function heartbeat(ctx: SimContext, name: string): void {
  const now = rfc3339(ctx.now());
  mutate(
    ctx,
    name,
    (n) => {
      n.status.conditions = (n.status.conditions ?? []).map((c: any) => ({ ...c, lastHeartbeatTime: now }));
    },
    'status',
  );
}

export function setBootId(ctx: SimContext, name: string, bootId: string): void {
  mutate(
    ctx,
    name,
    (n) => {
      n.status.nodeInfo = { ...n.status.nodeInfo, bootID: bootId };
    },
    'status',
  );
}
