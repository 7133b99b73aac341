// Helper pods on real-looking nodes, end to end with the built CLI: a node with no cpu, memory or pod room
// left is still checked and rebooted (the helper pods are BestEffort and system-node-critical, and the
// simulated kubelet admits them by preempting a lower pod, as a real one does); a host without systemctl
// fails with a message naming the host and the remedy, leaves the node uncordoned with no record and no
// lock slot, and a later run with --reboot-method signal is not blocked by it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAST_TIMING,
  assertBuilt,
  bootIds,
  helperPods,
  isCordoned,
  leaseHolders,
  node,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  stateAnnotations,
  type CliResult,
  type TestCluster,
} from '../support/e2e-cli.js';

// node-1 holds 2 pods, 500m and 512Mi: the DaemonSet pod "hog" requests all its cpu and memory, and a
// Deployment pod takes the last pod slot. node-2 has room for the replacement pods.
const FULL = `
seed: 3
nodes:
  - { name: node-1, rebootRequired: true, allocatable: { cpu: 500m, memory: 512Mi, pods: 2 } }
  - { name: node-2 }
workloads:
  daemonSets:
    - { name: hog, namespace: kube-system, requests: { cpu: 500m, memory: 512Mi } }
  barePods:
    - { name: filler, namespace: default, node: node-1 }
${FAST_TIMING}`;

describe('a full node (no cpu, memory or pod room left) is checked and rebooted', () => {
  let c: TestCluster;
  let before_: Map<string, string>;
  let result: CliResult;

  before(async () => {
    await assertBuilt();
    c = await startCluster(FULL);
    before_ = bootIds(c.sim);
    const n = node(c.sim, 'node-1');
    assert.equal(n.status?.allocatable?.pods, '2');
    const onNode = c.sim.store
      .list('pods', { fieldSelector: 'spec.nodeName=node-1' })
      .items.filter((p) => p.status?.phase === 'Running');
    assert.equal(onNode.length, 2, 'node-1 starts full');
    result = await runCli(runArgs(c.kubeconfigPath, ['--force']));
  });
  after(async () => {
    await c?.stop();
  });

  test('the run exits 0 and node-1 has a new boot ID from one reboot', () => {
    assert.equal(result.code, 0, show(result));
    assert.notEqual(bootIds(c.sim).get('node-1'), before_.get('node-1'));
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'node-1': 1 });
  });

  test('the kubelet made room by preemption, and nothing of ours is left', () => {
    const preempted = c.sim.cluster.record.of('podKilled').filter((e) => e.reason === 'Preempting');
    assert.ok(preempted.length >= 1, show(result));
    assert.equal(isCordoned(c.sim, 'node-1'), false);
    assert.deepEqual(stateAnnotations(c.sim), {});
    assert.deepEqual(helperPods(c.sim), []);
    assert.deepEqual(leaseHolders(c.sim).holders, []);
  });
});

const NO_SYSTEMCTL = `
seed: 4
nodes:
  - { name: node-1, rebootRequired: true, missingPrograms: [systemctl] }
  - { name: node-2 }
${FAST_TIMING}`;

describe('a host without systemctl fails clearly and blocks nothing', () => {
  let c: TestCluster;
  let before_: Map<string, string>;
  let first: CliResult;

  before(async () => {
    await assertBuilt();
    c = await startCluster(NO_SYSTEMCTL);
    before_ = bootIds(c.sim);
    first = await runCli(runArgs(c.kubeconfigPath));
  });
  after(async () => {
    await c?.stop();
  });

  test('the run exits 1 naming the host, the missing program and the remedy', () => {
    assert.equal(first.code, 1, show(first));
    const all = first.stdout + first.stderr;
    assert.match(all, /host node-1 has no \/bin\/systemctl/, show(first));
    assert.match(all, /--reboot-method signal/, show(first));
    assert.equal(bootIds(c.sim).get('node-1'), before_.get('node-1'));
  });

  test('the node is uncordoned, holds no record and no slot, and keeps a note of why', () => {
    assert.equal(isCordoned(c.sim, 'node-1'), false);
    assert.deepEqual(stateAnnotations(c.sim), {});
    assert.deepEqual(leaseHolders(c.sim).holders, []);
    assert.deepEqual(helperPods(c.sim), []);
    const note = node(c.sim, 'node-1').metadata.annotations?.['reboot-daemon.io/last-failure'] ?? '';
    assert.match(
      note,
      /^\d{4}-\d\d-\d\dT.* node node-1 was not rebooted: host node-1 has no \/bin\/systemctl/,
    );
  });

  test('status says why', async () => {
    const s = await runCli(['status', '--kubeconfig', c.kubeconfigPath]);
    assert.match(s.stdout, /last reboot failed: .*host node-1 has no \/bin\/systemctl/, show(s));
  });

  test('a later run with --reboot-method signal reboots it, not blocked by the failure', async () => {
    const second = await runCli(runArgs(c.kubeconfigPath, ['--reboot-method', 'signal']));
    assert.equal(second.code, 0, show(second));
    assert.notEqual(bootIds(c.sim).get('node-1'), before_.get('node-1'));
    assert.equal(node(c.sim, 'node-1').metadata.annotations?.['reboot-daemon.io/last-failure'], undefined);
    assert.equal(isCordoned(c.sim, 'node-1'), false);
  });
});
