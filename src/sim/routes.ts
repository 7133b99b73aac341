// Parsing of API paths and query strings into what a request is about: resource, namespace, name, verb.
// May import: ./types.js only.
import type { ResourceType } from './types.js';

/** Finds a served resource by group, version and plural name. */
export type ResourceLookup = (group: string, version: string, resource: string) => ResourceType | undefined;

export interface ResourceRoute {
  readonly group: string;
  readonly version: string;
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** The legacy /watch/ path prefix was used. */
  readonly watchPrefix: boolean;
}

export type RouteError = { readonly error: 'NotFound'; readonly message: string };

export const Verb = {
  Get: 'get',
  List: 'list',
  Watch: 'watch',
  Create: 'create',
  Update: 'update',
  Patch: 'patch',
  Delete: 'delete',
  DeleteCollection: 'deletecollection',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Subresources of namespaces, which otherwise look like /namespaces/NS/RESOURCE. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function notFound(path: string): RouteError {
  return { error: 'NotFound', message: `the server could not find the requested resource (path ${path})` };
}

/**
 * Parses /api/v1/... and /apis/GROUP/VERSION/... resource paths, with or without the legacy /watch/ prefix.
 * Discovery paths (/api, /api/v1, /apis/G/V) are not resource paths and give undefined.
 */
export function parseResourcePath(
  path: string,
  lookup: ResourceLookup,
): ResourceRoute | RouteError | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return undefined;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  rest = rest.map((p) => decodeURIComponent(p));

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }

  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) return notFound(path);
  const type = lookup(group, version, resource);
  if (!type) return notFound(path);
  if (namespace !== undefined && !type.namespaced) return notFound(path);
  const route: ResourceRoute = { group, version, type, watchPrefix };
  return {
    ...route,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

export function isRouteError(r: ResourceRoute | RouteError): r is RouteError {
  return 'error' in r;
}

/** true, 1 and the empty value count as set, like a real server's boolean query parameters. */
export function queryFlag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v !== null && (v === '' || v === '1' || v.toLowerCase() === 'true');
}

/** The API verb of a request, as RBAC and audit name it. */
export function verbOf(method: string, route: ResourceRoute, q: URLSearchParams): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (route.watchPrefix || (route.subresource === undefined && queryFlag(q, 'watch'))) return Verb.Watch;
      return route.name === undefined ? Verb.List : Verb.Get;
    case 'POST':
      return Verb.Create;
    case 'PUT':
      return Verb.Update;
    case 'PATCH':
      return Verb.Patch;
    case 'DELETE':
      return route.name === undefined ? Verb.DeleteCollection : Verb.Delete;
    default:
      return undefined;
  }
}

/** Reads a non-negative integer query parameter; undefined when absent or malformed. */
export function queryInt(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}
