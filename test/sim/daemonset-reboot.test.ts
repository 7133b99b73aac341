// After a reboot the simulated kubelet restarts the DaemonSet pods bound to its node, as a real kubelet
// does: the same pod, new containers (restartCount + 1, a new container id, lastState the container lost
// with the machine), not Ready and then Ready again, and the DaemonSet's numberReady dips and recovers.
// Pods that had finished before the reboot stay finished.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import { scenarioFromObject } from '../../src/sim/scenario.js';
import type { KObject } from '../../src/sim/types.js';

const SCENARIO = {
  nodes: [{ name: 'a' }, { name: 'b' }],
  workloads: { daemonSets: [{ name: 'agent', namespace: 'kube-system' }] },
  timing: { podStartSeconds: 1, podReadySeconds: 2, jitter: 0 },
};

function setUp(): { c: ReturnType<typeof createSimCluster>; clock: ReturnType<typeof manualClock> } {
  const clock = manualClock(Date.parse('2025-03-01T00:00:00Z'));
  const c = createSimCluster({ scenario: scenarioFromObject(SCENARIO), clock });
  clock.advance(10_000);
  return { c, clock };
}

const agentOn = (c: ReturnType<typeof createSimCluster>, node: string): KObject => {
  const pod = c.store
    .list('pods', { namespace: 'kube-system', labelSelector: 'app=agent' })
    .items.find((p) => p.spec.nodeName === node);
  assert.ok(pod, `no agent pod on ${node}`);
  return pod;
};
const readyOf = (p: KObject): string | undefined =>
  (p.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Ready')?.status;

describe('DaemonSet pods after a reboot', () => {
  it('the same pod restarts its containers: restartCount + 1, a new container, not Ready, then Ready', () => {
    const { c, clock } = setUp();
    const before = agentOn(c, 'a');
    assert.equal(readyOf(before), 'True');
    const oldContainer = before.status.containerStatuses[0];
    c.rebootNow('a');
    clock.advance(1_000);
    const down = agentOn(c, 'a');
    assert.equal(down.metadata.uid, before.metadata.uid);
    assert.equal(readyOf(down), 'False');
    assert.equal(down.status.phase, 'Running');
    assert.equal(c.store.get('daemonsets', 'kube-system', 'agent').status.numberReady, 1);

    clock.advance(60_000 + 500);
    const restarted = agentOn(c, 'a');
    const cs = restarted.status.containerStatuses[0];
    assert.equal(
      restarted.metadata.uid,
      before.metadata.uid,
      'the kubelet restarts the pod it has, not a new one',
    );
    assert.equal(cs.restartCount, oldContainer.restartCount + 1);
    assert.notEqual(cs.containerID, oldContainer.containerID);
    assert.deepEqual(
      [cs.lastState.terminated.reason, cs.lastState.terminated.exitCode, cs.lastState.terminated.containerID],
      ['Unknown', 255, oldContainer.containerID],
    );
    assert.ok(Date.parse(cs.state.running.startedAt) > Date.parse(oldContainer.state.running.startedAt));
    assert.equal(c.record.of('podRestarted').length, 1);

    clock.advance(5_000);
    const back = agentOn(c, 'a');
    assert.equal(readyOf(back), 'True');
    const after = back.status.containerStatuses[0];
    assert.equal(after.ready, true);
    assert.equal(after.restartCount, oldContainer.restartCount + 1);
    assert.equal(after.lastState.terminated.reason, 'Unknown', 'the last termination is kept once Ready');
    assert.equal(c.store.get('daemonsets', 'kube-system', 'agent').status.numberReady, 2);
    assert.equal(agentOn(c, 'b').status.containerStatuses[0].restartCount, 0, 'other nodes are untouched');
  });

  it('a pod that finished before the reboot stays finished and is not restarted', () => {
    const { c, clock } = setUp();
    const pod = agentOn(c, 'a');
    const failed = {
      ...pod,
      status: { ...pod.status, phase: 'Failed', reason: 'Evicted' },
      metadata: { ...pod.metadata, resourceVersion: undefined },
    } as KObject;
    c.store.update('pods', failed, { subresource: 'status' });
    c.rebootNow('a');
    clock.advance(70_000);
    const after = c.store.tryGet('pods', 'kube-system', pod.metadata.name);
    if (after !== undefined) {
      assert.equal(after.status.phase, 'Failed');
      assert.equal(
        after.status.containerStatuses[0].restartCount,
        pod.status.containerStatuses[0].restartCount,
      );
    }
    assert.equal(c.record.of('podRestarted').length, 0);
  });
});
