// The real clock: wall time and abortable sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../src/adapters/clock.js';

test('now follows the wall clock and sleep waits about as long as asked', async () => {
  const clock = new SystemClock();
  assert.ok(Math.abs(clock.now() - Date.now()) < 50);
  const t0 = Date.now();
  await clock.sleep(30);
  assert.ok(Date.now() - t0 >= 25);
});

test('sleep rejects with the signal reason when aborted, before or during the wait', async () => {
  const clock = new SystemClock();
  const ac = new AbortController();
  const reason = new Error('stop now');
  setTimeout(() => ac.abort(reason), 10);
  await assert.rejects(clock.sleep(10_000, ac.signal), (e: unknown) => e === reason);
  await assert.rejects(clock.sleep(10, ac.signal), (e: unknown) => e === reason);
});
