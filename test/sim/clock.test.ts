// Simulator clocks: the manual clock fires timers in order; the real clock scales time and never
// keeps the process alive.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { manualClock, realClock, sleep } from '../../src/sim/clock.js';

const clockModule = fileURLToPath(new URL('../../src/sim/clock.ts', import.meta.url));

describe('manual clock', () => {
  it('stands still until advanced', () => {
    const c = manualClock(1000);
    assert.equal(c.now(), 1000);
    c.advance(250);
    assert.equal(c.now(), 1250);
  });

  it('fires due timers in time order, each seeing its own due time', () => {
    const c = manualClock(0);
    const seen: Array<[string, number]> = [];
    c.setTimeout(() => seen.push(['b', c.now()]), 200);
    c.setTimeout(() => seen.push(['a', c.now()]), 100);
    c.setTimeout(() => seen.push(['late', c.now()]), 1000);
    c.setTimeout(() => seen.push(['a2', c.now()]), 100);
    c.advance(500);
    assert.deepEqual(seen, [
      ['a', 100],
      ['a2', 100],
      ['b', 200],
    ]);
    assert.equal(c.now(), 500);
    assert.equal(c.pending(), 1);
  });

  it('fires timers scheduled by timers when they fall inside the advance', () => {
    const c = manualClock(0);
    const seen: number[] = [];
    c.setTimeout(() => {
      seen.push(c.now());
      c.setTimeout(() => seen.push(c.now()), 50);
    }, 100);
    c.advance(120);
    assert.deepEqual(seen, [100]);
    c.advance(30);
    assert.deepEqual(seen, [100, 150]);
  });

  it('a cancelled timer does not fire', () => {
    const c = manualClock(0);
    let fired = false;
    const cancel = c.setTimeout(() => (fired = true), 10);
    cancel();
    c.advance(100);
    assert.equal(fired, false);
  });

  it('refuses to go backwards', () => {
    const c = manualClock(100);
    assert.throws(() => c.advance(-1), RangeError);
    assert.throws(() => c.set(50), RangeError);
  });

  it('sleep resolves once the clock passes the wait', async () => {
    const c = manualClock(0);
    let done = false;
    const p = sleep(c, 1000).then(() => (done = true));
    c.advance(999);
    await Promise.resolve();
    assert.equal(done, false);
    c.advance(1);
    await p;
    assert.equal(done, true);
  });
});

describe('real clock', () => {
  it('runs timeScale times faster than wall time', async () => {
    const c = realClock(100, 0);
    const t0 = c.now();
    await new Promise((r) => setTimeout(r, 30));
    const elapsed = c.now() - t0;
    assert.ok(elapsed >= 2500, `expected >= 2500 simulated ms, got ${elapsed}`);
    assert.ok(elapsed < 60_000, `expected well under a simulated minute, got ${elapsed}`);
  });

  it('a 1000 simulated ms timer at timeScale 100 fires after about 10 real ms', async () => {
    const c = realClock(100);
    const start = performance.now();
    await new Promise<void>((resolve) => {
      c.setTimeout(resolve, 1000);
      // keep the test process alive while waiting: the clock's own timer is unref'd
      const keep = setTimeout(() => undefined, 1000);
      c.setTimeout(() => clearTimeout(keep), 1000);
    });
    const real = performance.now() - start;
    assert.ok(real >= 8 && real < 900, `fired after ${real} ms`);
  });

  it('a cancelled timer does not fire', async () => {
    const c = realClock(1000);
    let fired = false;
    const cancel = c.setTimeout(() => (fired = true), 1000);
    cancel();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(fired, false);
  });

  it('its timers do not keep the process alive', () => {
    const script = `import { realClock } from ${JSON.stringify(clockModule)}; realClock(1).setTimeout(() => process.exit(7), 60000);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    assert.equal(r.status, 0, `exit ${r.status}, signal ${r.signal}: ${r.stderr}`);
  });

  it('rejects a non-positive time scale', () => {
    assert.throws(() => realClock(0), RangeError);
  });
});
