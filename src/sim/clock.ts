// Clocks for the simulator: a real clock that can run faster than wall time (simulated now = start +
// real elapsed × timeScale), and a manual clock for tests that only moves when told to.
// May import: ./types.js.

import type { SimClock } from './types.js';

/** Node's timers cap at 2^31-1 ms; longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A clock that follows wall time, `timeScale` times faster. Timers wait simMs / timeScale real ms and
 * are unref'd, so they never keep the process alive.
 */
export function realClock(timeScale = 1, start: number = Date.now()): SimClock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
  const realStart = performance.now();
  return {
    timeScale,
    now: () => Math.floor(start + (performance.now() - realStart) * timeScale),
    setTimeout(fn: () => void, simMs: number): () => void {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      let remaining = Math.max(0, simMs / timeScale);
      const arm = (): void => {
        const wait = Math.min(remaining, MAX_TIMER_MS);
        remaining -= wait;
        handle = setTimeout(() => {
          if (cancelled) return;
          if (remaining > 0) arm();
          else fn();
        }, wait);
        handle.unref();
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}

export interface ManualClock extends SimClock {
  /** Moves time forward, firing due timers in time order (each sees now() = its due time). */
  advance(ms: number): void;
  /** Jumps to an absolute time (forward only), firing due timers as advance does. */
  set(epochMs: number): void;
  /** How many timers are waiting. */
  pending(): number;
}

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A clock for tests: time stands still until advance(); timeScale is 1. */
export function manualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  let timers: Timer[] = [];
  const runUntil = (target: number): void => {
    for (;;) {
      let next: Timer | undefined;
      for (const t of timers) {
        if (
          t.due <= target &&
          (next === undefined || t.due < next.due || (t.due === next.due && t.seq < next.seq))
        ) {
          next = t;
        }
      }
      if (next === undefined) break;
      const fire = next;
      timers = timers.filter((t) => t !== fire);
      if (fire.due > now) now = fire.due;
      fire.fn();
    }
    if (target > now) now = target;
  };
  return {
    timeScale: 1,
    now: () => now,
    setTimeout(fn: () => void, simMs: number): () => void {
      const t: Timer = { due: now + Math.max(0, simMs), seq: seq++, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
    advance(ms: number): void {
      if (ms < 0) throw new RangeError('cannot advance a clock backwards');
      runUntil(now + ms);
    },
    set(epochMs: number): void {
      if (epochMs < now) throw new RangeError('cannot set a clock backwards');
      runUntil(epochMs);
    },
    pending: () => timers.length,
  };
}

/** Resolves after simMs of simulated time. */
export function sleep(clock: SimClock, simMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, simMs);
  });
}
