// Nodes this tool cannot reboot (not Linux, or virtual) are never sent a pod: status, plan and run skip them
// with the reason, and everything else goes on as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../src/app/plan.js';
import { runOnce } from '../../src/app/run.js';
import { status } from '../../src/app/status.js';
import { unsupportedBy } from '../../src/core/order.js';
import type { NodeView } from '../../src/core/types.js';
import { boots, harness, options, world } from '../support/app-harness.js';

function node(o: Partial<NodeView>): NodeView {
  return {
    name: 'n',
    labels: {},
    annotations: {},
    unschedulable: false,
    taints: [],
    ready: 'True',
    bootID: 'b',
    kubeletVersion: 'v1.31.0',
    os: 'linux',
    roles: [],
    controlPlane: false,
    ...o,
  };
}

test('which nodes this tool cannot reboot, and why', () => {
  const rows: [what: string, view: Partial<NodeView>, reason: RegExp | undefined][] = [
    ['a Linux node with a kubelet', {}, undefined],
    ['a Windows node', { os: 'windows' }, /not a Linux node \(kubernetes.io\/os=windows\)/],
    ['a node that does not say', { os: '' }, /not known to be a Linux node/],
    ['no kubelet version', { kubeletVersion: '' }, /a virtual node \(no kubelet version\)/],
    [
      'virtual-kubelet by label',
      { labels: { type: 'virtual-kubelet' } },
      /a virtual node \(virtual-kubelet\)/,
    ],
    [
      'virtual-kubelet by taint',
      { taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }] },
      /a virtual node/,
    ],
    ['virtual-kubelet by version', { kubeletVersion: 'v1.19.10-vk-azure-aci-v1.4.1' }, /a virtual node/],
  ];
  for (const [what, view, reason] of rows) {
    const got = unsupportedBy(node(view));
    if (reason === undefined) assert.equal(got, undefined, what);
    else assert.match(got ?? '', reason, what);
  }
});

function cluster(): ReturnType<typeof world> {
  const w = world(['linux-1']);
  w.mem.addNode('win-1');
  w.mem.node('win-1').labels['kubernetes.io/os'] = 'windows';
  w.mem.addNode('vk-1');
  w.mem.node('vk-1').labels['type'] = 'virtual-kubelet';
  return w;
}

test('status: no check pod for a Windows or a virtual node; the reason is shown', async () => {
  const w = cluster();
  const s = await status(harness(w).deps, { probeConcurrency: 2 });
  assert.equal(w.sentinel.probes, 1, 'only the Linux node is checked');
  const row = (n: string) => s.rows.find((r) => r.name === n);
  assert.equal(row('linux-1')?.rebootRequired, 'yes');
  assert.equal(row('win-1')?.rebootRequired, 'unknown');
  assert.match(row('win-1')?.why ?? '', /not a Linux node \(kubernetes.io\/os=windows\)/);
  assert.match(row('vk-1')?.why ?? '', /a virtual node/);
});

test('plan and run skip them with the reason, and reboot the rest', async () => {
  const w = cluster();
  const p = await plan(harness(w).deps, options({ dryRun: true }));
  assert.deepEqual(
    p.nodes.map((n) => n.name),
    ['linux-1'],
  );
  const other = (n: string) => p.others.find((o) => o.name === n);
  assert.match(other('win-1')?.reason ?? '', /not a Linux node/);
  assert.match(other('vk-1')?.reason ?? '', /a virtual node/);
  const probesBefore = w.sentinel.probes;
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { 'linux-1': 1, 'win-1': 0, 'vk-1': 0 });
  assert.equal(w.sentinel.probes - probesBefore, 2, 'the Linux node, before and after taking its slot');
  assert.ok(!w.mem.writes.some((x) => /win-1|vk-1/.test(x)), w.mem.writes.join('\n'));
});
