// Pod behaviour written as data, KWOK-style: each stage has a selector (`match`), a delay, and the next
// state (`apply`). The stage engine (./stage-engine.ts) arms a timer per matching stage and re-checks the
// selector when it fires. A kubelet only acts while its node is up.
// May import: src/sim/* (not the HTTP layer).
import { runPodScript, scriptArgv } from '../host/pod-exec.js';
import { rfc3339 } from '../store.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { runningStatus } from './status-builders.js';
import { admittedPods, admitPod } from './kubelet-admission.js';
import { isPodReady, isTerminating, keyOf, phaseOf } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

export interface PodStage {
  readonly name: string;
  match(pod: KObject, ctx: SimContext): boolean;
  /** Simulated ms from now until the stage fires. */
  delay(pod: KObject, ctx: SimContext): number;
  apply(pod: KObject, ctx: SimContext): void;
}

const onLiveNode = (p: KObject, ctx: SimContext): boolean =>
  !!p.spec?.nodeName && ctx.nodeUp(p.spec.nodeName);
const live = (p: KObject, ctx: SimContext): boolean => onLiveNode(p, ctx) && !isTerminating(p);
const ms = (rfc: string | undefined): number => (rfc ? Date.parse(rfc) : NaN);

export function writePodStatus(ctx: SimContext, pod: KObject, status: any): void {
  const next = { ...pod, status, metadata: { ...pod.metadata } };
  delete next.metadata.resourceVersion;
  ctx.noteWrite('pods', ctx.store.update('pods', next, { subresource: 'status' }));
}

export function terminatedStatus(
  pod: KObject,
  now: number,
  exitCode: number,
  reason: string,
  message: string,
  phase: string,
  podReason?: string,
  podMessage?: string,
): any {
  const st = runningStatus(pod, now, false);
  const ts = rfc3339(now);
  return {
    ...st,
    phase,
    ...(podReason ? { reason: podReason } : {}),
    ...(podMessage ? { message: podMessage } : {}),
    containerStatuses: st.containerStatuses.map((c: any) => ({
      ...c,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode,
          reason,
          ...(message ? { message } : {}),
          startedAt: c.state.running.startedAt,
          finishedAt: ts,
          containerID: c.containerID,
        },
      },
    })),
  };
}

/**
 * The kubelet's admission as the pod starts (kubelet-admission.ts): true when admitted, after preempting
 * the chosen pods (preemption.go: Failed, reason Preempting, with a DisruptionTarget condition); otherwise
 * the pod is rejected as kubelet.go rejectPod does: Failed, the reason, "Pod was rejected: " + message.
 */
function admitted(p: KObject, ctx: SimContext): boolean {
  const name = p.spec.nodeName as string;
  const node = ctx.store.tryGet('nodes', undefined, name);
  if (!node) return true;
  const verdict = admitPod(p, node, admittedPods(ctx.pods.onNode(name), p));
  const now = ctx.now();
  if (!verdict.ok) {
    writePodStatus(ctx, p, {
      phase: 'Failed',
      reason: verdict.reason,
      message: `Pod was rejected: ${verdict.message}`,
      startTime: rfc3339(now),
    });
    ctx.record.append({ kind: 'podKilled', at: now, node: name, pod: keyOf(p), reason: verdict.reason });
    return false;
  }
  for (const victim of verdict.preempt) {
    const st = terminatedStatus(victim, now, 137, 'Error', '', 'Failed', 'Preempting', PREEMPTED);
    st.conditions = [
      ...(st.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget'),
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'TerminationByKubelet',
        message: 'Pod was preempted by Kubelet to accommodate a critical pod.',
        lastProbeTime: null,
        lastTransitionTime: rfc3339(now),
      },
    ];
    writePodStatus(ctx, victim, st);
    ctx.record.append({ kind: 'podKilled', at: now, node: name, pod: keyOf(victim), reason: 'Preempting' });
    ctx.enqueue(`pod:${keyOf(victim)}`);
  }
  return true;
}

const PREEMPTED = 'Preempted in order to admit critical pod';

/** The kubelet's view of pods, in order; several may be armed for one pod (e.g. run and deadline). */
export const POD_STAGES: readonly PodStage[] = [
  {
    // Graceful node shutdown: while the node shuts down the kubelet refuses new pods at admission
    // (pkg/kubelet/nodeshutdown: reason NodeShutdown, "Pod was rejected as the node is shutting down.").
    name: 'shutdown-reject',
    match: (p, ctx) =>
      phaseOf(p) === 'Pending' &&
      !isTerminating(p) &&
      !!p.spec?.nodeName &&
      ctx.nodeShuttingDown(p.spec.nodeName),
    delay: () => 0,
    apply: (p, ctx) =>
      writePodStatus(ctx, p, {
        phase: 'Failed',
        reason: 'NodeShutdown',
        message: 'Pod was rejected as the node is shutting down.',
        startTime: rfc3339(ctx.now()),
      }),
  },
  {
    name: 'start',
    match: (p, ctx) => live(p, ctx) && phaseOf(p) === 'Pending',
    delay: (_p, ctx) => ctx.delay(ctx.timing.podStartSeconds),
    apply: (p, ctx) => {
      if (admitted(p, ctx)) writePodStatus(ctx, p, runningStatus(p, ctx.now(), false));
    },
  },
  {
    name: 'ready',
    match: (p, ctx) => live(p, ctx) && phaseOf(p) === 'Running' && !isPodReady(p) && !scriptArgv(p),
    delay: (_p, ctx) => ctx.delay(ctx.timing.podReadySeconds),
    apply: (p, ctx) => writePodStatus(ctx, p, runningStatus(p, ctx.now(), true)),
  },
  {
    name: 'run-script',
    match: (p, ctx) => live(p, ctx) && phaseOf(p) === 'Running' && !!scriptArgv(p),
    delay: (_p, ctx) => ctx.delay(ctx.timing.scriptRunSeconds),
    apply: (p, ctx) => {
      const node = p.spec.nodeName as string;
      const host = ctx.hosts.get(node);
      if (!host) return;
      const rt = ctx.nodes.get(node);
      const triggersBefore = rt?.reboots ?? 0;
      const r = runPodScript(p, host);
      ctx.logs.set(keyOf(p), r.log);
      // The node went down under the script before the kubelet could report: the pod stays Running
      // and runs again after the boot (rerunPodsAfterBoot).
      if (rt && rt.state !== 'up' && rt.rerun?.get(keyOf(p)) === p.metadata.uid) return;
      const ok = r.exitCode === 0;
      writePodStatus(
        ctx,
        p,
        terminatedStatus(
          p,
          ctx.now(),
          r.exitCode,
          ok ? 'Completed' : 'Error',
          r.message,
          ok ? 'Succeeded' : 'Failed',
        ),
      );
      if (
        p.metadata.labels?.['reboot-daemon.io/role'] === 'reboot' &&
        (rt?.reboots ?? 0) === triggersBefore
      ) {
        ctx.record.append({ kind: 'rebootPodNoop', at: ctx.now(), node, pod: keyOf(p), message: r.message });
      }
    },
  },
  {
    name: 'deadline',
    match: (p, ctx) =>
      live(p, ctx) &&
      typeof p.spec?.activeDeadlineSeconds === 'number' &&
      !!p.status?.startTime &&
      (phaseOf(p) === 'Running' || phaseOf(p) === 'Pending'),
    delay: (p, ctx) => Math.max(0, ms(p.status?.startTime) + p.spec.activeDeadlineSeconds * 1000 - ctx.now()),
    apply: (p, ctx) =>
      writePodStatus(
        ctx,
        p,
        terminatedStatus(
          p,
          ctx.now(),
          137,
          'Error',
          '',
          'Failed',
          'DeadlineExceeded',
          'Pod was active on the node longer than the specified deadline',
        ),
      ),
  },
  {
    name: 'terminate',
    match: (p, ctx) => isTerminating(p) && (!p.spec?.nodeName || onLiveNode(p, ctx)),
    delay: (p, ctx) => Math.max(0, ms(p.metadata.deletionTimestamp) - ctx.now()),
    apply: (p, ctx) => {
      ctx.store.remove('pods', p.metadata.namespace, p.metadata.name);
      ctx.noteWrite(
        'pods',
        { ...p, metadata: { ...p.metadata, resourceVersion: String(ctx.store.currentResourceVersion()) } },
        true,
      );
    },
  },
];
