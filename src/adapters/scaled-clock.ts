// A clock that runs `scale` times faster than wall time from an anchor: now = start + (wall - anchor) × scale,
// and sleep(ms) waits ms / scale real milliseconds. A testing aid only: it lets a spawned CLI follow a
// simulated cluster's scaled clock (the hidden --sim-clock option, read by the composition root alone).
// May import: ports, adapters/clock.

import type { Clock } from '../ports/clock.js';
import { systemClock } from './clock.js';

export function scaledClock(start: number, scale: number, anchor: number = Date.now()): Clock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be > 0, got ${scale}`);
  return {
    now: () => Math.floor(start + (Date.now() - anchor) * scale),
    sleep: (ms, signal) => systemClock.sleep(Math.max(0, ms) / scale, signal),
  };
}

/** Parses "START,SCALE[,ANCHOR]" (epoch ms, factor, epoch ms); undefined when malformed. */
export function parseSimClock(text: string): { start: number; scale: number; anchor?: number } | undefined {
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [start, scale, anchor] = parts;
  if (parts.length < 2 || parts.length > 3 || parts.some((n) => !Number.isFinite(n))) return undefined;
  if (start === undefined || scale === undefined || !(scale > 0)) return undefined;
  return { start, scale, ...(anchor === undefined ? {} : { anchor }) };
}
