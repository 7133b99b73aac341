// The scheduler: binds pending pods without a node to a Ready, schedulable node whose taints they
// tolerate and whose allocatable holds their requests, spreading by the fewest active pods (ties by name).
// A pod that fits nowhere stays Pending with PodScheduled=False/Unschedulable until a node becomes available.
// May import: src/sim/* (not the HTTP layer).
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { condition } from './objects.js';
import { shortfalls } from './kubelet-admission.js';
import { isActive, isTerminating, keyOf, nodeReadyStatus, unfitReason } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

function activeCount(ctx: SimContext, node: string): number {
  let n = 0;
  for (const p of ctx.pods.onNode(node)) if (isActive(p)) n++;
  return n;
}

/** Picks a node for the pod among `nodes` (Ready ones), or says why none fits. */
export function pickNode(
  ctx: SimContext,
  pod: KObject,
  nodes: readonly KObject[],
  load: Map<string, number>,
): { node?: string; why: string } {
  const reasons = new Map<string, number>();
  let best: string | undefined;
  let bestLoad = Infinity;
  for (const n of nodes) {
    const name = n.metadata.name;
    let why =
      nodeReadyStatus(n) !== 'True' || !ctx.nodeUp(name)
        ? 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'
        : unfitReason(pod, n);
    // NodeResourcesFit: the pods count, then cpu and memory against the requests of every pod bound there.
    const short = why ? [] : shortfalls(pod, n, ctx.pods.onNode(name).filter(isActive));
    if (short[0]) why = short[0].resource === 'pods' ? 'Too many pods' : `Insufficient ${short[0].resource}`;
    if (why) {
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
      continue;
    }
    const l = load.get(name) ?? activeCount(ctx, name);
    if (l < bestLoad || (l === bestLoad && best !== undefined && name < best)) {
      best = name;
      bestLoad = l;
    }
  }
  const detail = [...reasons]
    .map(([r, c]) => `${c} ${r}`)
    .sort()
    .join(', ');
  return best ? { node: best, why: '' } : { why: `0/${nodes.length} nodes are available: ${detail}.` };
}

export function installScheduler(ctx: SimContext): void {
  ctx.on('sched', () => {
    const pending = ctx.pods.unbound().filter((p) => isActive(p) && !isTerminating(p));
    if (pending.length === 0) return;
    const nodes = ctx.store.list('nodes').items;
    const load = new Map<string, number>();
    pending.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    for (const pod of pending) {
      const { node, why } = pickNode(ctx, pod, nodes, load);
      const cur = ctx.store.tryGet('pods', pod.metadata.namespace, pod.metadata.name);
      if (!cur || cur.spec?.nodeName) continue;
      if (node) {
        load.set(node, (load.get(node) ?? activeCount(ctx, node)) + 1);
        cur.spec.nodeName = node;
        delete cur.metadata.resourceVersion;
        const bound = ctx.noteWrite('pods', ctx.store.update('pods', cur));
        const st = {
          ...(bound.status ?? {}),
          conditions: [
            ...(bound.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
            condition('PodScheduled', 'True', ctx.now()),
          ],
        };
        ctx.noteWrite(
          'pods',
          ctx.store.update(
            'pods',
            { ...bound, status: st, metadata: { ...bound.metadata, resourceVersion: undefined } } as KObject,
            { subresource: 'status' },
          ),
        );
        continue;
      }
      const prev = (cur.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
      if (prev?.status === 'False' && prev.message === why) continue;
      const st = {
        ...(cur.status ?? {}),
        phase: 'Pending',
        conditions: [condition('PodScheduled', 'False', ctx.now(), 'Unschedulable', why)],
      };
      delete cur.metadata.resourceVersion;
      ctx.noteWrite('pods', ctx.store.update('pods', { ...cur, status: st }, { subresource: 'status' }));
    }
  });
}
