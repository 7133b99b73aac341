// The drain's waits through the real client-node against the simulator: a pod kept terminating by a
// finalizer is reported with its deletionTimestamp while waiting, and an eviction in a namespace being deleted
// gets the API server's 403 NamespaceTerminating, which is not a missing permission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { PermissionError } from '../../src/core/errors.js';
import type { PodRef } from '../../src/ports/cluster.js';
import { startFixture, nodeObj, podObj, until } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';
import type { KObject } from '../../src/sim/types.js';

let fx: Fixture;
let cluster: KubernetesCluster;

before(async () => {
  fx = await startFixture();
  fx.sim.store.create('nodes', nodeObj('n1'));
  cluster = new KubernetesCluster(fx.clients);
});
after(() => fx.stop());

const ns = (name: string, finalizers: string[] = []): KObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(finalizers.length ? { finalizers } : {}) },
  spec: { finalizers: ['kubernetes'] },
});

function refOf(o: KObject): PodRef {
  return { namespace: o.metadata.namespace ?? '', name: o.metadata.name, uid: o.metadata.uid ?? '' };
}

test('waiting reports a pod kept terminating by a finalizer, with its deletionTimestamp, then its end', async () => {
  const store = fx.sim.store;
  store.create('namespaces', ns('stuck'));
  const pod = store.create('pods', {
    ...podObj('stuck', 'held', 'n1'),
    metadata: { namespace: 'stuck', name: 'held', finalizers: ['example.com/hold'] },
  });
  const seen: { name: string; at: number }[] = [];
  const gone: string[] = [];
  const ac = new AbortController();
  const waiting = cluster.waitPodsGone(
    [refOf(pod)],
    (p) => gone.push(p.name),
    ac.signal,
    undefined,
    (p, at) => seen.push({ name: p.name, at }),
  );
  try {
    assert.deepEqual(await cluster.evictPod(refOf(pod), 0), { kind: 'evicted' });
    const ts = store.get('pods', 'stuck', 'held').metadata.deletionTimestamp;
    assert.ok(ts, 'the pod is terminating');
    await until(() => seen.length > 0, 5000, 'terminating reported');
    assert.deepEqual(seen[0], { name: 'held', at: Date.parse(ts) });
    assert.deepEqual(gone, [], 'still there: the finalizer holds it');
    const cur = store.get('pods', 'stuck', 'held');
    store.update('pods', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    await waiting;
    assert.deepEqual(gone, ['held']);
  } finally {
    ac.abort();
    await waiting.catch(() => undefined);
  }
});

test('an eviction in a namespace being deleted is refused with NamespaceTerminating, not as a permission error', async () => {
  const store = fx.sim.store;
  store.create('namespaces', ns('old', ['example.com/keep']));
  const pod = store.create('pods', podObj('old', 'web-0', 'n1'));
  store.delete('namespaces', undefined, 'old');
  assert.equal(store.get('namespaces', undefined, 'old').status?.phase, 'Terminating');

  // What the API server sends: 403 Forbidden with the NamespaceTerminating cause.
  const raw = await fx.clients.core
    .createNamespacedPodEviction({
      name: 'web-0',
      namespace: 'old',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-0', namespace: 'old' } },
    })
    .then(
      () => assert.fail('the eviction should be refused'),
      (err: unknown) => err,
    );
  assert.ok(raw instanceof ApiException);
  assert.equal(raw.code, 403);
  const body = (typeof raw.body === 'string' ? JSON.parse(raw.body) : raw.body) as {
    reason?: string;
    message?: string;
    details: { causes?: unknown[] };
  };
  assert.equal(body.reason, 'Forbidden');
  assert.equal(
    body.message,
    'pods "web-0" is forbidden: unable to create new content in namespace old because it is being terminated',
  );
  assert.deepEqual(body.details.causes, [
    {
      reason: 'NamespaceTerminating',
      message: 'namespace old is being terminated',
      field: 'metadata.namespace',
    },
  ]);

  const res = await cluster.evictPod(refOf(pod));
  assert.equal(res.kind, 'namespace-terminating');
  assert.match(res.kind === 'namespace-terminating' ? res.message : '', /because it is being terminated/);
  assert.ok(
    store.tryGet('pods', 'old', 'web-0')?.metadata.deletionTimestamp === undefined,
    'nothing evicted',
  );

  // Creating anything there is refused the same way; deleting is still allowed.
  const create = await fx.clients.core
    .createNamespacedPod({ namespace: 'old', body: podObj('old', 'late', 'n1') as never })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  assert.ok(create instanceof ApiException && create.code === 403);
  await cluster.deletePod(refOf(pod), 0);
  assert.equal(store.tryGet('pods', 'old', 'web-0'), undefined);
});

test('an eviction refused by RBAC is still a permission error', async () => {
  const store = fx.sim.store;
  store.create('namespaces', ns('live'));
  const pod = store.create('pods', podObj('live', 'web-0', 'n1'));
  const denied = await startFixture({
    store,
    clock: fx.sim.clock,
    hooks: {
      evict: () => assert.fail('RBAC should refuse before the eviction'),
      podLog: () => '',
    },
    authorize: (_verb, resource, sub) => !(resource === 'pods' && sub === 'eviction'),
  });
  try {
    const c = new KubernetesCluster(denied.clients);
    await assert.rejects(c.evictPod(refOf(pod)), PermissionError);
  } finally {
    await denied.stop();
  }
});
