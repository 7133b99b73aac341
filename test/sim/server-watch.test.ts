// The simulated API server over real HTTPS: Table views for get, and watch streams.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { createStore } from '../../src/sim/store.js';
import { seedSmallCluster } from '../support/seed.js';
import { api, watch, type Target } from '../support/https-client.js';

const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let sim: RunningSim;
let t: Target;
const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));

before(async () => {
  const store = createStore(clock, { historySize: 50 });
  seedSmallCluster(store);
  sim = await startSim({ store, clock });
  t = { port: sim.port, ca: sim.ca, token: sim.token };
});

after(async () => {
  await sim.stop();
});

test('get as Table gives kubectl columns and partial metadata rows', async () => {
  sim.store.patch('nodes', undefined, 'worker-2', 'application/merge-patch+json', {
    spec: { unschedulable: true },
  });
  clock.advance(125_000);
  const res = await api(t, 'GET', '/api/v1/nodes', { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(res.json.kind, 'Table');
  assert.equal(res.json.apiVersion, 'meta.k8s.io/v1');
  const cols = res.json.columnDefinitions.map(
    (c: { name: string; priority: number }) => `${c.name}:${c.priority}`,
  );
  assert.deepEqual(cols.slice(0, 6), [
    'Name:0',
    'Status:0',
    'Roles:0',
    'Age:0',
    'Version:0',
    'Internal-IP:1',
  ]);
  const rows = new Map(res.json.rows.map((r: { cells: string[] }) => [r.cells[0], r]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const w2 = rows.get('worker-2') as any;
  assert.deepEqual(w2.cells.slice(1, 6), [
    'Ready,SchedulingDisabled',
    '<none>',
    '2m5s',
    'v1.32.4',
    '10.0.0.12',
  ]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.equal((rows.get('cp-1') as any).cells[2], 'control-plane');
  assert.equal(w2.object.kind, 'PartialObjectMetadata');
  assert.equal(w2.object.metadata.name, 'worker-2');
  const pods = await api(t, 'GET', '/api/v1/pods', { headers: { Accept: TABLE_ACCEPT } });
  const podRow = pods.json.rows.find((r: { cells: string[] }) => r.cells[0] === 'web-7d9f-fghij');
  assert.deepEqual(podRow.cells.slice(1, 4), ['1/1', 'Running', 0]);
  assert.equal(podRow.object.metadata.namespace, 'shop');
});

test('watch streams MODIFIED events from the given resourceVersion', async () => {
  const rv = (await api(t, 'GET', '/api/v1/nodes')).json.metadata.resourceVersion;
  // A change made before the watch starts is replayed, because it is newer than rv.
  sim.store.patch('nodes', undefined, 'cp-1', 'application/merge-patch+json', {
    metadata: { labels: { a: '1' } },
  });
  const w = watch(t, `/api/v1/nodes?watch=1&resourceVersion=${rv}`);
  assert.equal(await w.status, 200);
  const first = await w.next((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.a === '1');
  assert.equal(first.object.kind, 'Node');
  sim.store.patch('nodes', undefined, 'cp-1', 'application/merge-patch+json', {
    metadata: { labels: { a: '2' } },
  });
  const second = await w.next((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.a === '2');
  assert.equal(second.object.metadata.name, 'cp-1');
  assert.equal(w.events.filter((e) => e.type === 'ADDED').length, 0);
  w.close();
});

test('watch as Table carries one-row Tables, like get -w', async () => {
  const rv = (await api(t, 'GET', '/api/v1/nodes')).json.metadata.resourceVersion;
  const w = watch(t, `/api/v1/nodes?watch=1&resourceVersion=${rv}`, { headers: { Accept: TABLE_ACCEPT } });
  await w.status;
  sim.store.patch('nodes', undefined, 'worker-1', 'application/strategic-merge-patch+json', {
    spec: { unschedulable: true },
  });
  const e = await w.next((x) => x.type === 'MODIFIED');
  assert.equal(e.object.kind, 'Table');
  assert.equal(e.object.rows.length, 1);
  assert.equal(e.object.rows[0].cells[1], 'Ready,SchedulingDisabled');
  w.close();
});

test('watch from an expired resourceVersion gets an ERROR event with a 410 Status, then ends', async () => {
  // The store keeps 50 changes per resource; 60 more push the early node versions out.
  for (let i = 0; i < 60; i++) {
    sim.store.patch('nodes', undefined, 'cp-1', 'application/merge-patch+json', {
      metadata: { labels: { i: String(i) } },
    });
  }
  const w = watch(t, '/api/v1/nodes?watch=true&resourceVersion=2');
  assert.equal(await w.status, 200);
  await w.ended;
  assert.equal(w.events.length, 1);
  assert.equal(w.events[0].type, 'ERROR');
  assert.equal(w.events[0].object.kind, 'Status');
  assert.equal(w.events[0].object.code, 410);
});

test('watch ends after timeoutSeconds', async () => {
  const w = watch(t, '/api/v1/nodes?watch=1&timeoutSeconds=1');
  const started = Date.now();
  await w.ended;
  assert.ok(Date.now() - started >= 900);
  assert.equal(w.events.filter((e) => e.type === 'ADDED').length, 3);
});

test('a watch that allows bookmarks gets BOOKMARK events with the current resourceVersion', async () => {
  const s = await startSim({ store: sim.store, clock, bookmarkIntervalMs: 100 });
  try {
    const w = watch(
      { port: s.port, ca: s.ca, token: s.token },
      '/api/v1/pods?watch=1&allowWatchBookmarks=true',
    );
    const b = await w.next((e) => e.type === 'BOOKMARK');
    assert.equal(b.object.kind, 'Pod');
    assert.equal(b.object.metadata.resourceVersion, String(sim.store.currentResourceVersion()));
    w.close();
  } finally {
    await s.stop();
  }
});

test('the watch-drop fault closes watch streams after the given seconds', async () => {
  sim.server.setFaults({ watchDropEverySec: 0.3, random: () => 0.5 });
  try {
    const rv = sim.store.currentResourceVersion();
    const w = watch(t, `/api/v1/nodes?watch=1&resourceVersion=${rv}`);
    const started = Date.now();
    await w.ended;
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 2000, `ended after ${took} ms`);
  } finally {
    sim.server.setFaults(undefined);
  }
});

test('the legacy /watch/ path watches one named object, and label selectors narrow a watch', async () => {
  const rv = sim.store.currentResourceVersion();
  const one = watch(t, `/api/v1/watch/namespaces/shop/pods/web-7d9f-fghij?resourceVersion=${rv}`);
  const labelled = watch(t, `/api/v1/pods?watch=1&labelSelector=app%3Dproxy&resourceVersion=${rv}`);
  await Promise.all([one.status, labelled.status]);
  for (const name of ['web-7d9f-abcde', 'web-7d9f-fghij']) {
    sim.store.patch('pods', 'shop', name, 'application/merge-patch+json', {
      metadata: { annotations: { n: name } },
    });
  }
  sim.store.patch('pods', 'kube-system', 'proxy-x1', 'application/merge-patch+json', {
    metadata: { annotations: { n: '1' } },
  });
  await one.next((e) => e.object.metadata.name === 'web-7d9f-fghij');
  await labelled.next((e) => e.object.metadata.name === 'proxy-x1');
  assert.deepEqual(
    one.events.map((e) => e.object.metadata.name),
    ['web-7d9f-fghij'],
  );
  assert.deepEqual(
    labelled.events.map((e) => e.object.metadata.name),
    ['proxy-x1'],
  );
  one.close();
  labelled.close();
});
