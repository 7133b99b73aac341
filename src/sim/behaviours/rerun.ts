// At-least-once helper pods (a scenario node's `rerunPodsAfterBoot`): when the node goes down, the
// kubelet cannot report the `restartPolicy: Never` pods running on it, so they stay Running in the API;
// after the boot it starts their containers again, and a script pod runs its script a second time (a
// reboot pod's boot-ID guard is what stops a second reboot).
// May import: src/sim/* (not the HTTP layer).
import { rfc3339 } from '../store.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { isDaemonSetPod, isMirrorPod, isTerminating, keyOf, phaseOf } from './pod-facts.js';
import { writePodStatus } from './pod-stages.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

const runOnce = (p: KObject): boolean =>
  p.spec?.restartPolicy === 'Never' &&
  phaseOf(p) === 'Running' &&
  !isTerminating(p) &&
  !isDaemonSetPod(p) &&
  !isMirrorPod(p);

/** At a reboot trigger: remembers the node's running run-once pods, when the node reruns them. */
export function rememberRerunPods(ctx: SimContext, node: string): void {
  const rt = ctx.nodes.get(node);
  if (!rt?.spec.rerunPodsAfterBoot) return;
  rt.rerun = new Map(
    ctx.pods
      .onNode(node)
      .filter(runOnce)
      .map((p) => [keyOf(p), p.metadata.uid ?? '']),
  );
}

/** True while the pod waits to be run again: the kubelet neither reports nor stops it. */
export function heldForRerun(ctx: SimContext, pod: KObject): boolean {
  const rt = ctx.nodes.get(pod.spec?.nodeName ?? '');
  return rt?.rerun?.get(keyOf(pod)) === pod.metadata.uid;
}

/** After the boot: starts the remembered pods' containers again (a new startedAt, not ready). */
export function rerunAfterBoot(ctx: SimContext, node: string): void {
  const rt = ctx.nodes.get(node);
  const keys = rt?.rerun;
  if (!rt || !keys) return;
  rt.rerun = undefined;
  const ts = rfc3339(ctx.now());
  for (const [key, uid] of keys) {
    const p = ctx.pods.get(key);
    if (!p || p.metadata.uid !== uid || !runOnce(p)) continue;
    const st = structuredClone(p.status ?? {});
    st.containerStatuses = (st.containerStatuses ?? []).map((c: any) => ({
      ...c,
      ready: false,
      started: true,
      state: { running: { startedAt: ts } },
    }));
    writePodStatus(ctx, p, st);
    ctx.record.append({ kind: 'podRerun', at: ctx.now(), node, pod: key });
    ctx.enqueue(`pod:${key}`);
  }
}
