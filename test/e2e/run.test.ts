// `run` end to end: the built CLI against a simulated 6-node cluster in which 3 nodes need a reboot (one of
// them cordoned by an admin beforehand), with a PDB-guarded Deployment and DaemonSets. Afterwards the
// simulator's store and record must show exactly those reboots, no PDB violation, the admin's cordon kept,
// and nothing of ours left behind; a second run right after changes nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAST_TIMING,
  assertBuilt,
  bootIds,
  helperPods,
  isCordoned,
  leaseHolders,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  stateAnnotations,
  type CliResult,
  type TestCluster,
} from '../support/e2e-cli.js';

const NEEDS = ['node-2', 'node-4', 'node-5'];
const ADMIN_CORDONED = 'node-4';

// web: 10 replicas over the 5 schedulable nodes (2 per node), maxUnavailable 1, so the second eviction on
// each node is refused until the first pod's replacement is Ready.
const SCENARIO = `
seed: 11
nodes:
  - { name: node-1 }
  - { name: node-2, rebootRequired: true }
  - { name: node-3 }
  - { name: node-4, rebootRequired: true, unschedulable: true }
  - { name: node-5, rebootRequired: true, bootSeconds: 1.5 }
  - { name: node-6 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 10, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
    - { name: node-exporter, namespace: monitoring }
${FAST_TIMING}`;

describe('run reboots exactly the nodes that need it, safely', () => {
  let c: TestCluster;
  let before_: Map<string, string>;
  let first: CliResult;

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
    before_ = bootIds(c.sim);
    assert.ok(isCordoned(c.sim, ADMIN_CORDONED), 'the scenario starts with the admin cordon');
    first = await runCli(runArgs(c.kubeconfigPath));
  });

  after(async () => {
    await c?.stop();
  });

  test('the run exits 0 and names the three nodes as rebooted', () => {
    assert.equal(first.code, 0, show(first));
    const end = first.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; rebooted?: string[] })
      .find((e) => e.type === 'run-end');
    assert.deepEqual([...(end?.rebooted ?? [])].sort(), NEEDS, show(first));
  });

  test('exactly the nodes that needed it have a new boot ID, each from one reboot', () => {
    const now = bootIds(c.sim);
    const changed = [...now].filter(([n, id]) => before_.get(n) !== id).map(([n]) => n);
    assert.deepEqual(changed.sort(), NEEDS);
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'node-2': 1, 'node-4': 1, 'node-5': 1 });
    assert.equal(c.sim.cluster.record.of('rebootTriggered').length, 3);
  });

  test("the admin's cordon survives; the nodes this tool cordoned are uncordoned", () => {
    assert.equal(isCordoned(c.sim, ADMIN_CORDONED), true, 'node-4 was cordoned by an admin');
    for (const n of ['node-1', 'node-2', 'node-3', 'node-5', 'node-6']) {
      assert.equal(isCordoned(c.sim, n), false, `${n} is left cordoned`);
    }
    // node-4 was never uncordoned, not even for a moment.
    const cordons = c.sim.cluster.record.of('cordon');
    assert.deepEqual(
      cordons.filter((e) => e.node === ADMIN_CORDONED),
      [],
    );
    assert.deepEqual(
      cordons.map((e) => `${e.node}:${e.unschedulable}`),
      ['node-2:true', 'node-2:false', 'node-5:true', 'node-5:false'],
    );
  });

  test('no PodDisruptionBudget was ever violated, and the budget did bind', () => {
    const rec = c.sim.cluster.record;
    assert.deepEqual(rec.of('pdbViolation'), []);
    const evictions = rec.of('eviction');
    const done = evictions.filter((e) => e.outcome === 'evicted');
    assert.ok(done.length >= 4, `at least two web pods on each of node-2 and node-5, got ${done.length}`);
    assert.deepEqual([...new Set(done.map((e) => e.node))].sort(), ['node-2', 'node-5']);
    for (const e of done) {
      assert.equal(e.pdb, 'shop/web', e.pod);
      assert.ok((e.allowedBefore ?? 0) >= 1, `${e.pod} evicted with allowedBefore=${e.allowedBefore}`);
    }
    assert.ok(
      evictions.some((e) => e.outcome === 'refused'),
      'the second pod of each node must have been refused at first',
    );
  });

  test('nothing of ours is left: no helper pods, no Lease holders, no state annotations', () => {
    assert.deepEqual(helperPods(c.sim), []);
    const lease = leaseHolders(c.sim);
    assert.deepEqual(lease.holders, []);
    assert.equal(lease.identity, '');
    assert.deepEqual(stateAnnotations(c.sim), {});
  });

  test('a second run right after exits 0 and reboots nothing', async () => {
    const ids = bootIds(c.sim);
    const entries = c.sim.cluster.record.entries().length;
    const again = await runCli(runArgs(c.kubeconfigPath));
    assert.equal(again.code, 0, show(again));
    assert.deepEqual(bootIds(c.sim), ids);
    const since = c.sim.cluster.record.entries().slice(entries);
    assert.deepEqual(
      since.filter((e) => ['rebootTriggered', 'reboot', 'cordon', 'eviction'].includes(e.kind)),
      [],
    );
    assert.deepEqual(helperPods(c.sim), []);
    assert.deepEqual(leaseHolders(c.sim).holders, []);
    assert.equal(isCordoned(c.sim, ADMIN_CORDONED), true);
  });
});
