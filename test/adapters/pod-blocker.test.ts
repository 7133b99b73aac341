// The blocking-pod Blocker: unfinished pods on the node matching any selector block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { BlockingPodsBlocker } from '../../src/adapters/k8s/pod-blocker.js';
import { startFixture, nodeObj, podObj } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
  fx.sim.store.create('nodes', nodeObj('n1'));
  fx.sim.store.create('nodes', nodeObj('n2'));
  fx.sim.store.create('pods', podObj('db', 'backup-1', 'n1', { app: 'backup' }));
  const done = podObj('db', 'backup-0', 'n2', { app: 'backup' });
  done.status = { phase: 'Succeeded' };
  fx.sim.store.create('pods', done);
  fx.sim.store.create('pods', podObj('ci', 'build', 'n2', { job: 'build' }));
});
after(() => fx.stop());

test('a running pod matching a selector blocks its node only', async () => {
  const b = new BlockingPodsBlocker(new KubernetesCluster(fx.clients), ['app=backup']);
  const n1 = await b.check('n1');
  assert.equal(n1.blocked, true);
  assert.match(n1.reasons.join(), /db\/backup-1/);
  assert.deepEqual(await b.check('n2'), { blocked: false, reasons: [] }); // the n2 backup pod has finished
});

test('selectors are ORed', async () => {
  const b = new BlockingPodsBlocker(new KubernetesCluster(fx.clients), ['app=backup', 'job=build']);
  const n2 = await b.check('n2');
  assert.equal(n2.blocked, true);
  assert.match(n2.reasons.join(), /ci\/build/);
});

test('no selectors never block; a missing node name throws', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  assert.equal((await new BlockingPodsBlocker(cluster, []).check('n1')).blocked, false);
  await assert.rejects(new BlockingPodsBlocker(cluster, ['app=backup']).check());
});
