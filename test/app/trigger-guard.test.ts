// The trigger's last-moment guards, seen from the run: a trigger that withdrew (the node was uncordoned
// before the reboot pod started, or the pod started past its deadline) rebooted nothing, so the node is
// cordoned and drained again and triggered anew; again and again, and the node is kept for a person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { parseNodeRecord, triggerDeadline } from '../../src/core/machine.js';
import type { RebootGuard } from '../../src/ports/node-exec.js';
import { boots, harness, options, world } from '../support/app-harness.js';

test('uncordoned between the trigger and the pod start: withdrawn, then drained again, then one reboot', async () => {
  const w = world(['a', 'b']);
  w.mem.addWorkload('web', ['a', 'b'], 1);
  let calls = 0;
  w.rebooter.beforeReboot = (node) => {
    if (calls++ > 0) return;
    // An admin's uncordon, and the scheduler puts a replica back on the node at once.
    w.mem.node(node).unschedulable = false;
    w.mem.node(node).rv++;
    w.mem.addPod('web-late', node);
  };
  const h = harness(w);
  const res = await runOnce(h.deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1, b: 1 });
  assert.deepEqual(
    w.rebooter.triggers
      .filter((t) => t.node === 'a')
      .map((t) => t.outcome)
      .slice(0, 2),
    ['withdrawn', 'rebooting'],
  );
  assert.ok(!w.mem.pods.has('default/web-late'), 'the pod that came is drained before the reboot');
  assert.ok(w.mem.writes.includes('evict default/web-late'), w.mem.writes.join('\n'));
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.ok(
    h.events.some((e) => e.type === 'log' && /the reboot trigger withdrew/.test(e.message)),
    'the withdrawal is logged',
  );
});

test('a trigger that ran past its deadline rebooted nothing: drained again and triggered with a new deadline', async () => {
  const w = world(['a']);
  const deadlines: number[] = [];
  const reboot = w.rebooter.reboot.bind(w.rebooter);
  w.rebooter.reboot = async (node: string, guard: RebootGuard): Promise<void> => {
    deadlines.push(guard.notAfter);
    // The first pod starts late: its clock is past the deadline.
    if (deadlines.length === 1) await w.clock.advance(guard.notAfter - w.clock.now() + 1_000);
    return reboot(node, guard);
  };
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1 });
  assert.deepEqual(w.rebooter.triggers.map((t) => t.outcome).slice(0, 2), ['too-late', 'rebooting']);
  assert.equal(deadlines.length, 2);
  assert.ok(deadlines[1]! > deadlines[0]!, 'the second trigger has a deadline of its own');
});

test('a trigger that keeps withdrawing: the node is kept, its record triggered, for a person (exit 1)', async () => {
  const w = world(['a']);
  w.rebooter.beforeReboot = (node) => {
    w.mem.node(node).unschedulable = false;
    w.mem.node(node).rv++;
  };
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1, res.reason);
  assert.deepEqual(res.failed, ['a']);
  assert.match(res.reason, /the reboot trigger withdrew again and again/);
  assert.deepEqual(boots(w), { a: 0 });
  const rec = parseNodeRecord(w.mem.node('a').annotations[STATE_ANNOTATION]);
  assert.equal(rec.kind, 'ok');
  assert.equal(rec.kind === 'ok' ? rec.record.phase : '', 'rebooting');
});

test('the deadline: two minutes after the last look, or half the lock TTL when that is shorter', () => {
  const rows: [ttlMs: number, want: number][] = [
    [30 * 60_000, 120_000],
    [240_000, 120_000],
    [200_000, 100_000],
    [60_000, 30_000],
    [15_001, 7_500],
  ];
  for (const [ttl, want] of rows)
    assert.equal(triggerDeadline(1_000_000, ttl) - 1_000_000, want, `ttl ${ttl}`);
});
