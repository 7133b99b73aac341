// Crash and resume: a run killed after any of its writes, then run again on the same cluster, finishes the
// node (or undoes it) without a second reboot. Stop requests and a lost lock are handled at safe points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { EXPIRY_MARGIN_MS } from '../../src/core/lock.js';
import { boots, harness, options, world } from '../support/app-harness.js';

function scenario(adminCordoned: boolean): ReturnType<typeof world> {
  const w = world(['a', 'b']);
  w.mem.node('b').sentinel = 'not-required';
  w.mem.node('a').unschedulable = adminCordoned;
  w.mem.addWorkload('web', ['a', 'a', 'b'], 1);
  return w;
}
function phaseOf(w: ReturnType<typeof world>, node: string): string | undefined {
  const text = w.mem.node(node).annotations[STATE_ANNOTATION];
  return text === undefined ? undefined : (JSON.parse(text) as { phase: string }).phase;
}
const opts = options({
  annotateNodes: true,
  preRebootNodeLabels: { maint: 'pre' },
  postRebootNodeLabels: { maint: 'post' },
});

async function writesOfACleanRun(adminCordoned: boolean): Promise<number> {
  const w = scenario(adminCordoned);
  const h = harness(w);
  const res = await runOnce(h.deps, opts);
  assert.equal(res.exitCode, 0, res.reason);
  return h.session.writes;
}

for (const adminCordoned of [false, true]) {
  test(`killed after any write, the next run resumes without a second reboot${adminCordoned ? ' (admin-cordoned node stays cordoned)' : ''}`, async () => {
    const total = await writesOfACleanRun(adminCordoned);
    assert.ok(total > 10, `a run writes several times (${total})`);
    let resumedRuns = 0;
    for (let k = 1; k <= total; k++) {
      const w = scenario(adminCordoned);
      const first = harness(w, { crashAfterWrites: k });
      void runOnce(first.deps, opts);
      while (!first.session.dead) await w.clock.advance(500);
      await w.clock.advance(1_000);
      const second = harness(w);
      const res = await runOnce(second.deps, opts);
      const where = `crash after write ${k}/${total}: ${res.reason}`;
      assert.equal(res.exitCode, 0, where);
      assert.deepEqual(boots(w), { a: 1, b: 0 }, where);
      assert.equal(w.mem.node('a').unschedulable, adminCordoned, where);
      assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined, where);
      assert.equal(w.mem.node('a').annotations['weave.works/kured-reboot-in-progress'], undefined, where);
      assert.equal(w.mem.node('a').labels['maint'], 'post', where);
      assert.deepEqual(w.lease.holders(), [], where);
      assert.equal(w.rebooter.helperPods.size, 0, where);
      assert.ok(w.rebooter.triggers.filter((t) => t.outcome === 'rebooting').length === 1, where);
      if (second.events.some((e) => e.type === 'log' && /^resuming/.test(e.message))) resumedRuns++;
    }
    assert.ok(resumedRuns >= total - 3, `most crash points leave work to resume (${resumedRuns}/${total})`);
  });
}

test("a run of another owner takes over a crashed run's node once its hold expired, without a second reboot", async () => {
  const w = scenario(false);
  // Another container: its death cannot be seen from here, so its hold must expire on the server's clock.
  const crashed = harness(w, {
    crashAfterWrites: 1_000,
    identity: w.procs.spawn({ pidNs: 'pid:[4026532999]' }),
  });
  void runOnce(crashed.deps, options({ owner: 'bob@ci', lockTtlMs: 60_000 }));
  while (!w.rebooter.triggers.length) await w.clock.advance(500);
  crashed.session.kill(); // killed while the node reboots
  const early = await runOnce(harness(w).deps, opts);
  assert.equal(early.exitCode, 3, 'the hold is still live');
  await w.clock.advance(60_000);
  assert.equal(
    (await runOnce(harness(w).deps, opts)).exitCode,
    3,
    'within the expiry margin it is still live',
  );
  await w.clock.advance(EXPIRY_MARGIN_MS + 1_000);
  const res = await runOnce(harness(w).deps, opts);
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1, b: 0 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);
});

test('a stop request during the drain restores the node and releases the lock; exit 3', async () => {
  const w = world(['a']);
  w.mem.addWorkload('db', ['a'], 1); // the drain waits on this PDB forever
  const ac = new AbortController();
  const h = harness(w);
  const run = runOnce(h.deps, options({ signal: ac.signal }));
  while (!h.events.some((e) => e.type === 'drain-progress' && e.waiting.length > 0))
    await w.clock.advance(500);
  ac.abort();
  const res = await run;
  assert.equal(res.exitCode, 3, res.reason);
  assert.match(res.reason, /stopped before the reboot: uncordoned, lock released/);
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.deepEqual(w.lease.holders(), []);
});

test('a stop request after the trigger keeps the node recorded, and it still counts; the next run finishes it', async () => {
  const w = world(['a', 'b']);
  const ac = new AbortController();
  const h = harness(w);
  const run = runOnce(h.deps, options({ signal: ac.signal }));
  while (!h.events.some((e) => e.type === 'reboot-progress' && e.stage === 'triggered'))
    await w.clock.advance(500);
  ac.abort();
  const res = await run;
  assert.equal(res.exitCode, 3);
  assert.match(res.reason, /stopped at rebooting; run again to finish this node/);
  assert.equal(phaseOf(w, 'a'), 'rebooting');
  assert.deepEqual(w.lease.holders(), [], 'the slot is released: the record on the node counts instead');
  assert.equal(boots(w)['b'], 0, 'b was not started');
  const again = await runOnce(harness(w).deps, options());
  assert.equal(again.exitCode, 0, again.reason);
  assert.deepEqual(boots(w), { a: 1, b: 1 });
  assert.equal(w.mem.node('a').unschedulable, false);
});

test('a run that loses its lock stops touching the node and says so', async () => {
  const w = world(['a']);
  const h = harness(w);
  const run = runOnce(h.deps, options({ lockTtlMs: 30_000 }));
  while (!w.rebooter.triggers.length) await w.clock.advance(500);
  w.lease.lease = { record: undefined, rv: 999, holderIdentity: '' }; // someone cleared the lock by hand
  const res = await run;
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /lost the lock \(a is no longer in the lock\); not touching the node any more/);
  assert.equal(w.mem.node('a').unschedulable, true, 'not uncordoned by a run that no longer holds it');
});

test('an unreadable state annotation leaves the node untouched and fails it', async () => {
  const w = world(['a']);
  w.mem.node('a').annotations[STATE_ANNOTATION] = '{"version":1,"phase":"flying"';
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.match(res.reason, /state annotation unreadable .* node left untouched/);
  assert.deepEqual(boots(w), { a: 0 });
  assert.deepEqual(w.mem.writes, []);
});

test('outside the window a node left cordoned mid-drain by a crash is undone, not rebooted', async () => {
  const w = world(['a']);
  w.mem.addWorkload('web', ['a'], 1); // the drain waits on this PDB: the crash comes mid-drain
  const crashed = harness(w, { crashAfterWrites: 1_000 });
  void runOnce(crashed.deps, options());
  while (!crashed.events.some((e) => e.type === 'step' && e.step === 'drain')) await w.clock.advance(100);
  crashed.session.kill();
  await w.clock.advance(10_000);
  const res = await runOnce(
    harness(w, { windowState: () => ({ open: false, canStart: false, description: 'sat 01:00-05:00' }) })
      .deps,
    options(),
  );
  assert.equal(res.exitCode, 3, res.reason);
  assert.deepEqual(boots(w), { a: 0 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);
});

test('a record that another run cleared after this run listed the node is taken afresh: rebooted only on a need this run sees, never twice', async () => {
  let tried = 0;
  for (let k = 3; k < 30; k++) {
    const w = scenario(false);
    const first = harness(w, { crashAfterWrites: k });
    let finished = false;
    void runOnce(first.deps, opts).finally(() => (finished = true));
    while (!first.session.dead && !finished) await w.clock.advance(500);
    if (finished) break; // past the last write: nothing left to crash
    await w.clock.advance(1_000);
    if (w.mem.node('a').annotations[STATE_ANNOTATION] === undefined) continue;
    const bootsBefore = boots(w).a;
    tried++;

    // While the next run takes the lock, another run finishes the node and clears its record.
    const second = harness(w);
    const inner = second.deps.lease;
    let cleared = false;
    const lease = {
      read: async () => {
        if (!cleared) {
          cleared = true;
          delete w.mem.node('a').annotations[STATE_ANNOTATION];
          delete w.mem.node('a').labels['reboot-daemon.io/in-progress'];
          w.mem.node('a').unschedulable = false;
          w.mem.node('a').rv++;
        }
        return inner.read();
      },
      create: inner.create.bind(inner),
      update: inner.update.bind(inner),
    };
    const res = await runOnce({ ...second.deps, lease }, opts);
    const where = `crash after write ${k}: ${res.reason}`;
    const result = second.events.find((e) => e.type === 'node-result' && e.node === 'a');
    assert.ok(result && result.type === 'node-result', where);
    assert.equal(boots(w).a, 1, `exactly one reboot for the one need (${where})`);
    if (bootsBefore === 1) assert.match(result.reason, /no reboot required any more/, where);
    else assert.equal(result.outcome, 'rebooted', where);
    assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined, where);
    assert.deepEqual(w.lease.holders(), [], where);
  }
  assert.ok(tried > 3, `several crash points leave a record (${tried})`);
});

test('an opted-out node with a triggered record on its own boot is left as recorded: no new trigger', async () => {
  const w = world(['a']);
  w.mem.node('a').behaviour = 'ignores-reboot';
  const first = await runOnce(harness(w).deps, options({ rebootTimeoutMs: 60_000 }));
  assert.equal(first.exitCode, 1, first.reason);
  assert.equal(phaseOf(w, 'a'), 'reboot-timeout');
  const triggers = w.rebooter.triggers.length;
  w.mem.node('a').labels['reboot-daemon.io/exclude'] = 'true';
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 3, res.reason);
  assert.match(
    res.reason,
    /opted out by the label reboot-daemon.io\/exclude=true; left as recorded \(reboot-timeout\)/,
  );
  assert.equal(w.rebooter.triggers.length, triggers, 'no new trigger');
  assert.equal(phaseOf(w, 'a'), 'reboot-timeout');
});
