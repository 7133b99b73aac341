// Over real HTTPS, the simulator answers as kube-apiserver does: the Status body of an invalid create
// (also with dryRun), a Lease update without resourceVersion, patches whose result is invalid or does not
// decode, and field selectors a resource does not support. Rows are named after the rule they mirror.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { createStore } from '../../src/sim/store.js';
import type { KObject, Store } from '../../src/sim/types.js';
import { seedSmallCluster } from '../support/seed.js';
import { api, type Target } from '../support/https-client.js';

let sim: RunningSim;
let store: Store;
let t: Target;
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' };
const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };

before(async () => {
  const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));
  store = createStore(clock);
  seedSmallCluster(store);
  store.create('leases', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'lock', namespace: 'default' },
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: '2025-06-02T10:00:00.000000Z' },
  } as unknown as KObject);
  sim = await startSim({
    store,
    clock,
    hooks: { evict: () => assert.fail('no evictions here'), podLog: () => '' },
  });
  t = { port: sim.port, ca: sim.ca, token: sim.token };
});

after(async () => {
  await sim.stop();
});

const badPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'worker-1' } };

test('an invalid create is a 422 Status with the cause per field (ValidatePodSpec: containers required)', async () => {
  const r = await api(t, 'POST', '/api/v1/namespaces/default/pods', { body: badPod });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Pod "p" is invalid: spec.containers: Required value',
    reason: 'Invalid',
    details: {
      name: 'p',
      kind: 'Pod',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
    },
    code: 422,
  });
});

test('dryRun=All validates as a real create does, and stores nothing', async () => {
  const bad = await api(t, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { body: badPod });
  assert.equal(bad.status, 422);
  const good = { ...badPod, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  const ok = await api(t, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { body: good });
  assert.equal(ok.status, 201);
  assert.equal(store.tryGet('pods', 'default', 'p'), undefined);
});

test('registry Update: a Lease update without resourceVersion is refused (AllowUnconditionalUpdate false)', async () => {
  const cur = store.get('leases', 'default', 'lock');
  const { resourceVersion: _rv, ...meta } = cur.metadata;
  const r = await api(t, 'PUT', `${LEASES}/lock`, { body: { ...cur, metadata: meta } });
  assert.equal(r.status, 422);
  assert.equal(r.json.reason, 'Invalid');
  assert.equal(
    r.json.message,
    'leases.coordination.k8s.io "lock" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
  );
  assert.deepEqual(r.json.details, {
    name: 'lock',
    group: 'coordination.k8s.io',
    kind: 'leases',
    causes: [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0x0: must be specified for an update',
        field: 'metadata.resourceVersion',
      },
    ],
  });
  const withRv = await api(t, 'PUT', `${LEASES}/lock`, { body: cur });
  assert.equal(withRv.status, 200, 'the same update with its resourceVersion is accepted');
});

test('registry Update: a Node update without resourceVersion is accepted (AllowUnconditionalUpdate true)', async () => {
  const cur = store.get('nodes', undefined, 'worker-2');
  const { resourceVersion: _rv, ...meta } = cur.metadata;
  const r = await api(t, 'PUT', '/api/v1/nodes/worker-2', {
    body: { ...cur, metadata: { ...meta, labels: { ...meta.labels, team: 'a' } } },
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.metadata.labels.team, 'a');
});

const PATCHES: readonly {
  rule: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  message: string | RegExp;
}[] = [
  {
    rule: 'ValidateLeaseSpec on a merge patch result: leaseDurationSeconds > 0',
    path: `${LEASES}/lock`,
    headers: MERGE,
    body: { spec: { leaseDurationSeconds: 0 } },
    message:
      'Lease.coordination.k8s.io "lock" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  },
  {
    rule: 'ValidateLabels on a strategic merge patch result: a label value is at most 63 characters',
    path: '/api/v1/nodes/worker-1',
    headers: STRATEGIC,
    body: { metadata: { labels: { pool: 'x'.repeat(64) } } },
    message: `Node "worker-1" is invalid: metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
  },
  {
    rule: 'ValidateAnnotations on a JSON patch result: 256 KiB in all',
    path: '/api/v1/nodes/worker-1',
    headers: JSON_PATCH,
    body: [{ op: 'add', path: '/metadata/annotations', value: { big: 'x'.repeat(262144) } }],
    message: 'Node "worker-1" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
  },
  {
    rule: 'patch.go: a JSON patch result that does not decode (int32 from a string)',
    path: `${LEASES}/lock`,
    headers: JSON_PATCH,
    body: [{ op: 'replace', path: '/spec/leaseDurationSeconds', value: '15' }],
    message:
      /^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field LeaseSpec\.spec\.leaseDurationSeconds of type int32$/,
  },
  {
    rule: 'patch.go: a strategic merge patch result that does not decode (converter: string into int32)',
    path: `${LEASES}/lock`,
    headers: STRATEGIC,
    body: { spec: { leaseDurationSeconds: '15' } },
    message:
      ' "" is invalid: patch: Invalid value: "map[spec:map[leaseDurationSeconds:15]]": unrecognized type: int32',
  },
  {
    rule: 'patch.go: a merge patch result that does not decode (MicroTime without microseconds)',
    path: `${LEASES}/lock`,
    headers: MERGE,
    body: { spec: { renewTime: '2025-06-02T10:00:05Z' } },
    message:
      /^ "" is invalid: patch: Invalid value: ".*": parsing time "2025-06-02T10:00:05Z" as "2006-01-02T15:04:05\.000000Z07:00": cannot parse "Z" as "\.000000"$/,
  },
];

for (const p of PATCHES) {
  test(`a patch whose result a real server refuses is 422 Invalid: ${p.rule}`, async () => {
    const before = JSON.stringify(await api(t, 'GET', p.path).then((r) => r.json));
    const r = await api(t, 'PATCH', p.path, { body: p.body, headers: p.headers });
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    if (typeof p.message === 'string') assert.equal(r.json.message, p.message);
    else assert.match(r.json.message, p.message);
    const after = JSON.stringify(await api(t, 'GET', p.path).then((r) => r.json));
    assert.equal(after, before, 'the object is unchanged');
  });
}

const SELECTORS: readonly (readonly [string, string, string, string])[] = [
  [
    'pods: only the fields of the Pod conversion func',
    '/api/v1/pods',
    'spec.containers=x',
    'field label not supported: spec.containers',
  ],
  [
    'nodes: no metadata.namespace (Node conversion func)',
    '/api/v1/nodes',
    'metadata.namespace=default',
    'field label not supported: metadata.namespace',
  ],
  [
    'namespaces: status.phase and metadata.name only',
    '/api/v1/namespaces',
    'metadata.namespace=x',
    'field label not supported: metadata.namespace',
  ],
  [
    'events: only the Event conversion func fields',
    '/api/v1/events',
    'message=x',
    'field label not supported: message',
  ],
  [
    'leases: DefaultMetaV1FieldSelectorConversion',
    LEASES,
    'spec.holderIdentity=a',
    '"spec.holderIdentity" is not a known field selector: only "metadata.name", "metadata.namespace"',
  ],
  [
    'replicasets (apps/v1 has no conversion func): DefaultMetaV1FieldSelectorConversion',
    '/apis/apps/v1/replicasets',
    'status.replicas=2',
    '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  ],
];

for (const [rule, path, selector, message] of SELECTORS) {
  test(`an unsupported field selector is 400 BadRequest: ${rule}`, async () => {
    const r = await api(t, 'GET', `${path}?fieldSelector=${encodeURIComponent(selector)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json.reason, 'BadRequest');
    assert.equal(r.json.message, message);
  });
}

test('pods: spec.host is the old name of spec.nodeName, and status.podIPs is accepted', async () => {
  const byHost = await api(
    t,
    'GET',
    `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.host=worker-2')}`,
  );
  assert.equal(byHost.status, 200);
  assert.deepEqual(
    byHost.json.items.map((p: KObject) => p.metadata.name),
    ['web-7d9f-fghij'],
  );
  const ips = await api(
    t,
    'GET',
    `/api/v1/pods?fieldSelector=${encodeURIComponent('status.podIPs=10.0.0.1')}`,
  );
  assert.equal(ips.status, 200);
});

test('a create in a namespace that does not exist is 404 namespaces "x" not found (NamespaceLifecycle admission)', async () => {
  const pod = { ...badPod, metadata: { name: 'p', namespace: 'nowhere' } };
  const r = await api(t, 'POST', '/api/v1/namespaces/nowhere/pods', { body: pod });
  assert.equal(r.status, 404);
  const body = r.json as { reason: string; message: string; details: { name: string; kind: string } };
  assert.equal(body.reason, 'NotFound');
  assert.equal(body.message, 'namespaces "nowhere" not found');
  assert.deepEqual([body.details.name, body.details.kind], ['nowhere', 'namespaces']);
  assert.equal(store.tryGet('pods', 'nowhere', 'p'), undefined);
});
