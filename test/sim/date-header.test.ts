// The simulated API server's Date header follows the simulator's clock, not the machine's: on every answer,
// errors and watches included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { createStore } from '../../src/sim/store.js';
import { seedSmallCluster } from '../support/seed.js';
import { api, type Target } from '../support/https-client.js';

let sim: RunningSim;
let t: Target;
// Years away from the machine's clock, and not on a whole second.
const clock = manualClock(Date.parse('2031-03-04T05:06:07.890Z'));

before(async () => {
  const store = createStore(clock, { historySize: 50 });
  seedSmallCluster(store);
  sim = await startSim({ store, clock });
  t = { port: sim.port, ca: sim.ca, token: sim.token };
});

after(async () => {
  await sim.stop();
});

/** The headers of a watch's answer; the stream is closed once they arrive. */
function watchHeaders(path: string): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: `Bearer ${t.token}` };
    const req = request({ host: '127.0.0.1', port: t.port, path, ca: t.ca, headers }, (res) => {
      resolve(res.headers);
      res.destroy();
    });
    req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
}

test('every answer is dated by the simulated clock, truncated to the second', async () => {
  const expected = 'Tue, 04 Mar 2031 05:06:07 GMT';
  const got = await api(t, 'GET', '/api/v1/nodes');
  assert.equal(got.status, 200);
  assert.equal(got.headers.date, expected);
  assert.equal((await api(t, 'GET', '/api/v1/namespaces/default/pods/nope')).headers.date, expected);
  assert.equal((await api(t, 'GET', '/api/v1/nodes', { anonymous: true })).headers.date, expected);
  assert.equal((await api(t, 'GET', '/version')).headers.date, expected);
  assert.equal((await api(t, 'GET', '/healthz')).headers.date, expected);
  assert.equal((await watchHeaders('/api/v1/nodes?watch=true')).date, expected);
});

test('the Date header moves with the simulated clock', async () => {
  clock.advance(3 * 3600_000 + 2_500);
  const got = await api(t, 'GET', '/api/v1/nodes');
  assert.equal(got.headers.date, 'Tue, 04 Mar 2031 08:06:10 GMT');
  assert.equal((await watchHeaders('/api/v1/pods?watch=true')).date, 'Tue, 04 Mar 2031 08:06:10 GMT');
});
