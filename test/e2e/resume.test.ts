// A `run` killed with SIGKILL in the middle of a node (while draining, while the node reboots, while waiting
// for a stable Ready), then `run` again: the second run resumes the recorded node and completes. Each node
// that needed it is rebooted exactly once, nothing is left cordoned by us, the Lease is released and no
// helper pods remain.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningCluster } from '../../src/sim/index.js';
import {
  FAST_TIMING,
  assertBuilt,
  helperPods,
  isCordoned,
  leaseHolders,
  node,
  phaseOf,
  rebootCounts,
  runArgs,
  runCli,
  show,
  spawnCli,
  startCluster,
  stateAnnotations,
  waitFor,
} from '../support/e2e-cli.js';

const FIRST = 'node-1';
const NEEDS = ['node-1', 'node-3'];

// Pods take 3 s to terminate and node-1 takes 3 s to boot, so each kill point is seconds wide.
const SCENARIO = `
seed: 5
nodes:
  - { name: node-1, rebootRequired: true, bootSeconds: 3 }
  - { name: node-2 }
  - { name: node-3, rebootRequired: true }
  - { name: node-4 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 4, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 3 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`;

interface KillPoint {
  readonly name: string;
  /** The phase the node's state annotation must show when the run is killed. */
  readonly phase: string;
  readonly reached: (sim: RunningCluster) => boolean;
}

const evictedOnFirst = (sim: RunningCluster): boolean =>
  sim.cluster.record.of('eviction').some((e) => e.node === FIRST && e.outcome === 'evicted');

const KILL_POINTS: readonly KillPoint[] = [
  {
    name: 'while the first node is draining',
    phase: 'cordoned',
    reached: (sim) => evictedOnFirst(sim) && phaseOf(node(sim, FIRST)) === 'cordoned',
  },
  {
    name: 'while the first node is rebooting',
    phase: 'rebooting',
    reached: (sim) =>
      sim.cluster.record.of('rebootTriggered').some((e) => e.node === FIRST) &&
      phaseOf(node(sim, FIRST)) === 'rebooting',
  },
  {
    name: 'while waiting for the first node to be stably Ready',
    phase: 'rebooted',
    reached: (sim) => phaseOf(node(sim, FIRST)) === 'rebooted',
  },
];

describe('run resumes after being killed with SIGKILL', () => {
  for (const point of KILL_POINTS) {
    test(`killed ${point.name}: the next run resumes and each node reboots once`, async () => {
      await assertBuilt();
      const c = await startCluster(SCENARIO);
      try {
        const { sim } = c;
        const killed = spawnCli(runArgs(c.kubeconfigPath));
        let phaseAtKill: string | undefined;
        const reached = waitFor(sim, () => point.reached(sim), 30_000, point.name).then(() => {
          phaseAtKill = phaseOf(node(sim, FIRST));
          killed.child.kill('SIGKILL');
        });
        const [, k] = await Promise.all([reached.catch(() => killed.child.kill('SIGKILL')), killed.done]);
        assert.equal(k.signal, 'SIGKILL', `the run ended before the kill point\n${show(k)}`);
        assert.equal(phaseAtKill, point.phase);

        // The killed run left its work recorded: the node's state, its Lease slot, its cordon.
        assert.equal(phaseOf(node(sim, FIRST)), point.phase);
        assert.deepEqual(leaseHolders(sim).holders, [FIRST]);
        assert.equal(isCordoned(sim, FIRST), true);
        const triggersBefore = sim.cluster.record.of('rebootTriggered').length;
        assert.equal(triggersBefore, point.phase === 'cordoned' ? 0 : 1);

        const again = await runCli(runArgs(c.kubeconfigPath));
        assert.equal(again.code, 0, show(again));
        const results = again.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { type: string; node?: string; outcome?: string; reason?: string })
          .filter((e) => e.type === 'node-result');
        const first = results.find((e) => e.node === FIRST);
        assert.equal(first?.outcome, 'rebooted', show(again));
        assert.match(first?.reason ?? '', /resumed/, 'the first node is finished by resuming it');

        assert.deepEqual(Object.fromEntries(rebootCounts(sim)), { 'node-1': 1, 'node-3': 1 });
        const triggered = sim.cluster.record.of('rebootTriggered').map((e) => e.node);
        assert.deepEqual(triggered.sort(), NEEDS, 'one reboot trigger per node, none repeated');
        for (const n of ['node-1', 'node-2', 'node-3', 'node-4']) {
          assert.equal(isCordoned(sim, n), false, `${n} is left cordoned`);
        }
        assert.deepEqual(leaseHolders(sim).holders, []);
        assert.deepEqual(helperPods(sim), []);
        assert.deepEqual(stateAnnotations(sim), {});
        assert.deepEqual(sim.cluster.record.of('pdbViolation'), []);
      } finally {
        await c.stop();
      }
    });
  }
});
