// Conversions from client-node objects (and raw watch JSON) to the domain views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node, V1NodeSystemInfo, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { toNodeView, toPdbView, toPodView, toMs } from '../../src/adapters/k8s/convert.js';

const node: V1Node = {
  metadata: {
    name: 'cp-1',
    resourceVersion: '42',
    labels: {
      'node-role.kubernetes.io/control-plane': '',
      'kubernetes.io/role': 'infra',
      'topology.kubernetes.io/zone': 'eu-1a',
    },
    annotations: { a: 'b' },
  },
  spec: { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] },
  status: {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: new Date('2024-05-01T10:00:00Z'),
        lastHeartbeatTime: new Date('2024-05-01T10:05:00Z'),
      },
    ],
    nodeInfo: { bootID: 'boot-1', kernelVersion: '6.1.0' } as V1NodeSystemInfo,
  },
};

test('node view takes roles from both label forms and marks control planes', () => {
  const v = toNodeView(node);
  assert.deepEqual(v.roles, ['control-plane', 'infra']);
  assert.equal(v.controlPlane, true);
  assert.equal(v.zone, 'eu-1a');
  assert.equal(v.unschedulable, true);
  assert.equal(v.ready, 'True');
  assert.equal(v.readySince, Date.parse('2024-05-01T10:00:00Z'));
  assert.equal(v.heartbeat, Date.parse('2024-05-01T10:05:00Z'));
  assert.equal(v.bootID, 'boot-1');
  assert.equal(v.kernel, '6.1.0');
  assert.equal(v.resourceVersion, '42');
  assert.deepEqual(v.taints, [{ key: 'k', effect: 'NoSchedule' }]);
});

test('node view reads raw watch JSON with string timestamps and no Ready condition as Unknown', () => {
  const raw = {
    metadata: { name: 'w', labels: { 'node-role.kubernetes.io/master': '' } },
    status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z' }] },
  } as unknown as V1Node;
  const v = toNodeView(raw);
  assert.equal(v.ready, 'False');
  assert.equal(v.readySince, Date.parse('2024-05-01T10:00:00Z'));
  assert.equal(v.controlPlane, true);
  assert.equal(v.bootID, '');
  assert.equal(toNodeView({ metadata: { name: 'x' } }).ready, 'Unknown');
});

test('a worker without role labels is not a control plane', () => {
  const v = toNodeView({ metadata: { name: 'w', labels: { 'node-role.kubernetes.io/worker': '' } } });
  assert.deepEqual(v.roles, ['worker']);
  assert.equal(v.controlPlane, false);
  assert.equal(v.zone, undefined);
});

test('pod view keeps only the controller owner, emptyDir, readiness and deletion time', () => {
  const pod: V1Pod = {
    metadata: {
      namespace: 'ns',
      name: 'p',
      uid: 'u1',
      deletionTimestamp: new Date('2024-05-01T00:00:00Z'),
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Other', name: 'o', uid: 'x' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'y', controller: true },
      ],
    },
    spec: { nodeName: 'n1', containers: [], volumes: [{ name: 'scratch', emptyDir: {} }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const v = toPodView(pod);
  assert.deepEqual(v.owner, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'rs',
    uid: 'y',
    controller: true,
  });
  assert.equal(v.hasEmptyDir, true);
  assert.equal(v.ready, true);
  assert.equal(v.nodeName, 'n1');
  assert.equal(v.deletionTimestamp, Date.parse('2024-05-01T00:00:00Z'));
  const bare = toPodView({ metadata: { namespace: 'ns', name: 'q', uid: 'u2' }, spec: { containers: [] } });
  assert.equal(bare.owner, undefined);
  assert.equal(bare.hasEmptyDir, false);
  assert.equal(bare.ready, false);
  assert.equal(bare.phase, 'Unknown');
});

test('pdb view keeps the selector, the budget and the status counts', () => {
  const pdb: V1PodDisruptionBudget = {
    metadata: { namespace: 'ns', name: 'web' },
    spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
    status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
  };
  const v = toPdbView(pdb);
  assert.deepEqual(v.selector, { matchLabels: { app: 'web' } });
  assert.equal(v.minAvailable, '50%');
  assert.equal(v.maxUnavailable, undefined);
  assert.equal(v.disruptionsAllowed, 1);
  assert.equal(v.expectedPods, 3);
});

test('toMs accepts Dates and strings and rejects garbage', () => {
  assert.equal(toMs(new Date(5)), 5);
  assert.equal(toMs('1970-01-01T00:00:01Z'), 1000);
  assert.equal(toMs('nope'), undefined);
  assert.equal(toMs(undefined), undefined);
});
