// `run` end to end against a simulator that is Kubernetes 1.20, which serves evictions and
// PodDisruptionBudgets only as policy/v1beta1: the node that needs it is rebooted, its pods are evicted
// through v1beta1 with the PDB binding, and no budget is violated. A bad kubernetesVersion is bad input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FAST_TIMING,
  assertBuilt,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  type CliResult,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
seed: 5
kubernetesVersion: "1.20"
nodes:
  - { name: node-1 }
  - { name: node-2, rebootRequired: true, bootSeconds: 1.5 }
  - { name: node-3 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 6, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
${FAST_TIMING}`;

describe('run on a cluster older than 1.22 (policy/v1beta1 only)', () => {
  let c: TestCluster;
  let res: CliResult;

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
    res = await runCli(runArgs(c.kubeconfigPath));
  });
  after(async () => {
    await c?.stop();
  });

  test('the run exits 0 and reboots the node that needs it, once', () => {
    assert.equal(res.code, 0, show(res));
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'node-2': 1 });
  });

  test('its pods were evicted with the PDB respected: refused at first, never violated', () => {
    const rec = c.sim.cluster.record;
    assert.deepEqual(rec.of('pdbViolation'), []);
    const evictions = rec.of('eviction');
    const done = evictions.filter((e) => e.outcome === 'evicted' && e.node === 'node-2');
    assert.ok(done.length >= 2, `the web pods of node-2 were evicted (${done.length})`);
    for (const e of done) assert.equal(e.pdb, 'shop/web', e.pod);
    assert.ok(
      evictions.some((e) => e.outcome === 'refused'),
      'the budget bound',
    );
    const stats = c.sim.server.stats().byKey;
    assert.equal(stats['get /api/v1'], 1, 'discovery once, after the first policy/v1 Eviction was refused');
  });
});

test('sim refuses a scenario whose kubernetesVersion is not 1.16 to 1.33, with exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rd-oldapi-'));
  try {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'kubernetesVersion: "2.0"\nnodes:\n  - { name: n1 }\n');
    const r = await runCli(['sim', '--scenario', file, '--write-kubeconfig', join(dir, 'kc')]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /kubernetesVersion: expected "1\.<minor>" from "1\.16" to "1\.33"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
