// startSim builds a whole simulated cluster from a scenario (object, YAML text, file or node count),
// serves it with the scenario's faults, returns the cluster, and stops its timers with the server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/sim/clock.js';
import { startSim } from '../../src/sim/index.js';
import { ScenarioError, defaultScenario } from '../../src/sim/scenario.js';
import { api } from '../support/https-client.js';

const names = (items: { metadata: { name: string } }[]): string[] => items.map((i) => i.metadata.name);

describe('startSim with a scenario', () => {
  it('a node count builds the default cluster, served over HTTPS, and returns the cluster', async () => {
    const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));
    const sim = await startSim({ nodes: 4, clock });
    try {
      const res = await api(sim, 'GET', '/api/v1/nodes');
      assert.equal(res.status, 200);
      assert.deepEqual(
        names(res.json.items),
        defaultScenario(4).nodes.map((n) => n.name),
      );
      assert.equal(sim.cluster.scenario.nodes.length, 4);
      assert.equal(sim.cluster.store, sim.store);
      sim.cluster.rebootNow('worker-1');
      assert.equal(sim.cluster.record.of('rebootTriggered').length, 1);
      assert.ok(clock.pending() > 0, 'behaviours have timers armed');
    } finally {
      await sim.stop();
    }
    assert.equal(clock.pending(), 0, 'stop() cancels every behaviour timer');
    await assert.rejects(api(sim, 'GET', '/healthz'), 'the server is closed');
  });

  it('YAML text with a seed override and a real clock at a time scale', async () => {
    const yaml =
      'seed: 3\nnodes: [{ name: alpha }, { name: beta }]\nworkloads: { deployments: [{ name: web, replicas: 2 }] }\n';
    const sim = await startSim({ scenario: yaml, seed: 42, timeScale: 50 });
    try {
      assert.equal(sim.cluster.scenario.seed, 42);
      assert.equal(sim.clock.timeScale, 50);
      const pods = await api(sim, 'GET', '/api/v1/namespaces/default/pods');
      assert.equal(pods.json.items.length, 2);
    } finally {
      await sim.stop();
    }
  });

  it("the scenario's faults are served unless faults are given", async () => {
    const yaml =
      'nodes: [{ name: a }]\nfaults: { errors: [{ code: 503, rate: 1, verbs: [list], resources: [nodes] }] }\n';
    const faulty = await startSim({ scenario: yaml, clock: manualClock(0) });
    const clean = await startSim({ scenario: yaml, clock: manualClock(0), faults: { random: () => 0.5 } });
    try {
      assert.equal((await api(faulty, 'GET', '/api/v1/nodes')).status, 503);
      assert.equal((await api(faulty, 'GET', '/api/v1/nodes/a')).status, 200);
      assert.equal((await api(clean, 'GET', '/api/v1/nodes')).status, 200);
    } finally {
      await faulty.stop();
      await clean.stop();
    }
  });

  it('a scenario file that does not parse, or is missing, throws ScenarioError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rd-start-sim-'));
    try {
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'nodes: [{ name: a, bootSeconds: -3 }]\n');
      await assert.rejects(startSim({ scenarioFile: bad }), (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /bad\.yaml: nodes\[0\]\.bootSeconds: expected a positive number/);
        return true;
      });
      await assert.rejects(startSim({ scenarioFile: join(dir, 'none.yaml') }), (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /none\.yaml: ENOENT/);
        return true;
      });
      const good = join(dir, 'good.yaml');
      await writeFile(good, 'nodes: [{ name: solo }]\n');
      const sim = await startSim({ scenarioFile: good, clock: manualClock(0) });
      try {
        assert.deepEqual(names((await api(sim, 'GET', '/api/v1/nodes')).json.items), ['solo']);
      } finally {
        await sim.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a scenario, node count or cluster it still serves an empty store and returns no cluster', async () => {
    const sim = await startSim({ clock: manualClock(0) });
    try {
      assert.equal(sim.cluster, undefined);
      assert.deepEqual((await api(sim, 'GET', '/api/v1/nodes')).json.items, []);
    } finally {
      await sim.stop();
    }
  });
});
