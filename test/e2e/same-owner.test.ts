// Two `run`s of the same owner at once, as from two terminals or an overlapping cron job on one machine: the
// owner is the same (user@host), so only the process recorded on each Lease hold tells a live run from a
// dead one. Neither may take over the other's live hold or the record on a node it is taking; each node is
// rebooted once.
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
  type Hold = { node?: string; runId?: string; proc?: { id?: unknown; host?: unknown; pid?: unknown } };
  const holdersSeen: Hold[][] = [];
  const holds = (): Hold[] => {
    const raw = c.sim.store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME)?.metadata.annotations?.[
      HOLDERS_KEY
    ];
    return raw ? ((JSON.parse(raw) as { holders?: Hold[] }).holders ?? []) : [];
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
      assert.doesNotMatch(
        r.stdout,
        /took over|lost the lock|dropped the dead hold|dropping the hold/,
        show(r),
      );
    }
    const heldBack = runs.some((r) => /is held by|in progress by|lock full/.test(r.stdout));
    assert.ok(heldBack, `one run was held back by the other:\n${runs.map(show).join('\n')}`);
  });

  test('each hold named its run’s process, and there was never more than one', () => {
    const seen = holdersSeen.flat();
    assert.ok(seen.length > 0, 'holds were seen');
    const procs = seen.map((h) => h.proc);
    assert.ok(
      procs.every(
        (p) =>
          typeof p?.pid === 'number' &&
          p.pid > 0 &&
          typeof p.id === 'string' &&
          p.id !== '' &&
          typeof p.host === 'string',
      ),
      JSON.stringify(procs),
    );
    // One process per run: a run's holds all name the same process, and two runs never share one.
    const byRun = new Map<string, Set<unknown>>();
    for (const h of seen)
      byRun.set(String(h.runId), (byRun.get(String(h.runId)) ?? new Set()).add(h.proc?.id));
    assert.ok(
      [...byRun.values()].every((ids) => ids.size === 1),
      JSON.stringify([...byRun]),
    );
    const ids = [...byRun.values()].map((ids) => [...ids][0]);
    assert.equal(new Set(ids).size, ids.length, 'two runs never share a process');
    assert.ok(holdersSeen.every((hs) => hs.length <= 1));
  });

  test('nothing of ours is left', () => {
    assert.deepEqual(helperPods(c.sim), []);
    assert.deepEqual(leaseHolders(c.sim).holders, []);
    assert.deepEqual(stateAnnotations(c.sim), {});
  });
});
