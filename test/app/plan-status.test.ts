// plan / run --dry-run (nothing written; order, window, drains, PDBs) and status (one row per node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../src/app/plan.js';
import { runOnce } from '../../src/app/run.js';
import { status } from '../../src/app/status.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { emptyLockRecord, serializeLockRecord } from '../../src/core/lock.js';
import type { Blocker } from '../../src/ports/blockers.js';
import { closed, harness, options, world } from '../support/app-harness.js';

function cluster(): ReturnType<typeof world> {
  const w = world(['w2', 'w1']);
  w.mem.addNode('cp1', { controlPlane: true });
  w.mem.addNode('w3', { sentinel: 'not-required' });
  w.mem.addWorkload('db', ['w1', 'w2'], 2);
  w.mem.addPod('bare', 'w2', { owner: undefined });
  w.mem.addPod('fluentd-x', 'w1', {
    namespace: 'kube-system',
    owner: { kind: 'DaemonSet', name: 'fluentd' },
  });
  w.mem.addPod('cache', 'w1', { hasEmptyDir: true });
  return w;
}

test('run --dry-run writes nothing and says what each drain would do', async () => {
  const w = cluster();
  const h = harness(w);
  const res = await runOnce(h.deps, options({ dryRun: true, drain: { deleteEmptydirData: true } }));
  assert.deepEqual(w.mem.writes, []);
  assert.equal(w.lease.lease, undefined);
  assert.equal(res.exitCode, 0, res.reason);
  assert.match(res.reason, /dry run, nothing written: would reboot w1, w2, cp1 in this order/);
  const lines = h.events.flatMap((e) => (e.type === 'log' ? [`${e.node}: ${e.message}`] : []));
  assert.ok(
    lines.some((l) =>
      /^w2: would reboot #2: cannot drain: 1 pod has no controller: default\/bare \(use --force/.test(l),
    ),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /^w1: .*PDB default\/db refuses now \(disruptionsAllowed 0\)/.test(l)),
    lines.join('\n'),
  );
});

test('plan lists order, window, evictions, refusals with reasons, and blocking PDBs', async () => {
  const w = cluster();
  const opening = w.clock.now() + 7_200_000;
  const blockers: Blocker[] = [
    { name: 'prometheus', check: async () => ({ blocked: true, reasons: ['1 active alert(s): DiskFull'] }) },
  ];
  const h = harness(w, { windowState: closed(opening), blockers });
  const p = await plan(h.deps, options());
  assert.deepEqual(w.mem.writes, []);
  assert.deepEqual(
    p.nodes.map((n) => [n.order, n.name]),
    [
      [1, 'w1'],
      [2, 'w2'],
      [3, 'cp1'],
    ],
  );
  const w1 = p.nodes[0];
  assert.equal(w1?.startsAt, opening);
  assert.deepEqual(w1?.drain.evict, ['default/db-0']);
  assert.deepEqual(
    w1?.drain.skipped.map((s) => [s.pod, s.reason]),
    [['kube-system/fluentd-x', 'daemonset']],
  );
  assert.match(
    w1?.drain.errors[0]?.message ?? '',
    /1 pod uses emptyDir local storage: default\/cache \(use --delete-emptydir-data/,
  );
  assert.deepEqual(
    w1?.pdbs.map((b) => [b.pdb, b.disruptionsAllowed, b.blocksNow]),
    [['default/db', 0, true]],
  );
  assert.deepEqual(w1?.blocked, ['prometheus: 1 active alert(s): DiskFull']);
  assert.equal(w1?.lock, 'slot 1/1');
  assert.deepEqual(
    p.others.map((o) => [o.name, o.verdict]),
    [['w3', 'not-required']],
  );
  assert.equal(p.window.open, false);
  const res = await runOnce(h.deps, options({ dryRun: true }));
  assert.equal(res.exitCode, 3);
});

test('plan shows what a resume would do for a node left in progress', async () => {
  const w = world(['a']);
  w.mem.node('a').annotations[STATE_ANNOTATION] = JSON.stringify({
    version: 2,
    token: { owner: 'alice@ops', runId: 'r0', proc: 'p0', gen: 0 },
    phase: 'rebooting',
    wasUnschedulable: false,
    bootID: 'a-boot-0',
    startedAt: 0,
    since: 0,
  });
  const p = await plan(harness(w).deps, options());
  assert.equal(p.nodes[0]?.resume?.start, 'wait-boot');
});

test('status has a row per node: need, why, blockers, lock holder, phase, and the window', async () => {
  const w = world(['a', 'b', 'c']);
  w.mem.node('b').sentinel = 'error';
  w.mem.node('c').sentinel = 'not-required';
  w.mem.node('c').labels['reboot-daemon.io/exclude'] = 'true';
  w.mem.node('a').annotations[STATE_ANNOTATION] = '{broken';
  const t = w.clock.now();
  w.lease.lease = {
    record: serializeLockRecord({
      ...emptyLockRecord(1),
      holders: [
        {
          node: 'a',
          owner: 'bob@ci',
          runId: 'r',
          acquiredAt: t,
          renewedAt: t,
          ttlMs: 60_000,
          proc: { id: 'p1', host: 'ci', pid: 7 },
        },
      ],
    }),
    rv: 1,
    holderIdentity: 'a',
  };
  const blockers: Blocker[] = [
    {
      name: 'blocking-pods',
      check: async (n) => ({ blocked: n === 'a', reasons: n === 'a' ? ['pod default/backup'] : [] }),
    },
  ];
  const s = await status(harness(w, { blockers }).deps, { probeConcurrency: 2 });
  const row = (n: string) => s.rows.find((r) => r.name === n);
  assert.deepEqual(
    s.rows.map((r) => [r.name, r.rebootRequired]),
    [
      ['a', 'yes'],
      ['b', 'unknown'],
      ['c', 'no'],
    ],
  );
  assert.match(row('b')?.why ?? '', /check failed: helper pod failed/);
  assert.deepEqual(row('a')?.blockedBy, ['blocking-pods: pod default/backup']);
  assert.match(row('c')?.blockedBy[0] ?? '', /opted out/);
  assert.equal(row('a')?.lockHolder, 'a (bob@ci, run r)');
  assert.equal(row('a')?.phase, 'unreadable');
  assert.equal(row('a')?.ready, 'True');
  assert.equal(row('a')?.schedulable, true);
  assert.deepEqual(s.lock.holders, ['a (bob@ci, run r)']);
  assert.equal(s.window.open, true);
  assert.deepEqual(w.mem.writes, []);
});
