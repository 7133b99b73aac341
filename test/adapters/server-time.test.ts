// ObservedServerTime: the API server's clock estimated from Date headers, alone (the bounds arithmetic) and
// through the real client-node against the simulator, with a local clock hours off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeClients } from '../../src/adapters/k8s/client.js';
import { ObservedServerTime } from '../../src/adapters/k8s/server-time.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { KubernetesLeaseStore, LEASE_NAME } from '../../src/adapters/k8s/lease.js';
import { manualClock } from '../../src/sim/clock.js';
import { startFixture } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';

const T = Date.parse('2024-05-01T12:00:00Z');
const date = (ms: number): string => new Date(ms).toUTCString();

test('before any response there is no skew and now() is the local time', () => {
  let local = T + 5;
  const st = new ObservedServerTime({ now: () => local });
  assert.equal(st.skewMs(), undefined);
  assert.equal(st.now(), T + 5);
  local += 10;
  assert.equal(st.now(), T + 15);
});

test('one response: skew = midpoint(send, receive) - (Date + 500)', () => {
  let local = T + 3_600_000;
  const st = new ObservedServerTime({ now: () => local });
  // Sent at local T+1h, answered 100 ms later, dated T+0 (the server's time was in [T, T+1s)).
  st.observe(local, local + 100, date(T));
  assert.equal(st.skewMs(), 3_600_000 + 50 - 500);
  local += 100;
  assert.equal(st.now(), local - (3_600_000 - 450));
});

test('more responses narrow the bounds; one that misses them starts over', () => {
  const st = new ObservedServerTime({ now: () => 0 });
  // The truth: local = server + 10_000, the server's clock at T + 300 ms when the first answer is dated.
  st.observe(T + 10_300, T + 10_310, date(T)); // skew in (9_300, 10_310]
  st.observe(T + 10_950, T + 10_960, date(T)); // skew in (9_950, 10_960]
  st.observe(T + 11_020, T + 11_030, date(T + 1000)); // skew in (9_020, 10_030]
  // Intersection (9_950, 10_030]: the middle is within 40 ms of the truth.
  assert.equal(st.skewMs(), 9_990);
  // A stepped clock: bounds that miss the current ones replace them.
  st.observe(T + 60_000, T + 60_010, date(T)); // skew in (59_000, 60_010]
  assert.equal(st.skewMs(), 59_505);
  // Unreadable dates, none, or a receive time before the send time change nothing.
  st.observe(T, T + 10, 'not a date');
  st.observe(T, T + 10, undefined);
  st.observe(T + 10, T, date(T));
  assert.equal(st.skewMs(), 59_505);
});

let fx: Fixture;
before(async () => {
  // The simulator's clock stands still, far from the machine's: only the Date headers can tell it.
  fx = await startFixture({ clock: manualClock(Date.parse('2030-01-01T00:00:00.250Z')) });
});
after(() => fx.stop());

test('over the simulator: a local clock 2 h ahead reports a skew of +2 h and the simulator’s time', async () => {
  const sim = fx.sim.clock;
  const ahead = 2 * 3600_000;
  // A local clock that reads the simulator's time plus two hours (it moves with the machine's clock).
  const start = Date.now();
  const local = { now: () => sim.now() + ahead + (Date.now() - start) };
  const clients = makeClients(fx.clients.kc, { requestTimeoutMs: 10_000, clock: local });
  assert.equal(clients.serverTime.skewMs(), undefined);
  await new KubernetesCluster(clients).listNodes();
  const skew = clients.serverTime.skewMs();
  assert.ok(skew !== undefined && Math.abs(skew - ahead) < 2_000, `skew ${skew}`);
  assert.ok(Math.abs(clients.serverTime.now() - sim.now()) < 2_000, `now ${clients.serverTime.now()}`);
});

test('over the simulator: the clients’ default local clock is the machine’s', async () => {
  const clients = makeClients(fx.clients.kc, { requestTimeoutMs: 10_000 });
  await new KubernetesCluster(clients).listNodes();
  const skew = clients.serverTime.skewMs() ?? NaN;
  const expected = Date.now() - fx.sim.clock.now();
  assert.ok(Math.abs(skew - expected) < 2_000, `skew ${skew}, expected about ${expected}`);
  assert.ok(Math.abs(clients.serverTime.now() - fx.sim.clock.now()) < 2_000);
});

test('the Lease is written in the server’s time when given the clients’ server time as its clock', async () => {
  const sim = fx.sim.clock;
  const local = { now: () => sim.now() + 2 * 3600_000 };
  const clients = makeClients(fx.clients.kc, { requestTimeoutMs: 10_000, clock: local });
  const store = new KubernetesLeaseStore(clients, { namespace: 'skewed', clock: clients.serverTime });
  assert.equal(await store.read(), undefined);
  assert.equal((await store.create('{}', 'n1', 60)).ok, true);
  const lease = fx.sim.store.get('leases', 'skewed', LEASE_NAME);
  for (const field of ['renewTime', 'acquireTime'] as const) {
    const written = Date.parse(String(lease.spec[field]));
    assert.ok(Math.abs(written - sim.now()) < 2_000, `${field} ${lease.spec[field]}`);
  }
});
