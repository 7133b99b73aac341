// What a resource request carries besides its verb: selectors, the object in the body, delete options,
// dry-run, and whether the path names the object itself or its status.
// May import: ./types.js, ./status.js, ./routes.js, ./resources.js.
import type { DeleteOptions, KObject, ListOptions } from './types.js';
import { badRequest, methodNotAllowed } from './status.js';
import { queryInt, type ResourceRoute } from './routes.js';
import { apiVersionOf } from './resources.js';

export function statusSubresource(r: ResourceRoute): { subresource: 'status' } | undefined {
  return r.subresource === 'status' ? { subresource: 'status' } : undefined;
}

/** Only the object itself and its status subresource are served by the generic verbs. */
export function requireObjectPath(r: ResourceRoute): void {
  if (r.subresource !== undefined && r.subresource !== 'status') throw methodNotAllowed();
}

/** Namespace and selectors of a list or watch; a named path narrows to that name. */
export function selectionOf(
  route: ResourceRoute,
  q: URLSearchParams,
): Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'> {
  let fieldSelector = q.get('fieldSelector') ?? '';
  if (route.name !== undefined) {
    fieldSelector = [`metadata.name=${route.name}`, fieldSelector].filter(Boolean).join(',');
  }
  const labelSelector = q.get('labelSelector') ?? '';
  return {
    ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
}

/** Checks kind, name and namespace of a body against the path; fills them in when missing. */
export function objectFromBody(route: ResourceRoute, body: Record<string, unknown>): KObject {
  const { type, namespace, name } = route;
  if (body['kind'] !== undefined && body['kind'] !== type.kind) {
    throw badRequest(
      `${String(body['kind'])} in version "${type.version}" cannot be handled as a ${type.kind}`,
    );
  }
  const meta = { ...((body['metadata'] ?? {}) as Record<string, unknown>) };
  if (namespace !== undefined) {
    if (meta['namespace'] !== undefined && meta['namespace'] !== '' && meta['namespace'] !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta['namespace'] = namespace;
  }
  if (name !== undefined) {
    if (meta['name'] !== undefined && meta['name'] !== name) {
      throw badRequest('the name of the object does not match the name on the URL');
    }
    meta['name'] = name;
  }
  return { ...body, kind: type.kind, apiVersion: apiVersionOf(type), metadata: meta } as unknown as KObject;
}

/** DeleteOptions from the query (gracePeriodSeconds) and the body, the body winning. */
export function deleteOptionsOf(q: URLSearchParams, body: unknown): DeleteOptions {
  const opts: DeleteOptions = {};
  const grace = queryInt(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (body && typeof body === 'object') {
    const b = body as DeleteOptions;
    if (typeof b.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = b.gracePeriodSeconds;
    if (b.preconditions) opts.preconditions = { ...b.preconditions };
  }
  return opts;
}

/** dryRun=All in the query, or in a DeleteOptions body. */
export function isDryRun(q: URLSearchParams, body?: unknown): boolean {
  const fromBody = body && typeof body === 'object' ? (body as { dryRun?: unknown }).dryRun : undefined;
  return q.getAll('dryRun').length > 0 || (Array.isArray(fromBody) && fromBody.length > 0);
}
