// A Blocker on Prometheus: the instant query ALERTS, filtered kured's way (core/blockers.ts filterAlerts).
// Any counted alert blocks. A failed query, a non-200 answer or an unexpected body throws: unknown = blocked.
// May import: core, ports and node built-ins (global fetch).

import { alertsVerdict, filterAlerts } from '../../core/blockers.js';
import type { AlertFilter, AlertSample } from '../../core/blockers.js';
import type { BlockCheck, Blocker } from '../../ports/blockers.js';

export interface PrometheusBlockerOptions extends AlertFilter {
  /** Base URL of Prometheus, e.g. http://prometheus.monitoring:9090 */
  readonly url: string;
  /** Per-query timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Extra request headers (e.g. Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Parses a Prometheus instant-query answer into samples; throws on anything but a success vector. */
export function parseAlertsResponse(body: unknown): AlertSample[] {
  const b = body as {
    status?: unknown;
    error?: unknown;
    data?: { resultType?: unknown; result?: unknown };
  } | null;
  if (!b || typeof b !== 'object') throw new Error('Prometheus answered with no JSON object');
  if (b.status !== 'success') {
    throw new Error(
      `Prometheus query failed: ${typeof b.error === 'string' ? b.error : `status ${String(b.status)}`}`,
    );
  }
  if (!b.data || b.data.resultType !== 'vector' || !Array.isArray(b.data.result)) {
    throw new Error(`Prometheus answered with resultType ${String(b.data?.resultType)}, expected vector`);
  }
  return b.data.result.map((r: unknown) => {
    const s = r as { metric?: unknown; value?: unknown };
    if (!s || typeof s.metric !== 'object' || s.metric === null)
      throw new Error('Prometheus sample has no metric');
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.metric as Record<string, unknown>))
      if (typeof v === 'string') labels[k] = v;
    const raw = Array.isArray(s.value) ? s.value[1] : undefined;
    const value = raw === undefined ? 1 : Number(raw);
    return { labels, value: Number.isNaN(value) ? 1 : value };
  });
}

export class PrometheusAlertBlocker implements Blocker {
  readonly name = 'prometheus';

  constructor(private readonly opts: PrometheusBlockerOptions) {}

  async check(_node?: string, signal?: AbortSignal): Promise<BlockCheck> {
    const url = new URL('api/v1/query', this.opts.url.endsWith('/') ? this.opts.url : `${this.opts.url}/`);
    url.searchParams.set('query', 'ALERTS');
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 10_000);
    const res = await fetch(url, {
      headers: { accept: 'application/json', ...(this.opts.headers ?? {}) },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`Prometheus ${url.origin} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`Prometheus ${url.origin} answered with malformed JSON`);
    }
    return alertsVerdict(filterAlerts(parseAlertsResponse(body), this.opts));
  }
}
