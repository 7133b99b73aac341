// The simulated API server counts what its faults injected: error answers by status code, latency spikes and
// dropped watches (server.stats().injected), so that chaos runs can report them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { createStore } from '../../src/sim/store.js';
import { seedSmallCluster } from '../support/seed.js';
import { api, watch, type Target } from '../support/https-client.js';

let sim: RunningSim;
let t: Target;

before(async () => {
  const store = createStore(manualClock(Date.parse('2025-06-02T10:00:00Z')));
  seedSmallCluster(store);
  sim = await startSim({ store });
  t = { port: sim.port, ca: sim.ca, token: sim.token };
});

after(async () => {
  await sim.stop();
});

test('error answers are counted by code, and only the ones the faults gave', async () => {
  sim.server.resetStats();
  sim.server.setFaults({ errorRate: [{ code: 503, rate: 1, verbs: ['list'] }], random: () => 0 });
  try {
    assert.equal((await api(t, 'GET', '/api/v1/pods')).status, 503);
    assert.equal((await api(t, 'GET', '/api/v1/nodes')).status, 503);
    assert.equal((await api(t, 'GET', '/api/v1/nodes/cp-1')).status, 200);
    assert.equal((await api(t, 'GET', '/api/v1/nodes/nope')).status, 404);
  } finally {
    sim.server.setFaults(undefined);
  }
  const { injected } = sim.server.stats();
  assert.deepEqual(injected, { errors: { '503': 2 }, latencySpikes: 0, watchDrops: 0 });
  sim.server.resetStats();
  assert.deepEqual(sim.server.stats().injected, { errors: {}, latencySpikes: 0, watchDrops: 0 });
});

test('latency spikes and dropped watches are counted; a watch the client closed first is not a drop', async () => {
  sim.server.resetStats();
  // random() = 0: no jitter, and every spike draw (0 < 1) adds the spike.
  sim.server.setFaults({ latencyMs: { base: 0, jitter: 0, spikeRate: 1, spikeMs: 5 }, random: () => 0 });
  await api(t, 'GET', '/api/v1/nodes');
  await api(t, 'GET', '/api/v1/pods');
  sim.server.setFaults({ watchDropEverySec: 0.2, random: () => 0.5 });
  try {
    const rv = sim.store.currentResourceVersion();
    const dropped = watch(t, `/api/v1/nodes?watch=1&resourceVersion=${rv}`);
    const closed = watch(t, `/api/v1/pods?watch=1&resourceVersion=${rv}`);
    await closed.status;
    closed.close();
    await dropped.ended;
  } finally {
    sim.server.setFaults(undefined);
  }
  const { injected } = sim.server.stats();
  assert.equal(injected.latencySpikes, 2);
  assert.equal(injected.watchDrops, 1);
});
