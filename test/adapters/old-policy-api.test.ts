// Against a simulator that is Kubernetes 1.20 (evictions and PodDisruptionBudgets only in policy/v1beta1),
// the real client-node adapter still drains: the first policy/v1 Eviction is refused (400), discovery says
// policy/v1beta1 once, evictions go as v1beta1 with the PDB checked, and PDBs are read as v1beta1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import type { PodView } from '../../src/core/types.js';
import { startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { until } from './sim-fixture.js';

let fx: ClusterFixture;
let cluster: KubernetesCluster;

before(async () => {
  fx = await startClusterFixture(3, (s) => ({ ...s, kubernetesVersion: '1.20' }));
  cluster = new KubernetesCluster(fx.clients);
});
after(() => fx.stop());

const count = (key: string): number => fx.sim.server.stats().byKey[key] ?? 0;

test('PDBs are read as policy/v1beta1 when policy/v1 is not served', async () => {
  const pdbs = await cluster.listPdbs();
  const web = pdbs.find((p) => p.namespace === 'shop' && p.name.includes('web'));
  assert.ok(web, `a web PDB among ${pdbs.map((p) => p.name).join(', ')}`);
  assert.ok(Object.keys(web.selector.matchLabels ?? {}).length > 0);
  await cluster.listPdbs();
  assert.equal(count('unknown /apis/policy/v1/poddisruptionbudgets'), 1, 'v1 tried once (404)');
  assert.equal(count('list poddisruptionbudgets'), 2, 'then v1beta1 each time');
});

test('a node drains: evictions go as policy/v1beta1 after one discovery, and the PDB still refuses', async () => {
  const pdb = (await cluster.listPdbs()).find((p) => p.namespace === 'shop' && p.name.includes('web'))!;
  let pods: PodView[] = [];
  await until(
    () => {
      void cluster.listPods({ namespace: 'shop' }).then((all) => (pods = all));
      return pods.filter((p) => p.ready && p.deletionTimestamp === undefined).length >= 2;
    },
    10_000,
    'web pods ready',
  );
  const node = pods.find((p) => p.ready)!.nodeName!;
  const onNode = (await cluster.listPodsOnNode(node)).items.filter((p) => p.namespace === 'shop');
  assert.ok(onNode.length > 0);
  const refused: string[] = [];
  const deadline = Date.now() + 20_000;
  const left = new Map(onNode.map((p) => [p.name, p]));
  while (left.size > 0 && Date.now() < deadline) {
    for (const p of [...left.values()]) {
      const r = await cluster.evictPod(p, 0);
      if (r.kind === 'evicted' || r.kind === 'gone') left.delete(p.name);
      else if (r.kind === 'refused') refused.push(`${p.name} by ${r.pdb}`);
      else assert.fail(`${p.name}: ${JSON.stringify(r)}`);
    }
    if (left.size > 0) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(left.size, 0, `not evicted: ${[...left.keys()].join(', ')}`);
  assert.equal(count('get /api/v1'), 1, 'one discovery for all the evictions');
  const record = fx.cluster.record.of('eviction');
  assert.ok(record.filter((e) => e.outcome === 'evicted').length >= onNode.length);
  assert.deepEqual(fx.cluster.record.of('pdbViolation'), []);
  if (onNode.length > 1 || refused.length > 0) assert.ok(refused.every((r) => r.endsWith(pdb.name)));
});
