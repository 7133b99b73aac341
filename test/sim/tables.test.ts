// Server-side Table printing: kubectl-style ages, Accept negotiation and per-resource cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, toTable, wantsTable } from '../../src/sim/tables.js';
import type { KObject } from '../../src/sim/types.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('ages read like kubectl: seconds, minutes with seconds, hours, days with hours, years', () => {
  const cases: [number, string][] = [
    [5 * S, '5s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [5 * M, '5m'],
    [42 * M, '42m'],
    [3 * H + 5 * M, '3h5m'],
    [20 * H, '20h'],
    [2 * D + 4 * H, '2d4h'],
    [3 * D, '3d'],
    [30 * D, '30d'],
    [800 * D, '2y70d'],
    [3000 * D, '8y'],
    [-500, '0s'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('the Table media type is recognised in kubectl get Accept headers only', () => {
  assert.equal(
    wantsTable(
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    ),
    'v1',
  );
  assert.equal(wantsTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json'), 'v1beta1');
  assert.equal(wantsTable('application/json'), undefined);
  assert.equal(wantsTable(undefined), undefined);
});

test('a pod being deleted shows Terminating, and wide columns carry IP and node', () => {
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'ns',
      creationTimestamp: '2025-01-01T00:00:00Z',
      deletionTimestamp: '2025-01-01T00:01:00Z',
    },
    spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
    status: {
      phase: 'Running',
      podIP: '10.1.2.3',
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 2 },
        { name: 'b', ready: false, restartCount: 1 },
      ],
    },
  };
  const t = toTable('pods', [pod], { now: Date.parse('2025-01-01T00:02:00Z') });
  assert.deepEqual(t.rows[0]!.cells.slice(0, 7), ['p', '1/2', 'Terminating', 3, '2m', '10.1.2.3', 'n1']);
  assert.equal(t.rows[0]!.object!.kind, 'PartialObjectMetadata');
  assert.equal(t.rows[0]!.object!.metadata.namespace, 'ns');
});

test('PDB rows show N/A for the unset bound; unknown resources get NAME and AGE', () => {
  const pdb: KObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { maxUnavailable: '25%' },
    status: { disruptionsAllowed: 0 },
  };
  const now = Date.parse('2025-01-03T04:00:00Z');
  assert.deepEqual(toTable('poddisruptionbudgets', [pdb], { now }).rows[0]!.cells, [
    'web',
    'N/A',
    '25%',
    0,
    '2d4h',
  ]);
  const other = toTable('widgets', [pdb], { now, includeObject: 'None' });
  assert.deepEqual(
    other.columnDefinitions.map((c) => c.name),
    ['Name', 'Age'],
  );
  assert.equal(other.rows[0]!.object, undefined);
});
