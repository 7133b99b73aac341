// Waiting for drained pods as kubectl does: a pod terminating longer than --skip-wait-for-delete-timeout is
// no longer waited for (judged on the API server's clock), and an eviction refused because the pod's
// namespace is being deleted (NamespaceTerminating) is retried until the pod's deletion starts, then waited for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drainNode, NAMESPACE_TERMINATING_RETRY_MS } from '../../src/app/drain.js';
import { runOnce } from '../../src/app/run.js';
import { defaultDrainRunOptions, type DrainRunOptions } from '../../src/app/types.js';
import type { RunEvent } from '../../src/core/events.js';
import { boots, harness, options, world } from '../support/app-harness.js';

function drainOpts(o: Partial<DrainRunOptions> = {}): DrainRunOptions {
  return { ...defaultDrainRunOptions, ...o };
}

const warnings = (events: readonly RunEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));

const evictions = (writes: readonly string[], key: string): number =>
  writes.filter((x) => x === `evict ${key}`).length;

test('a pod stuck terminating is no longer waited for once its deletion is older than --skip-wait-for-delete-timeout', async () => {
  const w = world(['a']);
  w.mem.addPod('web-0', 'a', { stuck: true });
  w.mem.addPod('web-1', 'a');
  const h = harness(w);
  const start = w.clock.now();
  const res = await drainNode(h.deps, 'a', drainOpts({ skipWaitForDeleteTimeoutSeconds: 30 }));
  assert.equal(res.ok, true, res.ok ? '' : res.message);
  const took = w.clock.now() - start;
  // kubectl's rule: whole seconds since the deletion started, above the timeout
  assert.ok(took >= 31_000 && took < 32_000, `skipped after 31 s, not ${took} ms`);
  assert.ok(w.mem.pods.has('default/web-0'), 'the stuck pod is still there');
  assert.ok(!w.mem.pods.has('default/web-1'), 'the other pod went');
  const warned = warnings(h.events);
  assert.equal(warned.length, 1);
  assert.match(
    warned[0] ?? '',
    /default\/web-0: terminating for 31s, longer than --skip-wait-for-delete-timeout=30/,
  );
});

test('the skip is judged on the API server clock, not on a runner clock an hour ahead', async () => {
  const w = world(['a']);
  w.mem.addPod('web-0', 'a', { stuck: true });
  const h = harness(w, { skewMs: 3_600_000 });
  const start = w.clock.now();
  const res = await drainNode(h.deps, 'a', drainOpts({ skipWaitForDeleteTimeoutSeconds: 30 }));
  assert.equal(res.ok, true, res.ok ? '' : res.message);
  const took = w.clock.now() - start;
  assert.ok(took >= 31_000 && took < 32_000, `skipped after 31 s, not ${took} ms`);
});

test('a pod already terminating when listed is skipped when its own deletion grows too old', async () => {
  const w = world(['a']);
  // its deletion started 20 s ago: the plan keeps it (not yet 30 s), the wait gives up on it 11 s later
  w.mem.addPod('web-0', 'a', { stuck: true, deletionTimestamp: w.clock.now() - 20_000, ready: false });
  const h = harness(w);
  const start = w.clock.now();
  const res = await drainNode(h.deps, 'a', drainOpts({ skipWaitForDeleteTimeoutSeconds: 30 }));
  assert.equal(res.ok, true, res.ok ? '' : res.message);
  const took = w.clock.now() - start;
  assert.ok(took >= 11_000 && took < 12_000, `skipped 11 s later, not after ${took} ms`);
});

test('without --skip-wait-for-delete-timeout a stuck pod holds the drain until its timeout', async () => {
  const w = world(['a']);
  w.mem.addPod('web-0', 'a', { stuck: true });
  const h = harness(w);
  const res = await drainNode(h.deps, 'a', drainOpts({ timeoutMs: 60_000 }));
  assert.equal(res.ok, false);
  assert.match(res.ok ? '' : res.message, /drain timed out after 60s: waiting for default\/web-0 to go away/);
  assert.deepEqual(warnings(h.events), []);
});

test('a run reboots a node whose only pod is stuck terminating, with --skip-wait-for-delete-timeout', async () => {
  const w = world(['a']);
  w.mem.addPod('bare', 'a', { owner: undefined, stuck: true });
  const h = harness(w);
  const res = await runOnce(
    h.deps,
    options({ drain: { force: true, skipWaitForDeleteTimeoutSeconds: 10, timeoutMs: 120_000 } }),
  );
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.ok(warnings(h.events).some((m) => /default\/bare: terminating for 11s/.test(m)));
});

test('an eviction refused in a namespace being deleted is retried every 5 s until the pod is terminating, then waited for', async () => {
  const w = world(['a']);
  const pod = w.mem.addPod('web-0', 'a', { namespace: 'old' });
  w.mem.terminatingNamespaces.add('old');
  // the namespace controller gets to the pod 7 s later
  w.clock.schedule(7_000, () => w.mem.terminate(pod));
  const h = harness(w);
  const start = w.clock.now();
  const res = await drainNode(h.deps, 'a', drainOpts({ timeoutMs: 120_000 }));
  assert.equal(res.ok, true, res.ok ? '' : res.message);
  assert.ok(!w.mem.pods.has('old/web-0'), 'the pod went');
  // tried at 0 s and 5 s; at 7 s the pod is seen terminating: one more try is refused, and then it is waited for
  assert.equal(evictions(w.mem.writes, 'old/web-0'), 3);
  assert.ok(w.clock.now() - start >= 7_000);
  const waited = h.events.find((e) => e.type === 'drain-progress' && e.waiting.length > 0);
  assert.match(
    waited?.type === 'drain-progress' ? (waited.waiting[0]?.message ?? '') : '',
    /unable to create new content in namespace old because it is being terminated/,
  );
  assert.equal(NAMESPACE_TERMINATING_RETRY_MS, 5_000);
});

test('a pod already terminating in a namespace being deleted is waited for after one refused eviction', async () => {
  const w = world(['a']);
  w.mem.addPod('web-0', 'a', { namespace: 'old' });
  w.mem.terminatingNamespaces.add('old');
  w.mem.terminate(w.mem.pods.get('old/web-0')!);
  const h = harness(w);
  const res = await drainNode(h.deps, 'a', drainOpts({ timeoutMs: 120_000 }));
  assert.equal(res.ok, true, res.ok ? '' : res.message);
  assert.equal(evictions(w.mem.writes, 'old/web-0'), 1);
});

test('a namespace being deleted that never gets to the pod fails the drain at its timeout, not as a permission error', async () => {
  const w = world(['a']);
  w.mem.addPod('web-0', 'a', { namespace: 'old' });
  w.mem.terminatingNamespaces.add('old');
  const h = harness(w);
  const res = await drainNode(h.deps, 'a', drainOpts({ timeoutMs: 30_000 }));
  assert.equal(res.ok, false);
  assert.match(res.ok ? '' : res.message, /drain timed out after 30s: evictions refused for old\/web-0/);
  const tries = evictions(w.mem.writes, 'old/web-0');
  assert.ok(tries >= 6 && tries <= 7, `retried every 5 s for 30 s: ${tries} tries`);
});
