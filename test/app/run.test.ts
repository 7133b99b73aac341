// runOnce over the in-memory cluster: the normal path, order, exit codes, marking, helper pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { boots, closed, harness, options, stepsOf, world } from '../support/app-harness.js';

test('a node that needs a reboot is cordoned, drained, rebooted once, uncordoned and released', async () => {
  const w = world(['a', 'b']);
  w.mem.node('b').sentinel = 'not-required';
  w.mem.addWorkload('web', ['a', 'a', 'b'], 1);
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(res.rebooted, ['a']);
  assert.deepEqual(boots(w), { a: 1, b: 0 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.deepEqual(w.lease.holders(), []);
  assert.deepEqual(stepsOf(h.events, 'a'), [
    'lock',
    'check',
    'cordon',
    'drain',
    'reboot',
    'back',
    'back',
    'done',
  ]);
  const pods = [...w.mem.pods.values()].filter((p) => p.owner?.name === 'web');
  assert.equal(pods.length, 3);
  assert.ok(
    pods.every((p) => p.ready),
    'the evicted pods are back and Ready',
  );
  assert.equal(w.rebooter.helperPods.size, 0, 'no helper pod left behind');
});

test('nothing to do exits 0 and writes nothing', async () => {
  const w = world(['a', 'b']);
  for (const n of w.mem.nodes.values()) n.sentinel = 'not-required';
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0);
  assert.match(res.reason, /nothing to do/);
  assert.deepEqual(w.mem.writes, []);
});

test('outside the window: exit 3, the node stays pending and untouched', async () => {
  const w = world(['a']);
  const h = harness(w, { windowState: closed(w.clock.now() + 3_600_000) });
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 3);
  assert.deepEqual(res.pending, ['a']);
  assert.match(res.reason, /outside the maintenance window/);
  assert.deepEqual(w.mem.writes, []);
  assert.deepEqual(boots(w), { a: 0 });
});

test('nodes go one at a time by name, control-plane nodes last', async () => {
  const w = world(['w2', 'w1']);
  w.mem.addNode('cp', { controlPlane: true });
  w.mem.addNode('a-cp', { controlPlane: true });
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  const order = h.events.flatMap((e) => (e.type === 'step' && e.step === 'cordon' ? [e.node] : []));
  assert.deepEqual(order, ['w1', 'w2', 'a-cp', 'cp']);
  assert.equal(w.mem.maxDisrupted, 1);
});

test('--node-selector and the opt-out label narrow the candidates', async () => {
  const w = world(['a', 'b', 'c']);
  w.mem.node('b').labels['pool'] = 'gpu';
  w.mem.node('c').labels['reboot-daemon.io/exclude'] = 'true';
  const h = harness(w);
  const res = await runOnce(h.deps, options({ nodeSelector: 'pool!=gpu' }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(res.rebooted, ['a']);
  assert.deepEqual(boots(w), { a: 1, b: 0, c: 0 });
});

test('an admin-cordoned node is rebooted but stays cordoned', async () => {
  const w = world(['a']);
  w.mem.node('a').unschedulable = true;
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(w.mem.node('a').unschedulable, true);
  assert.ok(
    h.events.some((e) => e.type === 'step' && e.node === 'a' && /left cordoned/.test(e.message ?? '')),
  );
});

test('helper pods left by an earlier run are collected at the start, and none stay after', async () => {
  const w = world(['a']);
  w.rebooter.helperPods.add('reboot-old-1');
  w.rebooter.helperPods.add('check-old-2');
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.ok(w.mem.writes.includes('collect 2'));
  assert.equal(w.rebooter.helperPods.size, 0);
});

test('--lock-release-delay waits after each node before the next starts', async () => {
  const w = world(['a', 'b']);
  const h = harness(w);
  const res = await runOnce(h.deps, options({ lockReleaseDelayMs: 120_000 }));
  assert.equal(res.exitCode, 0, res.reason);
  const at = (node: string, step: string): number =>
    h.events.find((e) => e.type === 'step' && e.node === node && e.step === step)?.at ?? NaN;
  const released =
    h.events.find((e) => e.type === 'lock' && e.node === 'a' && e.action === 'released')?.at ?? NaN;
  assert.ok(released - at('a', 'back') >= 120_000, 'the lock is held for the delay');
  assert.ok(at('b', 'lock') >= released, 'b starts after a is released');
  assert.ok(at('b', 'lock') - at('a', 'back') >= 120_000);
});

test('--concurrency 2 reboots two nodes at once and never more', async () => {
  const w = world(4);
  const h = harness(w);
  const res = await runOnce(h.deps, options({ concurrency: 2 }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.equal(res.rebooted.length, 4);
  assert.equal(w.mem.maxDisrupted, 2);
});

test('--max-per-zone never has two nodes of one zone in progress at once', async () => {
  const clockWorld = world([]);
  for (const [n, zone] of [
    ['a1', 'a'],
    ['a2', 'a'],
    ['a3', 'a'],
    ['b1', 'b'],
  ] as const)
    clockWorld.mem.addNode(n, { zone });
  const inZone = new Map<string, Set<string>>();
  let worst = 0;
  clockWorld.mem.onChange(() => {
    inZone.clear();
    for (const n of clockWorld.mem.nodes.values()) {
      if (!(n.unschedulable || n.rebooting || n.ready !== 'True')) continue;
      const set = inZone.get(n.zone ?? '') ?? new Set();
      set.add(n.name);
      inZone.set(n.zone ?? '', set);
      worst = Math.max(worst, set.size);
    }
  });
  const h = harness(clockWorld);
  const res = await runOnce(h.deps, options({ concurrency: 3, maxPerZone: 1 }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.equal(res.rebooted.length, 4);
  assert.equal(worst, 1);
  assert.equal(clockWorld.mem.maxDisrupted, 2, 'one of each zone at once');
});

test('--annotate-nodes and the pre/post-reboot labels mark the node like kured', async () => {
  const w = world(['a']);
  const seen: Record<string, string>[] = [];
  w.mem.onChange(() => seen.push({ ...w.mem.node('a').annotations, ...w.mem.node('a').labels }));
  const h = harness(w);
  const res = await runOnce(
    h.deps,
    options({
      annotateNodes: true,
      preRebootNodeLabels: { maint: 'rebooting' },
      postRebootNodeLabels: { maint: 'done' },
    }),
  );
  assert.equal(res.exitCode, 0, res.reason);
  assert.ok(
    seen.some((s) => s['weave.works/kured-reboot-in-progress'] !== undefined && s['maint'] === 'rebooting'),
  );
  const a = w.mem.node('a');
  assert.match(a.annotations['weave.works/kured-most-recent-reboot-needed'] ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(a.annotations['weave.works/kured-reboot-in-progress'], undefined);
  assert.equal(a.labels['maint'], 'done');
});

test('sentinel checks run in parallel but within --probe-concurrency', async () => {
  const w = world(12);
  for (const n of w.mem.nodes.values()) n.sentinel = 'not-required';
  const h = harness(w);
  await runOnce(h.deps, options({ probeConcurrency: 4 }));
  assert.equal(w.sentinel.probes, 12);
  assert.equal(w.sentinel.maxInFlight, 4);
});

test('a bad --node-selector is bad input: exit 2, nothing read or written', async () => {
  const w = world(['a']);
  const res = await runOnce(harness(w).deps, options({ nodeSelector: 'pool in (a' }));
  assert.equal(res.exitCode, 2);
  assert.match(res.reason, /invalid label selector .* in --node-selector/);
  assert.equal(w.sentinel.probes, 0);
  assert.deepEqual(w.mem.writes, []);
});

test('--drain-pod-selector drains only the matching pods', async () => {
  const w = world(['a']);
  w.mem.addPod('web-1', 'a', { labels: { tier: 'web' } });
  w.mem.addPod('bare', 'a', { owner: undefined, labels: { tier: 'infra' } });
  const res = await runOnce(harness(w).deps, options({ drain: { podSelector: 'tier=web' } }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.ok(w.mem.writes.includes('evict default/web-1'));
  assert.ok(!w.mem.writes.includes('evict default/bare'));
});

test('a finished DaemonSet pod is removed by the drain, as kubectl drain removes it; a running one stays', async () => {
  const w = world(['a']);
  w.mem.addPod('fluentd-done', 'a', {
    namespace: 'kube-system',
    owner: { kind: 'DaemonSet', name: 'fluentd' },
    phase: 'Succeeded',
    ready: false,
  });
  w.mem.addPod('fluentd-live', 'a', {
    namespace: 'kube-system',
    owner: { kind: 'DaemonSet', name: 'fluentd' },
  });
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.ok(w.mem.writes.includes('evict kube-system/fluentd-done'), w.mem.writes.join('\n'));
  assert.ok(!w.mem.writes.includes('evict kube-system/fluentd-live'), w.mem.writes.join('\n'));
});
