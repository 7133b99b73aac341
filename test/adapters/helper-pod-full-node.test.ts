// A full node is still checked and rebooted. The simulated kubelet admits pods as a real one does: a pod
// whose requests exceed what is left is rejected (OutOfcpu, OutOfmemory) and any pod beyond the pod limit
// too (OutOfpods, BestEffort included); a critical pod preempts a lower one instead. The helper pods are
// BestEffort and system-node-critical, so they run where a pod with requests, or without priority, cannot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { HelperPodSentinelChecker } from '../../src/adapters/k8s/helper-pods.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { defaultNode } from '../../src/sim/scenario-types.js';
import { guardFor, startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { until } from './sim-fixture.js';

let fx: ClusterFixture;

// worker-1 holds 2 pods, 500m and 512Mi: the DaemonSet pod "hog" takes every cpu and byte of it.
before(async () => {
  fx = await startClusterFixture(2, (s) => ({
    ...s,
    nodes: [
      defaultNode('worker-1', {
        rebootRequired: true,
        allocatable: { cpu: '500m', memory: '512Mi', pods: 2 },
        bootSeconds: 5,
      }),
      defaultNode('worker-2'),
    ],
    workloads: {
      deployments: [],
      barePods: [],
      orphanedPods: [],
      staticPods: [],
      daemonSets: [{ name: 'hog', namespace: 'default', requests: { cpu: '500m', memory: '512Mi' } }],
    },
  }));
});
after(() => fx.stop());

function userPod(name: string, resources: object, priorityClassName?: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: 'worker-1',
      ...(priorityClassName ? { priorityClassName } : {}),
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources }],
    },
  };
}

async function settled(name: string): Promise<V1Pod> {
  let pod: V1Pod | undefined;
  await until(
    () => {
      const p = fx.sim.store.tryGet('pods', 'default', name) as V1Pod | undefined;
      if (p?.status?.phase === 'Running' || p?.status?.phase === 'Failed') pod = p;
      return pod !== undefined;
    },
    10_000,
    `pod ${name} admitted or rejected`,
  );
  return pod as V1Pod;
}

test('the kubelet rejects what does not fit, in its own words, and admits a critical pod by preemption', async () => {
  await fx.clients.core.createNamespacedPod({
    namespace: 'default',
    body: userPod('wants-cpu', { requests: { cpu: '100m' } }),
  });
  const cpu = await settled('wants-cpu');
  assert.equal(cpu.status?.reason, 'OutOfcpu');
  assert.equal(
    cpu.status?.message,
    "Pod was rejected: Node didn't have enough resource: cpu, requested: 100, used: 500, capacity: 500",
  );
  await fx.clients.core.createNamespacedPod({
    namespace: 'default',
    body: userPod('wants-memory', { requests: { memory: '1Mi' } }),
  });
  const memory = await settled('wants-memory');
  assert.equal(memory.status?.reason, 'OutOfmemory');
  assert.match(
    memory.status?.message ?? '',
    /memory, requested: 1048576, used: 536870912, capacity: 536870912$/,
  );
  // BestEffort fits cpu and memory, and takes the last pod slot.
  await fx.clients.core.createNamespacedPod({ namespace: 'default', body: userPod('best-effort', {}) });
  assert.equal((await settled('best-effort')).status?.phase, 'Running');
  await fx.clients.core.createNamespacedPod({ namespace: 'default', body: userPod('one-too-many', {}) });
  const pods = await settled('one-too-many');
  assert.equal(pods.status?.reason, 'OutOfpods');
  assert.match(pods.status?.message ?? '', /pods, requested: 1, used: 2, capacity: 2$/);
  // A critical pod is admitted: the kubelet preempts the BestEffort pod (the cheapest that frees a slot).
  await fx.clients.core.createNamespacedPod({
    namespace: 'default',
    body: userPod('critical', {}, 'system-node-critical'),
  });
  assert.equal((await settled('critical')).status?.phase, 'Running');
  const victim = fx.sim.store.tryGet('pods', 'default', 'best-effort');
  assert.equal(victim?.status?.phase, 'Failed');
  assert.equal(victim?.status?.reason, 'Preempting');
  assert.equal(victim?.status?.message, 'Preempted in order to admit critical pod');
  for (const name of ['wants-cpu', 'wants-memory', 'best-effort', 'one-too-many', 'critical'])
    await fx.clients.core.deleteNamespacedPod({ name, namespace: 'default', gracePeriodSeconds: 0 });
});

test('an unknown priority class is refused at creation, as the Priority admission plugin does', async () => {
  await assert.rejects(
    fx.clients.core.createNamespacedPod({ namespace: 'default', body: userPod('odd', {}, 'no-such-class') }),
    (err: { code?: number; body?: string }) =>
      err.code === 403 && /no PriorityClass with name no-such-class was found/.test(String(err.body)),
  );
});

test('on a node with no cpu, memory or pod room left, the check pod runs and the reboot pod reboots it', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  // Full: the hog and one more pod, every pod slot taken and every cpu and byte requested.
  await fx.clients.core.createNamespacedPod({ namespace: 'default', body: userPod('filler', {}) });
  assert.equal((await settled('filler')).status?.phase, 'Running');
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'full',
    sentinel: { kind: 'file', path: '/var/run/reboot-required' },
  });
  const result = await checker.check('worker-1', AbortSignal.timeout(15_000));
  assert.equal(result.kind, 'required', JSON.stringify(result));
  await cluster.patchNode('worker-1', { unschedulable: true });
  const before = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'full' });
  await rebooter.reboot('worker-1', guardFor(fx, before.bootID, 120_000), AbortSignal.timeout(15_000));
  await until(
    () => fx.cluster.record.of('rebootTriggered').some((e) => e.node === 'worker-1'),
    10_000,
    'the reboot triggered',
  );
  await rebooter.cleanup('worker-1');
  const preempted = fx.cluster.record.of('podKilled').filter((e) => e.reason === 'Preempting');
  assert.ok(preempted.length >= 1, 'the kubelet made room by preemption');
});
