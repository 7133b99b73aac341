// Evictions against the simulated cluster's PodDisruptionBudgets, with the real client-node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesCluster, pdbFromRefusal } from '../../src/adapters/k8s/cluster.js';
import { startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { until } from './sim-fixture.js';

let fx: ClusterFixture;
let cluster: KubernetesCluster;

before(async () => {
  fx = await startClusterFixture(3);
  cluster = new KubernetesCluster(fx.clients);
});
after(() => fx.stop());

async function readyPods(
  labelSelector: string,
  namespace: string,
): Promise<Awaited<ReturnType<KubernetesCluster['listPods']>>> {
  let pods: Awaited<ReturnType<KubernetesCluster['listPods']>> = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    pods = (await cluster.listPods({ labelSelector, namespace })).filter(
      (p) => p.ready && p.deletionTimestamp === undefined,
    );
    const pdb = (await cluster.listPdbs()).find((p) => p.namespace === namespace && p.name.includes('web'));
    if (pods.length >= 2 && pdb && pdb.currentHealthy >= pdb.desiredHealthy && pdb.expectedPods > 0)
      return pods;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('web pods never became ready');
}

test('a PDB refuses the second eviction with 429 and names the budget', async () => {
  const pdbs = await cluster.listPdbs();
  const web = pdbs.find((p) => p.namespace === 'shop' && p.name.includes('web'));
  assert.ok(web, `a web PDB among ${pdbs.map((p) => p.name).join(', ')}`);
  const pods = await readyPods(
    Object.entries(web.selector.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    'shop',
  );
  const [first, second] = pods;
  assert.ok(first && second);
  const r1 = await cluster.evictPod(first, 0);
  assert.deepEqual(r1, { kind: 'evicted' });
  const r2 = await cluster.evictPod(second, 0);
  assert.equal(r2.kind, 'refused');
  if (r2.kind === 'refused') {
    assert.equal(r2.code, 429);
    assert.equal(r2.pdb, web.name);
    assert.match(r2.message, /disruption budget/);
  }
});

test('evicting a pod whose uid changed counts as gone', async () => {
  const pods = await cluster.listPods({ namespace: 'shop' });
  const p = pods[0];
  assert.ok(p);
  assert.deepEqual(await cluster.evictPod({ ...p, uid: 'not-the-uid' }), { kind: 'gone' });
});

test('waitPodsGone sees an evicted pod leave after its grace period', async () => {
  const pods = (await cluster.listPods({ namespace: 'kube-system' })).filter((p) =>
    p.name.startsWith('coredns'),
  );
  const p = pods.find((x) => x.phase === 'Running' && x.deletionTimestamp === undefined);
  assert.ok(p, 'a running coredns pod');
  const gone: string[] = [];
  const waiting = cluster.waitPodsGone([p], (x) => gone.push(x.name), AbortSignal.timeout(15_000));
  const r = await cluster.evictPod(p, 1);
  assert.equal(r.kind, 'evicted');
  await waiting;
  assert.deepEqual(gone, [p.name]);
  await until(() => fx.sim.store.tryGet('pods', 'kube-system', p.name) === undefined, 1000, 'pod removed');
});

test('the PDB name is found in causes or in the message', () => {
  assert.equal(
    pdbFromRefusal({
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently',
          },
        ],
      },
    }),
    'web-pdb',
  );
  assert.equal(
    pdbFromRefusal({ message: "Cannot evict pod as it would violate the pod's disruption budget." }),
    undefined,
  );
});
