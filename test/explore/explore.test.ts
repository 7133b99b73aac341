// The interleaving explorer in CI: a bounded number of seeded schedules of two and three runners must keep every
// invariant; a schedule replays to the same trace (from its seed, and from its recorded path); and the broken
// variants (no boot-ID guard, no compare-and-swap) are caught, which proves the invariants have teeth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, formatViolation, replayKey, runSchedule, type ScheduleResult } from './explore.js';

const CI_SEED = 1;
const CI_RUNS = 800;

test('two and three runners, crashed and restarted at any call, keep every invariant', async () => {
  const res = await explore(CI_SEED, CI_RUNS);
  for (const f of res.failures.slice(0, 3)) console.log(formatViolation(f, { traceLines: 30 }));
  console.log(`explorer: ${res.explored} schedules explored, ${res.failures.length} violations`);
  const first = res.failures[0];
  assert.equal(
    res.failures.length,
    0,
    first &&
      `${first.violations[0]?.invariant}: ${first.violations[0]?.message}; replay: npm run explore -- --replay '${replayKey(first)}' --trace`,
  );
});

test('a schedule replays to the same trace, from its seed and from its recorded path', async () => {
  for (const index of [3, 17, 42]) {
    const a = await runSchedule(7, index);
    const b = await runSchedule(7, index);
    assert.deepEqual(b.trace, a.trace, `schedule 7:${index} ran differently twice`);
    const c = await runSchedule(7, index, { picks: a.picks });
    assert.deepEqual(c.trace, a.trace, `schedule 7:${index} ran differently from its path`);
    assert.ok(a.trace.length > 10);
  }
});

/** Explores a broken variant until a violation of `invariant` shows up. */
async function finds(
  variant: 'no-boot-guard' | 'no-cas',
  invariant: string,
  runs: number,
): Promise<ScheduleResult | undefined> {
  const hit = (r: ScheduleResult): boolean => r.violations.some((v) => v.invariant.startsWith(invariant));
  const res = await explore(CI_SEED, runs, { variant, until: hit });
  return res.failures.find(hit);
}

test('a rebooter without the boot-ID guard is caught: a reboot with no need', async () => {
  const found = await finds('no-boot-guard', 'I1', 100);
  assert.ok(found, 'no schedule found the unguarded reboot');
  console.log(`no boot-ID guard: caught at schedule ${replayKey(found)}: ${found.violations[0]?.message}`);
});

test('a cluster without compare-and-swap is caught: a record written over a newer generation', async () => {
  const found = await finds('no-cas', 'fencing', 300);
  assert.ok(found, 'no schedule found the lost compare-and-swap');
  console.log(`no compare-and-swap: caught at schedule ${replayKey(found)}: ${found.violations[0]?.message}`);
});
