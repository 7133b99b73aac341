// Helper pods against the simulated cluster: sentinel checks (file and command), the guarded reboot,
// cleanup and leftovers, all through the real client-node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPodLeftovers, HelperPodSentinelChecker } from '../../src/adapters/k8s/helper-pods.js';
import { HelperPodRebooter } from '../../src/adapters/k8s/helper-pod-reboot.js';
import { RebootNotRunError } from '../../src/core/errors.js';
import { createPod, deletePodQuietly, followPod } from '../../src/adapters/k8s/helper-pod-run.js';
import { settingsOf } from '../../src/adapters/k8s/helper-pod-common.js';
import {
  DEFAULT_HELPER_IMAGE,
  fileCheckPod,
  rebootArgv,
  rebootPod,
} from '../../src/adapters/k8s/helper-pod-spec.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';
import { localProcess } from '../../src/adapters/process.js';
import type { ProcReader } from '../../src/adapters/process.js';
import type { ProcessIdentity } from '../../src/ports/process.js';
import type { V1Pod } from '@kubernetes/client-node';
import {
  guardFor,
  HELPER_MANAGED,
  HELPER_NS,
  helperPodCount,
  startClusterFixture,
} from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';
import { podObj, until } from './sim-fixture.js';

let fx: ClusterFixture;
const NS = HELPER_NS;
const managed = HELPER_MANAGED;

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

const guard = (bootID: string): { bootID: string; notAfter: number } => guardFor(fx, bootID);

/** Cordons the node, as a run has before its trigger (a reboot pod withdraws from a schedulable node). */
async function cordoned(cluster: KubernetesCluster, name: string): Promise<void> {
  await cluster.patchNode(name, { unschedulable: true });
}

const ourPods = (): number => helperPodCount(fx);

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
  if (u.kind === 'unknown')
    assert.match(
      u.error,
      /^check on worker-2 failed: host worker-2 has no no-such-tool .*failed to execute no-such-tool/,
    );
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
  await cordoned(cluster, 'worker-3');
  const before = await cluster.getNode('worker-3');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', startGraceMs: 60_000 });
  await rebooter.reboot('worker-3', guard(before.bootID), AbortSignal.timeout(20_000));
  const ac = new AbortController();
  let bootID = before.bootID;
  const watching = cluster.watchNode('worker-3', (n) => (bootID = n.bootID), ac.signal);
  await until(() => bootID !== before.bootID, 15_000, 'new boot ID');
  const after = bootID;
  assert.ok(fx.cluster.host('worker-3').programLog.some((p) => p.includes('systemctl reboot')));

  // The same pod again, with the old boot ID: the guard exits 0 without rebooting.
  const settings = { namespace: NS, runId: 'r1', image: DEFAULT_HELPER_IMAGE, imagePullSecrets: [] };
  const again = rebootPod(settings, 'worker-3', guard(before.bootID), rebootArgv('command'), 60);
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
  await rebooter.reboot('worker-3', guard(before.bootID));
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

test('a reboot command the host lacks is a RebootNotRunError naming the host, and removes the pod', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cordoned(cluster, 'worker-1');
  const node = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', command: 'no-such-reboot' });
  await assert.rejects(
    rebooter.reboot('worker-1', guard(node.bootID), AbortSignal.timeout(15_000)),
    (err: unknown) =>
      err instanceof RebootNotRunError &&
      err.missing === 'no-such-reboot' &&
      /^node worker-1 was not rebooted: host worker-1 has no no-such-reboot \(nsenter: failed to execute/.test(
        err.message,
      ) &&
      /--reboot-method signal/.test(err.hint ?? ''),
  );
  assert.equal((await cluster.getNode('worker-1')).bootID, node.bootID);
  assert.equal(ourPods(), 0);
});

test('the signal method reboots through PID 1 of the host', async () => {
  const cluster = new KubernetesCluster(fx.clients);
  await cordoned(cluster, 'worker-1');
  const before = await cluster.getNode('worker-1');
  const rebooter = new HelperPodRebooter(fx.clients, { runId: 'r1', method: 'signal', startGraceMs: 60_000 });
  await rebooter.reboot('worker-1', guard(before.bootID), AbortSignal.timeout(20_000));
  const ac = new AbortController();
  let bootID = before.bootID;
  const watching = cluster.watchNode('worker-1', (n) => (bootID = n.bootID), ac.signal);
  await until(() => bootID !== before.bootID, 15_000, 'new boot ID');
  ac.abort();
  await watching;
  await rebooter.cleanup('worker-1');
});

/** A helper pod as a run of `process` makes it, for a node that does not exist (so nothing runs it). */
async function leftover(
  runId: string,
  made: ProcessIdentity | undefined,
  deadlineSeconds = 120,
): Promise<string> {
  const settings = settingsOf({
    runId,
    namespace: NS,
    owner: 'ops@ci-1',
    ...(made ? { process: made } : {}),
  });
  const body = fileCheckPod(settings, 'gone-node', '/run/reboot-required', deadlineSeconds);
  const pod = await createPod(fx.clients, body);
  return pod.metadata?.name ?? '';
}

const exists = (name: string): boolean => fx.sim.store.tryGet('pods', NS, name) !== undefined;
const createdMs = (name: string): number =>
  new Date(fx.sim.store.get('pods', NS, name).metadata.creationTimestamp ?? '').getTime();

const BOOT = '6f1c1a52-8c1e-4c43-9d0b-3c3c2a1e0b11';
const statLine = (pid: number, start: string): string =>
  `${pid} (node) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 1000 10 0\n`;

/** A container of one machine: its own pid namespace, in which the given pids run with their start times. */
function container(pidNs: string, running: Record<number, string>): ProcReader {
  return {
    readText(path) {
      if (path === '/proc/sys/kernel/random/boot_id') return `${BOOT}\n`;
      const m = /^\/proc\/(self|\d+)\/stat$/.exec(path);
      const pid = m?.[1] === 'self' ? 1 : Number(m?.[1]);
      const start = running[pid];
      return start === undefined ? undefined : statLine(pid, start);
    },
    readLink: (path) => (path === '/proc/self/ns/pid' ? pidNs : undefined),
    signal: (pid) => (running[pid] === undefined ? 'gone' : 'exists'),
  };
}

test('a pod without a recorded process waits for its deadline, whoever made it; our own run and foreign pods stay', async () => {
  const old = await leftover('old', undefined);
  const mine = await leftover('now', undefined);
  fx.sim.store.create('pods', podObj(NS, 'foreign', 'worker-2', { app: 'x' }));
  // The janitor's clock is the API server's (the pods' creationTimestamp is on it).
  let now = createdMs(old) + 1_000;
  const me = localProcess({ proc: container('pid:[4026532001]', { 1: '10' }), pid: 1, host: 'runner' });
  const janitor = new HelperPodLeftovers(fx.clients, {
    runId: 'now',
    namespace: NS,
    process: me,
    now: () => now,
  });
  assert.equal(await janitor.collectLeftovers(), 0);
  assert.ok(exists(old));
  // Past its 120 s deadline plus the grace, no live run can wait on it.
  now += 200_000;
  assert.equal(await janitor.collectLeftovers(), 1);
  await until(() => !exists(old), 3000, 'the old pod removed');
  assert.ok(exists(mine), 'this run keeps its own pods');
  assert.ok(exists('foreign'), 'not ours');
  assert.equal(await deletePodQuietly(fx.clients, NS, mine), true);
  assert.equal(await deletePodQuietly(fx.clients, NS, 'foreign'), true);
});

test('two containers on one host, both pid 1: neither collects the other’s pods before their deadline', async () => {
  const a = localProcess({ proc: container('pid:[4026532001]', { 1: '10' }), pid: 1, host: 'runner' });
  const b = localProcess({ proc: container('pid:[4026532002]', { 1: '20' }), pid: 1, host: 'runner' });
  assert.equal(a.self.host, b.self.host);
  assert.equal(a.self.pid, b.self.pid);
  const podOfA = await leftover('run-a', a.self);
  const podOfB = await leftover('run-b', b.self);
  let now = createdMs(podOfA) + 1_000;
  const janitorA = new HelperPodLeftovers(fx.clients, {
    runId: 'run-a',
    namespace: NS,
    process: a,
    now: () => now,
  });
  const janitorB = new HelperPodLeftovers(fx.clients, {
    runId: 'run-b',
    namespace: NS,
    process: b,
    now: () => now,
  });
  assert.equal(await janitorA.collectLeftovers(), 0);
  assert.equal(await janitorB.collectLeftovers(), 0);
  assert.ok(exists(podOfA) && exists(podOfB));
  const verdict = janitorB.verdict(fx.sim.store.get('pods', NS, podOfA) as V1Pod);
  assert.deepEqual(verdict, { collect: false, reason: 'within its deadline (its process is unknown)' });
  now += 200_000;
  assert.equal(await janitorB.collectLeftovers(), 1, 'past its deadline');
  await until(() => !exists(podOfA), 3000, 'A’s pod removed');
  assert.ok(exists(podOfB));
  assert.equal(await deletePodQuietly(fx.clients, NS, podOfB), true);
});

test('in one pid namespace: a gone or reused pid’s pods go at once, a live process keeps its pods', async () => {
  const ns = 'pid:[4026531836]';
  // pid 1 is us (start 10); 4001 runs since 5000; 4003 now runs but started at 9000.
  const proc = container(ns, { 1: '10', 4001: '5000', 4003: '9000' });
  const me = localProcess({ proc, pid: 1, host: 'runner' });
  const sibling = (id: string, pid: number, startTime: string): ProcessIdentity => ({
    id,
    host: 'runner',
    bootId: BOOT,
    pidNs: ns,
    pid,
    startTime,
  });
  const live = await leftover('r-live', sibling('live', 4001, '5000'));
  const gone = await leftover('r-gone', sibling('gone', 4002, '6000'));
  const reused = await leftover('r-reused', sibling('reused', 4003, '7000'));
  const earlier = await leftover('r-earlier', { ...me.self });
  let now = createdMs(live) + 1_000;
  const janitor = new HelperPodLeftovers(fx.clients, {
    runId: 'r-now',
    namespace: NS,
    process: me,
    now: () => now,
  });
  assert.equal(await janitor.collectLeftovers(), 2);
  await until(() => !exists(gone) && !exists(reused), 3000, 'the gone and reused processes’ pods removed');
  assert.ok(exists(live), 'a live run keeps its pod');
  assert.ok(exists(earlier), 'an earlier run of this very process is alive: its pod stays');
  now += 200_000;
  assert.equal(await janitor.collectLeftovers(), 2, 'past their deadline no run can still wait on them');
  await until(() => !exists(live) && !exists(earlier), 3000, 'the rest removed');
});
