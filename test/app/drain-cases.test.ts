// kubectl's drain cases that need the API, against the in-memory cluster: orphaned DaemonSet pods (the
// DaemonSet looked up, refused without --force, deleted with it), an unreadable DaemonSet, the cost of the
// lookups over a run, the pod selector, and TestDrain's "fail to list pods" (an eviction that fails).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../src/app/plan.js';
import { runOnce } from '../../src/app/run.js';
import type { ClusterPort } from '../../src/ports/cluster.js';
import { boots, harness, options, world } from '../support/app-harness.js';

/** The cluster port with its DaemonSet reads counted. */
function countingDaemonSets(cluster: ClusterPort): { cluster: ClusterPort; reads: string[] } {
  const reads: string[] = [];
  const wrapped: ClusterPort = Object.create(cluster) as ClusterPort;
  wrapped.getDaemonSet = (namespace, name) => {
    reads.push(`${namespace}/${name}`);
    return cluster.getDaemonSet(namespace, name);
  };
  return { cluster: wrapped, reads };
}

test('an orphaned DaemonSet pod refuses the drain without --force, naming the pod and the flag; nothing is rebooted', async () => {
  const w = world(['a']);
  w.mem.addPod('agent-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'agent' } });
  w.mem.addPod('web-1', 'a');
  w.mem.daemonSets.delete('kube-system/agent'); // deleted; the garbage collector has not removed its pod
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.match(
    res.reason,
    /1 pod is managed by a DaemonSet that no longer exists: kube-system\/agent-a \(use --force/,
  );
  assert.deepEqual(boots(w), { a: 0 });
  assert.ok(w.mem.pods.has('default/web-1'), 'nothing evicted');
});

test('with --force the orphan is deleted with a warning and the node is rebooted; a live DaemonSet pod stays', async () => {
  const w = world(['a']);
  w.mem.addPod('agent-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'agent' } });
  w.mem.addPod('proxy-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'proxy' } });
  w.mem.daemonSets.delete('kube-system/agent');
  const h = harness(w);
  const res = await runOnce(h.deps, options({ drain: { force: true } }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.ok(!w.mem.pods.has('kube-system/agent-a'), 'the orphan was evicted');
  assert.ok(w.mem.pods.has('kube-system/proxy-a'), 'the live DaemonSet pod was left');
  const warned = h.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
  assert.ok(
    warned.some((m) =>
      /deleting pods whose DaemonSet no longer exists \(--force\): kube-system\/agent-a/.test(m),
    ),
    warned.join('\n'),
  );
});

test('a DaemonSet that cannot be read stops the node with its name, even with --force', async () => {
  const w = world(['a']);
  w.mem.addPod('agent-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'agent' } });
  w.mem.daemonSetHook = () => {
    throw new Error('503 the server is currently unable to handle the request');
  };
  const res = await runOnce(harness(w).deps, options({ drain: { force: true } }));
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /cannot read DaemonSet kube-system\/agent: 503 the server is currently unable/);
  assert.deepEqual(boots(w), { a: 0 });
  assert.ok(w.mem.pods.has('kube-system/agent-a'));
});

test('plan says which pods are orphans, and with --force warns that they will be deleted', async () => {
  const w = world(['a']);
  w.mem.addPod('agent-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'agent' } });
  w.mem.daemonSets.delete('kube-system/agent');
  const refused = await plan(harness(w).deps, options());
  assert.equal(refused.nodes[0]?.drain.ok, false);
  assert.deepEqual(
    refused.nodes[0]?.drain.errors.map((e) => [e.reason, e.pods]),
    [['orphan', ['kube-system/agent-a']]],
  );
  const forced = await plan(harness(w).deps, options({ drain: { force: true } }));
  assert.equal(forced.nodes[0]?.drain.ok, true);
  assert.deepEqual(forced.nodes[0]?.drain.evict, ['kube-system/agent-a']);
  assert.deepEqual(
    forced.nodes[0]?.drain.warnings.map((e) => e.pods),
    [['kube-system/agent-a']],
  );
});

test('a run reads each DaemonSet once, however many nodes carry its pods; a missing one is read each time', async () => {
  const w = world(['a', 'b', 'c']);
  for (const n of ['a', 'b', 'c']) {
    w.mem.addPod(`proxy-${n}`, n, { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'proxy' } });
    w.mem.addPod(`old-${n}`, n, { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'old' } });
  }
  w.mem.daemonSets.delete('kube-system/old');
  const h = harness(w);
  const { cluster, reads } = countingDaemonSets(h.deps.cluster);
  const res = await runOnce({ ...h.deps, cluster }, options({ drain: { force: true } }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1, b: 1, c: 1 });
  assert.equal(reads.filter((r) => r === 'kube-system/proxy').length, 1, reads.join(', '));
  assert.equal(
    reads.filter((r) => r === 'kube-system/old').length,
    3,
    'an orphan verdict always comes from a read just before its drain',
  );
});

test('a DaemonSet made again under the same name does not own the old pods: they are orphans', async () => {
  const w = world(['a']);
  w.mem.addPod('agent-a', 'a', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'agent' } });
  w.mem.daemonSets.set('kube-system/agent', 'a-new-uid');
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /DaemonSet that no longer exists: kube-system\/agent-a/);
});

test('pod selector: only the pods it selects are drained, as with kubectl --pod-selector', async () => {
  const w = world(['a']);
  w.mem.addPod('web-1', 'a', { labels: { app: 'web' } });
  w.mem.addPod('bare', 'a', { owner: undefined, labels: { app: 'other' } });
  const res = await runOnce(harness(w).deps, options({ drain: { podSelector: 'app=web' } }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.ok(w.mem.writes.includes('evict default/web-1'));
  assert.ok(!w.mem.writes.includes('evict default/bare'), 'the pod it does not select is neither evicted');
  assert.ok(w.mem.pods.has('default/bare'), '… nor refuses the drain');
});

test('TestDrain "fail to list pods": an eviction that fails stops the drain and the node is not rebooted', async () => {
  const w = world(['a']);
  w.mem.addWorkload('rs', ['a'], undefined);
  w.mem.evictHook = () => ({ kind: 'error', code: 0, message: 'request failed' });
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /cannot evict default\/rs-0: request failed/);
  assert.deepEqual(boots(w), { a: 0 });
});
