// The schema model behind /openapi/v2, /openapi/v3 and server-side field validation: a few builders for
// the JSON-schema subset Kubernetes publishes (objects, arrays with their strategic-merge keys, maps,
// references to named definitions, int-or-string), written once and rendered into each document's form.
// May import: nothing.

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface Schema {
  readonly type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema;
  /** The name of a definition, e.g. 'io.k8s.api.core.v1.PodSpec'. */
  readonly ref?: string;
  /** int-or-string (ports, maxUnavailable): a number or a string such as "10%". */
  readonly intOrString?: boolean;
  /** A subtree the simulator does not model field by field: anything is kept and nothing is unknown. */
  readonly open?: boolean;
  /** Strategic merge patch: lists merged by this key ('name' for containers). */
  readonly mergeKey?: string;
  readonly patchStrategy?: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
  /** Lists the API server treats as maps or sets (server-side apply); published as x-kubernetes-list-type. */
  readonly listType?: 'atomic' | 'map' | 'set';
  readonly listMapKeys?: readonly string[];
  readonly gvk?: readonly GroupVersionKind[];
  readonly enum?: readonly string[];
}

export type Definitions = Readonly<Record<string, Schema>>;

export const str = (description: string, extra: Partial<Schema> = {}): Schema => ({
  type: 'string',
  description,
  ...extra,
});
export const int = (description: string, format: 'int32' | 'int64' = 'int32'): Schema => ({
  type: 'integer',
  format,
  description,
});
export const bool = (description: string): Schema => ({ type: 'boolean', description });
export const time = (description: string): Schema => ({ type: 'string', format: 'date-time', description });
export const quantity = (description: string): Schema => ({ type: 'string', description });
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const intOrString = (description: string): Schema => ref(INT_OR_STRING, description);
export const ref = (name: string, description: string): Schema => ({ ref: name, description });
export const open = (description: string): Schema => ({ type: 'object', description, open: true });
export const strings = (description: string): Schema => ({
  type: 'array',
  description,
  items: { type: 'string' },
});
export const stringMap = (description: string): Schema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});

/** An array of `item`: `key` makes it a strategic-merge list keyed by that field. */
export function list(description: string, item: Schema, key?: string): Schema {
  if (key === undefined) return { type: 'array', description, items: item };
  return {
    type: 'array',
    description,
    items: item,
    mergeKey: key,
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: [key],
  };
}

export function obj(
  description: string,
  properties: Record<string, Schema>,
  required: readonly string[] = [],
): Schema {
  return { type: 'object', description, properties, ...(required.length ? { required } : {}) };
}

/** A top-level kind: apiVersion, kind, metadata, and what else it has, tagged with its group/version/kind. */
export function kind(
  gvk: GroupVersionKind,
  description: string,
  properties: Record<string, Schema>,
  metadata = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
): Schema {
  return {
    type: 'object',
    description,
    gvk: [gvk],
    properties: {
      apiVersion: str(
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
      ),
      kind: str(
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
      ),
      metadata: ref(metadata, "Standard object's metadata."),
      ...properties,
    },
  };
}

/** The definition name of a kind, as the real server names it ('io.k8s.api.apps.v1.DaemonSet'). */
export function definitionName(gvk: GroupVersionKind): string {
  if (gvk.group === '') return `io.k8s.api.core.${gvk.version}.${gvk.kind}`;
  if (gvk.group === 'autoscaling' || gvk.group === 'apps' || gvk.group === 'policy')
    return `io.k8s.api.${gvk.group}.${gvk.version}.${gvk.kind}`;
  const short = gvk.group.replace(/\.k8s\.io$/, '').split('.')[0]!;
  return `io.k8s.api.${short}.${gvk.version}.${gvk.kind}`;
}
