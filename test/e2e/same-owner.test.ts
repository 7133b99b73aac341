// Two `run`s of the same owner at once, as from two terminals or an overlapping cron job on one machine: the
// owner is the same (user@host), so only the process recorded on each Lease hold tells a live run from a
// dead one. Neither may take over the other's live hold; each node is rebooted once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAST_TIMING,
  HOLDERS_KEY,
  LEASE_NAME,
  LEASE_NAMESPACE,
  assertBuilt,
  helperPods,
  leaseHolders,
  rebootCounts,
  runArgs,
  show,
  spawnCli,
  startCluster,
  stateAnnotations,
  type CliResult,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
seed: 21
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2, rebootRequired: true }
  - { name: node-3, rebootRequired: true }
  - { name: node-4 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 6, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
${FAST_TIMING}`;

describe('two runs of the same owner at once', () => {
  let c: TestCluster;
  let runs: CliResult[];
  let last: CliResult;
  const holdersSeen: { node?: string; pid?: unknown }[][] = [];
  const holds = (): { node?: string; pid?: unknown }[] => {
    const raw = c.sim.store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME)?.metadata.annotations?.[
      HOLDERS_KEY
    ];
    return raw ? ((JSON.parse(raw) as { holders?: { node?: string; pid?: unknown }[] }).holders ?? []) : [];
  };

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
    const poll = setInterval(() => holdersSeen.push(holds()), 20);
    try {
      const args = runArgs(c.kubeconfigPath);
      runs = await Promise.all([
        spawnCli(args, { timeoutMs: 120_000 }).done,
        spawnCli(args, { timeoutMs: 120_000 }).done,
      ]);
      // Like the next cron tick: finishes what the two left pending.
      last = await spawnCli(args, { timeoutMs: 120_000 }).done;
    } finally {
      clearInterval(poll);
    }
  });

  after(async () => {
    await c?.stop();
  });

  test('each ends rebooted or pending (exit 0 or 3); each node needing it is rebooted exactly once', () => {
    for (const r of runs) assert.ok(r.code === 0 || r.code === 3, show(r));
    assert.equal(last.code, 0, show(last));
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  });

  test('neither run took over a hold of the other, which was alive', () => {
    for (const r of runs) {
      assert.doesNotMatch(r.stdout, /held by an earlier run|lost the lock/, show(r));
    }
    const heldBack = runs.some((r) => /held by another live run of|lock full/.test(r.stdout));
    assert.ok(heldBack, `one run was held back by the other:\n${runs.map(show).join('\n')}`);
  });

  test('each hold named its run’s process, and there was never more than one', () => {
    const seen = holdersSeen.flat();
    assert.ok(seen.length > 0, 'holds were seen');
    const pids = new Set(seen.map((h) => h.pid));
    assert.ok(
      [...pids].every((p) => typeof p === 'number' && p > 0),
      JSON.stringify([...pids]),
    );
    assert.ok(holdersSeen.every((hs) => hs.length <= 1));
  });

  test('nothing of ours is left', () => {
    assert.deepEqual(helperPods(c.sim), []);
    assert.deepEqual(leaseHolders(c.sim).holders, []);
    assert.deepEqual(stateAnnotations(c.sim), {});
  });
});
