// The real clock: wall time from Date.now and abortable sleeps from node:timers/promises.
// May import: ports and node built-ins.

import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../ports/clock.js';

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    try {
      await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
    } catch (err) {
      // timers/promises rejects with its own AbortError; surface the signal's reason like the port promises.
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }
}

export const systemClock: Clock = new SystemClock();
