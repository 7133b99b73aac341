// At-least-once helper pods: on a node with rerunPodsAfterBoot the kubelet runs a not-yet-deleted
// restartPolicy Never pod again after the boot, so only a boot-ID guard prevents a second reboot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import { parseScenario } from '../../src/sim/scenario.js';
import type { KObject } from '../../src/sim/types.js';

type Clock = ReturnType<typeof manualClock>;

function cluster(rerun: boolean): { c: SimCluster; clock: Clock } {
  const clock = manualClock(Date.parse('2025-03-01T00:00:00Z'));
  const scenario = parseScenario(`
namespaces: [reboot-daemon]
nodes:
  - name: a
    bootSeconds: 40
    rerunPodsAfterBoot: ${rerun}
timing: { jitter: 0 }
`);
  return { c: createSimCluster({ scenario, clock }), clock };
}

const GUARDED =
  'read -r cur < /proc/sys/kernel/random/boot_id; if [ "$cur" != "$EXPECTED_BOOT_ID" ]; then echo "boot id changed; not rebooting again" > /dev/termination-log; exit 0; fi; exec "$@"';
const UNGUARDED = 'exec "$@"';

function rebootPod(name: string, script: string, expectedBootId: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'reboot-daemon', labels: { 'reboot-daemon.io/role': 'reboot' } },
    spec: {
      nodeName: 'a',
      hostPID: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: 600,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'reboot',
          image: 'alpine:3.20',
          command: [
            '/bin/sh',
            '-c',
            script,
            'reboot',
            'nsenter',
            '-t',
            '1',
            '-m',
            '--',
            'systemctl',
            'reboot',
          ],
          env: [{ name: 'EXPECTED_BOOT_ID', value: expectedBootId }],
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

const phase = (c: SimCluster, name: string): string =>
  c.store.get('pods', 'reboot-daemon', name).status.phase;

describe('helper pods run again after a boot (rerunPodsAfterBoot)', () => {
  it('the reboot pod stays Running through the reboot, runs again, and the boot-ID guard stops a second reboot', () => {
    const { c, clock } = cluster(true);
    const before = c.host('a').bootId;
    c.addPod(rebootPod('reboot-1', GUARDED, before));
    clock.advance(2_000);
    assert.equal(c.record.of('rebootTriggered').length, 1);
    assert.equal(c.nodeState('a'), 'down');
    assert.equal(phase(c, 'reboot-1'), 'Running', 'the kubelet could not report the pod before going down');
    clock.advance(45_000);
    assert.notEqual(c.host('a').bootId, before);
    assert.deepEqual(
      c.record.of('podRerun').map((e) => [e.node, e.pod]),
      [['a', 'reboot-daemon/reboot-1']],
    );
    clock.advance(2_000);
    const pod = c.store.get('pods', 'reboot-daemon', 'reboot-1');
    assert.equal(pod.status.phase, 'Succeeded');
    assert.equal(
      pod.status.containerStatuses[0].state.terminated.message,
      'boot id changed; not rebooting again\n',
    );
    assert.equal(c.record.of('reboot').length, 1);
    assert.equal(c.record.of('rebootTriggered').length, 1);
    assert.deepEqual(
      c.record.of('rebootPodNoop').map((e) => e.pod),
      ['reboot-daemon/reboot-1'],
    );
    c.stop();
  });

  it('without a boot-ID guard the re-run reboots the node a second time', () => {
    const { c, clock } = cluster(true);
    c.addPod(rebootPod('reboot-1', UNGUARDED, c.host('a').bootId));
    clock.advance(2_000);
    clock.advance(45_000);
    clock.advance(2_000);
    assert.equal(c.record.of('podRerun').length, 1);
    assert.equal(c.record.of('rebootTriggered').length, 2);
    assert.equal(c.record.of('rebootPodNoop').length, 0);
    clock.advance(45_000);
    assert.equal(c.record.of('reboot').length, 2);
    c.stop();
  });

  it('a reboot pod deleted while the node is down is not run again', () => {
    const { c, clock } = cluster(true);
    c.addPod(rebootPod('reboot-1', UNGUARDED, c.host('a').bootId));
    clock.advance(2_000);
    c.store.delete('pods', 'reboot-daemon', 'reboot-1');
    clock.advance(50_000);
    assert.equal(c.record.of('podRerun').length, 0);
    assert.equal(c.record.of('rebootTriggered').length, 1);
    assert.equal(c.record.of('reboot').length, 1);
    c.stop();
  });

  it('by default the kubelet reports the reboot pod finished and never runs it again', () => {
    const { c, clock } = cluster(false);
    c.addPod(rebootPod('reboot-1', UNGUARDED, c.host('a').bootId));
    clock.advance(2_000);
    assert.equal(phase(c, 'reboot-1'), 'Succeeded');
    clock.advance(60_000);
    assert.equal(c.record.of('podRerun').length, 0);
    assert.equal(c.record.of('rebootTriggered').length, 1);
    c.stop();
  });

  it('a scenario with a non-boolean rerunPodsAfterBoot is rejected, naming the field', () => {
    assert.throws(
      () => parseScenario('nodes: [{ name: a, rerunPodsAfterBoot: often }]'),
      /nodes\[0\]\.rerunPodsAfterBoot/,
    );
  });
});
