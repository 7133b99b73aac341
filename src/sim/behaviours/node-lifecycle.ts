// A node's life: kubelet heartbeats, and reboots. On a trigger the node's pods stop (workload and bare
// pods are marked Failed as graceful node shutdown does, so controllers replace them elsewhere; DaemonSet
// and mirror pods just lose readiness and restart in place after the boot), the node goes NotReady
// (Unknown) unless it is "fast", and after its boot time it is Ready again with a new boot ID, its reboot
// sentinel cleared and a `Rebooted` event. `neverReturns` nodes stay down; `flap` nodes swing a few times.
// With `rerunPodsAfterBoot`, run-once pods running at the trigger are run again after the boot (./rerun.ts).
// May import: src/sim/* (not the HTTP layer).
import { randomUuid } from '../random.js';
import { rfc3339 } from '../store.js';
import type { SimContext } from './context.js';
import { containerIdOf, eventObject } from './status-builders.js';
import { isDaemonSetPod, isMirrorPod, isTerminal, keyOf, phaseOf } from './pod-facts.js';
import { setBootId, heartbeat, setReadyCondition } from './node-status.js';
import { writePodStatus } from './pod-stages.js';
import { watchBudgets } from './pdb-controller.js';
import { heldForRerun, rememberRerunPods, rerunAfterBoot } from './rerun.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

/** Heartbeat slots: the cluster's one ticker fires this many times per heartbeat interval. */
const SLOTS = 10;

/**
 * Heartbeats are batched: one ticker for the whole cluster fires every heartbeatSeconds / SLOTS and beats
 * the nodes of one slot, so each node still beats every heartbeatSeconds, spread over the interval, with
 * no timer per node. Heartbeat writes stay out of the store's replay history (ctx.quietly).
 */
export function startHeartbeats(ctx: SimContext, name: string): void {
  const rt = ctx.nodes.get(name);
  if (!rt) return;
  rt.cancelHeartbeat?.();
  ctx.beating.set(name, ctx.nextSlot++ % SLOTS);
  rt.cancelHeartbeat = () => {
    ctx.beating.delete(name);
  };
  armTicker(ctx);
}

function armTicker(ctx: SimContext): void {
  if (ctx.heartbeatTicker || ctx.beating.size === 0) return;
  ctx.heartbeatTicker = ctx.after(ctx.delay(ctx.timing.heartbeatSeconds / SLOTS), () => {
    ctx.heartbeatTicker = undefined;
    const slot = ++ctx.heartbeatTick % SLOTS;
    ctx.quietly(() => {
      for (const [node, s] of ctx.beating) {
        if (s !== slot) continue;
        if (ctx.nodes.get(node)?.state === 'up') heartbeat(ctx, node);
        else ctx.beating.delete(node);
      }
    });
    armTicker(ctx);
  });
}

function markDown(ctx: SimContext, name: string, status: 'False' | 'Unknown', message?: string): void {
  setReadyCondition(ctx, name, status, message);
  ctx.record.append({ kind: 'nodeDown', at: ctx.now(), node: name, status });
}

/** Stops the node's pods as the kubelet's graceful shutdown does. */
function stopPods(ctx: SimContext, name: string): void {
  const pods = ctx.pods
    .onNode(name)
    .filter((p) => !isTerminal(p) && phaseOf(p) !== 'Pending' && !heldForRerun(ctx, p));
  const check = watchBudgets(
    ctx,
    pods.map((p) => p.metadata.namespace ?? ''),
  );
  for (const p of pods) {
    if (isDaemonSetPod(p) || isMirrorPod(p)) {
      const st = structuredClone(p.status ?? {});
      st.conditions = (st.conditions ?? []).map((c: any) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? { ...c, status: 'False', lastTransitionTime: rfc3339(ctx.now()) }
          : c,
      );
      st.containerStatuses = (st.containerStatuses ?? []).map((c: any) => ({ ...c, ready: false }));
      writePodStatus(ctx, p, st);
      continue;
    }
    const ts = rfc3339(ctx.now());
    const st = structuredClone(p.status ?? {});
    st.phase = 'Failed';
    st.reason = 'Terminated';
    st.message = 'Pod was terminated in response to imminent node shutdown.';
    st.conditions = (st.conditions ?? []).map((c: any) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? { ...c, status: 'False', lastTransitionTime: ts }
        : c,
    );
    st.containerStatuses = (st.containerStatuses ?? []).map((c: any) => ({
      ...c,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 137,
          reason: 'Error',
          startedAt: c.state?.running?.startedAt ?? ts,
          finishedAt: ts,
        },
      },
    }));
    writePodStatus(ctx, p, st);
    ctx.record.append({
      kind: 'podKilled',
      at: ctx.now(),
      node: name,
      pod: keyOf(p),
      reason: 'node shutdown',
    });
  }
  check('reboot', `pods stopped by the reboot of ${name}`);
}

/** A reboot request from the host (systemctl reboot, SIGRTMIN+5, ...) or a test. */
export function triggerReboot(ctx: SimContext, name: string, via: string): void {
  const rt = ctx.nodes.get(name);
  const host = ctx.hosts.get(name);
  if (!rt || !host) return;
  rt.reboots++;
  if (rt.state !== 'up') {
    const reason = rt.state === 'gone' ? 'node never came back' : 'already rebooting';
    ctx.record.append({ kind: 'rebootIgnored', at: ctx.now(), node: name, via, reason });
    return;
  }
  const oldBootID = host.bootId;
  const triggeredAt = ctx.now();
  rt.state = 'down';
  rt.triggeredAt = triggeredAt;
  rt.cancelHeartbeat?.();
  rt.cancelHeartbeat = undefined;
  ctx.record.append({ kind: 'rebootTriggered', at: triggeredAt, node: name, via, oldBootID });
  rememberRerunPods(ctx, name);
  const t = ctx.timing;
  const shutdown = ctx.delay(t.shutdownSeconds);
  rt.shutdownUntil = triggeredAt + shutdown;
  rt.cancelBoot.push(ctx.after(shutdown, () => stopPods(ctx, name)));
  if (!rt.spec.fast)
    rt.cancelBoot.push(
      ctx.after(shutdown + ctx.delay(t.notReadyAfterSeconds), () => markDown(ctx, name, 'Unknown')),
    );
  if (rt.spec.neverReturns) {
    rt.state = 'gone';
    return;
  }
  const bootMs = Math.max(ctx.delay(rt.spec.bootSeconds), shutdown + 1);
  rt.cancelBoot.push(ctx.after(bootMs, () => boot(ctx, name, oldBootID, triggeredAt)));
}

function boot(ctx: SimContext, name: string, oldBootID: string, triggeredAt: number): void {
  const rt = ctx.nodes.get(name);
  const host = ctx.hosts.get(name);
  const node = ctx.store.tryGet('nodes', undefined, name);
  if (!rt || !host || !node) return;
  rt.cancelBoot = [];
  const newBootID = randomUuid(ctx.random);
  host.bootId = newBootID;
  host.clearRebootRequired();
  rt.state = 'up';
  setBootId(ctx, name, newBootID);
  const wasDown = node.status?.conditions?.find((c: any) => c.type === 'Ready')?.status !== 'True';
  setReadyCondition(ctx, name, 'True');
  if (wasDown) ctx.record.append({ kind: 'nodeUp', at: ctx.now(), node: name });
  ctx.record.append({ kind: 'reboot', at: ctx.now(), node: name, oldBootID, newBootID, triggeredAt });
  const ev = eventObject(
    node,
    'Rebooted',
    `Node ${name} has been rebooted, boot id: ${newBootID}`,
    ctx.now(),
    `${ctx.now().toString(16)}${rt.reboots}`,
    'Warning',
  );
  ev.metadata.namespace = 'default';
  ctx.store.create('events', ev);
  restartInPlace(ctx, name);
  rerunAfterBoot(ctx, name);
  startHeartbeats(ctx, name);
  for (let i = 1; i <= rt.spec.flap * 2; i++) {
    const down = i % 2 === 1;
    rt.cancelBoot.push(
      ctx.after(i * ctx.delay(ctx.timing.flapSeconds), () => {
        if (rt.state !== 'up') return;
        if (down) markDown(ctx, name, 'False', 'PLEG is not healthy: pleg was last seen active 3m0s ago');
        else {
          setReadyCondition(ctx, name, 'True');
          ctx.record.append({ kind: 'nodeUp', at: ctx.now(), node: name });
        }
      }),
    );
  }
  for (const p of ctx.pods.onNode(name)) ctx.enqueue(`pod:${keyOf(p)}`);
}

/**
 * After the boot the kubelet syncs the pods the API server binds to its node (kubelet syncLoop over the
 * pod config from the API): a DaemonSet or static pod that was running gets a new sandbox and new
 * containers, since the runtime's old ones died with the machine. Each container's restartCount goes up
 * by one and its lastState is the lost container, `terminated` with exit code 255 and reason Unknown, as
 * containerd reports a container that did not survive a reboot (kubelet kuberuntime computePodActions:
 * sandbox changed, so every container is started again). The pod stays not Ready until its readiness
 * delay passes (the ready stage), then Ready again. Finished pods (Succeeded or Failed) stay finished:
 * the kubelet never starts a terminal pod again.
 */
function restartInPlace(ctx: SimContext, name: string): void {
  const ts = rfc3339(ctx.now());
  for (const p of ctx.pods.onNode(name)) {
    if (!(isDaemonSetPod(p) || isMirrorPod(p)) || isTerminal(p) || phaseOf(p) !== 'Running') continue;
    const st = structuredClone(p.status);
    st.conditions = (st.conditions ?? []).map((c: any) =>
      (c.type === 'Ready' || c.type === 'ContainersReady') && c.status !== 'False'
        ? { ...c, status: 'False', lastTransitionTime: ts }
        : c,
    );
    st.containerStatuses = (st.containerStatuses ?? []).map((c: any, i: number) => {
      const restarts = (c.restartCount ?? 0) + 1;
      return {
        ...c,
        ready: false,
        restartCount: restarts,
        containerID: containerIdOf(p, i, restarts),
        lastState: {
          terminated: {
            exitCode: 255,
            reason: 'Unknown',
            startedAt: c.state?.running?.startedAt ?? ts,
            finishedAt: ts,
            containerID: c.containerID,
          },
        },
        state: { running: { startedAt: ts } },
      };
    });
    writePodStatus(ctx, p, st);
    ctx.record.append({ kind: 'podRestarted', at: ctx.now(), node: name, pod: keyOf(p) });
  }
}

/** For tests: the kubelet reports (not) Ready, without a reboot. NotReady also stops the kubelet's work. */
export function setNodeReady(ctx: SimContext, name: string, ready: boolean): void {
  const rt = ctx.nodes.get(name);
  if (!rt) return;
  if (ready) {
    rt.state = 'up';
    setReadyCondition(ctx, name, 'True');
    ctx.record.append({ kind: 'nodeUp', at: ctx.now(), node: name });
    startHeartbeats(ctx, name);
    for (const p of ctx.pods.onNode(name)) ctx.enqueue(`pod:${keyOf(p)}`);
  } else {
    rt.state = 'down';
    rt.cancelHeartbeat?.();
    markDown(ctx, name, 'False');
  }
}
