// The Notifier port over webhooks: notify() picks the events worth telling (select.ts), renders the
// templates and queues one POST per target, then returns at once. A background pump per target sends in
// order; a failed send is retried with exponential backoff (by default 1 s, 2 s, 4 s: four attempts) timed
// by the Clock port, each request has its own timeout, and every outcome is logged with the URL redacted.
// Nothing here can block or fail a reboot. flush(timeoutMs) waits for the queues at exit and, when time
// runs out, abandons what is left.
// May import: core, ports, notify/*.

import type { EmitFn, RunEvent } from '../../core/events.js';
import type { Clock } from '../../ports/clock.js';
import type { Notifier } from '../../ports/notifier.js';
import type { OutgoingMessage } from './payloads.js';
import { createEventSelector } from './select.js';
import type { NotifyTarget, TargetKind, TargetOptions } from './targets.js';
import { parseNotifyUrl, scrub } from './targets.js';
import type { NotificationKind } from './templates.js';
import { resolveTemplates } from './templates.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFn = (level: LogLevel, message: string) => void;

/** A LogFn that emits 'log' progress events, for callers that report through events. */
export function logAsEvents(emit: EmitFn, clock: Clock): LogFn {
  return (level, message) => emit({ type: 'log', at: clock.now(), level, message });
}

export interface NotifierOptions {
  /** --notify-url values (repeatable). A bad one throws InputError naming the flag. */
  readonly urls: readonly string[];
  /** --message-template-* values; missing or empty ones keep the defaults. */
  readonly templates?: Partial<Record<NotificationKind, string | undefined>>;
  readonly clock: Clock;
  readonly log: LogFn;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** First backoff delay; doubles at each retry. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Per-request timeout. Default 10 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Messages queued per target before the oldest are dropped. Default 100. */
  readonly maxQueue?: number;
  /** Flag name and base URLs for the slack:// forms (tests point these at a local receiver). */
  readonly target?: TargetOptions;
}

export interface QueueingNotifier extends Notifier {
  /** The parsed targets, safe to show: kind and redacted URL. */
  readonly targets: readonly { readonly kind: TargetKind; readonly redacted: string }[];
  /** Messages queued or in flight. */
  pending(): number;
  /**
   * Waits until every queued message is sent or given up. Resolves true when the queues emptied, false when
   * timeoutMs passed first; then in-flight requests are aborted and the rest dropped (and logged).
   */
  flush(timeoutMs: number): Promise<boolean>;
}

type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly retry: boolean; readonly error: string; readonly waitMs?: number };

interface Lane {
  readonly target: NotifyTarget;
  readonly queue: OutgoingMessage[];
  pump: Promise<void> | undefined;
  inFlight: number;
}

const MAX_RETRY_AFTER_MS = 60_000;

export function createNotifier(opts: NotifierOptions): QueueingNotifier {
  const templates = resolveTemplates(opts.templates);
  const parsed = opts.urls.map((u) => parseNotifyUrl(u, opts.target));
  const unique = parsed.filter(
    (t, i) => parsed.findIndex((o) => o.endpoint === t.endpoint && o.kind === t.kind) === i,
  );
  const lanes: Lane[] = unique.map((target) => ({ target, queue: [], pump: undefined, inFlight: 0 }));
  const select = createEventSelector(templates);
  const doFetch = opts.fetch ?? fetch;
  const retries = Math.max(0, opts.retries ?? 3);
  const backoffMs = opts.backoffMs ?? 1000;
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const maxQueue = Math.max(1, opts.maxQueue ?? 100);
  let abandon = new AbortController();

  const log: LogFn = (level, message) => {
    try {
      opts.log(level, message);
    } catch {
      // a broken logger must not break notifications
    }
  };

  async function sendOnce(lane: Lane, msg: OutgoingMessage, signal: AbortSignal): Promise<Outcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await doFetch(lane.target.endpoint, {
        method: 'POST',
        headers: { ...lane.target.headers },
        body: JSON.stringify(lane.target.body(msg)),
        signal: AbortSignal.any([signal, timeout]),
      });
      const text = await res.text();
      if (!res.ok) {
        const retryAfter = Number(res.headers.get('retry-after'));
        return {
          ok: false,
          retry: res.status >= 500 || res.status === 408 || res.status === 429,
          error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
          ...(retryAfter > 0 ? { waitMs: Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) } : {}),
        };
      }
      const check = lane.target.check?.(text);
      return check?.error ? { ok: false, retry: check.retry ?? false, error: check.error } : { ok: true };
    } catch (err) {
      if (signal.aborted) throw err;
      if (timeout.aborted) return { ok: false, retry: true, error: `no answer within ${timeoutMs} ms` };
      return { ok: false, retry: true, error: describe(err) };
    }
  }

  async function deliver(lane: Lane, msg: OutgoingMessage, signal: AbortSignal): Promise<void> {
    const where = `${lane.target.kind} ${lane.target.redacted}`;
    const attempts = retries + 1;
    for (let attempt = 1; ; attempt++) {
      const r = await sendOnce(lane, msg, signal);
      if (r.ok) {
        log('debug', `notification "${msg.kind}" sent to ${where}`);
        return;
      }
      const error = scrub(r.error, lane.target.secrets);
      if (!r.retry) {
        log('error', `notification "${msg.kind}" to ${where} refused, not retried: ${error}`);
        return;
      }
      if (attempt >= attempts) {
        log('error', `notification "${msg.kind}" to ${where} dropped after ${attempts} attempts: ${error}`);
        return;
      }
      const delay = Math.max(backoffMs * 2 ** (attempt - 1), r.waitMs ?? 0);
      log(
        'warn',
        `notification "${msg.kind}" to ${where} failed (attempt ${attempt}/${attempts}): ${error}; retrying in ${delay} ms`,
      );
      await opts.clock.sleep(delay, signal);
    }
  }

  async function pump(lane: Lane): Promise<void> {
    const signal = abandon.signal;
    while (!signal.aborted) {
      const msg = lane.queue.shift();
      if (msg === undefined) return;
      lane.inFlight = 1;
      try {
        await deliver(lane, msg, signal);
      } catch (err) {
        if (!signal.aborted)
          log(
            'error',
            `notification to ${lane.target.redacted} failed: ${scrub(describe(err), lane.target.secrets)}`,
          );
      } finally {
        lane.inFlight = 0;
      }
    }
  }

  function start(lane: Lane): void {
    if (lane.pump) return;
    lane.pump = pump(lane).finally(() => {
      lane.pump = undefined;
      if (lane.queue.length > 0 && !abandon.signal.aborted) start(lane);
    });
  }

  const pending = (): number => lanes.reduce((n, l) => n + l.queue.length + l.inFlight, 0);

  async function idle(): Promise<void> {
    for (let busy = lanes.filter((l) => l.pump); busy.length > 0; busy = lanes.filter((l) => l.pump)) {
      await Promise.allSettled(busy.map((l) => l.pump));
    }
  }

  return {
    targets: lanes.map((l) => ({ kind: l.target.kind, redacted: l.target.redacted })),
    pending,
    notify(event: RunEvent): Promise<void> {
      try {
        const sel = lanes.length === 0 ? undefined : select(event);
        if (sel === undefined) return Promise.resolve();
        for (const lane of lanes) {
          lane.queue.push(sel);
          if (lane.queue.length > maxQueue) {
            lane.queue.shift();
            log('warn', `notification queue for ${lane.target.redacted} is full; dropped the oldest message`);
          }
          start(lane);
        }
      } catch (err) {
        log('error', `notification not queued: ${describe(err)}`);
      }
      return Promise.resolve();
    },
    async flush(timeoutMs: number): Promise<boolean> {
      if (pending() === 0 && lanes.every((l) => !l.pump)) return true;
      const stop = new AbortController();
      const deadline = opts.clock.sleep(Math.max(0, timeoutMs), stop.signal).then(
        () => false,
        () => true, // aborted below, once the queues emptied; the race is already decided
      );
      const emptied = await Promise.race([idle().then(() => true), deadline]);
      stop.abort();
      if (emptied) return true;
      const left = pending();
      const old = abandon;
      abandon = new AbortController();
      old.abort(new Error('notifications abandoned at flush timeout'));
      for (const lane of lanes) {
        lane.queue.length = 0;
        lane.inFlight = 0;
      }
      log('warn', `${left} notification(s) not sent within ${timeoutMs} ms; abandoned`);
      return false;
    },
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
}
