// The OpenAPI documents: Swagger 2.0 for /openapi/v2 and one OpenAPI 3.0 document per group/version for
// /openapi/v3, built from the served resources and the schema model. Each write operation lists the
// `fieldValidation` query parameter, as the real server does since Kubernetes 1.25: kubectl's
// QueryParamVerifier (cli-runtime) looks for it on the PATCH operation of a kind to decide that the server
// validates fields itself, and otherwise validates on the client. PATCH bodies list the strategic merge
// patch media type, which kubectl's apply checks before it builds a strategic patch from the v3 schema.
// May import: ./model.js, ./definitions.js, ../resources.js, ../types.js.
import type { ResourceType } from '../types.js';
import { apiVersionOf, subresourcesOf, type SubresourceType } from '../resources.js';
import { definitionName, type Definitions, type GroupVersionKind, type Schema } from './model.js';
import { allDefinitions, gvkOf, PATCH_DEFINITION, reachable } from './definitions.js';
import { META } from './defs-meta.js';

type Form = 'v2' | 'v3';
type Json = Record<string, unknown>;

export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

function refTo(form: Form, name: string): string {
  return form === 'v2' ? `#/definitions/${name}` : `#/components/schemas/${name}`;
}

/** One schema in the form of a document: v2 puts a description beside $ref, v3 wraps the $ref in allOf. */
export function render(form: Form, s: Schema): Json {
  if (s.ref !== undefined) {
    const r = { $ref: refTo(form, s.ref) };
    if (!s.description) return r;
    return form === 'v2' ? { ...r, description: s.description } : { allOf: [r], description: s.description };
  }
  const out: Json = {};
  if (s.description) out['description'] = s.description;
  if (s.type) out['type'] = s.type;
  if (s.format) out['format'] = s.format;
  if (s.enum) out['enum'] = [...s.enum];
  if (s.required) out['required'] = [...s.required];
  if (s.properties) {
    out['properties'] = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, render(form, v)]),
    );
  }
  if (s.items) out['items'] = render(form, s.items);
  if (s.additionalProperties) out['additionalProperties'] = render(form, s.additionalProperties);
  if (s.open) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (s.gvk) out['x-kubernetes-group-version-kind'] = s.gvk.map((g) => ({ ...g }));
  if (s.listType) out['x-kubernetes-list-type'] = s.listType;
  if (s.listMapKeys) out['x-kubernetes-list-map-keys'] = [...s.listMapKeys];
  if (s.mergeKey) out['x-kubernetes-patch-merge-key'] = s.mergeKey;
  if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
  return out;
}

interface Op {
  readonly method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  readonly action: string;
  readonly gvk: GroupVersionKind;
  /** Request body definition (writes). */
  readonly body?: string;
  /** Response body definition; undefined: a plain string (logs). */
  readonly response?: string;
  readonly description: string;
}

const query = (name: string, description: string): Json => ({
  name,
  in: 'query',
  type: 'string',
  description,
  uniqueItems: true,
});
const WRITE_PARAMS = [
  query('dryRun', 'When present, modifications are not persisted. The only valid value is All.'),
  query('fieldManager', 'A name associated with the actor or entity that is making these changes.'),
  query(
    'fieldValidation',
    'What the server does with unknown or duplicate fields in the object: Ignore drops them, Warn (the default) drops them with a warning for each, Strict refuses the request.',
  ),
];

function parameter(form: Form, p: Json): Json {
  if (form === 'v2') return p;
  const { type, uniqueItems: _u, ...rest } = p;
  return { ...rest, schema: { type } };
}

function operation(form: Form, path: string, op: Op): Json {
  const params: Json[] = op.method === 'get' ? [] : WRITE_PARAMS.map((p) => parameter(form, p));
  if (op.method === 'patch')
    params.push(parameter(form, query('force', 'Force is only for apply requests.')));
  const extensions = { 'x-kubernetes-action': op.action, 'x-kubernetes-group-version-kind': { ...op.gvk } };
  const responseSchema = op.response ? { $ref: refTo(form, op.response) } : { type: 'string' };
  const operationId = `${op.action}${op.gvk.kind}${path.length}`;
  if (form === 'v2') {
    if (op.body)
      params.unshift({ name: 'body', in: 'body', required: true, schema: { $ref: refTo(form, op.body) } });
    return {
      description: op.description,
      operationId,
      consumes: op.method === 'patch' ? [...PATCH_MEDIA_TYPES] : ['*/*'],
      produces: op.response ? ['application/json', 'application/yaml'] : ['text/plain'],
      schemes: ['https'],
      parameters: params,
      responses: { '200': { description: 'OK', schema: responseSchema } },
      ...extensions,
    };
  }
  const media = op.method === 'patch' ? [...PATCH_MEDIA_TYPES] : ['*/*'];
  return {
    description: op.description,
    operationId,
    parameters: params,
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(media.map((m) => [m, { schema: { $ref: refTo(form, op.body!) } }])),
          },
        }
      : {}),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: responseSchema } } } },
    ...extensions,
  };
}

function pathParams(form: Form, namespaced: boolean, named: boolean): Json[] {
  const p = (name: string): Json =>
    parameter(form, {
      name,
      in: 'path',
      required: true,
      type: 'string',
      description: `${name} of the object`,
    });
  return [...(named ? [p('name')] : []), ...(namespaced ? [p('namespace')] : [])];
}

function subresourceOps(s: SubresourceType): Op[] {
  const gvk = gvkOf(s);
  const def = definitionName(gvk);
  const what = `the ${s.subresource} of the ${s.kind === 'Scale' ? 'object' : s.kind}`;
  return s.verbs.map((v): Op => {
    if (v === 'create')
      return { method: 'post', action: 'post', gvk, body: def, response: def, description: `create ${what}` };
    if (v === 'get')
      return {
        method: 'get',
        action: 'get',
        gvk,
        ...(s.subresource === 'log' ? {} : { response: def }),
        description: `read ${what}`,
      };
    if (v === 'update')
      return { method: 'put', action: 'put', gvk, body: def, response: def, description: `replace ${what}` };
    return {
      method: 'patch',
      action: 'patch',
      gvk,
      body: PATCH_DEFINITION,
      response: def,
      description: `partially update ${what}`,
    };
  });
}

/** The paths of one resource: its collection, one object, and each subresource. */
function resourcePaths(form: Form, t: ResourceType): Record<string, Json> {
  const gvk = gvkOf(t);
  const def = definitionName(gvk);
  const prefix = `/${t.group === '' ? 'api' : `apis/${t.group}`}/${t.version}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}`;
  const build = (path: string, ops: Op[], named: boolean): Json => {
    const item: Json = { parameters: pathParams(form, t.namespaced, named) };
    for (const op of ops) item[op.method] = operation(form, path, op);
    return item;
  };
  const k = t.kind;
  const paths: Record<string, Json> = {
    [prefix]: build(
      prefix,
      [
        {
          method: 'get',
          action: 'list',
          gvk,
          response: `${def}List`,
          description: `list or watch objects of kind ${k}`,
        },
        { method: 'post', action: 'post', gvk, body: def, response: def, description: `create a ${k}` },
        {
          method: 'delete',
          action: 'deletecollection',
          gvk,
          response: `${META}.Status`,
          description: `delete collection of ${k}`,
        },
      ],
      false,
    ),
    [`${prefix}/{name}`]: build(
      `${prefix}/{name}`,
      [
        { method: 'get', action: 'get', gvk, response: def, description: `read the specified ${k}` },
        {
          method: 'put',
          action: 'put',
          gvk,
          body: def,
          response: def,
          description: `replace the specified ${k}`,
        },
        {
          method: 'patch',
          action: 'patch',
          gvk,
          body: PATCH_DEFINITION,
          response: def,
          description: `partially update the specified ${k}`,
        },
        { method: 'delete', action: 'delete', gvk, response: `${META}.Status`, description: `delete a ${k}` },
      ],
      true,
    ),
  };
  for (const s of subresourcesOf(t.resource)) {
    const path = `${prefix}/{name}/${s.subresource}`;
    paths[path] = build(path, subresourceOps(s), true);
  }
  return paths;
}

function responseDefinitions(types: readonly ResourceType[]): string[] {
  const names = [`${META}.Status`, PATCH_DEFINITION];
  for (const t of types) {
    names.push(definitionName(gvkOf(t)), `${definitionName(gvkOf(t))}List`);
    for (const s of subresourcesOf(t.resource)) names.push(definitionName(gvkOf(s)));
  }
  return names;
}

function renderAll(form: Form, defs: Definitions, names: Set<string>): Json {
  return Object.fromEntries([...names].sort().map((n) => [n, render(form, defs[n]!)]));
}

/** The Swagger 2.0 document of every served resource. */
export function openApiV2(types: readonly ResourceType[], version: string): Json {
  const defs = allDefinitions(types);
  const paths: Record<string, Json> = {};
  for (const t of types) Object.assign(paths, resourcePaths('v2', t));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version },
    paths,
    definitions: renderAll('v2', defs, reachable(defs, Object.keys(defs))),
  };
}

/** The group/versions of /openapi/v3, as its paths name them: 'api/v1', 'apis/apps/v1'. */
export function v3GroupVersions(types: readonly ResourceType[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const gv = t.group === '' ? `api/${t.version}` : `apis/${apiVersionOf(t)}`;
    if (!out.includes(gv)) out.push(gv);
  }
  return out;
}

/** The OpenAPI 3.0 document of one group/version ('apis/apps/v1'), or undefined when it is not served. */
export function openApiV3(types: readonly ResourceType[], gv: string, version: string): Json | undefined {
  const served = types.filter(
    (t) => (t.group === '' ? `api/${t.version}` : `apis/${apiVersionOf(t)}`) === gv,
  );
  if (served.length === 0) return undefined;
  const defs = allDefinitions(types);
  const paths: Record<string, Json> = {};
  for (const t of served) Object.assign(paths, resourcePaths('v3', t));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version },
    paths,
    components: { schemas: renderAll('v3', defs, reachable(defs, responseDefinitions(served))) },
  };
}
