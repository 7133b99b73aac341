// The ServerTime port from the API server's answers: every response's Date header, read against the local
// clock's times of sending and receiving, bounds how far the local clock is ahead of the server's. Date has
// one-second resolution (truncated), so one response says: skew = local − server lies in
// (sent − date − 1000, received − date]. The estimate is the middle of the intersection of the bounds
// seen so far; for one response that is midpoint(sent, received) − (date + 500). A response whose bounds
// miss the current intersection (a clock was stepped, or one runs at another rate) starts it over from that
// response alone, so the estimate follows a clock that moves and is never worse than the last response.
// The HttpLibrary wrapper below times each attempt on the wire (retries are separate attempts).
// May import: ports, adapters/clock and @kubernetes/client-node.

import { wrapHttpLibrary } from '@kubernetes/client-node';
import type { HttpLibrary, RequestContext, ResponseContext } from '@kubernetes/client-node';
import type { Clock } from '../../ports/clock.js';
import type { ServerTime } from '../../ports/server-time.js';
import { systemClock } from '../clock.js';

/** Date's resolution: the server's time when it wrote the header lies in [date, date + 1000). */
const RESOLUTION_MS = 1000;

export class ObservedServerTime implements ServerTime {
  /** Bounds of the skew (local − server, ms): lo exclusive, hi inclusive; undefined before any response. */
  private lo: number | undefined;
  private hi: number | undefined;

  /** `clock` is the local clock the skew is measured against (and that now() is read from). */
  constructor(private readonly clock: Pick<Clock, 'now'> = systemClock) {}

  /** The local clock's time: what a caller records as a request's send and receive times. */
  localNow(): number {
    return this.clock.now();
  }

  /**
   * Takes one response: the local times the request was sent and its answer received, and the answer's
   * Date header. A missing or unreadable Date, or a receive time before the send time, is ignored.
   */
  observe(sentMs: number, receivedMs: number, date: string | undefined): void {
    if (date === undefined) return;
    const serverMs = Date.parse(date);
    if (!Number.isFinite(serverMs) || !Number.isFinite(sentMs) || !(receivedMs >= sentMs)) return;
    const lo = sentMs - serverMs - RESOLUTION_MS;
    const hi = receivedMs - serverMs;
    if (this.lo === undefined || this.hi === undefined || lo >= this.hi || hi <= this.lo) {
      this.lo = lo;
      this.hi = hi;
      return;
    }
    this.lo = Math.max(this.lo, lo);
    this.hi = Math.min(this.hi, hi);
  }

  skewMs(): number | undefined {
    if (this.lo === undefined || this.hi === undefined) return undefined;
    return Math.round((this.lo + this.hi) / 2);
  }

  /** The server's time now; the local time until a response has been seen. */
  now(): number {
    return this.clock.now() - (this.skewMs() ?? 0);
  }
}

/** Wraps an HttpLibrary so that every response it gets (each attempt) is observed by `time`. */
export function observingHttpLibrary(base: HttpLibrary, time: ObservedServerTime): HttpLibrary {
  return wrapHttpLibrary({
    async send(req: RequestContext): Promise<ResponseContext> {
      const sent = time.localNow();
      const res = await base.send(req).toPromise();
      // client-node lowercases header names (node-fetch's Headers).
      time.observe(sent, time.localNow(), res.headers['date']);
      return res;
    },
  });
}
