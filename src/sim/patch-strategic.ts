// Strategic merge patch, as the API server applies it to built-in kinds: maps merge, null deletes,
// some lists merge by a key (conditions by type, containers/volumes/env by name, ownerReferences by uid,
// ...), finalizers merge as a set, other lists (taints, tolerations, ...) are replaced whole. Supports the
// `$patch: replace|delete` directives and `$deleteFromPrimitiveList/<field>`; `$retainKeys` and
// `$setElementOrder/<field>` are accepted and ignored.
// May import: ./copy.js.

import { deepCopy } from './copy.js';

type Json = unknown;
type JsonMap = Record<string, Json>;

export function isPlainObject(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merge keys by list field name; several candidates are tried in order (the first one the item has). */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  conditions: ['type'],
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  ports: ['containerPort', 'port', 'name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  ownerReferences: ['uid'],
  addresses: ['type'],
  hostAliases: ['ip'],
  podIPs: ['ip'],
  hostIPs: ['ip'],
  resourceClaims: ['name'],
  topologySpreadConstraints: ['topologyKey'],
};

/** Lists of scalars that merge as sets. */
const PRIMITIVE_MERGE: ReadonlySet<string> = new Set(['finalizers']);

const DIRECTIVE = '$patch';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';
const RETAIN_KEYS = '$retainKeys';

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) {
    return v
      .filter((x) => !(isPlainObject(x) && x[DIRECTIVE] !== undefined && Object.keys(x).length === 1))
      .map(stripDirectives);
  }
  if (!isPlainObject(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM))
      continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

function mergeKeyOf(field: string, item: Json): string | undefined {
  const candidates = MERGE_KEYS[field];
  if (candidates === undefined || !isPlainObject(item)) return undefined;
  return candidates.find((k) => item[k] !== undefined) ?? candidates[0];
}

function mergeList(field: string, current: Json, patch: Json[]): Json[] {
  const replace = patch.some((x) => isPlainObject(x) && x[DIRECTIVE] === 'replace');
  if (replace) return stripDirectives(patch) as Json[];
  const cur = Array.isArray(current) ? [...current] : [];
  if (PRIMITIVE_MERGE.has(field)) {
    for (const x of patch)
      if (!cur.some((c) => JSON.stringify(c) === JSON.stringify(x))) cur.push(deepCopy(x));
    return cur;
  }
  if (MERGE_KEYS[field] === undefined) return stripDirectives(patch) as Json[];
  for (const item of patch) {
    const key = mergeKeyOf(field, item);
    if (!isPlainObject(item) || key === undefined) {
      cur.push(stripDirectives(item));
      continue;
    }
    const idx = cur.findIndex((c) => isPlainObject(c) && c[key] === item[key]);
    if (item[DIRECTIVE] === 'delete') {
      if (idx >= 0) cur.splice(idx, 1);
      continue;
    }
    if (idx >= 0) cur[idx] = strategicMerge(cur[idx], item);
    else cur.push(stripDirectives(item));
  }
  return cur;
}

/**
 * Applies a strategic merge patch to a JSON value and returns the result (the inputs are not changed).
 * Returns undefined when the patch deletes the value itself (`$patch: delete` at this level).
 */
export function strategicMerge(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return deepCopy(patch);
  if (patch[DIRECTIVE] === 'delete') return undefined;
  if (patch[DIRECTIVE] === 'replace') return stripDirectives(patch);
  const out: JsonMap = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER)) continue;
    if (k.startsWith(DELETE_FROM)) {
      const f = k.slice(DELETE_FROM.length);
      const cur = out[f];
      if (Array.isArray(cur) && Array.isArray(v)) {
        const drop = new Set(v.map((x) => JSON.stringify(x)));
        out[f] = cur.filter((x) => !drop.has(JSON.stringify(x)));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      out[k] = mergeList(k, out[k], v);
    } else if (isPlainObject(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  return out;
}
