// Resource requests of the simulated API server: get, list, watch, create, update, patch, delete and the
// pods/eviction and pods/log subresources, translated into Store calls.
// May import: ./types.js, ./status.js, ./routes.js, ./tables.js, ./http.js, ./watch-stream.js, ./resources.js,
// ./request-parts.js, ./patch.js, ./scale.js, ./openapi/field-validation.js, ./api-level.js, ./priority.js.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ListResult, SimClock, Store } from './types.js';
import { PatchType } from './types.js';
import { badRequest, methodNotAllowed, namespaceTerminating, notFound, StatusError } from './status.js';
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
import { patchedScale, scaleOf, writeScale } from './scale.js';
import { checkFields, fieldValidationOf } from './openapi/field-validation.js';
import { unknownEvictionVersionMessage } from './api-level.js';
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
  /** The version of the Eviction kind pods/eviction accepts (policy/v1beta1 before Kubernetes 1.22). */
  readonly evictionVersion?: 'v1' | 'v1beta1';
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

/** The object as the fieldValidation directive leaves it; Warn's warnings go on the answer's headers. */
function validated(rr: ResourceRequest, obj: KObject, verb: 'create' | 'update' | 'patch'): KObject {
  const checked = checkFields(rr.route.type, obj, fieldValidationOf(rr.query), verb);
  if (checked.warnings.length > 0) rr.res.setHeader('Warning', [...checked.warnings]);
  return checked.object;
}

/** GET, PUT and PATCH of a workload's scale subresource. */
async function handleScale(ctx: HandlerContext, rr: ResourceRequest): Promise<void> {
  const { route, query: q } = rr;
  const ns = route.namespace;
  const name = route.name!;
  const sub = subresourceFor(route.type.resource, 'scale')!;
  if (rr.verb === Verb.Get)
    return sendJson(rr.res, 200, scaleOf(ctx.store.get(route.type.resource, ns, name)));
  let scale: KObject;
  if (rr.verb === Verb.Update) {
    const body = parseJsonObject(await readBody(rr.req));
    if (body['kind'] !== undefined && body['kind'] !== 'Scale') {
      throw badRequest(`${String(body['kind'])} in version "v1" cannot be handled as a Scale`);
    }
    scale = body as unknown as KObject;
  } else if (rr.verb === Verb.Patch) {
    const mediaType = mediaTypeOf(rr.req.headers['content-type']);
    if (!PATCH_TYPES.has(mediaType)) throw new StatusError(unsupportedMediaType(mediaType));
    const body = parseJson(await readBody(rr.req));
    if (body === undefined) throw badRequest('the body of the request must not be empty');
    scale = patchedScale(ctx.store, route.type, ns, name, mediaType, body);
  } else {
    throw methodNotAllowed();
  }
  const checked = checkFields(sub, scale, fieldValidationOf(q), rr.verb === Verb.Patch ? 'patch' : 'update');
  if (checked.warnings.length > 0) rr.res.setHeader('Warning', [...checked.warnings]);
  sendJson(rr.res, 200, writeScale(ctx.store, route.type, ns, name, checked.object, isDryRun(q)));
}

/** An old server cannot decode an Eviction of a version it does not know: 400, before any admission. */
function checkEvictionVersion(ctx: HandlerContext, body: unknown): void {
  const apiVersion: unknown = (body as { apiVersion?: unknown } | undefined)?.apiVersion;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('policy/')) return;
  const served = ctx.evictionVersion ?? 'v1';
  // policy/v1beta1 Evictions are accepted by every server with the subresource; policy/v1 only from 1.22.
  if (apiVersion === 'policy/v1' && served !== 'v1')
    throw badRequest(unknownEvictionVersionMessage(apiVersion));
}

/**
 * The NamespaceLifecycle admission for creates (plugin/pkg/admission/namespace/lifecycle): nothing in a
 * namespace that does not exist (404 `namespaces "x" not found`), nothing new in one that is being deleted.
 */
function admitCreate(store: Store, route: ResourceRoute, name: string): void {
  const ns = route.namespace;
  if (ns === undefined || !route.type.namespaced) return;
  const namespace = store.tryGet('namespaces', undefined, ns);
  if (namespace === undefined) throw notFound('namespaces', ns);
  if (namespace.status?.phase === 'Terminating') throw namespaceTerminating(route.type, name, ns);
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
  if (route.subresource === 'scale') return handleScale(ctx, rr);
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
        checkEvictionVersion(ctx, body);
        admitCreate(store, route, route.name!);
        const status = ctx.hooks.evict(ns ?? '', route.name!, body);
        sendJson(rr.res, 201, status);
        return;
      }
      if (route.name !== undefined) throw methodNotAllowed();
      const body = objectFromBody(route, parseJsonObject(await readBody(rr.req)));
      admitCreate(store, route, body.metadata.name);
      if (resource === 'pods') admitPriority(body, route.type);
      const obj = validated(rr, body, 'create');
      send(ctx, rr, 201, store.create(resource, obj, { dryRun: isDryRun(q) }));
      return;
    }
    case Verb.Update: {
      requireObjectPath(route);
      const body = objectFromBody(route, parseJsonObject(await readBody(rr.req)));
      const obj = validated(rr, body, 'update');
      send(ctx, rr, 200, store.update(resource, obj, { ...statusSubresource(route), dryRun: isDryRun(q) }));
      return;
    }
    case Verb.Patch: {
      requireObjectPath(route);
      const mediaType = mediaTypeOf(rr.req.headers['content-type']);
      if (!PATCH_TYPES.has(mediaType)) throw new StatusError(unsupportedMediaType(mediaType));
      const body = parseJson(await readBody(rr.req));
      if (body === undefined) throw badRequest('the body of the request must not be empty');
      // The request's field validation runs on the patched object, before it is stored.
      const patched = store.patch(resource, ns, route.name!, mediaType as PatchType, body, {
        ...statusSubresource(route),
        dryRun: isDryRun(q),
        fields: (obj) => validated(rr, obj, 'patch'),
      });
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
