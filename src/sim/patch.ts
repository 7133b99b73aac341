// Patches as the API server applies them: JSON merge patch (RFC 7386), strategic merge patch (see
// ./patch-strategic.ts) and JSON patch (RFC 6902). `applyPatch` dispatches on the content type and keeps
// the object's identity (name, namespace, uid, kind, apiVersion) out of the caller's reach.
// May import: ./copy.js, ./patch-strategic.js, ./status.js, ./types.js.

import { deepCopy } from './copy.js';
import { isPlainObject, strategicMerge } from './patch-strategic.js';
import { badRequest, StatusError, makeStatus } from './status.js';
import { PatchType, type KObject } from './types.js';

export { strategicMerge } from './patch-strategic.js';

/** RFC 7386: objects merge recursively, null deletes a key, anything else replaces. Inputs unchanged. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** A JSON patch failure: 422 Invalid, as the API server reports a patch that cannot be applied. */
function unprocessable(message: string): StatusError {
  return new StatusError(makeStatus(422, 'Invalid', message));
}

function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw badRequest(`invalid JSON pointer: "${ptr}"`);
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: unknown[], tok: string, forAdd: boolean, path: string): number {
  if (forAdd && tok === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(tok)) throw unprocessable(`invalid array index "${tok}" in path ${path}`);
  const i = Number(tok);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw unprocessable(`doc is missing path: "${path}": index out of range`);
  }
  return i;
}

/** The container of the last token of `path`, and that token. Throws when a parent is missing. */
function parentOf(doc: unknown, tokens: string[], path: string): { parent: unknown; last: string } {
  let cur: unknown = doc;
  for (const tok of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, tok, false, path)];
    else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, tok)) cur = cur[tok];
    else throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, last: tokens[tokens.length - 1] as string };
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false, path)];
  if (isPlainObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) return parent[last];
  throw unprocessable(`doc is missing path: "${path}": missing value`);
}

/** Returns the new document (the root may be replaced). `mode` add inserts; replace needs the target. */
function putAt(doc: unknown, path: string, value: unknown, mode: 'add' | 'replace'): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, mode === 'add', path);
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isPlainObject(parent)) {
    if (mode === 'replace' && !Object.prototype.hasOwnProperty.call(parent, last)) {
      throw unprocessable(`doc is missing key: "${path}": missing value`);
    }
    parent[last] = value;
  } else {
    throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function removeAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw unprocessable('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, false, path), 1);
  } else if (isPlainObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    delete parent[last];
  } else {
    throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** RFC 6902. Operations apply in order to a copy; any failure leaves the input untouched. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = deepCopy(target);
  for (const raw of ops) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
    }
    const { op, path } = raw;
    const from = typeof raw.from === 'string' ? raw.from : undefined;
    const needValue = op === 'add' || op === 'replace' || op === 'test';
    if (needValue && !Object.prototype.hasOwnProperty.call(raw, 'value')) {
      throw badRequest(`missing value for "${op}" operation at ${path}`);
    }
    if ((op === 'move' || op === 'copy') && from === undefined) {
      throw badRequest(`missing from for "${op}" operation at ${path}`);
    }
    switch (op) {
      case 'add':
        doc = putAt(doc, path, deepCopy(raw.value), 'add');
        break;
      case 'replace':
        doc = putAt(doc, path, deepCopy(raw.value), 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'copy':
        doc = putAt(doc, path, deepCopy(getAt(doc, from as string)), 'add');
        break;
      case 'move': {
        if (path.startsWith(`${from as string}/`))
          throw unprocessable(`cannot move ${from} into its own child ${path}`);
        const v = getAt(doc, from as string);
        doc = putAt(removeAt(doc, from as string), path, v, 'add');
        break;
      }
      case 'test': {
        let actual: unknown;
        try {
          actual = getAt(doc, path);
        } catch {
          actual = undefined;
        }
        if (!deepEqual(actual, raw.value)) throw unprocessable(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

/**
 * Applies a patch of the given content type to an object and returns the patched copy. The patch may
 * not rename the object or move it to another namespace (400); a removed uid, kind or apiVersion is put
 * back. A changed uid or resourceVersion is left in place for the store to reject as a 409 Conflict.
 * Apply patches (server-side apply) are approximated by a strategic merge of the given object.
 */
export function applyPatch(original: KObject, patchType: PatchType | string, body: unknown): KObject {
  const patch = parseBody(body);
  let out: unknown;
  switch (patchType) {
    case PatchType.Merge:
      if (!isPlainObject(patch)) throw badRequest('merge patch must be a JSON object');
      out = mergePatch(original, patch);
      break;
    case PatchType.StrategicMerge:
    case PatchType.Apply:
      if (!isPlainObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
      out = strategicMerge(original, patch);
      break;
    case PatchType.Json:
      out = jsonPatch(original, patch);
      break;
    default:
      throw new StatusError(
        makeStatus(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: ${Object.values(PatchType).join(', ')}`,
        ),
      );
  }
  if (!isPlainObject(out)) throw unprocessable('the patch did not produce an object');
  const obj = deepCopy(out) as KObject;
  if (!isPlainObject(obj.metadata)) obj.metadata = { name: original.metadata.name };
  const m = obj.metadata;
  const o = original.metadata;
  if (m.name === undefined || m.name === '') m.name = o.name;
  if (m.name !== o.name) {
    throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${o.name})`);
  }
  if (m.namespace === undefined && o.namespace !== undefined) m.namespace = o.namespace;
  if (m.namespace !== o.namespace) {
    throw badRequest(
      `the namespace of the object (${m.namespace}) does not match the namespace on the URL (${o.namespace})`,
    );
  }
  if (m.uid === undefined && o.uid !== undefined) m.uid = o.uid;
  if (typeof obj.kind !== 'string' || obj.kind === '') obj.kind = original.kind;
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') obj.apiVersion = original.apiVersion;
  return obj;
}
