// Listing one resource's table: namespace range, pod-by-node index, label and field selectors, and
// limit/continue paging in namespace/name order with opaque continue tokens, as a real server pages.
// Only the returned page is copied; filtered-out objects never are.
// May import: ./copy.js, ./selectors.js, ./status.js, ./store-table.js, ./types.js.

import { deepCopy } from './copy.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, gone } from './status.js';
import { lowerBound, type Table } from './store-table.js';
import type { KObject, ListOptions, ListResult } from './types.js';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, lastKey: string): string {
  const t: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: lastKey };
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  let t: unknown;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON in the continue token');
  }
  const c = t as Partial<ContinueToken> | null;
  if (c === null || typeof c !== 'object' || c.v !== 'meta.k8s.io/v1') {
    throw badRequest('continue key is not valid: server does not recognize this encoded version');
  }
  if (typeof c.rv !== 'number' || !Number.isInteger(c.rv) || c.rv <= 0) {
    throw badRequest(
      `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
    );
  }
  if (typeof c.start !== 'string' || c.start === '') {
    throw badRequest('continue key is not valid: encoded start key is empty');
  }
  return c as ContinueToken;
}

export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * Lists objects. `currentRv` is the store's resourceVersion; `compactedRv` the newest version whose
 * history is gone (a continue token older than that has expired: 410).
 */
export function listTable(
  table: Table,
  opts: ListOptions,
  currentRv: number,
  compactedRv: number,
): ListResult {
  const type = table.type;
  const label = parseLabelSelector(opts.labelSelector);
  const field = parseFieldSelector(opts.fieldSelector, type.resource);
  const token = opts.continue ? decodeContinue(opts.continue) : undefined;
  if (token !== undefined && token.rv < compactedRv) throw gone(CONTINUE_EXPIRED);
  const listRv = token?.rv ?? currentRv;
  const ns =
    type.namespaced && opts.namespace !== undefined && opts.namespace !== '' ? opts.namespace : undefined;
  const prefix = ns === undefined ? undefined : `${ns}/`;

  // Candidate keys in order, and the range [from, to) to scan.
  const node = table.byNode !== undefined ? field.exact('spec.nodeName') : undefined;
  let keys: readonly string[];
  let from = 0;
  let to: number;
  if (node !== undefined) {
    keys = table.keysOnNode(node);
    to = keys.length;
  } else {
    keys = table.sortedKeys();
    to = keys.length;
    if (prefix !== undefined) {
      from = lowerBound(keys, prefix);
      // '0' is the code unit after '/', so this is the end of the "ns/" prefix range.
      to = lowerBound(keys, `${ns}0`);
    }
  }
  if (token !== undefined) from = Math.max(from, lowerBound(keys, token.start, true));

  const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : Infinity;
  const selecting = !label.empty || !field.empty || node !== undefined;
  const page: KObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  let stopAt = to;
  for (let i = from; i < to; i++) {
    const key = keys[i] as string;
    const obj = table.get(key);
    if (obj === undefined) continue;
    if (prefix !== undefined && node !== undefined && !key.startsWith(prefix)) continue;
    if (selecting && !(field.matches(obj) && label.matches(obj.metadata.labels))) continue;
    if (page.length >= limit) {
      more = true;
      stopAt = i;
      break;
    }
    page.push(obj);
    lastKey = key;
  }
  const result: ListResult = { items: page.map((o) => deepCopy(o)), resourceVersion: String(listRv) };
  if (more && lastKey !== undefined) {
    result.continue = encodeContinue(listRv, lastKey);
    if (!selecting) result.remainingItemCount = to - stopAt;
  }
  return result;
}
