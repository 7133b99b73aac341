// Server-side field validation, as kube-apiserver does it since Kubernetes 1.25 (KEP-2885): the
// `fieldValidation` query parameter of create, update and patch decides what happens to fields the
// kind's schema does not know. Strict refuses the request with 400 and `strict decoding error: unknown
// field "spec.foo"` (create and update prefix it with `Deployment in version "v1" cannot be handled as a
// Deployment:`, as the decoder's error does there); Warn (the default when the parameter is absent)
// drops each such field and says so in a `Warning: 299` header; Ignore drops them silently. kubectl 1.27+
// sends fieldValidation=Strict with --validate=true (the default) once the OpenAPI document shows the
// server takes the parameter. Subtrees the schema leaves open (statuses, rarely used fields) keep
// everything, so nothing there is called unknown.
// May import: ./model.js, ./definitions.js, ../resources.js, ../status.js, ../types.js.
import type { KObject } from '../types.js';
import { RESOURCES } from '../resources.js';
import { badRequest } from '../status.js';
import { definitionName, type Definitions, type GroupVersionKind, type Schema } from './model.js';
import { allDefinitions } from './definitions.js';

export const FieldValidation = { Ignore: 'Ignore', Warn: 'Warn', Strict: 'Strict' } as const;
export type FieldValidation = (typeof FieldValidation)[keyof typeof FieldValidation];

let defs: Definitions | undefined;
const definitions = (): Definitions => (defs ??= allDefinitions(RESOURCES));

/** The directive of a request; an unsupported value is a 400, with the real server's message. */
export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? '';
  if (v === '') return FieldValidation.Warn;
  if (v === FieldValidation.Ignore || v === FieldValidation.Warn || v === FieldValidation.Strict) return v;
  throw badRequest(
    `fieldValidation: Unsupported value: "${v}": supported values: "", "Ignore", "Strict", "Warn"`,
  );
}

function resolve(s: Schema): Schema {
  let cur = s;
  for (let i = 0; cur.ref !== undefined && i < 20; i++) cur = definitions()[cur.ref] ?? {};
  return cur;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies `v` without the fields `s` does not know, and records their paths ("spec.template.spec.foo"). */
function known(s0: Schema, v: unknown, path: string, unknown: string[]): unknown {
  const s = resolve(s0);
  if (s.open || s.intOrString) return v;
  if (Array.isArray(v) && s.items) return v.map((x, i) => known(s.items!, x, `${path}[${i}]`, unknown));
  if (!isMap(v)) return v;
  const at = (k: string): string => (path === '' ? k : `${path}.${k}`);
  if (s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = s.properties[k];
      if (p === undefined) unknown.push(at(k));
      else out[k] = known(p, x, at(k), unknown);
    }
    return out;
  }
  if (s.additionalProperties) {
    const add = s.additionalProperties;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, known(add, x, at(k), unknown)]));
  }
  return v;
}

export interface Checked {
  /** The object without unknown fields (what the real server stores). */
  readonly object: KObject;
  /** Warning header values for a Warn directive, e.g. `299 - "unknown field \"spec.foo\""`. */
  readonly warnings: readonly string[];
}

/**
 * Applies the directive to an object of `type` written by `verb` (create, update or patch): throws the
 * Strict refusal, or returns the object pruned of unknown fields with the warnings to send.
 */
export function checkFields(
  type: GroupVersionKind,
  obj: KObject,
  directive: FieldValidation,
  verb: 'create' | 'update' | 'patch',
): Checked {
  const schema = definitions()[definitionName({ group: type.group, version: type.version, kind: type.kind })];
  if (schema === undefined) return { object: obj, warnings: [] };
  const unknown: string[] = [];
  const object = known(schema, obj, '', unknown) as KObject;
  if (unknown.length === 0) return { object: obj, warnings: [] };
  const fields = unknown.map((f) => `unknown field "${f}"`);
  if (directive === FieldValidation.Strict) {
    const strict = `strict decoding error: ${fields.join(', ')}`;
    const where = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
    throw badRequest(verb === 'patch' ? strict : `${where}: ${strict}`);
  }
  const warnings = directive === FieldValidation.Warn ? fields.map((f) => `299 - ${JSON.stringify(f)}`) : [];
  return { object, warnings };
}
