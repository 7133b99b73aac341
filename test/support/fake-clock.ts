// A fake Clock for tests: time moves only when the test advances it, or, in auto mode, jumps to the next timer
// whenever all work is idle (no pending microtasks or immediates). Timers with the same deadline fire in order.
// May import: ports.

import type { Clock } from '../../src/ports/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

const idleTurns = 3;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private driving = false;
  /** Safety net: how many timers auto mode may fire before it decides a test is looping forever. */
  maxAutoFires = 200_000;
  private fired = 0;

  constructor(
    start = Date.parse('2025-06-02T02:00:00Z'),
    readonly auto = true,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer = this.schedule(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = (): void => {
        this.cancel(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs fn when the clock reaches now + ms. Returns a handle for cancel(). */
  schedule(ms: number, fn: () => void): object {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (this.auto) void this.drive();
    return timer;
  }

  cancel(handle: object): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing due timers in order and letting work settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await this.settle();
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.fireNext();
    }
    this.time = Math.max(this.time, target);
    await this.settle();
  }

  private async settle(): Promise<void> {
    for (let i = 0; i < idleTurns; i++) await nextTurn();
  }

  private fireNext(): void {
    const next = this.timers.shift();
    if (next === undefined) return;
    this.time = Math.max(this.time, next.at);
    next.fire();
  }

  private async drive(): Promise<void> {
    if (this.driving) return;
    this.driving = true;
    try {
      for (;;) {
        await this.settle();
        if (this.timers.length === 0) return;
        if (++this.fired > this.maxAutoFires)
          throw new Error('fake clock: too many timers, a loop never ends');
        this.fireNext();
      }
    } finally {
      this.driving = false;
    }
  }
}
