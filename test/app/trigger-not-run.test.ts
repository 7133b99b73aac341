// A reboot trigger that could not run at all (the host has no systemctl, the image no nsenter) rebooted
// nothing: the node is uncordoned if we cordoned it, its record is cleared and its slot released, so no hold
// is left to block later rollouts; the run stops (the same cause would fail every node) and says why, and
// the node keeps a note of it for status until the next attempt. A trigger that may have run is still kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { RebootNotRunError } from '../../src/core/errors.js';
import { LAST_FAILURE_ANNOTATION, STATE_ANNOTATION } from '../../src/core/keys.js';
import { boots, harness, options, world } from '../support/app-harness.js';

const noSystemctl = (node: string): RebootNotRunError =>
  new RebootNotRunError(
    node,
    'systemctl',
    `node ${node} was not rebooted: host ${node} has no /bin/systemctl`,
    'use --reboot-method signal',
  );

test('a trigger that could not run is undone: uncordoned, no record, slot released, run stopped with the reason', async () => {
  const w = world(['a', 'b']);
  w.rebooter.failNext = noSystemctl('a');
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.deepEqual(res.failed, ['a']);
  assert.deepEqual(res.pending, ['b'], 'the run stops: every node would fail the same way');
  assert.match(res.reason, /host a has no \/bin\/systemctl \(hint: use --reboot-method signal\)/);
  assert.match(res.reason, /uncordoned, lock released/);
  const a = w.mem.node('a');
  assert.equal(a.unschedulable, false);
  assert.equal(a.annotations[STATE_ANNOTATION], undefined);
  assert.match(a.annotations[LAST_FAILURE_ANNOTATION] ?? '', /Z host a has no|Z node a was not rebooted/);
  assert.deepEqual(w.lease.holders(), []);
  assert.deepEqual(boots(w), { a: 0, b: 0 });
});

test('after it, a later run is not blocked: it reboots every node and clears the note', async () => {
  const w = world(['a', 'b']);
  w.rebooter.failNext = noSystemctl('a');
  await runOnce(harness(w).deps, options());
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1, b: 1 });
  assert.equal(w.mem.node('a').annotations[LAST_FAILURE_ANNOTATION], undefined);
});

test('an admin-cordoned node stays cordoned after a trigger that could not run', async () => {
  const w = world(['a']);
  w.mem.node('a').unschedulable = true;
  w.rebooter.failNext = noSystemctl('a');
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.equal(w.mem.node('a').unschedulable, true);
  assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.deepEqual(w.lease.holders(), []);
});

test('a trigger failure that may have run still keeps the record (it counts until a person looks)', async () => {
  const w = world(['a']);
  w.rebooter.failNext = 'reboot pod exited 1';
  const res = await runOnce(harness(w).deps, options());
  assert.equal(res.exitCode, 1);
  assert.notEqual(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.equal(w.mem.node('a').annotations[LAST_FAILURE_ANNOTATION], undefined);
});
