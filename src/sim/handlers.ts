// Resource requests of the simulated API server: get, list, watch, create, update, patch, delete and the
// pods/eviction and pods/log subresources, translated into Store calls.
// May import: ./types.js, ./status.js, ./routes.js, ./tables.js, ./http.js, ./watch-stream.js, ./resources.js,
// ./priority.js, ./request-parts.js.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ListResult, SimClock, Store } from './types.js';
import { PatchType } from './types.js';
import { badRequest, methodNotAllowed, notFound, StatusError } from './status.js';
import { queryFlag, queryInt, Verb, type ResourceRoute } from './routes.js';
import { parseIncludeObject, toTable, wantsTable } from './tables.js';
import {
  mediaTypeOf,
  parseJson,
  parseJsonObject,
  readBody,
  sendJson,
  sendText,
  unsupportedMediaType,
} from './http.js';
import { serveWatch, withKind } from './watch-stream.js';
import {
  deleteOptionsOf,
  isDryRun,
  objectFromBody,
  requireObjectPath,
  selectionOf,
  statusSubresource,
} from './request-parts.js';
import { apiVersionOf, subresourceFor } from './resources.js';
import { admitPriority } from './priority.js';

/** Behaviour the HTTP front delegates to the cluster: evictions (PDB checks) and pod logs. */
export interface SimHooks {
  /** Handles POST pods/NAME/eviction; returns a Status of success. May throw StatusError (404, 429, 500). */
  evict(namespace: string, name: string, body: unknown): KObject;
  /** Handles GET pods/NAME/log. May throw StatusError. */
  podLog(namespace: string, name: string): string;
}

export interface HandlerContext {
  readonly store: Store;
  readonly clock: SimClock;
  readonly hooks: SimHooks;
  readonly watchDropAfterSec?: number;
  /** Called each time a watch is dropped by the fault above. */
  readonly onWatchDrop?: () => void;
  readonly bookmarkIntervalMs?: number;
}

export interface ResourceRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly route: ResourceRoute;
  readonly verb: Verb;
  readonly query: URLSearchParams;
}

const PATCH_TYPES: ReadonlySet<string> = new Set([PatchType.Merge, PatchType.StrategicMerge, PatchType.Json]);

function send(ctx: HandlerContext, rr: ResourceRequest, code: number, obj: KObject): void {
  const table = wantsTable(rr.req.headers.accept);
  if (table && rr.req.method === 'GET') {
    const t = toTable(rr.route.type.resource, [obj], {
      now: ctx.clock.now(),
      version: table,
      includeObject: parseIncludeObject(rr.query.get('includeObject')),
      listMeta: { resourceVersion: obj.metadata.resourceVersion ?? '' },
    });
    sendJson(rr.res, code, t);
    return;
  }
  sendJson(rr.res, code, withKind(obj, rr.route.type));
}

function sendList(ctx: HandlerContext, rr: ResourceRequest, list: ListResult): void {
  const meta = {
    resourceVersion: list.resourceVersion,
    ...(list.continue ? { continue: list.continue } : {}),
    ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}),
  };
  const type = rr.route.type;
  const table = wantsTable(rr.req.headers.accept);
  if (table) {
    const t = toTable(type.resource, list.items, {
      now: ctx.clock.now(),
      version: table,
      includeObject: parseIncludeObject(rr.query.get('includeObject')),
      listMeta: meta,
    });
    sendJson(rr.res, 200, t);
    return;
  }
  const items = list.items.map((o) => withKind(o, type));
  sendJson(rr.res, 200, { kind: type.listKind, apiVersion: apiVersionOf(type), metadata: meta, items });
}

/** Serves one resource request; throws StatusError for the caller to send. */
export async function handleResource(ctx: HandlerContext, rr: ResourceRequest): Promise<void> {
  const { route, query: q } = rr;
  const { store } = ctx;
  const resource = route.type.resource;
  const ns = route.namespace;
  if (route.subresource !== undefined && !subresourceFor(resource, route.subresource)) {
    throw notFound(route.type, route.name);
  }
  switch (rr.verb) {
    case Verb.Get: {
      if (route.subresource === 'log') {
        sendText(rr.res, 200, ctx.hooks.podLog(ns ?? '', route.name!));
        return;
      }
      requireObjectPath(route);
      send(ctx, rr, 200, store.get(resource, ns, route.name!));
      return;
    }
    case Verb.List: {
      const limit = queryInt(q, 'limit');
      const cont = q.get('continue');
      const opts = {
        ...selectionOf(route, q),
        ...(limit ? { limit } : {}),
        ...(cont ? { continue: cont } : {}),
      };
      sendList(ctx, rr, store.list(resource, opts));
      return;
    }
    case Verb.Watch: {
      requireObjectPath(route);
      const table = wantsTable(rr.req.headers.accept);
      const timeout = queryInt(q, 'timeoutSeconds');
      const rv = q.get('resourceVersion');
      serveWatch(rr.req, rr.res, {
        store,
        type: route.type,
        ...selectionOf(route, q),
        ...(rv !== null ? { resourceVersion: rv } : {}),
        sendInitialEvents: queryFlag(q, 'sendInitialEvents'),
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        allowBookmarks: queryFlag(q, 'allowWatchBookmarks'),
        ...(ctx.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: ctx.bookmarkIntervalMs } : {}),
        ...(ctx.watchDropAfterSec !== undefined ? { dropAfterSec: ctx.watchDropAfterSec } : {}),
        ...(ctx.onWatchDrop ? { onDrop: ctx.onWatchDrop } : {}),
        ...(table
          ? {
              table: {
                version: table,
                includeObject: parseIncludeObject(q.get('includeObject')),
                now: () => ctx.clock.now(),
              },
            }
          : {}),
      });
      return;
    }
    case Verb.Create: {
      if (route.subresource === 'eviction') {
        const body = parseJson(await readBody(rr.req));
        const status = ctx.hooks.evict(ns ?? '', route.name!, body);
        sendJson(rr.res, 201, status);
        return;
      }
      if (route.name !== undefined) throw methodNotAllowed();
      const obj = objectFromBody(route, parseJsonObject(await readBody(rr.req)));
      if (resource === 'pods') admitPriority(obj, route.type);
      if (isDryRun(q)) return send(ctx, rr, 201, obj);
      send(ctx, rr, 201, store.create(resource, obj));
      return;
    }
    case Verb.Update: {
      requireObjectPath(route);
      const obj = objectFromBody(route, parseJsonObject(await readBody(rr.req)));
      if (isDryRun(q)) return send(ctx, rr, 200, obj);
      send(ctx, rr, 200, store.update(resource, obj, statusSubresource(route)));
      return;
    }
    case Verb.Patch: {
      requireObjectPath(route);
      const mediaType = mediaTypeOf(rr.req.headers['content-type']);
      if (!PATCH_TYPES.has(mediaType)) throw new StatusError(unsupportedMediaType(mediaType));
      const body = parseJson(await readBody(rr.req));
      if (body === undefined) throw badRequest('the body of the request must not be empty');
      if (isDryRun(q)) return send(ctx, rr, 200, store.get(resource, ns, route.name!));
      const patched = store.patch(
        resource,
        ns,
        route.name!,
        mediaType as PatchType,
        body,
        statusSubresource(route),
      );
      send(ctx, rr, 200, patched);
      return;
    }
    case Verb.Delete: {
      requireObjectPath(route);
      const body = parseJson(await readBody(rr.req));
      if (isDryRun(q, body)) return send(ctx, rr, 200, store.get(resource, ns, route.name!));
      send(ctx, rr, 200, store.delete(resource, ns, route.name!, deleteOptionsOf(q, body)));
      return;
    }
    case Verb.DeleteCollection: {
      const body = parseJson(await readBody(rr.req));
      const list = store.list(resource, selectionOf(route, q));
      const opts = deleteOptionsOf(q, body);
      const dry = isDryRun(q, body);
      const items = list.items.map((o) =>
        dry ? o : store.delete(resource, o.metadata.namespace, o.metadata.name, opts),
      );
      sendList(ctx, rr, { items, resourceVersion: String(store.currentResourceVersion()) });
      return;
    }
  }
}
