// A small HTTPS client for tests that talk to the simulated API server: one-shot requests and watch streams.
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';

export interface Target {
  readonly port: number;
  readonly ca: string;
  readonly token?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Send no Authorization header. */
  readonly anonymous?: boolean;
}

function headersFor(t: Target, o: RequestOptions): Record<string, string> {
  return {
    ...(t.token && !o.anonymous ? { Authorization: `Bearer ${t.token}` } : {}),
    ...(o.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...o.headers,
  };
}

export function api(t: Target, method: string, path: string, o: RequestOptions = {}): Promise<Answer> {
  const payload =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers = headersFor(t, o);
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: t.port, path, method, ca: t.ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WatchHandle {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly events: any[];
  /** Resolves when an event satisfies the predicate (checks events already received too). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  next(pred: (e: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  readonly status: Promise<number>;
  close(): void;
}

export function watch(t: Target, path: string, o: RequestOptions = {}): WatchHandle {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const events: any[] = [];
  const waiters: (() => void)[] = [];
  let endResolve: () => void = () => {};
  const ended = new Promise<void>((r) => (endResolve = r));
  let statusResolve: (n: number) => void = () => {};
  const status = new Promise<number>((r) => (statusResolve = r));
  let buf = '';
  const req = request(
    { host: '127.0.0.1', port: t.port, path, method: 'GET', ca: t.ca, headers: headersFor(t, o) },
    (res) => {
      statusResolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) events.push(JSON.parse(line));
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
    },
  );
  req.on('error', () => endResolve());
  req.end();
  return {
    events,
    ended,
    status,
    close: () => req.destroy(),
    next(pred, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching watch event; got ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        const check = (): void => {
          const hit = events.find(pred);
          if (hit !== undefined) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
