// Failures are never silent: drains that fail or time out, reboots that never happen, nodes that never come
// back, and the boot-ID guard that makes a repeated trigger harmless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { parseNodeRecord } from '../../src/core/machine.js';
import { boots, harness, options, world } from '../support/app-harness.js';

function phaseOf(w: ReturnType<typeof world>, node: string): string | undefined {
  const p = parseNodeRecord(w.mem.node(node).annotations[STATE_ANNOTATION]);
  return p.kind === 'ok' ? p.record.phase : p.kind;
}

test('a drain that fails aborts the node: nothing evicted, uncordoned, lock released, run stopped, exit 1', async () => {
  const w = world(['a', 'b']);
  w.mem.addPod('bare-1', 'a', { owner: undefined });
  w.mem.addPod('bare-2', 'a', { owner: undefined });
  w.mem.addPod('web-1', 'a');
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 1);
  assert.deepEqual(res.failed, ['a']);
  assert.deepEqual(res.pending, ['b'], 'no more nodes after a failure');
  assert.match(res.reason, /2 pods have no controller: default\/bare-1, default\/bare-2 \(use --force/);
  assert.match(res.reason, /uncordoned, lock released; stopping the run/);
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.ok(w.mem.pods.has('default/web-1'), 'nothing evicted');
  assert.ok(!w.mem.writes.some((x) => x.startsWith('evict')));
  assert.deepEqual(w.lease.holders(), []);
  assert.deepEqual(boots(w), { a: 0, b: 0 });
  assert.equal(w.mem.node('b').unschedulable, false);
});

test('after a failed drain an admin-cordoned node stays cordoned', async () => {
  const w = world(['a']);
  w.mem.node('a').unschedulable = true;
  w.mem.addPod('bare', 'a', { owner: undefined });
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.equal(w.mem.node('a').unschedulable, true);
  assert.match(res.reason, /left cordoned/);
  assert.deepEqual(w.lease.holders(), []);
});

test('with --force-reboot a failed drain still reboots the node', async () => {
  const w = world(['a']);
  w.mem.addPod('bare', 'a', { owner: undefined });
  const h = harness(w);
  const res = await runOnce(h.deps, options({ forceReboot: true }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.ok(h.events.some((e) => e.type === 'log' && /--force-reboot: rebooting anyway/.test(e.message)));
});

test('a PDB refusal (429) is retried soon, not every 5 s, and progress names the PDB', async () => {
  const w = world(['a', 'b', 'c']);
  w.mem.addWorkload('db', ['a', 'a', 'b', 'c'], 3);
  const h = harness(w);
  const res = await runOnce(h.deps, options({ nodeSelector: 'kubernetes.io/hostname=a' }));
  assert.equal(res.exitCode, 0, res.reason);
  const progress = h.events.filter((e) => e.type === 'drain-progress');
  const waited = progress.find((e) => e.type === 'drain-progress' && e.waiting.length > 0);
  assert.equal(waited?.type === 'drain-progress' ? waited.waiting[0]?.pdb : undefined, 'default/db');
  const evicts = h.events.filter((e) => e.type === 'drain-progress');
  const first = evicts[0]?.at ?? 0;
  const last = evicts.at(-1)?.at ?? 0;
  // one pod goes at once; the second must wait for a replacement to be Ready (about 5 s here)
  assert.ok(last - first >= 4_000, `the second eviction waited for the PDB (${last - first} ms)`);
  assert.ok(last - first < 9_000, `and was retried soon after it allowed (${last - first} ms)`);
  assert.ok(
    w.mem.writes.filter((x) => x === 'evict default/db-1' || x === 'evict default/db-0').length > 2,
    'retried',
  );
});

test('an eviction answered 500 (several PDBs) fails the drain', async () => {
  const w = world(['a']);
  w.mem.addWorkload('web', ['a', 'a'], 0);
  w.mem.pdbs.push({
    namespace: 'default',
    name: 'web-2',
    selector: { matchLabels: { app: 'web' } },
    minAvailable: 0,
  });
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /more than one PodDisruptionBudget/);
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(boots(w), { a: 0 });
});

test('a drain that times out on a PDB aborts with the PDB named', async () => {
  const w = world(['a']);
  w.mem.addWorkload('db', ['a'], 1); // a single replica that must stay up: the PDB never allows
  const res = await runOnce(harness(w).deps, options({ drain: { timeoutMs: 60_000 } }));
  assert.equal(res.exitCode, 1);
  assert.match(
    res.reason,
    /drain timed out after 60s: evictions refused for default\/db-0 \(PDB default\/db\)/,
  );
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);
});

test('a node that never reboots stays cordoned and recorded, so it counts; exit 1 and the run says so', async () => {
  const w = world(['a', 'b']);
  w.mem.node('a').behaviour = 'ignores-reboot';
  const h = harness(w);
  const res = await runOnce(h.deps, options({ rebootTimeoutMs: 300_000 }));
  assert.equal(res.exitCode, 1);
  assert.match(
    res.reason,
    /did not reboot: boot ID still a-boot-1 after 300s .*stays cordoned, recorded as reboot-timeout, and counts against --concurrency/,
  );
  assert.equal(w.mem.node('a').unschedulable, true);
  assert.equal(phaseOf(w, 'a'), 'reboot-timeout');
  assert.deepEqual(w.lease.holders(), [], 'the slot is released: the record counts instead');
  assert.deepEqual(res.pending, ['b']);
  assert.equal(w.rebooter.helperPods.size, 0);
});

test('a node that does not come back Ready stays cordoned and recorded; exit 1; a later run finishes it without a second reboot', async () => {
  const w = world(['a']);
  w.mem.node('a').behaviour = 'never-ready';
  const h = harness(w);
  const res = await runOnce(h.deps, options({ readyTimeoutMs: 120_000 }));
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /rebooted but not back after 120s: Ready=False.*stays cordoned/);
  assert.ok(
    h.events.some(
      (e) => e.type === 'node-result' && e.outcome === 'failed' && /stays cordoned/.test(e.reason),
    ),
  );
  assert.equal(w.mem.node('a').unschedulable, true);
  assert.equal(phaseOf(w, 'a'), 'ready-timeout');
  // a long time later, another owner takes the record over: still not Ready, so it fails again, no reboot
  await w.clock.advance(24 * 3_600_000);
  const other = await runOnce(harness(w).deps, options({ owner: 'bob@ci', readyTimeoutMs: 120_000 }));
  assert.equal(other.exitCode, 1, other.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(phaseOf(w, 'a'), 'ready-timeout');
  // the node is fixed; the same owner runs again
  w.mem.node('a').ready = 'True';
  w.mem.changed();
  const again = await runOnce(harness(w).deps, options());
  assert.equal(again.exitCode, 0, again.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);
});

test('triggering the reboot again after the boot does not reboot twice', async () => {
  const w = world(['a']);
  w.rebooter.rerunAfterBoot = false;
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  // the helper container run once more by the kubelet (the node still cordoned by an admin, in time)
  w.mem.node('a').unschedulable = true;
  await w.rebooter.reboot('a', { bootID: 'a-boot-1', notAfter: w.clock.now() + 60_000 });
  await w.clock.advance(600_000);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(w.rebooter.triggers.at(-1)?.outcome, 'guard-refused');
  // and a second run has nothing to do
  const again = await runOnce(harness(w).deps, options());
  assert.equal(again.exitCode, 0);
  assert.deepEqual(boots(w), { a: 1 });
});

test('the evicted workloads must be Ready again before the next node starts', async () => {
  const w = world(['a', 'b', 'c'], { podReadyMs: 90_000 });
  w.mem.node('c').sentinel = 'not-required';
  w.mem.addWorkload('web', ['a', 'b', 'c'], 2);
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  const waits = h.events.filter((e) => e.type === 'step' && e.node === 'a' && e.step === 'wait');
  assert.ok(waits.some((e) => e.type === 'step' && /web: 2\/3 Ready/.test(e.message ?? '')));
  const webReadyAgain =
    h.events.find((e) => e.type === 'lock' && e.node === 'a' && e.action === 'released')?.at ?? 0;
  const bStart = h.events.find((e) => e.type === 'step' && e.node === 'b' && e.step === 'cordon')?.at ?? 0;
  assert.ok(bStart >= webReadyAgain);
});

test('workloads that never recover: exit 1, the node stays recorded so no other node goes down, even for a later run', async () => {
  const w = world(['a', 'b']);
  w.mem.addWorkload('web', ['a', 'b'], 1);
  w.mem.timing.rescheduleMs = 10 * 3_600_000; // replacements never come within the timeout
  const res = await runOnce(harness(w).deps, options({ healthTimeoutMs: 300_000 }));
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /not healthy after 300s: default\/web: 1\/2 Ready/);
  assert.equal(phaseOf(w, 'a'), 'health-timeout');
  assert.equal(w.mem.node('a').unschedulable, false, 'the node itself is back and uncordoned');
  // The record counts against --concurrency: a later run of another owner does not start b.
  const later = await runOnce(harness(w).deps, options({ owner: 'bob@ops', healthTimeoutMs: 300_000 }));
  assert.equal(later.exitCode, 1, later.reason);
  assert.equal(w.mem.node('b').boots, 0, later.reason);
  assert.equal(w.mem.node('a').boots, 1, 'no second reboot of a');
});

test('an API error before the reboot undoes the node and stops the run; after it, the node is kept', async () => {
  const w = world(['a', 'b']);
  const h = harness(w);
  let evictions = 0;
  const cluster = new Proxy(h.deps.cluster, {
    get(target, prop, receiver) {
      if (prop === 'listPdbs')
        return () => Promise.reject(new Error('the server is currently unable to handle the request'));
      if (prop === 'evictPod') evictions++;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const res = await runOnce({ ...h.deps, cluster }, options());
  assert.equal(res.exitCode, 1);
  assert.match(
    res.reason,
    /a failed: error: the server is currently unable to handle the request; before any reboot, so undone: uncordoned, lock released/,
  );
  assert.deepEqual(res.pending, ['b']);
  assert.equal(evictions, 0);
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);

  const w2 = world(['a']);
  const h2 = harness(w2);
  let booted = false;
  const cluster2 = new Proxy(h2.deps.cluster, {
    get(target, prop, receiver) {
      if (prop === 'patchNode' && w2.mem.node('a').boots > 0 && !booted) {
        booted = true;
        return () => Promise.reject(new Error('etcdserver: request timed out'));
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const res2 = await runOnce({ ...h2.deps, cluster: cluster2 }, options());
  assert.equal(res2.exitCode, 1);
  assert.match(res2.reason, /etcdserver: request timed out; it stays cordoned, recorded as rebooting/);
  assert.equal(w2.mem.node('a').unschedulable, true);
  const again = await runOnce(harness(w2).deps, options());
  assert.equal(again.exitCode, 0, again.reason);
  assert.deepEqual(boots(w2), { a: 1 });
});
