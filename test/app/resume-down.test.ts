// Resuming a node that went down after our reboot trigger and stays down: the next run waits for the boot
// within --reboot-timeout instead of triggering again (a reboot pod cannot start on a node that is not Ready,
// so a new trigger would only wait for the helper pod's own, much longer, deadline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { harness, options, world } from '../support/app-harness.js';
import type { World } from '../support/memory-ports.js';

/** Calls of the rebooter for the node (the in-memory kubelet may also re-run a pod on its own). */
const triggers = (w: World, node: string): number =>
  w.mem.writes.filter((x) => x === `reboot ${node}`).length;

test('a node still down after our trigger is waited for on resume, not triggered again; exit 1 within --reboot-timeout', async () => {
  const w = world(['a']);
  const a = w.mem.node('a');
  a.behaviour = 'ignores-reboot';
  const opts = options({ rebootTimeoutMs: 60_000 });
  const first = await runOnce(harness(w).deps, opts);
  assert.equal(first.exitCode, 1, first.reason);
  assert.equal(triggers(w, 'a'), 1);
  // The node went down for good after that trigger.
  a.ready = 'Unknown';
  a.rv++;
  w.mem.changed();

  const started = w.clock.now();
  const h = harness(w);
  const second = await runOnce(h.deps, opts);
  assert.equal(second.exitCode, 1, second.reason);
  assert.match(second.reason, /did not reboot: boot ID still a-boot-1 after 60s \(Ready=Unknown/);
  assert.equal(triggers(w, 'a'), 1, 'no second trigger');
  assert.ok(w.clock.now() - started <= 65_000, `gave up after ${w.clock.now() - started} ms`);
  assert.ok(
    h.events.some(
      (e) => e.type === 'step' && e.step === 'reboot' && /waiting for the boot/.test(e.message ?? ''),
    ),
  );
  assert.equal(a.unschedulable, true);
  assert.deepEqual(w.lease.holders(), [], 'the record counts; the slot is released');
});

test('a node back up with its old boot ID after a failed reboot is triggered again on resume', async () => {
  const w = world(['a']);
  w.mem.node('a').behaviour = 'ignores-reboot';
  const opts = options({ rebootTimeoutMs: 60_000 });
  assert.equal((await runOnce(harness(w).deps, opts)).exitCode, 1);
  w.mem.node('a').behaviour = 'normal';
  const res = await runOnce(harness(w).deps, opts);
  assert.equal(res.exitCode, 0, res.reason);
  assert.equal(triggers(w, 'a'), 2);
  assert.equal(w.mem.node('a').boots, 1);
});
