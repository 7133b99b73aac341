// A reboot pod refused by a kubelet that is already shutting down (graceful node shutdown: reason
// NodeShutdown) means the node is going down: the trigger counts as accepted, not as a failed reboot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { guardFor, startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';

let fx: ClusterFixture;

before(async () => {
  // The shutdown takes 60 simulated seconds (3 real ones at x20): long enough to create a pod during it.
  fx = await startClusterFixture(3, (s) => ({
    ...s,
    timing: { ...s.timing, shutdownSeconds: 60, jitter: 0 },
  }));
});
after(() => fx.stop());

test('the kubelet refuses the reboot pod as the node shuts down: accepted, the node reboots once', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cluster.patchNode('worker-1', { unschedulable: true });
  const before = await cluster.getNode('worker-1');
  const triggers = () => fx.cluster.record.of('rebootTriggered').filter((e) => e.node === 'worker-1').length;
  fx.cluster.host('worker-1').onReboot('systemctl reboot (someone on the host)');
  assert.equal(triggers(), 1);
  const refused: string[] = [];
  const off = fx.sim.store.onChange((resource, _type, obj) => {
    if (resource === 'pods' && obj.status?.reason === 'NodeShutdown')
      refused.push(String(obj.status.message));
  });
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1' });
  await rebooter.reboot('worker-1', guardFor(fx, before.bootID, 120_000), AbortSignal.timeout(10_000));
  off();
  assert.deepEqual(refused, ['Pod was rejected as the node is shutting down.']);
  assert.equal(triggers(), 1, 'the refused pod triggered nothing');
  await rebooter.cleanup('worker-1');
});
