// Where events go besides the screen: the notifier (--notify-url) and the metrics endpoint (--metrics-port).
// Both are opened before anything touches the cluster (a bad URL or a busy port exits 2), see every event,
// and never block or fail a reboot: notify() only queues, observe() never throws. close() flushes the
// notifications for at most 5 s and stops the endpoint.
// May import: core, ports, adapters (notify, metrics), cli/config-watch.

import { startMetricsServer, type MetricsServer } from '../adapters/metrics/metrics.js';
import { createNotifier, type LogFn, type QueueingNotifier } from '../adapters/notify/notifier.js';
import type { RunEvent } from '../core/events.js';
import type { Clock } from '../ports/clock.js';
import type { NotifySettings } from './config-watch.js';

export const NOTIFY_FLUSH_MS = 5_000;

export interface Sinks {
  observe(event: RunEvent): void;
  /** The bound metrics port, when an endpoint runs. */
  readonly metricsPort?: number;
  close(): Promise<void>;
}

export async function openSinks(opts: {
  readonly notify: NotifySettings;
  /** undefined or -1: no endpoint. */
  readonly metricsPort?: number;
  readonly clock: Clock;
  readonly log: LogFn;
  /** For tests: the fetch the notifier uses. */
  readonly fetch?: typeof fetch;
}): Promise<Sinks> {
  const notifier: QueueingNotifier | undefined =
    opts.notify.urls.length === 0
      ? undefined
      : createNotifier({
          urls: opts.notify.urls,
          templates: opts.notify.templates,
          clock: opts.clock,
          log: opts.log,
          ...(opts.fetch ? { fetch: opts.fetch } : {}),
        });
  let metrics: MetricsServer | undefined;
  if (opts.metricsPort !== undefined && opts.metricsPort >= 0) {
    metrics = await startMetricsServer({ port: opts.metricsPort, clock: opts.clock, processMetrics: true });
    opts.log('info', `serving /metrics and /healthz on port ${metrics.port}`);
  }
  return {
    ...(metrics ? { metricsPort: metrics.port } : {}),
    observe(event) {
      metrics?.observe(event);
      if (notifier) void notifier.notify(event).catch(() => undefined);
    },
    async close() {
      try {
        if (notifier) await notifier.flush(NOTIFY_FLUSH_MS);
      } finally {
        await metrics?.close();
      }
    },
  };
}
