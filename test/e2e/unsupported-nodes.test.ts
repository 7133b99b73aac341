// A Windows node and a virtual node in the cluster: the built CLI's status, plan and run skip them with a
// reason, never send them a pod, and reboot the Linux node that needs it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAST_TIMING,
  assertBuilt,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
nodes:
  - { name: linux-1, rebootRequired: true }
  - { name: win-1, os: windows, rebootRequired: true }
  - { name: vk-1, rebootRequired: true, kubeletVersion: v1.19.10-vk-azure-aci-v1.4.1, labels: { type: virtual-kubelet } }
${FAST_TIMING}`;

describe('Windows and virtual nodes are skipped with a reason, never sent a pod', () => {
  let c: TestCluster;
  /** The node of every pod created while the test ran. */
  const podsOn: string[] = [];
  let off: (() => void) | undefined;

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
    off = c.sim.store.onChange((resource, type, obj) => {
      if (resource === 'pods' && type === 'ADDED') podsOn.push(String(obj.spec?.nodeName ?? ''));
    });
  });
  after(async () => {
    off?.();
    await c?.stop();
  });

  test('status', async () => {
    const r = await runCli(['status', '--kubeconfig', c.kubeconfigPath, '-o', 'json']);
    assert.equal(r.code, 0, show(r));
    const nodes = (
      JSON.parse(r.stdout) as { nodes: { name: string; rebootRequired: string; reasons?: string[] }[] }
    ).nodes;
    const row = (n: string) => nodes.find((x) => x.name === n);
    assert.equal(row('linux-1')?.rebootRequired, 'yes');
    assert.equal(row('win-1')?.rebootRequired, 'unchecked');
    assert.match(row('win-1')?.reasons?.join('; ') ?? '', /not a Linux node \(kubernetes.io\/os=windows\)/);
    assert.match(row('vk-1')?.reasons?.join('; ') ?? '', /a virtual node \(virtual-kubelet\)/);
  });

  test('status -o wide says why in its REASON column', async () => {
    const r = await runCli(['status', '--kubeconfig', c.kubeconfigPath, '-o', 'wide']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^win-1 .*not a Linux node \(kubernetes.io\/os=windows\)/m);
    assert.match(r.stdout, /^vk-1 .*a virtual node/m);
  });

  test('plan', async () => {
    const r = await runCli(['plan', '--kubeconfig', c.kubeconfigPath]);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /win-1.*not a Linux node/);
    assert.match(r.stdout, /vk-1.*a virtual node/);
  });

  test('run reboots the Linux node only', async () => {
    const r = await runCli(runArgs(c.kubeconfigPath), { timeoutMs: 60_000 });
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'linux-1': 1 });
    assert.ok(podsOn.includes('linux-1'), 'the Linux node got its helper pods');
    assert.deepEqual(
      podsOn.filter((n) => n === 'win-1' || n === 'vk-1'),
      [],
      'no pod was ever made for the Windows or the virtual node',
    );
  });
});
