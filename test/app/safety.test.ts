// The lock and the "unknown means do not reboot" rules: concurrent runs, TTL expiry, kured's lock,
// unreadable locks, failed probes and blockers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { EXPIRY_MARGIN_MS, emptyLockRecord, serializeLockRecord } from '../../src/core/lock.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import type { Blocker } from '../../src/ports/blockers.js';
import { boots, drive, harness, options, world } from '../support/app-harness.js';

test('two concurrent runs with --concurrency 1 on different nodes never have two nodes down at once', async () => {
  const w = world(4);
  for (const n of w.mem.nodes.values())
    n.labels['pool'] = n.name === 'node-1' || n.name === 'node-2' ? 'x' : 'y';
  const alice = harness(w);
  const bob = harness(w);
  const [ra, rb] = await Promise.all([
    runOnce(alice.deps, options({ owner: 'alice@ops', nodeSelector: 'pool=x', lockWaitMs: 3_600_000 })),
    runOnce(bob.deps, options({ owner: 'bob@ci', nodeSelector: 'pool=y', lockWaitMs: 3_600_000 })),
  ]);
  assert.equal(ra.exitCode, 0, ra.reason);
  assert.equal(rb.exitCode, 0, rb.reason);
  assert.deepEqual([...ra.rebooted, ...rb.rebooted].sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
  assert.equal(w.mem.maxDisrupted, 1);
  assert.ok(
    alice.events.some((e) => e.type === 'lock' && e.action === 'waiting') ||
      bob.events.some((e) => e.type === 'lock' && e.action === 'waiting'),
  );
});

test('two runs over the same nodes reboot each node once; a node rebooted by the other run is left untouched', async () => {
  const w = world(3);
  w.mem.node('node-2').unschedulable = true; // cordoned by an admin
  const alice = harness(w);
  const bob = harness(w);
  const [ra, rb] = await Promise.all([
    runOnce(alice.deps, options({ owner: 'alice@ops', lockWaitMs: 3_600_000 })),
    runOnce(bob.deps, options({ owner: 'bob@ci', lockWaitMs: 3_600_000 })),
  ]);
  assert.deepEqual(boots(w), { 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  assert.equal(w.mem.maxDisrupted, 2, 'the admin-cordoned node plus one being rebooted');
  assert.equal(w.mem.node('node-2').unschedulable, true);
  assert.deepEqual([...ra.rebooted, ...rb.rebooted].sort(), ['node-1', 'node-2', 'node-3']);
  assert.match([ra.reason, rb.reason].join(' '), /no reboot required any more/);
  assert.deepEqual(w.lease.holders(), []);
});

test('two runs of the same owner at once (two terminals, an overlapping cron job) keep out of each other’s way', async () => {
  const w = world(3);
  w.mem.node('node-2').unschedulable = true; // cordoned by an admin
  const first = harness(w, { identity: w.procs.spawn({ host: 'ci-1', pid: 101 }) });
  const second = harness(w, { identity: w.procs.spawn({ host: 'ci-1', pid: 102 }) });
  const [r1, r2] = await Promise.all([
    runOnce(first.deps, options({ lockWaitMs: 3_600_000 })),
    runOnce(second.deps, options({ lockWaitMs: 3_600_000 })),
  ]);
  assert.deepEqual(boots(w), { 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  assert.equal(w.mem.maxDisrupted, 2, 'the admin-cordoned node plus one being rebooted');
  assert.equal(w.mem.node('node-2').unschedulable, true);
  const all = [r1.reason, r2.reason].join(' ');
  assert.doesNotMatch(all, /lost the lock|took over/, 'neither run took over the other’s live hold');
  assert.equal(r1.exitCode, 0, r1.reason);
  assert.equal(r2.exitCode, 0, r2.reason);
  assert.deepEqual(w.lease.holders(), []);
  const resumed = [...first.events, ...second.events].filter(
    (e) => e.type === 'lock' && e.action === 'acquired' && /took over/.test(e.message ?? ''),
  );
  assert.deepEqual(resumed, []);
});

test('a run of the same owner whose process died is resumed at once, without waiting for its TTL', async () => {
  const w = world(['a']);
  const dying = harness(w, { crashAfterWrites: 3 }); // the intent, the slot, then the cordon with the record
  void runOnce(dying.deps, options({ lockTtlMs: 3_600_000 }));
  while (!dying.session.dead) await w.clock.advance(100);
  const start = w.clock.now();
  const r = await runOnce(harness(w).deps, options({ lockTtlMs: 3_600_000 }));
  assert.equal(r.exitCode, 0, r.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.ok(w.clock.now() - start < 600_000, 'resumed long before the one-hour TTL');
});

test('a run in another container (same host name and pid, another pid namespace) is not judged dead: its hold expires first', async () => {
  const w = world(['a']);
  const dying = harness(w, {
    crashAfterWrites: 3,
    identity: w.procs.spawn({ host: 'pod', pid: 1, pidNs: 'pid:[1]' }),
  });
  void runOnce(dying.deps, options({ lockTtlMs: 600_000 }));
  while (!dying.session.dead) await w.clock.advance(100);
  const twin = { identity: w.procs.spawn({ host: 'pod', pid: 1, pidNs: 'pid:[2]' }) };
  const early = await runOnce(harness(w, twin).deps, options({ lockTtlMs: 600_000 }));
  assert.equal(early.exitCode, 3, early.reason);
  assert.match(early.reason, /in progress by alice@ops \(run \w+, pid 1 on pod\)/);
  assert.deepEqual(boots(w), { a: 0 });
  await w.clock.advance(600_000 + 10_000);
  const later = await runOnce(harness(w, twin).deps, options({ lockTtlMs: 600_000 }));
  assert.equal(later.exitCode, 0, later.reason);
  assert.deepEqual(boots(w), { a: 1 });
});

test('a second run finds the lock held and exits 3 without touching another node', async () => {
  const w = world(['a', 'b']);
  const first = runOnce(harness(w).deps, options({ owner: 'alice@ops' }));
  await w.clock.advance(0);
  // wait until alice holds the lock
  while (w.lease.holders().length === 0) await w.clock.advance(100);
  const bob = harness(w);
  const rb = await runOnce(bob.deps, options({ owner: 'bob@ci' }));
  assert.equal(rb.exitCode, 3, rb.reason);
  assert.match(rb.reason, /lock held: lock full: 1\/1 in progress: a \(alice@ops/);
  await first;
  assert.equal(w.mem.maxDisrupted, 1);
});

test('a dead holder expires after its TTL and the next run proceeds', async () => {
  const w = world(['a']);
  const t = w.clock.now();
  const stale = {
    ...emptyLockRecord(1),
    holders: [
      {
        node: 'gone-run-node',
        owner: 'bob@ci',
        runId: 'x',
        proc: { id: 'elsewhere', host: 'ci', pid: 7 },
        acquiredAt: t - 3_600_000,
        renewedAt: t - 600_001 - EXPIRY_MARGIN_MS,
        ttlMs: 600_000,
      },
    ],
  };
  w.mem.addNode('gone-run-node', { sentinel: 'not-required' });
  w.lease.lease = { record: serializeLockRecord(stale), rv: 1, holderIdentity: 'gone-run-node' };
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(res.rebooted, ['a']);
  assert.ok(
    h.events.some(
      (e) => e.type === 'log' && /dropping the hold of gone-run-node .*not renewed for/.test(e.message),
    ),
  );
});

test('a live holder from another run is respected until its TTL', async () => {
  const w = world(['a']);
  const t = w.clock.now();
  const live = {
    ...emptyLockRecord(1),
    holders: [
      {
        node: 'x',
        owner: 'bob@ci',
        runId: 'x',
        acquiredAt: t,
        renewedAt: t - 1000,
        ttlMs: 600_000,
        proc: { id: 'elsewhere', host: 'ci', pid: 7 },
      },
    ],
  };
  w.mem.addNode('x', { sentinel: 'not-required' });
  w.lease.lease = { record: serializeLockRecord(live), rv: 1, holderIdentity: 'x' };
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 3);
  assert.deepEqual(boots(w), { a: 0, x: 0 });
  assert.equal(w.mem.node('a').unschedulable, false);
});

test('a hold on a node that no longer exists is released', async () => {
  const w = world(['a']);
  const t = w.clock.now();
  const ghost = {
    ...emptyLockRecord(1),
    holders: [
      {
        node: 'deleted',
        owner: 'bob@ci',
        runId: 'x',
        acquiredAt: t,
        renewedAt: t,
        ttlMs: 600_000,
        proc: { id: 'elsewhere', host: 'ci', pid: 7 },
      },
    ],
  };
  w.lease.lease = { record: serializeLockRecord(ghost), rv: 1, holderIdentity: 'deleted' };
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(res.rebooted, ['a']);
});

test('while kured holds its own lock nothing starts and nothing is written: exit 3', async () => {
  const w = world(['a']);
  w.kured.held = ['worker-7'];
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 3);
  assert.match(res.reason, /kured's lock is held by worker-7/);
  assert.deepEqual(w.mem.writes, []);
  assert.equal(w.lease.lease, undefined);
  assert.equal(w.sentinel.probes, 0);
});

test('an unreadable kured lock counts as held', async () => {
  const w = world(['a']);
  w.kured.error = 'daemonsets.apps "kured" is forbidden';
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 3);
  assert.match(res.reason, /unreadable, counted as held/);
  assert.deepEqual(boots(w), { a: 0 });
});

test('an unreadable lock means no reboot: a Lease that cannot be read, or a record that is not ours', async () => {
  for (const setup of [
    (w: ReturnType<typeof world>) => (w.lease.readError = 'connection refused'),
    (w: ReturnType<typeof world>) =>
      (w.lease.lease = { record: '{"holders":"garbage"}', rv: 1, holderIdentity: '' }),
  ]) {
    const w = world(['a']);
    setup(w);
    const res = await runOnce(harness(w).deps, options());
    assert.equal(res.exitCode, 3, res.reason);
    assert.match(res.reason, /lock unreadable, not rebooting/);
    assert.deepEqual(w.mem.writes, []);
    assert.deepEqual(boots(w), { a: 0 });
  }
});

test('a probe that fails or times out means do not reboot that node, and the run says so (exit 1)', async () => {
  const w = world(['a', 'b', 'c']);
  w.mem.node('a').sentinel = 'error';
  w.mem.node('b').sentinel = 'hang';
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.deepEqual(boots(w), { a: 0, b: 0, c: 1 });
  assert.deepEqual(res.unknown, ['a', 'b']);
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /could not check a, b/);
  const probeB = h.events.find((e) => e.type === 'probe' && e.node === 'b');
  assert.equal(probeB?.type === 'probe' ? probeB.result.kind : '', 'unknown');
});

test('a blocker error counts as blocked: exit 3 and no reboot', async () => {
  const w = world(['a']);
  const prom: Blocker = {
    name: 'prometheus',
    check: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:9090')),
  };
  const h = harness(w, { blockers: [prom] });
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 3);
  assert.match(res.reason, /prometheus: could not check, counted as blocked: connect ECONNREFUSED/);
  assert.deepEqual(w.mem.writes, []);
  assert.ok(h.events.some((e) => e.type === 'blocked' && e.node === 'a'));
});

test('a per-node blocker holds back only its node', async () => {
  const w = world(['a', 'b']);
  const pods: Blocker = {
    name: 'blocking-pods',
    check: async (node) =>
      node === 'a'
        ? { blocked: true, reasons: ['pod default/backup matches app=backup'] }
        : { blocked: false, reasons: [] },
  };
  const res = await runOnce(harness(w, { blockers: [pods] }).deps, options());
  assert.deepEqual(boots(w), { a: 0, b: 1 });
  assert.deepEqual(res.pending, ['a']);
  assert.equal(res.exitCode, 3);
});

test('a blocker that starts blocking mid-run stops the next node', async () => {
  const w = world(['a', 'b']);
  let firing = false;
  w.mem.onChange(() => {
    if (w.mem.node('a').boots > 0) firing = true;
  });
  const alerts: Blocker = {
    name: 'prometheus',
    check: async () =>
      firing ? { blocked: true, reasons: ['1 active alert(s): NodeDown'] } : { blocked: false, reasons: [] },
  };
  const res = await runOnce(harness(w, { blockers: [alerts] }).deps, options());
  assert.deepEqual(res.rebooted, ['a']);
  assert.deepEqual(res.pending, ['b']);
  assert.equal(res.exitCode, 3);
});

test('the hold is renewed while a node is in progress, so it outlives its TTL', async () => {
  const w = world(['a', 'b'], {}, false);
  w.mem.node('b').labels['pool'] = 'other';
  let aliceDone = false;
  const alice = runOnce(harness(w).deps, options({ lockTtlMs: 30_000, nodeSelector: '!pool' })).finally(
    () => (aliceDone = true),
  );
  while (!w.rebooter.triggers.length) await w.clock.advance(500);
  await w.clock.advance(35_000); // past the TTL since the last step was recorded (the boot takes 40 s)
  assert.equal(aliceDone, false);
  const bob = await drive(
    w.clock,
    runOnce(harness(w).deps, options({ owner: 'bob@ci', nodeSelector: 'pool=other' })),
  );
  assert.equal(bob.exitCode, 3, bob.reason);
  assert.match(bob.reason, /lock full: 1\/1 in progress: a \(alice@ops/);
  const ra = await drive(w.clock, alice);
  assert.equal(ra.exitCode, 0, ra.reason);
  assert.equal(w.mem.maxDisrupted, 1);
});

test('a fresh intent of a live run is not taken over; one of a process certainly gone is, at once', async () => {
  const w = world(['a']);
  const live = w.procs.spawn({ host: 'ci-1', pid: 201 });
  const record = (proc: typeof live): string =>
    JSON.stringify({
      version: 2,
      token: { owner: 'alice@ops', runId: 'other', proc: proc.id, gen: 0 },
      process: proc,
      phase: 'locked',
      wasUnschedulable: false,
      bootID: 'a-boot-1',
      startedAt: w.clock.now(),
      since: w.clock.now(),
    });
  w.mem.node('a').annotations[STATE_ANNOTATION] = record(live);
  const busy = await runOnce(harness(w).deps, options());
  assert.equal(busy.exitCode, 3, busy.reason);
  assert.match(busy.reason, /is taking it \(an intent \d+s old\)/);
  assert.deepEqual(boots(w), { a: 0 });
  w.procs.kill(live.id);
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
});
