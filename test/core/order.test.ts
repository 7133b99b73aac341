// Candidate selection and ordering: selector, opt-out label, control-plane last, zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderNodes, pickNext, selectCandidates, zoneAllows } from '../../src/core/order.js';
import type { NodeView, SentinelResult } from '../../src/core/types.js';

function node(name: string, o: Partial<NodeView> = {}): NodeView {
  return {
    name,
    labels: {},
    annotations: {},
    unschedulable: false,
    taints: [],
    ready: 'True',
    bootID: `b-${name}`,
    kubeletVersion: 'v1.31.0',
    os: 'linux',
    roles: [],
    controlPlane: false,
    ...o,
  };
}
const required: SentinelResult = { kind: 'required', reason: '/run/reboot-required exists', source: 'probe' };

test('control-plane nodes come last, each group ordered by name', () => {
  const nodes = [
    node('cp1', { controlPlane: true }),
    node('w2'),
    node('a0', { controlPlane: true }),
    node('w1'),
  ];
  assert.deepEqual(
    orderNodes(nodes).map((n) => n.name),
    ['w1', 'w2', 'a0', 'cp1'],
  );
});

test('zone-interleaved order alternates zones', () => {
  const nodes = [
    node('a1', { zone: 'a' }),
    node('a2', { zone: 'a' }),
    node('b1', { zone: 'b' }),
    node('c1', { zone: 'c' }),
  ];
  assert.deepEqual(
    orderNodes(nodes, 'zone-interleaved').map((n) => n.name),
    ['a1', 'b1', 'c1', 'a2'],
  );
});

test('only selected, required, not opted-out nodes are candidates; others say why', () => {
  const nodes = [
    node('w1'),
    node('w2', { labels: { 'reboot-daemon.io/exclude': 'true' } }),
    node('w3', { labels: { pool: 'gpu' } }),
    node('w4'),
    node('w5'),
  ];
  const probes = new Map<string, SentinelResult>([
    ['w1', required],
    ['w2', required],
    ['w3', required],
    ['w4', { kind: 'unknown', error: 'pod timed out', source: 'probe' }],
    ['w5', { kind: 'not-required', source: 'probe' }],
  ]);
  const sel = selectCandidates(nodes, probes, { matches: (l) => l['pool'] !== 'gpu' });
  assert.deepEqual(
    sel.candidates.map((c) => c.node.name),
    ['w1'],
  );
  const why = Object.fromEntries(sel.others.map((o) => [o.node.name, o.verdict]));
  assert.deepEqual(why, { w2: 'excluded', w3: 'not-selected', w4: 'unknown', w5: 'not-required' });
  assert.match(
    sel.others.find((o) => o.node.name === 'w4')?.reason ?? '',
    /check failed, not rebooting: pod timed out/,
  );
});

test('max-per-zone refuses a node whose zone is full and picks the next one that fits', () => {
  const budget = { maxPerZone: 1, inProgress: [{ node: 'a1', zone: 'a' }] };
  assert.equal(zoneAllows({ name: 'a2', zone: 'a' }, budget).ok, false);
  const next = pickNext([{ node: { name: 'a2', zone: 'a' } }, { node: { name: 'b1', zone: 'b' } }], budget);
  assert.equal(next.found && next.index, 1);
  const none = pickNext([{ node: { name: 'a2', zone: 'a' } }], budget);
  assert.equal(none.found, false);
  assert.match(none.found ? '' : none.reason, /zone a already has 1\/1 in progress \(a1\)/);
});

test('without a limit or a zone every node may start', () => {
  assert.equal(zoneAllows({ name: 'x', zone: 'a' }, { inProgress: [{ node: 'y', zone: 'a' }] }).ok, true);
  assert.equal(zoneAllows({ name: 'x' }, { maxPerZone: 1, inProgress: [{ node: 'y' }] }).ok, true);
});
