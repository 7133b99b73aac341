// The metrics endpoint for watch and agent modes (--metrics-port, default 8080): GET /metrics in the
// Prometheus text format and GET /healthz, on node:http. Port 0 picks a free port (tests).
// The collectors themselves live in collectors.ts; this file re-exports their API.
// May import: core, ports, adapters/metrics and node built-ins.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../core/errors.js';
import type { RunEvent } from '../../core/events.js';
import type { MetricsOptions, RebootMetrics } from './collectors.js';
import { createRebootMetrics } from './collectors.js';

export { createRebootMetrics, PHASE_BUCKETS } from './collectors.js';
export type { MetricsOptions, RebootMetrics } from './collectors.js';

export interface MetricsServerOptions extends MetricsOptions {
  readonly port: number;
  /** Interface to listen on. Default: all interfaces (Prometheus scrapes the pod IP). */
  readonly host?: string;
  /** Flag named when the port cannot be used. Default --metrics-port. */
  readonly flag?: string;
}

export interface MetricsServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly metrics: RebootMetrics;
  observe(event: RunEvent): void;
  close(): Promise<void>;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const flag = opts.flag ?? '--metrics-port';
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new InputError(`${flag} ${opts.port}: not a port number`, 'use a port from 1 to 65535');
  }
  const metrics = createRebootMetrics(opts);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found; try /metrics or /healthz\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: unknown) =>
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`${err instanceof Error ? err.message : err}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${opts.host ?? '*'}:${opts.port}`;
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL'
          ? new InputError(
              `${flag} ${opts.port}: cannot listen on ${where} (${err.code})`,
              `choose another ${flag}`,
            )
          : err,
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    metrics,
    observe: (event) => {
      try {
        metrics.observe(event);
      } catch {
        // metrics are a view; a bad sample must never break the run that emitted it
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
