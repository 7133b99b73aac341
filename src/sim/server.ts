// The simulated Kubernetes API server's HTTPS front: bearer-token auth, discovery, resource routes,
// optional RBAC and fault injection, and request counters. Every answer's Date header is on the
// simulator's own clock (which may run faster than, or apart from, the machine's), as a real API server's
// is on its own.
// May import: anything in src/sim and node built-ins.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimClock, Store } from './types.js';
import type { SimFaults } from './faults-types.js';
import { forbidden, makeStatus, notFound, statusOf } from './status.js';
import { apiLevelOf, minorOf } from './api-level.js';
import { isRouteError, parseResourcePath, verbOf, type ResourceRoute } from './routes.js';
import { apiGroupDoc, apiGroupListDoc, apiResourceListDoc, apiVersionsDoc, versionDoc } from './discovery.js';
import type { ServerVersion } from './discovery.js';
import { mediaTypeOf, sendJson, sendStatus, sendText, unauthorized, unsupportedMediaType } from './http.js';
import { handleResource, type SimHooks } from './handlers.js';
import { generatePki, type SimPki } from './pki.js';
import { pickFault, latencyOf } from './fault-apply.js';
import { serveOpenApi } from './openapi/serve.js';

export type { SimHooks } from './handlers.js';
export type { ServerVersion } from './discovery.js';

/**
 * RBAC decision: may the caller do `verb` on `resource[/subresource]` in `namespace` (undefined = cluster)?
 * `name` is the object named in the path (for resourceNames rules); `group` the resource's API group.
 */
export type Authorize = (
  verb: string,
  resource: string,
  subresource: string | undefined,
  namespace?: string,
  name?: string,
  group?: string,
) => boolean;

export interface SimServerOptions {
  readonly store: Store;
  readonly clock: SimClock;
  readonly hooks: SimHooks;
  /** The bearer token every request must carry (health and version endpoints excepted). */
  readonly token: string;
  readonly faults?: SimFaults;
  /** What /version reports; kubectl's dispatcher picks its client by `minor`. Default 1.32. */
  readonly serverVersion?: ServerVersion;
  readonly authorize?: Authorize;
  /** The user named in Forbidden messages. */
  readonly user?: string;
  /** Certificates to serve with; generated at listen() when absent. */
  readonly pki?: SimPki;
  /** Interval of BOOKMARK events for watches that allow them, in real ms. Default 30 s. */
  readonly bookmarkIntervalMs?: number;
}

export interface RequestStats {
  readonly total: number;
  /** Counts by "verb resource[/subresource]" for resource requests, "get /path" for the others. */
  readonly byKey: Readonly<Record<string, number>>;
  /** What the faults injected: error answers by status code, latency spikes, dropped watches. */
  readonly injected: InjectedFaults;
}

export interface InjectedFaults {
  readonly errors: Readonly<Record<string, number>>;
  readonly latencySpikes: number;
  readonly watchDrops: number;
}

export interface ListenResult {
  readonly port: number;
  readonly url: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly ca: string;
}

export interface SimServer {
  listen(port?: number): Promise<ListenResult>;
  close(): Promise<void>;
  stats(): RequestStats;
  resetStats(): void;
  /** Replaces the faults in effect (undefined: none). */
  setFaults(faults: SimFaults | undefined): void;
}

const OPEN_PATHS = new Set(['/healthz', '/readyz', '/livez', '/version']);
const DEFAULT_VERSION: ServerVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

export function createSimServer(opts: SimServerOptions): SimServer {
  let faults = opts.faults;
  let server: Server | undefined;
  let address = '127.0.0.1:0';
  let total = 0;
  const counts = new Map<string, number>();
  const injectedErrors = new Map<string, number>();
  let latencySpikes = 0;
  let watchDrops = 0;
  const count = (key: string): void => {
    total++;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  function authenticated(req: IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    return h === `Bearer ${opts.token}`;
  }

  const version = opts.serverVersion ?? DEFAULT_VERSION;
  // The server's version decides which policy API versions it serves (evictions, PDBs).
  const level = apiLevelOf(minorOf(version.minor) ?? Number(DEFAULT_VERSION.minor));
  const types = level.types;

  function discovery(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      sendText(res, 200, 'ok');
      return true;
    }
    if (path === '/version') {
      sendJson(res, 200, versionDoc(version));
      return true;
    }
    if (path === '/api') {
      sendJson(res, 200, apiVersionsDoc(address));
      return true;
    }
    if (path === '/apis') {
      sendJson(res, 200, apiGroupListDoc(types));
      return true;
    }
    if (path === '/') {
      sendJson(res, 200, {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          '/healthz',
          '/livez',
          '/openapi/v2',
          '/openapi/v3',
          '/readyz',
          '/version',
        ],
      });
      return true;
    }
    if (path.startsWith('/openapi/')) {
      const gitVersion = versionDoc(version)['gitVersion'] ?? '';
      if (!serveOpenApi(path, req.headers.accept, res, types, gitVersion))
        sendStatus(res, notFound('', undefined).status);
      return true;
    }
    const parts = path.split('/').filter(Boolean);
    let doc: Record<string, unknown> | undefined;
    if (parts[0] === 'api' && parts.length === 2)
      doc = apiResourceListDoc(types, '', parts[1]!, level.subresources);
    else if (parts[0] === 'apis' && parts.length === 2) doc = apiGroupDoc(types, parts[1]!);
    else if (parts[0] === 'apis' && parts.length === 3)
      doc = apiResourceListDoc(types, parts[1]!, parts[2]!, level.subresources);
    else return false;
    if (doc) sendJson(res, 200, doc);
    else sendStatus(res, notFound('', undefined).status);
    return true;
  }

  function forbiddenFor(verb: string, route: ResourceRoute): ReturnType<typeof forbidden> {
    const r = route.subresource ? `${route.type.resource}/${route.subresource}` : route.type.resource;
    const scope =
      route.namespace !== undefined ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
    const user = opts.user ?? 'reboot-daemon-sim';
    const why = `User "${user}" cannot ${verb} resource "${r}" in API group "${route.type.group}" ${scope}`;
    return forbidden(why, route.type, route.name);
  }

  /** The Date header from the simulated clock; Node would otherwise send the machine's time. */
  function stamp(res: ServerResponse): void {
    if (!res.headersSent) res.setHeader('Date', new Date(opts.clock.now()).toUTCString());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const latency = faults?.latencyMs ? latencyOf(faults.latencyMs, faults.random, () => latencySpikes++) : 0;
    if (latency > 0) {
      await new Promise((r) => setTimeout(r, latency));
      stamp(res);
    }

    if (!OPEN_PATHS.has(path) && !authenticated(req)) {
      count(`unauthorized ${path}`);
      sendStatus(res, unauthorized());
      return;
    }
    if (mediaTypeOf(req.headers['content-type']).includes('protobuf')) {
      sendStatus(res, unsupportedMediaType(mediaTypeOf(req.headers['content-type'])));
      return;
    }
    if (req.method === 'GET' && discovery(path, req, res)) {
      count(`get ${path}`);
      return;
    }
    const route = parseResourcePath(path, level.lookup);
    if (route === undefined || isRouteError(route)) {
      count(`unknown ${path}`);
      sendStatus(res, notFound('', undefined).status);
      return;
    }
    const verb = verbOf(req.method ?? '', route, url.searchParams);
    if (verb === undefined) {
      sendStatus(res, makeStatus(405, 'MethodNotAllowed', `method ${req.method} is not allowed`));
      return;
    }
    const resourceKey = route.subresource
      ? `${route.type.resource}/${route.subresource}`
      : route.type.resource;
    count(`${verb} ${resourceKey}`);
    const allowed =
      !opts.authorize ||
      opts.authorize(
        verb,
        route.type.resource,
        route.subresource,
        route.namespace,
        route.name,
        route.type.group,
      );
    if (!allowed) {
      sendStatus(res, forbiddenFor(verb, route).status);
      return;
    }
    const fault = faults?.errorRate ? pickFault(faults.errorRate, faults.random, verb, route) : undefined;
    if (fault !== undefined) {
      const code = String(fault.code);
      injectedErrors.set(code, (injectedErrors.get(code) ?? 0) + 1);
      sendStatus(res, fault);
      return;
    }
    await handleResource(
      {
        store: opts.store,
        clock: opts.clock,
        hooks: opts.hooks,
        evictionVersion: level.eviction,
        ...(faults?.watchDropEverySec
          ? { watchDropAfterSec: faults.watchDropEverySec, onWatchDrop: () => watchDrops++ }
          : {}),
        ...(opts.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
      },
      { req, res, route, verb, query: url.searchParams },
    );
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    stamp(res);
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      sendStatus(res, statusOf(err));
    });
  }

  return {
    async listen(port = 0): Promise<ListenResult> {
      const pki = opts.pki ?? (await generatePki());
      const srv = createServer({ cert: pki.serverCert, key: pki.serverKey }, onRequest);
      server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, '127.0.0.1', () => resolve());
      });
      const actual = (srv.address() as AddressInfo).port;
      address = `127.0.0.1:${actual}`;
      return { port: actual, url: `https://127.0.0.1:${actual}`, ca: pki.caCert };
    },
    async close(): Promise<void> {
      const srv = server;
      if (!srv) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
    },
    stats: () => ({
      total,
      byKey: Object.fromEntries(counts),
      injected: { errors: Object.fromEntries(injectedErrors), latencySpikes, watchDrops },
    }),
    resetStats(): void {
      total = 0;
      counts.clear();
      injectedErrors.clear();
      latencySpikes = 0;
      watchDrops = 0;
    },
    setFaults(f): void {
      faults = f;
    },
  };
}
