// The Lease-backed LeaseStore and kured's DaemonSet lock reader, against the simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesLeaseStore, HOLDERS_ANNOTATION, LEASE_NAME } from '../../src/adapters/k8s/lease.js';
import { KuredLockReader, KURED_LOCK_ANNOTATION } from '../../src/adapters/k8s/kured-lock.js';
import type { Clock } from '../../src/ports/clock.js';
import { startFixture } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';

let fx: Fixture;
let now = Date.parse('2024-05-01T12:00:00.123Z');
const clock: Clock = { now: () => now, sleep: async () => undefined };

before(async () => {
  fx = await startFixture();
});
after(() => fx.stop());

test('a missing Lease reads as undefined; create makes it (and its namespace) with the record', async () => {
  const store = new KubernetesLeaseStore(fx.clients, { clock });
  assert.equal(await store.read(), undefined);
  const r = await store.create('{"holders":["n1"]}', 'n1', 3600);
  assert.equal(r.ok, true);
  const ns = fx.sim.store.get('namespaces', undefined, 'reboot-daemon');
  assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
  const lease = fx.sim.store.get('leases', 'reboot-daemon', LEASE_NAME);
  assert.equal(lease.metadata.annotations?.[HOLDERS_ANNOTATION], '{"holders":["n1"]}');
  assert.equal(lease.spec.holderIdentity, 'n1');
  assert.equal(lease.spec.leaseDurationSeconds, 3600);
  assert.equal(lease.spec.renewTime, '2024-05-01T12:00:00.123000Z');
  const snap = await store.read();
  assert.equal(snap?.record, '{"holders":["n1"]}');
  assert.equal(snap?.resourceVersion, r.ok ? r.resourceVersion : '');
});

test('creating a Lease that exists is a conflict', async () => {
  const store = new KubernetesLeaseStore(fx.clients, { clock });
  assert.deepEqual(await store.create('{}', '', 60), { ok: false, conflict: true });
});

test('update with the current resourceVersion succeeds; a stale one is a conflict (CAS)', async () => {
  const a = new KubernetesLeaseStore(fx.clients, { clock });
  const b = new KubernetesLeaseStore(fx.clients, { clock });
  const snapA = await a.read();
  const snapB = await b.read();
  assert.ok(snapA && snapB);
  now += 5000;
  const first = await a.update('{"holders":["n1","n2"]}', 'n1,n2', 3600, snapA.resourceVersion);
  assert.equal(first.ok, true);
  const second = await b.update('{"holders":["n3"]}', 'n3', 3600, snapB.resourceVersion);
  assert.deepEqual(second, { ok: false, conflict: true });
  const lease = fx.sim.store.get('leases', 'reboot-daemon', LEASE_NAME);
  assert.equal(lease.spec.holderIdentity, 'n1,n2');
  assert.equal(lease.metadata.annotations?.[HOLDERS_ANNOTATION], '{"holders":["n1","n2"]}');
  assert.equal(lease.spec.leaseTransitions, 1);
  // released: empty holder identity
  const snap = await a.read();
  assert.equal((await a.update('{"holders":[]}', '', 3600, snap?.resourceVersion ?? '')).ok, true);
  assert.equal(fx.sim.store.get('leases', 'reboot-daemon', LEASE_NAME).spec.holderIdentity, '');
});

test('kured lock: holders from a named DaemonSet, from a cluster-wide scan, and none without kured', async () => {
  const reader = new KuredLockReader(fx.clients, {
    clock,
    daemonSet: { namespace: 'kube-system', name: 'kured' },
  });
  assert.deepEqual(await reader.holders(), []);
  fx.sim.store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      namespace: 'kube-system',
      name: 'kured',
      annotations: {
        [KURED_LOCK_ANNOTATION]: JSON.stringify({ nodeID: 'w1', created: '2024-05-01T11:59:00Z', TTL: 0 }),
      },
    },
    spec: {
      selector: { matchLabels: { app: 'kured' } },
      template: { metadata: { labels: { app: 'kured' } }, spec: { containers: [] } },
    },
  });
  fx.sim.store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      namespace: 'ops',
      name: 'kured2',
      annotations: {
        [KURED_LOCK_ANNOTATION]: JSON.stringify({
          maxOwners: 2,
          locks: [{ nodeID: 'w2', created: '2024-05-01T11:59:00Z', TTL: 0 }],
        }),
      },
    },
    spec: {
      selector: { matchLabels: { app: 'k' } },
      template: { metadata: { labels: { app: 'k' } }, spec: { containers: [] } },
    },
  });
  assert.deepEqual(await reader.holders(), ['w1']);
  const scan = new KuredLockReader(fx.clients, { clock });
  assert.deepEqual(await scan.holders(), ['w1', 'w2']);
  fx.sim.store.patch('daemonsets', 'ops', 'kured2', 'application/merge-patch+json', {
    metadata: { annotations: { [KURED_LOCK_ANNOTATION]: '{broken' } },
  });
  await assert.rejects(scan.holders(), /ops\/kured2.*not JSON/);
});
