// Drain filters: kubectl drain's order and semantics, and the grouped error messages that name the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyPod as classifyWith,
  defaultDrainFilterOptions,
  defaultFilters,
  planDrain as planWith,
  type DrainFilter,
  type DrainFilterOptions,
} from '../../src/core/filters.js';
import { daemonSetToCheck, type DrainFacts } from '../../src/core/daemonset-owner.js';
import type { PodView } from '../../src/core/types.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function pod(name: string, extra: Partial<PodView> = {}): PodView {
  return {
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    nodeName: 'n1',
    phase: 'Running',
    labels: {},
    annotations: {},
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', controller: true },
    hasEmptyDir: false,
    ready: true,
    ...extra,
  };
}
/** Facts saying every DaemonSet these pods name exists (the orphan cases are in kubectl-drain-cases.test.ts). */
function live(pods: readonly PodView[]): DrainFacts {
  const daemonSets = new Map<string, { kind: 'exists'; uid: string }>();
  for (const p of pods) {
    const key = daemonSetToCheck(p);
    if (key !== undefined) daemonSets.set(key, { kind: 'exists', uid: p.owner?.uid ?? '' });
  }
  return { daemonSets };
}
const planDrain = (
  pods: readonly PodView[],
  o: DrainFilterOptions,
  now: number,
  filters?: readonly DrainFilter[],
): ReturnType<typeof planWith> => planWith(pods, o, now, live(pods), filters);
const classifyPod = (p: PodView, o: DrainFilterOptions, now: number): ReturnType<typeof classifyWith> =>
  classifyWith(p, o, now, live([p]));
const opts = (o: Partial<DrainFilterOptions> = {}): DrainFilterOptions => ({
  ...defaultDrainFilterOptions,
  ...o,
});

test('a pod owned by a ReplicaSet is evicted', () => {
  assert.equal(classifyPod(pod('a'), opts(), NOW).action, 'evict');
});

test('running DaemonSet pods are left in place by default, not evicted', () => {
  const p = pod('ds', {
    owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', controller: true },
  });
  const plan = planDrain([p, pod('a')], opts(), NOW);
  assert.equal(plan.ok, true);
  assert.deepEqual(
    plan.evict.map((x) => x.name),
    ['a'],
  );
  assert.equal(plan.skipped[0]?.verdict.reason, 'daemonset');
});

test("another run's helper pod on the node is skipped: it neither blocks the drain as a bare pod nor is evicted", () => {
  const helper = (role: string, labels: Record<string, string> = {}): PodView =>
    pod(`reboot-daemon-${role}-n1-abc123`, {
      namespace: 'reboot-daemon',
      owner: undefined,
      labels: { 'app.kubernetes.io/managed-by': 'reboot-daemon', 'reboot-daemon.io/role': role, ...labels },
    });
  const plan = planDrain([helper('check'), helper('reboot'), pod('a')], opts(), NOW);
  assert.equal(plan.ok, true, plan.message);
  assert.deepEqual(
    plan.evict.map((x) => x.name),
    ['a'],
  );
  assert.deepEqual(
    plan.skipped.map((d) => [d.verdict.reason, d.verdict.message]),
    [
      ['helper', 'a reboot-daemon check pod (short-lived, with a deadline)'],
      ['helper', 'a reboot-daemon reboot pod (short-lived, with a deadline)'],
    ],
  );
  // Only ours: the labels without a role, or on a pod with a controller, are an ordinary pod.
  const lookalike = pod('x', {
    owner: undefined,
    labels: { 'app.kubernetes.io/managed-by': 'reboot-daemon' },
  });
  assert.equal(planDrain([lookalike], opts(), NOW).ok, false);
  const controlled = helper('check');
  assert.equal(
    classifyPod(
      { ...controlled, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', controller: true } },
      opts(),
      NOW,
    ).action,
    'evict',
  );
});

test('finished DaemonSet pods are deleted as kubectl deletes them, with or without --ignore-daemonsets', () => {
  const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', controller: true } as const;
  const rows: [phase: string, ignoreDaemonsets: boolean, action: string][] = [
    ['Succeeded', true, 'evict'],
    ['Failed', true, 'evict'],
    ['Succeeded', false, 'evict'],
    ['Failed', false, 'evict'],
    ['Running', true, 'skip'],
    ['Pending', true, 'skip'],
    ['Running', false, 'error'],
  ];
  for (const [phase, ignoreDaemonsets, action] of rows) {
    const verdict = classifyPod(pod('ds', { owner: ds, phase }), opts({ ignoreDaemonsets }), NOW);
    assert.equal(verdict.action, action, `${phase}, ignoreDaemonsets ${ignoreDaemonsets}`);
  }
});

test('DaemonSet pods refuse the drain without --ignore-daemonsets and the message names the flag', () => {
  const p = pod('ds', {
    namespace: 'kube-system',
    owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x', controller: true },
  });
  const plan = planDrain([p, pod('a')], opts({ ignoreDaemonsets: false }), NOW);
  assert.equal(plan.ok, false);
  assert.deepEqual(plan.evict, []);
  assert.match(plan.message, /1 pod is managed by a DaemonSet: kube-system\/ds \(use --ignore-daemonsets\)/);
});

test('mirror pods are skipped silently even without a controller', () => {
  const p = pod('etcd', { owner: undefined, annotations: { 'kubernetes.io/config.mirror': 'abc' } });
  const plan = planDrain([p], opts(), NOW);
  assert.equal(plan.ok, true);
  assert.equal(plan.skipped[0]?.verdict.reason, 'mirror');
});

test('emptyDir pods refuse unless --delete-emptydir-data, finished ones are exempt', () => {
  const running = pod('cache', { hasEmptyDir: true });
  const finished = pod('job', { hasEmptyDir: true, phase: 'Succeeded' });
  const refused = planDrain([running, finished], opts(), NOW);
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.errors[0]?.pods, ['default/cache']);
  assert.match(refused.errors[0]?.message ?? '', /use --delete-emptydir-data/);
  const allowed = planDrain([running, finished], opts({ deleteEmptydirData: true }), NOW);
  assert.deepEqual(
    allowed.evict.map((p) => p.name),
    ['cache', 'job'],
  );
});

test('unowned pods are grouped in one error naming --force; finished unowned pods are exempt', () => {
  const pods = ['a', 'b', 'c'].map((n) => pod(n, { owner: undefined }));
  const plan = planDrain([...pods, pod('done', { owner: undefined, phase: 'Failed' })], opts(), NOW);
  assert.equal(plan.ok, false);
  assert.equal(plan.errors.length, 1);
  assert.equal(
    plan.errors[0]?.message,
    '3 pods have no controller: default/a, default/b, default/c (use --force; they will not be recreated)',
  );
  const forced = planDrain(pods, opts({ force: true }), NOW);
  assert.equal(forced.ok, true);
  assert.equal(forced.evict.length, 3);
});

test('errors of different reasons are reported separately and nothing is evicted', () => {
  const plan = planDrain(
    [pod('bare', { owner: undefined }), pod('tmp', { hasEmptyDir: true }), pod('fine')],
    opts(),
    NOW,
  );
  assert.equal(plan.ok, false);
  assert.deepEqual(plan.errors.map((e) => e.reason).sort(), ['emptydir', 'unowned']);
  assert.deepEqual(plan.evict, []);
  assert.deepEqual(
    plan.passing.map((p) => p.name),
    ['fine'],
  );
});

test('the first refusal wins: an unowned emptyDir pod is reported for emptyDir only', () => {
  const plan = planDrain([pod('x', { owner: undefined, hasEmptyDir: true })], opts(), NOW);
  assert.deepEqual(
    plan.errors.map((e) => e.reason),
    ['emptydir'],
  );
});

test('a pod terminating longer than --skip-wait-for-delete-timeout is skipped, a recent one is not', () => {
  const old = pod('old', { deletionTimestamp: NOW - 120_000, owner: undefined });
  const recent = pod('recent', { deletionTimestamp: NOW - 10_000 });
  const plan = planDrain([old, recent], opts({ skipWaitForDeleteTimeoutSeconds: 60 }), NOW);
  assert.equal(plan.ok, true);
  assert.equal(plan.skipped[0]?.pod.name, 'old');
  assert.deepEqual(
    plan.evict.map((p) => p.name),
    ['recent'],
  );
  const disabled = planDrain([old], opts({ skipWaitForDeleteTimeoutSeconds: 0 }), NOW);
  assert.equal(disabled.ok, false);
});

test('long lists are shortened with a count of the rest', () => {
  const pods = Array.from({ length: 8 }, (_, i) => pod(`p${i}`, { owner: undefined }));
  const plan = planDrain(pods, opts(), NOW);
  assert.match(plan.message, /8 pods have no controller: default\/p0, .*default\/p4, … \(3 more\)/);
});

test('an extra filter plugs into the ordered list', () => {
  const noCritical: DrainFilter = (p) =>
    p.labels['critical'] === 'true'
      ? { action: 'error', reason: 'critical', message: 'critical pod' }
      : undefined;
  const plan = planDrain([pod('c', { labels: { critical: 'true' } }), pod('ok')], opts(), NOW, [
    ...defaultFilters,
    noCritical,
  ]);
  assert.equal(plan.ok, false);
  assert.match(plan.message, /1 pod refused \(critical pod\): default\/c/);
});
