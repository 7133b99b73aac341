// The reboot trigger's last-moment guards against the simulated cluster, through the real client-node: a
// pod that starts past its deadline does nothing (exit 12, by the host's clock), a node uncordoned before the
// container starts makes the Rebooter withdraw its pod, and a node that stays cordoned reboots.
// Pods here take 40 simulated seconds to start, as with a slow image pull.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { RebootCancelledError } from '../../src/core/errors.js';
import { guardFor, helperPodCount, startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { until } from './sim-fixture.js';

let fx: ClusterFixture;

before(async () => {
  fx = await startClusterFixture(4, (s) => ({
    ...s,
    timing: { ...s.timing, podStartSeconds: 40, jitter: 0 },
  }));
});
after(() => fx.stop());

const ourPods = (node: string): number => helperPodCount(fx, node);

/** Triggers a reboot of the node with a deadline `ms` from now. */
const reboot = (rebooter: HelperPodRebooter, node: string, bootID: string, ms: number): Promise<void> =>
  rebooter.reboot(node, guardFor(fx, bootID, ms), AbortSignal.timeout(20_000));

async function cancelled(p: Promise<void>): Promise<RebootCancelledError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof RebootCancelledError, `expected a withdrawal, got ${String(err)}`);
  return err;
}

test('a reboot pod that starts past its deadline does nothing and says so (exit 12)', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cluster.patchNode('worker-1', { unschedulable: true });
  const before = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1' });
  // The deadline is 20 simulated seconds away; the container starts after 40.
  const err = await cancelled(reboot(rebooter, 'worker-1', before.bootID, 20_000));
  assert.equal(err.reason, 'too-late');
  assert.match(err.message, /too late: the clock reads '\d+', past the deadline \d+/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await cluster.getNode('worker-1')).bootID, before.bootID);
  assert.ok(!fx.cluster.host('worker-1').programLog.some((p) => p.includes('reboot')));
  assert.equal(ourPods('worker-1'), 0, 'the withdrawn pod is deleted');
});

test('a node uncordoned before the reboot container starts: the pod is withdrawn, nothing reboots', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cluster.patchNode('worker-2', { unschedulable: true });
  const before = await cluster.getNode('worker-2');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1' });
  const going = cancelled(reboot(rebooter, 'worker-2', before.bootID, 120_000));
  await until(() => ourPods('worker-2') === 1, 5_000, 'the reboot pod');
  await cluster.patchNode('worker-2', { unschedulable: false }); // an admin's uncordon
  const err = await going;
  assert.equal(err.reason, 'schedulable');
  assert.equal(ourPods('worker-2'), 0, 'the withdrawn pod is deleted');
  // Well past the time its container would have started: no reboot ran.
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal((await cluster.getNode('worker-2')).bootID, before.bootID);
  assert.ok(!fx.cluster.host('worker-2').programLog.some((p) => p.includes('reboot')));
});

test('a node schedulable when the trigger comes is not rebooted at all', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  const before = await cluster.getNode('worker-3');
  assert.equal(before.unschedulable, false);
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1' });
  const err = await cancelled(reboot(rebooter, 'worker-3', before.bootID, 120_000));
  assert.equal(err.reason, 'schedulable');
  assert.equal(ourPods('worker-3'), 0);
});

test('a node that stays cordoned reboots, however slow the pod start, within the deadline', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cluster.patchNode('worker-3', { unschedulable: true });
  const before = await cluster.getNode('worker-3');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', startGraceMs: 60_000 });
  await reboot(rebooter, 'worker-3', before.bootID, 120_000);
  await until(
    () => fx.cluster.host('worker-3').programLog.some((p) => p.includes('systemctl reboot')),
    10_000,
    'the reboot command',
  );
  await rebooter.cleanup('worker-3');
});
