// How many API requests the watch-based adapters send, counted by the simulator's server: following a node,
// waiting for pods from a known version, following a pod just created, a reboot and its cleanup, and the
// namespace the helper pods and the Lease share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { createStore } from '../../src/sim/store.js';
import { realClock } from '../../src/sim/clock.js';
import type { KObject } from '../../src/sim/types.js';
import { waitPodsGone, watchNode } from '../../src/adapters/k8s/cluster-watch.js';
import { createPod, followPod } from '../../src/adapters/k8s/helper-pod-run.js';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { HelperPodSentinelChecker } from '../../src/adapters/k8s/helper-pods.js';
import { KubernetesLeaseStore } from '../../src/adapters/k8s/lease.js';
import { watchLoop } from '../../src/adapters/k8s/watch-loop.js';
import type { NodeView } from '../../src/core/types.js';
import type { PodRef } from '../../src/ports/cluster.js';
import { nodeObj, podObj, startFixture, until } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';
import { startClusterFixture } from './sim-cluster-fixture.js';

const counts = (fx: Fixture): Readonly<Record<string, number>> => fx.sim.server.stats().byKey;

const refOf = (pod: KObject): PodRef => ({
  namespace: pod.metadata.namespace ?? '',
  name: pod.metadata.name,
  uid: pod.metadata.uid ?? '',
});

test('watchNode sends one watch and no list, delivering the current view first, then changes', async () => {
  const fx = await startFixture();
  try {
    fx.sim.store.create('nodes', nodeObj('n1', 'boot-a'));
    fx.sim.store.create('nodes', nodeObj('n2', 'boot-x'));
    fx.sim.server.resetStats();
    const seen: NodeView[] = [];
    const ac = new AbortController();
    const watching = watchNode(fx.clients, 'n1', (n) => seen.push(n), ac.signal);
    await until(() => seen.length === 1, 5000, 'current view');
    assert.equal(seen[0]?.name, 'n1');
    assert.equal(seen[0]?.bootID, 'boot-a');
    const node = fx.sim.store.get('nodes', undefined, 'n1');
    node.status = { ...node.status, nodeInfo: { bootID: 'boot-b', kernelVersion: '6.1.0' } };
    fx.sim.store.update('nodes', node, { subresource: 'status' });
    const other = fx.sim.store.get('nodes', undefined, 'n2');
    other.metadata.labels = { touched: 'yes' };
    fx.sim.store.update('nodes', other);
    await until(() => seen.length === 2, 5000, 'the change');
    assert.equal(seen[1]?.bootID, 'boot-b');
    ac.abort();
    await watching;
    assert.deepEqual(
      seen.map((n) => n.name),
      ['n1', 'n1'],
    );
    assert.deepEqual(counts(fx), { 'watch nodes': 1 });
  } finally {
    await fx.stop();
  }
});

test("a watch from 'now' resumes from the last version after a drop, and never lists", async () => {
  const fx = await startFixture();
  try {
    fx.sim.store.create('nodes', nodeObj('n1', 'boot-a'));
    // Every watch is dropped after 0.2 s: the loop reconnects from the version it saw, so the node is not
    // sent again.
    fx.sim.server.setFaults({ watchDropEverySec: 0.2, random: Math.random });
    fx.sim.server.resetStats();
    const events: string[] = [];
    const ac = new AbortController();
    const loop = watchLoop<V1Node>({
      clients: fx.clients,
      path: '/api/v1/nodes',
      resource: 'nodes',
      signal: ac.signal,
      start: 'now',
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      onEvent: (kind, n) => events.push(`${kind} ${n.status?.nodeInfo?.bootID ?? ''}`),
    });
    await until(() => events.length === 1, 5000, 'the synthetic ADDED');
    await until(() => (fx.sim.server.stats().byKey['watch nodes'] ?? 0) >= 3, 5000, 'reconnects');
    const node = fx.sim.store.get('nodes', undefined, 'n1');
    node.status = { ...node.status, nodeInfo: { bootID: 'boot-b', kernelVersion: '6.1.0' } };
    fx.sim.store.update('nodes', node, { subresource: 'status' });
    await until(() => events.length === 2, 5000, 'the change');
    ac.abort();
    await loop;
    assert.deepEqual(events, ['ADDED boot-a', 'MODIFIED boot-b']);
    assert.equal(counts(fx)['list nodes'], undefined);
  } finally {
    await fx.stop();
  }
});

test('waitPodsGone from a version: one watch of the node, no list; deletions since then count', async () => {
  const fx = await startFixture();
  try {
    const a = fx.sim.store.create('pods', podObj('ns-a', 'a', 'n1'));
    const b = fx.sim.store.create('pods', podObj('ns-b', 'b', 'n1'));
    const c = fx.sim.store.create('pods', podObj('ns-b', 'c', 'n1'));
    fx.sim.store.create('pods', podObj('ns-a', 'other', 'n2'));
    const version = fx.sim.store.list('pods', { fieldSelector: 'spec.nodeName=n1' }).resourceVersion;
    // Gone before the watch starts: the watch replays it from the version.
    fx.sim.store.remove('pods', 'ns-a', 'a');
    fx.sim.server.resetStats();
    const gone: string[] = [];
    const ac = new AbortController();
    const waiting = waitPodsGone(fx.clients, [a, b, c].map(refOf), (p) => gone.push(p.name), ac.signal, {
      node: 'n1',
      version,
    });
    await until(() => gone.length === 1, 5000, 'a gone');
    fx.sim.store.remove('pods', 'ns-a', 'other');
    fx.sim.store.remove('pods', 'ns-b', 'b');
    // c is replaced by a pod of the same name: gone too.
    fx.sim.store.remove('pods', 'ns-b', 'c');
    fx.sim.store.create('pods', podObj('ns-b', 'c', 'n1'));
    await waiting;
    assert.deepEqual(gone, ['a', 'b', 'c']);
    assert.deepEqual(counts(fx), { 'watch pods': 1 });
  } finally {
    await fx.stop();
  }
});

test('waitPodsGone from a compacted version gets 410, lists the node once and still resolves', async () => {
  const clock = realClock();
  const fx = await startFixture({ clock, store: createStore(clock, { historySize: 3 }) });
  try {
    const a = fx.sim.store.create('pods', podObj('ns-a', 'a', 'n1'));
    const b = fx.sim.store.create('pods', podObj('ns-b', 'b', 'n1'));
    const version = fx.sim.store.list('pods', { fieldSelector: 'spec.nodeName=n1' }).resourceVersion;
    fx.sim.store.remove('pods', 'ns-a', 'a');
    // More changes than the history holds: the version is too old now.
    for (let i = 0; i < 5; i++) fx.sim.store.create('pods', podObj('ns-a', `filler-${i}`, 'n2'));
    fx.sim.server.resetStats();
    const gone: string[] = [];
    const ac = new AbortController();
    const waiting = waitPodsGone(fx.clients, [a, b].map(refOf), (p) => gone.push(p.name), ac.signal, {
      node: 'n1',
      version,
    });
    await until(() => gone.length === 1, 5000, 'a gone, from the list');
    assert.deepEqual(gone, ['a']);
    fx.sim.store.remove('pods', 'ns-b', 'b');
    await waiting;
    assert.deepEqual(gone, ['a', 'b']);
    assert.deepEqual(counts(fx), { 'watch pods': 2, 'list pods': 1 });
  } finally {
    await fx.stop();
  }
});

test('waitPodsGone without a version still lists and watches each namespace', async () => {
  const fx = await startFixture();
  try {
    const a = fx.sim.store.create('pods', podObj('ns-a', 'a', 'n1'));
    const b = fx.sim.store.create('pods', podObj('ns-b', 'b', 'n1'));
    fx.sim.store.remove('pods', 'ns-a', 'a');
    fx.sim.server.resetStats();
    const gone: string[] = [];
    const waiting = waitPodsGone(
      fx.clients,
      [a, b].map(refOf),
      (p) => gone.push(p.name),
      AbortSignal.timeout(5000),
    );
    await until(() => gone.length === 1, 5000, 'a gone, from the list');
    fx.sim.store.remove('pods', 'ns-b', 'b');
    await waiting;
    assert.deepEqual(gone, ['a', 'b']);
    assert.equal(counts(fx)['list pods'], 2);
  } finally {
    await fx.stop();
  }
});

test('followPod since the creation sends no list and misses no change made before it started', async () => {
  const fx = await startFixture();
  try {
    const created = await createPod(fx.clients, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name: 'helper' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    });
    const since = created.metadata?.resourceVersion;
    assert.ok(since);
    const pod = fx.sim.store.get('pods', 'default', 'helper');
    pod.status = {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 3, message: 'done' } } }],
    };
    fx.sim.store.update('pods', pod, { subresource: 'status' });
    fx.sim.server.resetStats();
    const state = await followPod(
      fx.clients,
      'default',
      'helper',
      (s) => (s.kind === 'exited' ? s : undefined),
      AbortSignal.timeout(5000),
      since,
    );
    assert.deepEqual(state, { kind: 'exited', exitCode: 3, message: 'done' });
    assert.deepEqual(counts(fx), { 'watch pods': 1 });
  } finally {
    await fx.stop();
  }
});

test('a reboot reads no node and lists no pod; cleanup deletes its pod by name; the namespace is made once', async () => {
  const fx = await startClusterFixture(3);
  try {
    const NS = 'reboot-daemon';
    const node = fx.sim.store.get('nodes', undefined, 'worker-1');
    const bootID = node.status?.nodeInfo?.bootID ?? '';
    fx.sim.server.resetStats();
    const checker = new HelperPodSentinelChecker(fx.clients, {
      runId: 'r1',
      sentinel: { kind: 'file', path: '/run/reboot-required' },
    });
    const checked = await checker.check('worker-2');
    assert.notEqual(checked.kind, 'unknown', JSON.stringify(checked));
    const afterCheck = { ...counts(fx) };
    assert.equal(afterCheck['list pods'], undefined);
    assert.equal(afterCheck['watch pods'], 1);

    const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', startGraceMs: 60_000 });
    await rebooter.reboot('worker-1', bootID, AbortSignal.timeout(20_000));
    const afterReboot = { ...counts(fx) };
    assert.equal(afterReboot['get nodes'], undefined);
    assert.equal(afterReboot['list nodes'], undefined);
    assert.equal(afterReboot['list pods'], undefined);
    // The node watch runs beside the pod watch: a pod that confirms the trigger first ends the reboot, and
    // the node watch may be aborted before its request was sent. Never more than one.
    assert.ok((afterReboot['watch nodes'] ?? 0) <= 1, JSON.stringify(afterReboot));
    assert.equal(afterReboot['watch pods'], 2);
    const ours = (): string[] =>
      fx.sim.store
        .list('pods', { namespace: NS, labelSelector: 'reboot-daemon.io/node=worker-1' })
        .items.map((p) => p.metadata.name);
    assert.equal(ours().length, 1);

    const deletesBefore = afterReboot['delete pods'] ?? 0;
    await rebooter.cleanup('worker-1');
    const afterCleanup = counts(fx);
    assert.equal(afterCleanup['list pods'], undefined);
    assert.equal((afterCleanup['delete pods'] ?? 0) - deletesBefore, 1);
    await until(() => ours().length === 0, 5000, 'reboot pod removed');

    // A second cleanup knows no pod of its own any more: it lists by label.
    await rebooter.cleanup('worker-1');
    assert.equal(counts(fx)['list pods'], 1);

    const lease = new KubernetesLeaseStore(fx.clients, { clock: fx.clients.serverTime });
    assert.equal((await lease.create('{}', '', 60)).ok, true);
    assert.equal(counts(fx)['create namespaces'], 1);
  } finally {
    await fx.stop();
  }
});

test('a failed namespace check is not remembered: the next call tries again', async () => {
  let allowed = false;
  const fx = await startFixture({
    authorize: (verb, resource) => resource !== 'namespaces' || allowed || verb !== 'create',
  });
  try {
    const lease = new KubernetesLeaseStore(fx.clients, { clock: fx.clients.serverTime });
    await assert.rejects(lease.create('{}', '', 60), /namespace/);
    allowed = true;
    assert.equal((await lease.create('{}', '', 60)).ok, true);
    assert.ok(fx.sim.store.tryGet('namespaces', undefined, 'reboot-daemon'));
    assert.equal(counts(fx)['create namespaces'], 2);
  } finally {
    await fx.stop();
  }
});
