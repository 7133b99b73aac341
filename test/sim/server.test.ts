// The simulated API server over real HTTPS: discovery, CRUD, paging, patches, auth, RBAC, faults.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { createStore } from '../../src/sim/store.js';
import { seedSmallCluster } from '../support/seed.js';
import { api, type Target } from '../support/https-client.js';
import type { KObject } from '../../src/sim/types.js';

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

let sim: RunningSim;
let t: Target;
const evictions: string[] = [];
const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));

before(async () => {
  const store = createStore(clock, { historySize: 50 });
  seedSmallCluster(store);
  sim = await startSim({
    store,
    clock,
    hooks: {
      evict(ns, name) {
        evictions.push(`${ns}/${name}`);
        return {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: { name: '' },
          status: 'Success',
          code: 201,
        } as unknown as KObject;
      },
      podLog: (ns, name) => `log of ${ns}/${name}\n`,
    },
  });
  t = { port: sim.port, ca: sim.ca, token: sim.token };
});

after(async () => {
  await sim.stop();
});

test('discovery lists the core resources and pods/eviction in group policy', async () => {
  const v = await api(t, 'GET', '/version');
  assert.equal(v.status, 200);
  assert.equal(v.json.minor, '32');
  const core = await api(t, 'GET', '/api');
  assert.deepEqual(core.json.versions, ['v1']);
  const list = await api(t, 'GET', '/api/v1');
  assert.equal(list.json.kind, 'APIResourceList');
  const eviction = list.json.resources.find((r: { name: string }) => r.name === 'pods/eviction');
  assert.deepEqual(
    { group: eviction.group, version: eviction.version, kind: eviction.kind, verbs: eviction.verbs },
    { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  );
  const nodes = list.json.resources.find((r: { name: string }) => r.name === 'nodes');
  assert.equal(nodes.namespaced, false);
  assert.ok(nodes.shortNames.includes('no'));
});

test('aggregated discovery requests get plain JSON with application/json', async () => {
  const groups = await api(t, 'GET', '/apis', { headers: { Accept: AGGREGATED_ACCEPT } });
  assert.equal(groups.status, 200);
  assert.equal(groups.headers['content-type'], 'application/json');
  assert.equal(groups.json.kind, 'APIGroupList');
  const names = groups.json.groups.map((g: { name: string }) => g.name);
  for (const g of ['apps', 'policy', 'coordination.k8s.io']) assert.ok(names.includes(g), g);
  const policy = await api(t, 'GET', '/apis/policy/v1');
  assert.ok(policy.json.resources.some((r: { name: string }) => r.name === 'poddisruptionbudgets'));
});

test('/openapi/v2 answers JSON or protobuf as asked, and /openapi/v3 points at one document per group/version', async () => {
  const v2 = await api(t, 'GET', '/openapi/v2');
  assert.equal(v2.status, 200);
  assert.equal(v2.json.swagger, '2.0');
  assert.ok(v2.json.definitions['io.k8s.api.apps.v1.DaemonSet']);
  const pb = await api(t, 'GET', '/openapi/v2', {
    headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
  });
  assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  assert.match(pb.text, /io\.k8s\.api\.apps\.v1\.DaemonSet/);
  const v3 = await api(t, 'GET', '/openapi/v3');
  const url = v3.json.paths['apis/apps/v1'].serverRelativeURL as string;
  assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
  const apps = await api(t, 'GET', url);
  assert.equal(apps.json.openapi, '3.0.0');
  assert.ok(apps.json.components.schemas['io.k8s.api.apps.v1.Deployment']);
  const missing = await api(t, 'GET', '/openapi/v3/apis/batch/v1');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.kind, 'Status');
});

test('requests without the bearer token get 401 Unauthorized', async () => {
  const none = await api(t, 'GET', '/api/v1/nodes', { anonymous: true });
  assert.equal(none.status, 401);
  assert.equal(none.json.reason, 'Unauthorized');
  const wrong = await api({ ...t, token: 'nope' }, 'GET', '/api/v1/nodes');
  assert.equal(wrong.status, 401);
  const health = await api(t, 'GET', '/healthz', { anonymous: true });
  assert.equal(health.text, 'ok');
});

test('list pages through pods across namespaces with limit and continue', async () => {
  const first = await api(t, 'GET', '/api/v1/pods?limit=2');
  assert.equal(first.status, 200);
  assert.equal(first.json.kind, 'PodList');
  assert.equal(first.json.items.length, 2);
  assert.ok(first.json.metadata.continue);
  for (const p of first.json.items) assert.deepEqual([p.kind, p.apiVersion], ['Pod', 'v1']);
  const second = await api(
    t,
    'GET',
    `/api/v1/pods?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`,
  );
  assert.equal(second.json.items.length, 1);
  assert.equal(second.json.metadata.continue, undefined);
  const names = [...first.json.items, ...second.json.items].map(
    (p: KObject) => `${p.metadata.namespace}/${p.metadata.name}`,
  );
  assert.deepEqual(names, ['kube-system/proxy-x1', 'shop/web-7d9f-abcde', 'shop/web-7d9f-fghij']);
  const onNode = await api(t, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1&limit=500');
  assert.deepEqual(onNode.json.items.map((p: KObject) => p.metadata.name).sort(), [
    'proxy-x1',
    'web-7d9f-abcde',
  ]);
});

test('a PUT with a stale resourceVersion gets 409 Conflict as a Status', async () => {
  const cur = (await api(t, 'GET', '/api/v1/nodes/worker-2')).json;
  const fresh = await api(t, 'PUT', '/api/v1/nodes/worker-2', {
    body: { ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, zone: 'a' } } },
  });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.json.metadata.labels.zone, 'a');
  const stale = await api(t, 'PUT', '/api/v1/nodes/worker-2', {
    body: { ...cur, metadata: { ...cur.metadata, labels: { zone: 'b' } } },
  });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.kind, 'Status');
  assert.equal(stale.json.reason, 'Conflict');
  assert.match(stale.json.message, /nodes "worker-2"/);
});

test('strategic-merge patches cordon and uncordon a node', async () => {
  const sm = { 'Content-Type': 'application/strategic-merge-patch+json' };
  const cordoned = await api(t, 'PATCH', '/api/v1/nodes/worker-1', {
    body: { spec: { unschedulable: true } },
    headers: sm,
  });
  assert.equal(cordoned.status, 200);
  assert.equal(cordoned.json.kind, 'Node');
  assert.equal(sim.store.get('nodes', undefined, 'worker-1').spec.unschedulable, true);
  await api(t, 'PATCH', '/api/v1/nodes/worker-1', { body: { spec: { unschedulable: null } }, headers: sm });
  assert.equal(sim.store.get('nodes', undefined, 'worker-1').spec?.unschedulable, undefined);
  const merge = await api(t, 'PATCH', '/api/v1/nodes/worker-1', {
    body: { metadata: { annotations: { note: 'hi' } } },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
  assert.equal(merge.json.metadata.annotations.note, 'hi');
  const apply = await api(t, 'PATCH', '/api/v1/nodes/worker-1', {
    body: 'spec: {}',
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
  });
  assert.equal(apply.status, 415);
  assert.equal(apply.json.kind, 'Status');
});

test('bad requests: unknown path 404, non-JSON body 400, protobuf 415, missing object 404', async () => {
  const unknown = await api(t, 'GET', '/api/v1/widgets');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.reason, 'NotFound');
  const garbage = await api(t, 'POST', '/api/v1/namespaces/default/pods', { body: '{not json' });
  assert.equal(garbage.status, 400);
  assert.equal(garbage.json.reason, 'BadRequest');
  const proto = await api(t, 'POST', '/api/v1/namespaces/default/pods', {
    body: 'x',
    headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
  });
  assert.equal(proto.status, 415);
  const missing = await api(t, 'GET', '/api/v1/namespaces/shop/pods/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.message, 'pods "nope" not found');
});

test('create takes the namespace from the path and answers 201; delete returns the object', async () => {
  const created = await api(t, 'POST', '/api/v1/namespaces/default/pods', {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tmp' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    },
  });
  assert.equal(created.status, 201);
  assert.equal(created.json.metadata.namespace, 'default');
  const deleted = await api(t, 'DELETE', '/api/v1/namespaces/default/pods/tmp', {
    body: { gracePeriodSeconds: 0 },
  });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.json.metadata.name, 'tmp');
  assert.equal(sim.store.tryGet('pods', 'default', 'tmp'), undefined);
});

test('eviction and log subresources go to the hooks', async () => {
  const ev = await api(t, 'POST', '/api/v1/namespaces/shop/pods/web-7d9f-abcde/eviction', {
    body: {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-7d9f-abcde', namespace: 'shop' },
    },
  });
  assert.equal(ev.status, 201);
  assert.deepEqual(evictions, ['shop/web-7d9f-abcde']);
  const log = await api(t, 'GET', '/api/v1/namespaces/shop/pods/web-7d9f-abcde/log');
  assert.equal(log.text, 'log of shop/web-7d9f-abcde\n');
  assert.match(String(log.headers['content-type']), /^text\/plain/);
});

test('fault injection at rate 1.0 answers 503 or 429 Status errors for matching requests', async () => {
  sim.server.setFaults({ errorRate: [{ code: 503, rate: 1, verbs: ['list'] }], random: () => 0.5 });
  const failed = await api(t, 'GET', '/api/v1/pods');
  assert.equal(failed.status, 503);
  assert.equal(failed.json.kind, 'Status');
  assert.equal(failed.json.reason, 'ServiceUnavailable');
  const get = await api(t, 'GET', '/api/v1/nodes/cp-1');
  assert.equal(get.status, 200);
  sim.server.setFaults({
    errorRate: [{ code: 429, rate: 1, resources: ['pods/eviction'] }],
    random: () => 0,
  });
  const limited = await api(t, 'POST', '/api/v1/namespaces/shop/pods/web-7d9f-abcde/eviction', { body: {} });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '1');
  assert.equal(limited.json.details.retryAfterSeconds, 1);
  sim.server.setFaults(undefined);
  assert.equal((await api(t, 'GET', '/api/v1/pods')).status, 200);
  const stats = sim.server.stats();
  assert.ok((stats.byKey['list pods'] ?? 0) >= 3);
  assert.ok(stats.total > 10);
});

test('an authorize hook that refuses gives 403 Forbidden naming user, verb and resource', async () => {
  const store = createStore(clock);
  seedSmallCluster(store);
  const s = await startSim({
    store,
    clock,
    user: 'reboot',
    authorize: (verb, resource) => !(verb === 'patch' && resource === 'nodes'),
  });
  try {
    const res = await api({ port: s.port, ca: s.ca, token: s.token }, 'PATCH', '/api/v1/nodes/worker-1', {
      body: { spec: { unschedulable: true } },
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    });
    assert.equal(res.status, 403);
    assert.equal(
      res.json.message,
      'nodes "worker-1" is forbidden: User "reboot" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
  } finally {
    await s.stop();
  }
});
