// The ClusterPort adapter with the real client-node against the simulator over loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { makeClients } from '../../src/adapters/k8s/client.js';
import { ConflictError, PermissionError } from '../../src/core/errors.js';
import { startFixture, nodeObj, podObj, until } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';
import type { KObject } from '../../src/sim/types.js';

let fx: Fixture;
let cluster: KubernetesCluster;

before(async () => {
  fx = await startFixture();
  cluster = new KubernetesCluster(fx.clients);
  fx.sim.store.create('nodes', nodeObj('n1', 'boot-1', { 'node-role.kubernetes.io/worker': '' }));
  fx.sim.store.create('nodes', nodeObj('n2', 'boot-2', { pool: 'b' }));
});
after(() => fx.stop());

test('lists 1,200 pods on a node over 3 pages and sees each once', async () => {
  for (let i = 0; i < 1200; i++) fx.sim.store.create('pods', podObj(`ns${i % 3}`, `p${i}`, 'n1'));
  for (let i = 0; i < 7; i++) fx.sim.store.create('pods', podObj('ns0', `other${i}`, 'n2'));
  fx.sim.server.resetStats();
  const listed = await cluster.listPodsOnNode('n1');
  const pods = listed.items;
  assert.equal(pods.length, 1200);
  assert.match(
    listed.version ?? '',
    /^\d+$/,
    'the list carries its resourceVersion for a watch to start from',
  );
  assert.equal(new Set(pods.map((p) => `${p.namespace}/${p.name}`)).size, 1200);
  assert.ok(pods.every((p) => p.nodeName === 'n1'));
  assert.equal(fx.sim.server.stats().byKey['list pods'], 3);
});

test('lists pods by label selector in one namespace or everywhere', async () => {
  fx.sim.store.create('pods', podObj('blk', 'backup', 'n2', { app: 'backup' }));
  fx.sim.store.create('pods', podObj('other', 'backup2', 'n2', { app: 'backup' }));
  assert.equal((await cluster.listPods({ labelSelector: 'app=backup' })).length, 2);
  const inNs = await cluster.listPods({ labelSelector: 'app=backup', namespace: 'blk' });
  assert.deepEqual(
    inNs.map((p) => p.name),
    ['backup'],
  );
  assert.deepEqual((await cluster.listPodsOnNode('n2', 'app=backup')).items.map((p) => p.name).sort(), [
    'backup',
    'backup2',
  ]);
});

test('lists nodes, filtered by label, with their views', async () => {
  const all = await cluster.listNodes();
  assert.deepEqual(all.map((n) => n.name).sort(), ['n1', 'n2']);
  const b = await cluster.listNodes('pool=b');
  assert.deepEqual(
    b.map((n) => n.name),
    ['n2'],
  );
  const n1 = await cluster.getNode('n1');
  assert.equal(n1.bootID, 'boot-1');
  assert.deepEqual(n1.roles, ['worker']);
});

test('patchNode cordons and uncordons as kubectl does (uncordon removes the field), one request each', async () => {
  fx.sim.server.resetStats();
  const cordoned = await cluster.patchNode('n2', { unschedulable: true });
  assert.equal(cordoned.unschedulable, true, 'the answer is the node after the patch');
  assert.equal(fx.sim.store.get('nodes', undefined, 'n2').spec.unschedulable, true);
  const back = await cluster.patchNode('n2', { unschedulable: false });
  assert.equal(back.unschedulable, false);
  assert.equal(fx.sim.store.get('nodes', undefined, 'n2').spec.unschedulable, undefined);
  assert.deepEqual(fx.sim.server.stats().byKey, { 'patch nodes': 2 });
});

test('patchNode sets and removes labels and annotations, with the cordon in the same request', async () => {
  fx.sim.server.resetStats();
  let n = await cluster.patchNode('n1', {
    labels: { a: '1' },
    annotations: { 'x/y': 'z' },
    unschedulable: true,
  });
  assert.equal(n.labels['a'], '1');
  assert.equal(n.annotations['x/y'], 'z');
  assert.equal(n.unschedulable, true);
  n = await cluster.patchNode('n1', {
    labels: { a: null },
    annotations: { 'x/y': null },
    unschedulable: false,
  });
  assert.equal(n.labels['a'], undefined);
  assert.equal(n.annotations['x/y'], undefined);
  assert.equal(n.unschedulable, false);
  assert.equal(n.labels['node-role.kubernetes.io/worker'], '');
  assert.deepEqual(fx.sim.server.stats().byKey, { 'patch nodes': 2 });
  n = await cluster.getNode('n1');
  assert.equal(n.annotations['x/y'], undefined);
  assert.equal(fx.sim.store.get('nodes', undefined, 'n1').spec.unschedulable, undefined);
});

const MODIFIED =
  /^Operation cannot be fulfilled on nodes "cas-1": the object has been modified; please apply your changes to the latest version and try again$/;
const conflictOn = (e: unknown): boolean => e instanceof ConflictError && MODIFIED.test(e.message);

test('a compare-and-swap patch with the current resourceVersion writes; a stale one is a ConflictError and writes nothing', async () => {
  fx.sim.store.create('nodes', nodeObj('cas-1', 'boot-cas'));
  const read = await cluster.getNode('cas-1');
  const rv1 = read.resourceVersion ?? '';
  assert.ok(rv1);
  const written = await cluster.patchNode('cas-1', {
    annotations: { 'x/state': 'one' },
    ifResourceVersion: rv1,
  });
  assert.equal(written.annotations['x/state'], 'one');
  const rv2 = written.resourceVersion ?? '';
  assert.notEqual(rv2, rv1);

  // Merge patch (labels, annotations) and strategic merge patch (the cordon) both carry the version.
  fx.sim.server.resetStats();
  await assert.rejects(
    cluster.patchNode('cas-1', { annotations: { 'x/state': 'two' }, ifResourceVersion: rv1 }),
    conflictOn,
  );
  await assert.rejects(
    cluster.patchNode('cas-1', { labels: { l: 'v' }, ifResourceVersion: rv1 }),
    conflictOn,
  );
  await assert.rejects(
    cluster.patchNode('cas-1', {
      unschedulable: true,
      annotations: { 'x/state': 'two' },
      ifResourceVersion: rv1,
    }),
    conflictOn,
  );
  assert.deepEqual(fx.sim.server.stats().byKey, { 'patch nodes': 3 });
  const stored = fx.sim.store.get('nodes', undefined, 'cas-1');
  assert.equal(stored.metadata.resourceVersion, rv2, 'nothing was written');
  assert.equal(stored.metadata.annotations?.['x/state'], 'one');
  assert.equal(stored.metadata.labels?.['l'], undefined);
  assert.equal(stored.spec.unschedulable, undefined);

  const cordoned = await cluster.patchNode('cas-1', {
    unschedulable: true,
    annotations: { 'x/state': 'cordoned' },
    ifResourceVersion: rv2,
  });
  assert.equal(cordoned.unschedulable, true);
  assert.equal(cordoned.annotations['x/state'], 'cordoned');
  const rv3 = cordoned.resourceVersion ?? '';
  await assert.rejects(
    cluster.patchNode('cas-1', { unschedulable: false, ifResourceVersion: rv2 }),
    conflictOn,
  );
  assert.equal(fx.sim.store.get('nodes', undefined, 'cas-1').spec.unschedulable, true);
  const back = await cluster.patchNode('cas-1', { unschedulable: false, ifResourceVersion: rv3 });
  assert.equal(back.unschedulable, false);
  assert.equal(fx.sim.store.get('nodes', undefined, 'cas-1').spec.unschedulable, undefined);
});

test('a compare-and-swap with nothing else to write still checks the version; an empty version is refused unsent', async () => {
  const now = await cluster.getNode('cas-1');
  const same = await cluster.patchNode('cas-1', { ifResourceVersion: now.resourceVersion ?? '' });
  assert.equal(same.resourceVersion, now.resourceVersion, 'a no-op write changes nothing');
  await assert.rejects(cluster.patchNode('cas-1', { ifResourceVersion: '1' }), conflictOn);
  fx.sim.server.resetStats();
  await assert.rejects(
    cluster.patchNode('cas-1', { annotations: { a: 'b' }, ifResourceVersion: '' }),
    ConflictError,
  );
  assert.deepEqual(fx.sim.server.stats().byKey, {});
  assert.equal(fx.sim.store.get('nodes', undefined, 'cas-1').metadata.annotations?.['a'], undefined);
});

test('without ifResourceVersion a patch writes over whatever changed since the node was read', async () => {
  const old = await cluster.getNode('cas-1');
  fx.sim.store.patch('nodes', undefined, 'cas-1', 'application/merge-patch+json', {
    metadata: { annotations: { 'x/other': 'someone' } },
  });
  const n = await cluster.patchNode('cas-1', { annotations: { 'x/state': 'last' }, unschedulable: true });
  assert.notEqual(n.resourceVersion, old.resourceVersion);
  assert.equal(n.annotations['x/state'], 'last');
  assert.equal(n.annotations['x/other'], 'someone');
  assert.equal(n.unschedulable, true);
  const m = await cluster.patchNode('cas-1', { labels: { l: 'w' }, unschedulable: false });
  assert.equal(m.labels['l'], 'w');
  assert.equal(m.unschedulable, false);
});

test('evicting a pod that does not exist counts as gone (404)', async () => {
  assert.deepEqual(await cluster.evictPod({ namespace: 'ns0', name: 'ghost', uid: '' }), { kind: 'gone' });
});

test('evicting an existing pod is accepted', async () => {
  // A pod lives in a namespace that exists: the server refuses any create, evictions too, in one that does not.
  fx.sim.store.create('namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ev' },
  } as KObject);
  const pod = fx.sim.store.create('pods', podObj('ev', 'victim', 'n2'));
  const r = await cluster.evictPod({ namespace: 'ev', name: 'victim', uid: pod.metadata.uid ?? '' }, 0);
  assert.deepEqual(r, { kind: 'evicted' });
  assert.equal(fx.sim.store.tryGet('pods', 'ev', 'victim'), undefined);
});

test('waitPodsGone resolves as the pods are deleted or replaced, reporting each', async () => {
  const a = fx.sim.store.create('pods', podObj('w1', 'a', 'n2'));
  const b = fx.sim.store.create('pods', podObj('w2', 'b', 'n2'));
  const c = fx.sim.store.create('pods', podObj('w2', 'c', 'n2'));
  const refs = [a, b, c].map((p) => ({
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name,
    uid: p.metadata.uid ?? '',
  }));
  const gone: string[] = [];
  const ac = new AbortController();
  const waiting = cluster.waitPodsGone(refs, (p) => gone.push(p.name), ac.signal);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(gone.length, 0);
  fx.sim.store.remove('pods', 'w1', 'a');
  await until(() => gone.includes('a'), 5000, 'a gone');
  // same name, new uid: gone too
  fx.sim.store.remove('pods', 'w2', 'b');
  fx.sim.store.create('pods', podObj('w2', 'b', 'n2'));
  fx.sim.store.remove('pods', 'w2', 'c');
  await waiting;
  assert.deepEqual(gone.sort(), ['a', 'b', 'c']);
});

test('waitPodsGone resolves at once for pods already gone and rejects when aborted', async () => {
  const gone: string[] = [];
  await cluster.waitPodsGone(
    [{ namespace: 'zz', name: 'never', uid: 'u' }],
    (p) => gone.push(p.name),
    new AbortController().signal,
  );
  assert.deepEqual(gone, ['never']);
  const p = fx.sim.store.create('pods', podObj('w3', 'stays', 'n2'));
  const ac = new AbortController();
  const waiting = cluster.waitPodsGone(
    [{ namespace: 'w3', name: 'stays', uid: p.metadata.uid ?? '' }],
    () => undefined,
    ac.signal,
  );
  setTimeout(() => ac.abort(new Error('stop')), 100);
  await assert.rejects(waiting, /stop/);
});

test('watchNode reports the node now and at each change, across dropped streams', async () => {
  fx.sim.server.setFaults({ watchDropEverySec: 1, random: Math.random });
  try {
    const seen: string[] = [];
    const ac = new AbortController();
    const watching = cluster.watchNode('n1', (n) => seen.push(n.bootID), ac.signal);
    await until(() => seen.length === 1, 5000, 'initial view');
    assert.deepEqual(seen, ['boot-1']);
    fx.sim.server.resetStats();
    await new Promise((r) => setTimeout(r, 2300)); // at least two drops
    fx.sim.store.patch(
      'nodes',
      undefined,
      'n1',
      'application/merge-patch+json',
      { status: { nodeInfo: { bootID: 'boot-1b' } } },
      { subresource: 'status' },
    );
    await until(() => seen.includes('boot-1b'), 5000, 'change after reconnect');
    assert.ok((fx.sim.server.stats().byKey['watch nodes'] ?? 0) >= 2, 'reconnected');
    ac.abort();
    await watching;
    assert.deepEqual(seen, ['boot-1', 'boot-1b']);
  } finally {
    fx.sim.server.setFaults(undefined);
  }
});

test('a 403 becomes PermissionError naming verb and resource', async () => {
  const denied = await startFixture({
    authorize: (verb, resource) => !(verb === 'list' && resource === 'nodes'),
  });
  try {
    const c = new KubernetesCluster(denied.clients);
    await assert.rejects(
      c.listNodes(),
      (e: unknown) => e instanceof PermissionError && e.verb === 'list' && e.resource === 'nodes',
    );
  } finally {
    await denied.stop();
  }
});

test('the request timeout aborts a request the server is slow to answer', async () => {
  const slow = new KubernetesCluster(makeClients(fx.clients.kc, { requestTimeoutMs: 150 }));
  fx.sim.server.setFaults({ latencyMs: { base: 600, jitter: 0 }, random: Math.random });
  try {
    const t0 = Date.now();
    await assert.rejects(slow.getNode('n1'));
    assert.ok(Date.now() - t0 < 550, 'gave up before the answer came');
  } finally {
    fx.sim.server.setFaults(undefined);
  }
  assert.equal((await slow.getNode('n1')).name, 'n1');
});

test("getDaemonSet answers the DaemonSet's uid, undefined for NotFound, and rejects on any other error", async () => {
  const ds = fx.sim.store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'agent', image: 'agent:1' }] },
      },
    },
  });
  assert.deepEqual(await cluster.getDaemonSet('default', 'agent'), { uid: ds.metadata.uid });
  assert.equal(await cluster.getDaemonSet('default', 'gone'), undefined);
  fx.sim.server.setFaults({
    errorRate: [{ code: 503, rate: 1, verbs: ['get'], resources: ['daemonsets'] }],
    random: () => 0,
  });
  try {
    await assert.rejects(
      cluster.getDaemonSet('default', 'agent'),
      (e: unknown) => !(e instanceof PermissionError),
    );
  } finally {
    fx.sim.server.setFaults(undefined);
  }
  const denied = await startFixture({
    authorize: (verb, resource) => !(verb === 'get' && resource === 'daemonsets'),
  });
  try {
    await assert.rejects(
      new KubernetesCluster(denied.clients).getDaemonSet('default', 'agent'),
      (e: unknown) => e instanceof PermissionError && e.verb === 'get' && e.resource === 'daemonsets',
    );
  } finally {
    await denied.stop();
  }
});
