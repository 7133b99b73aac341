// Helper pods against the simulated cluster: sentinel checks (file and command), the guarded reboot,
// cleanup and leftovers, all through the real client-node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPodLeftovers, HelperPodSentinelChecker } from '../../src/adapters/k8s/helper-pods.js';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { createPod, deletePodQuietly, followPod } from '../../src/adapters/k8s/helper-pod-run.js';
import {
  DEFAULT_HELPER_IMAGE,
  ownerLabelValue,
  rebootArgv,
  rebootPod,
} from '../../src/adapters/k8s/helper-pod-spec.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { localProcess } from '../../src/adapters/process.js';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { podObj, until } from './sim-fixture.js';
import type { KObject } from '../../src/sim/types.js';

let fx: ClusterFixture;
const NS = 'reboot-daemon';
const managed = 'app.kubernetes.io/managed-by=reboot-daemon';

before(async () => {
  // control-plane-1, worker-1 (needs a reboot, with packages), worker-2 (does not), worker-3 (needs one).
  fx = await startClusterFixture(4, (s) => ({
    ...s,
    nodes: s.nodes.map((n) =>
      n.controlPlane ? n : { ...n, sentinelCommand: { command: 'needs-restarting' } },
    ),
  }));
});
after(() => fx.stop());

const ourPods = (): number =>
  fx.sim.store.list('pods', { namespace: NS, labelSelector: managed }).items.length;

test('file sentinel present: required, with the package list as reason; the pod is deleted', async () => {
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'r1',
    sentinel: { kind: 'file', path: '/var/run/reboot-required' },
  });
  const r = await checker.check('worker-1');
  assert.equal(r.kind, 'required', JSON.stringify(r));
  if (r.kind === 'required') assert.match(r.reason, /linux-image/);
  assert.equal(ourPods(), 0);
  const ns = fx.sim.store.get('namespaces', undefined, NS);
  assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
});

test('file sentinel absent: not required; present without packages: "sentinel present"', async () => {
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'r1',
    sentinel: { kind: 'file', path: '/run/reboot-required' },
  });
  assert.deepEqual(await checker.check('worker-2'), { kind: 'not-required', source: 'probe' });
  const r3 = await checker.check('worker-3');
  assert.equal(r3.kind, 'required');
  if (r3.kind === 'required') assert.equal(r3.reason, 'sentinel present');
});

test('command sentinel runs on the host through nsenter', async () => {
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'r1',
    sentinel: { kind: 'command', argv: ['needs-restarting'] },
  });
  const host = fx.cluster.host('worker-2');
  assert.deepEqual(await checker.check('worker-2'), { kind: 'not-required', source: 'probe' });
  assert.ok(
    host.programLog.some((p) => p.startsWith('needs-restarting')),
    host.programLog.join('; '),
  );
  const r1 = await checker.check('worker-1');
  assert.equal(r1.kind, 'required', JSON.stringify(r1));
  const missing = new HelperPodSentinelChecker(fx.clients, {
    runId: 'r1',
    sentinel: { kind: 'command', argv: ['no-such-tool'] },
  });
  const u = await missing.check('worker-2');
  assert.equal(u.kind, 'unknown');
  if (u.kind === 'unknown') assert.match(u.error, /exited 127/);
});

test('a check that cannot finish in time is unknown, and its pod is deleted', async () => {
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'r1',
    sentinel: { kind: 'file', path: '/run/reboot-required' },
    timeoutMs: 1500,
  });
  const r = await checker.check('no-such-node');
  assert.equal(r.kind, 'unknown');
  if (r.kind === 'unknown') assert.match(r.error, /did not finish within 2s/);
  assert.equal(ourPods(), 0);
});

test('the reboot pod reboots the node (new boot ID), and re-running it after the boot does not', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  const before = await cluster.getNode('worker-3');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', startGraceMs: 60_000 });
  await rebooter.reboot('worker-3', before.bootID, AbortSignal.timeout(20_000));
  const ac = new AbortController();
  let bootID = before.bootID;
  const watching = cluster.watchNode('worker-3', (n) => (bootID = n.bootID), ac.signal);
  await until(() => bootID !== before.bootID, 15_000, 'new boot ID');
  const after = bootID;
  assert.ok(fx.cluster.host('worker-3').programLog.some((p) => p.includes('systemctl reboot')));

  // The same pod again, with the old boot ID: the guard exits 0 without rebooting.
  const settings = { namespace: NS, runId: 'r1', image: DEFAULT_HELPER_IMAGE, imagePullSecrets: [] };
  const again = rebootPod(settings, 'worker-3', before.bootID, rebootArgv('command'), 60);
  await createPod(fx.clients, again);
  const final = await followPod(
    fx.clients,
    NS,
    again.metadata?.name ?? '',
    (s) => (s.kind === 'exited' || s.kind === 'failed' ? s : undefined),
    AbortSignal.timeout(15_000),
  );
  assert.equal(final.kind, 'exited');
  if (final.kind === 'exited') {
    assert.equal(final.exitCode, 0);
    assert.match(final.message, /boot id changed/);
  }
  // Made here, not by the Rebooter: its cleanup deletes only the pods it made.
  assert.equal(await deletePodQuietly(fx.clients, NS, again.metadata?.name ?? ''), true);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(bootID, after, 'no second reboot');
  // and the Rebooter itself does nothing once the boot happened (its pod's guard exits 0)
  await rebooter.reboot('worker-3', before.bootID);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(bootID, after, 'no reboot from the Rebooter either');
  ac.abort();
  await watching;

  await rebooter.cleanup('worker-3');
  const left = fx.sim.store.list('pods', {
    namespace: NS,
    labelSelector: `${managed},reboot-daemon.io/node=worker-3`,
  });
  assert.equal(left.items.length, 0);
});

test('a reboot command that fails rejects with its exit code and removes the pod', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  const node = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', command: 'no-such-reboot' });
  await assert.rejects(
    rebooter.reboot('worker-1', node.bootID, AbortSignal.timeout(15_000)),
    /worker-1.*exited 127/,
  );
  assert.equal((await cluster.getNode('worker-1')).bootID, node.bootID);
  assert.equal(ourPods(), 0);
});

test('the signal method reboots through PID 1 of the host', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  const before = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', method: 'signal', startGraceMs: 60_000 });
  await rebooter.reboot('worker-1', before.bootID, AbortSignal.timeout(20_000));
  const ac = new AbortController();
  let bootID = before.bootID;
  const watching = cluster.watchNode('worker-1', (n) => (bootID = n.bootID), ac.signal);
  await until(() => bootID !== before.bootID, 15_000, 'new boot ID');
  ac.abort();
  await watching;
  await rebooter.cleanup('worker-1');
});

test("collectLeftovers takes our owner's earlier runs at once, another owner's pods only past their deadline", async () => {
  const mineHash = ownerLabelValue('ops@laptop');
  const label = (run: string, owner?: string): Record<string, string> => ({
    'app.kubernetes.io/managed-by': 'reboot-daemon',
    'reboot-daemon.io/role': 'check',
    'reboot-daemon.io/node': 'worker-2',
    'reboot-daemon.io/run': run,
    ...(owner === undefined ? {} : { 'reboot-daemon.io/owner': owner }),
  });
  const withDeadline = (pod: KObject, seconds: number): KObject => {
    pod.spec = { ...pod.spec, activeDeadlineSeconds: seconds };
    return pod;
  };
  fx.sim.store.create('pods', withDeadline(podObj(NS, 'crashed-1', 'worker-2', label('old', mineHash)), 120));
  fx.sim.store.create(
    'pods',
    withDeadline(podObj(NS, 'live-other', 'worker-2', label('other', 'feedfacefeedface')), 120),
  );
  fx.sim.store.create('pods', withDeadline(podObj(NS, 'unowned-old', 'worker-2', label('older')), 120));
  fx.sim.store.create('pods', podObj(NS, 'mine', 'worker-2', label('now', mineHash)));
  fx.sim.store.create('pods', podObj(NS, 'foreign', 'worker-2', { app: 'x' }));
  // The janitor's clock starts at the pods' creation time (the simulator's clock may run apart from ours).
  const created = fx.sim.store.get('pods', NS, 'live-other').metadata.creationTimestamp ?? '';
  let now = new Date(created).getTime() + 1_000;
  const janitor = new HelperPodLeftovers(fx.clients, { runId: 'now', owner: 'ops@laptop', now: () => now });
  // Now: only this owner's crashed run's pod; the other owner's pod may belong to a live run.
  assert.equal(await janitor.collectLeftovers(), 1);
  await until(() => fx.sim.store.tryGet('pods', NS, 'crashed-1') === undefined, 3000, 'crashed-1 removed');
  assert.ok(fx.sim.store.tryGet('pods', NS, 'live-other'));
  assert.ok(fx.sim.store.tryGet('pods', NS, 'unowned-old'));
  // Past their 120 s deadline plus the grace, no live run can wait on them: both go.
  now += 200_000;
  assert.equal(await janitor.collectLeftovers(), 2);
  await until(() => fx.sim.store.tryGet('pods', NS, 'live-other') === undefined, 3000, 'live-other removed');
  assert.ok(fx.sim.store.tryGet('pods', NS, 'mine'));
  assert.ok(fx.sim.store.tryGet('pods', NS, 'foreign'));
});

test("leftovers of the same owner: a live process's pods stay (until their deadline); a dead one's go at once", async () => {
  const mineHash = ownerLabelValue('ops@ci-1');
  const label = (run: string, pid: number): Record<string, string> => ({
    'app.kubernetes.io/managed-by': 'reboot-daemon',
    'reboot-daemon.io/role': 'check',
    'reboot-daemon.io/node': 'worker-2',
    'reboot-daemon.io/run': run,
    'reboot-daemon.io/owner': mineHash,
    'reboot-daemon.io/pid': String(pid),
  });
  const withDeadline = (pod: KObject): KObject => {
    pod.spec = { ...pod.spec, activeDeadlineSeconds: 120 };
    return pod;
  };
  fx.sim.store.create('pods', withDeadline(podObj(NS, 'sibling-live', 'worker-2', label('r-live', 4001))));
  fx.sim.store.create('pods', withDeadline(podObj(NS, 'sibling-dead', 'worker-2', label('r-dead', 4002))));
  fx.sim.store.create('pods', withDeadline(podObj(NS, 'same-process', 'worker-2', label('r-earlier', 4000))));
  const created = fx.sim.store.get('pods', NS, 'sibling-live').metadata.creationTimestamp ?? '';
  let now = new Date(created).getTime() + 1_000;
  const janitor = new HelperPodLeftovers(fx.clients, {
    runId: 'r-now',
    owner: 'ops@ci-1',
    self: { pid: 4000, isAlive: (pid) => pid === 4000 || pid === 4001 },
    now: () => now,
  });
  assert.equal(await janitor.collectLeftovers(), 2);
  await until(
    () =>
      !fx.sim.store.tryGet('pods', NS, 'sibling-dead') && !fx.sim.store.tryGet('pods', NS, 'same-process'),
    3000,
    'the dead sibling’s and this process’s earlier pods removed',
  );
  assert.ok(fx.sim.store.tryGet('pods', NS, 'sibling-live'), 'a live run of the same owner keeps its pod');
  now += 200_000;
  assert.equal(await janitor.collectLeftovers(), 1, 'past its deadline no run can still wait on it');
});

test('localProcess: this process is alive, an exited child is not', async () => {
  const me = localProcess();
  assert.equal(me.pid, process.pid);
  assert.equal(me.host, hostname());
  assert.equal(me.isAlive(process.pid), true);
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid ?? 0;
  await new Promise((r) => child.once('exit', r));
  assert.ok(pid > 0);
  assert.equal(me.isAlive(pid), false);
});
