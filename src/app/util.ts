// Small async helpers for the orchestrator: bounded parallel map, abort plumbing, a wake-up signal.
// May import: ports.

import type { Clock } from '../ports/clock.js';

/** Maps with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** A signal that aborts when any of the given ones does (listeners are released with the signals). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

/** Sleeps, but returns early (without throwing) when the signal aborts. */
export async function nap(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await clock.sleep(ms, signal).catch(() => undefined);
}

/** Something to wait on until notified: each wait() ends at the next notify(), a timeout or an abort. */
export class Wake {
  private waiters: (() => void)[] = [];

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves on notify, after ms, or when the signal aborts; never rejects. */
  async wait(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const ac = new AbortController();
    const stop = anySignal(ac.signal, signal);
    let release = (): void => undefined;
    const woken = new Promise<void>((resolve) => {
      release = resolve;
      this.waiters.push(resolve);
    });
    try {
      await Promise.race([woken, clock.sleep(Math.max(0, ms), stop).catch(() => undefined)]);
    } finally {
      ac.abort();
      this.waiters = this.waiters.filter((w) => w !== release);
    }
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
