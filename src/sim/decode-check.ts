// The typed decode kube-apiserver does before any validation: a field of the wrong JSON type, or a
// MicroTime that is not RFC 3339 with six fractional digits, fails to decode. A request body that fails
// is a 400 BadRequest (endpoints/handlers/rest.go transformDecodeError); a patch whose result fails is a
// 422 Invalid on the field "patch" (endpoints/handlers/patch.go). Messages follow Go's encoding/json
// (UnmarshalTypeError) for bodies and JSON/merge patches, and runtime/converter.go for strategic merge.
// May import: ./go-time.js, ./status.js, ./types.js.

import { microTimeError } from './go-time.js';
import { badRequest, invalid, type StatusError } from './status.js';
import { PatchType, type KObject, type ResourceType } from './types.js';

type Field =
  | { readonly k: 'string' }
  | { readonly k: 'int'; readonly go: 'int32' | 'int64' }
  | { readonly k: 'microtime' }
  | { readonly k: 'map' }
  | { readonly k: 'list' }
  | { readonly k: 'struct'; readonly go: string; readonly name: string; readonly fields: Fields };
type Fields = Readonly<Record<string, Field>>;

const STR: Field = { k: 'string' };
const INT32: Field = { k: 'int', go: 'int32' };
const INT64: Field = { k: 'int', go: 'int64' };

/** metav1.ObjectMeta fields a client sets. */
const OBJECT_META: Field = {
  k: 'struct',
  go: 'v1.ObjectMeta',
  name: 'ObjectMeta',
  fields: {
    name: STR,
    generateName: STR,
    namespace: STR,
    uid: STR,
    resourceVersion: STR,
    generation: INT64,
    deletionGracePeriodSeconds: INT64,
    labels: { k: 'map' },
    annotations: { k: 'map' },
    finalizers: { k: 'list' },
  },
};

/** coordination/v1 LeaseSpec (k8s.io/api coordination/v1 types.go). */
const LEASE_SPEC: Field = {
  k: 'struct',
  go: 'v1.LeaseSpec',
  name: 'LeaseSpec',
  fields: {
    holderIdentity: STR,
    leaseDurationSeconds: INT32,
    acquireTime: { k: 'microtime' },
    renewTime: { k: 'microtime' },
    leaseTransitions: INT32,
    strategy: STR,
    preferredHolder: STR,
  },
};

function rootOf(type: ResourceType): Field {
  const fields: Record<string, Field> = { metadata: OBJECT_META };
  if (type.resource === 'leases') fields['spec'] = LEASE_SPEC;
  return { k: 'struct', go: `v1.${type.kind}`, name: type.kind, fields };
}

/** A value that did not decode: where, into what, and the JSON value found. */
interface Problem {
  readonly path: string;
  readonly struct: string;
  readonly field: Field;
  readonly value: unknown;
  /** Set for a MicroTime string that does not parse: Go's ParseError text. */
  readonly timeError?: string;
}

const jsonKind = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;

function goType(f: Field): string {
  switch (f.k) {
    case 'string':
      return 'string';
    case 'int':
      return f.go;
    case 'microtime':
      return 'v1.MicroTime';
    case 'map':
      return 'map[string]string';
    case 'list':
      return '[]string';
    case 'struct':
      return f.go;
  }
}

const fitsInt = (v: number, go: 'int32' | 'int64'): boolean =>
  Number.isInteger(v) && (go === 'int64' ? Number.isSafeInteger(v) : v >= -(2 ** 31) && v < 2 ** 31);

/** The first value, in document order, that Go would fail to decode into `f`. */
function firstProblem(v: unknown, f: Field, path: string, struct: string): Problem | undefined {
  if (v === null || v === undefined) return undefined;
  const bad = (at: Field = f, value: unknown = v, p = path): Problem => ({
    path: p,
    struct,
    field: at,
    value,
  });
  switch (f.k) {
    case 'string':
      return typeof v === 'string' ? undefined : bad();
    case 'int':
      return typeof v === 'number' && fitsInt(v, f.go) ? undefined : bad();
    case 'microtime': {
      if (typeof v !== 'string') return bad();
      const timeError = microTimeError(v);
      return timeError === undefined ? undefined : { ...bad(), timeError };
    }
    case 'map':
    case 'list': {
      const ok = f.k === 'map' ? jsonKind(v) === 'object' : Array.isArray(v);
      if (!ok) return bad();
      const item = Object.values(v as object).find((x) => x !== null && typeof x !== 'string');
      return item === undefined ? undefined : bad(STR, item);
    }
    case 'struct': {
      if (jsonKind(v) !== 'object') return bad();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const sub = f.fields[k];
        if (sub === undefined) continue;
        const p = firstProblem(x, sub, path === '' ? k : `${path}.${k}`, f.name);
        if (p !== undefined) return p;
      }
      return undefined;
    }
  }
}

/** encoding/json's words for a value of the wrong type (UnmarshalTypeError.Value). */
function jsonValueWords(p: Problem): string {
  const kind = jsonKind(p.value);
  if (kind === 'number') return p.field.k === 'int' ? `number ${String(p.value)}` : 'number';
  if (kind === 'boolean') return 'bool';
  return kind;
}

/** The decode error as encoding/json (sigs.k8s.io/json) words it. */
function jsonDecodeError(p: Problem): string {
  if (p.timeError !== undefined) return p.timeError;
  if (p.field.k === 'microtime')
    return `json: cannot unmarshal ${jsonValueWords(p)} into Go value of type string`;
  return `json: cannot unmarshal ${jsonValueWords(p)} into Go struct field ${p.struct}.${p.path} of type ${goType(p.field)}`;
}

/** The decode error as runtime.DefaultUnstructuredConverter words it (strategic merge patches). */
function converterError(p: Problem): string {
  if (p.timeError !== undefined) return p.timeError;
  const kind = jsonKind(p.value);
  const goSource = kind === 'number' ? (Number.isInteger(p.value) ? 'int64' : 'float64') : kind;
  switch (p.field.k) {
    case 'microtime':
      return `json: cannot unmarshal ${jsonValueWords(p)} into Go value of type string`;
    case 'map':
      return `cannot restore map from ${kind === 'object' ? 'map' : goKindOf(kind)}`;
    case 'list':
      return `cannot restore slice from ${goKindOf(kind)}`;
    case 'struct':
      return `cannot restore struct from: ${goKindOf(kind)}`;
    default:
      if (kind === 'number') return `cannot convert ${goSource} to ${goType(p.field)}`;
      return `unrecognized type: ${goType(p.field)}`;
  }
}

const goKindOf = (kind: string): string =>
  ({ string: 'string', number: 'float64', boolean: 'bool', array: 'slice', object: 'map' })[kind] ?? kind;

/** JSON with object keys sorted, as Go marshals a map. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** fmt's %+v of a decoded JSON map: `map[k:v k2:map[...]]`, keys sorted. */
function goPrint(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (v === null) return '<nil>';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goPrint(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** A request body (create, update) that does not decode: 400 `<Kind> in version "v1" cannot be handled as a <Kind>: ...`. */
export function checkBodyDecodes(type: ResourceType, obj: KObject): void {
  const p = firstProblem(obj, rootOf(type), '', type.kind);
  if (p === undefined) return;
  throw badRequest(
    `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${jsonDecodeError(p)}`,
  );
}

/** A patch whose result does not decode: 422 ` "" is invalid: patch: Invalid value: "...": ...`. */
export function checkPatchedDecodes(
  type: ResourceType,
  patched: KObject,
  patchType: string,
  patch: unknown,
): void {
  const p = firstProblem(patched, rootOf(type), '', type.kind);
  if (p === undefined) return;
  const strategic = patchType === PatchType.StrategicMerge || patchType === PatchType.Apply;
  const shown = strategic ? goPrint(patch) : sortedJson(patched);
  const why = strategic ? converterError(p) : jsonDecodeError(p);
  const err: StatusError = invalid('', '', [
    {
      reason: 'FieldValueInvalid',
      field: 'patch',
      message: `Invalid value: ${JSON.stringify(shown)}: ${why}`,
    },
  ]);
  throw err;
}
