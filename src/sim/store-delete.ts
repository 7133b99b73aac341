// What a delete does to an object, decided without side effects: check the preconditions, then erase
// it at once, mark it terminating (graceful pod deletion, finalizers), or leave it as it is.
// May import: ./status.js, ./types.js.

import { conflict } from './status.js';
import type { DeleteOptions, KObject, ResourceType } from './types.js';

export type DeletePlan =
  | { readonly action: 'erase' }
  | { readonly action: 'terminate'; readonly graceSeconds: number }
  | { readonly action: 'keep' };

/** Throws 409 Conflict when a uid or resourceVersion precondition does not match the object. */
export function checkPreconditions(
  type: ResourceType,
  cur: KObject,
  pre: DeleteOptions['preconditions'],
): void {
  const m = cur.metadata;
  if (pre?.uid && pre.uid !== m.uid) {
    throw conflict(
      type,
      m.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
    throw conflict(
      type,
      m.name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`,
    );
  }
}

/**
 * Pods with a grace period > 0 that are not yet terminating get a deletionTimestamp and stay; a shorter
 * grace shortens a pending one; grace 0 erases. Like the real pod strategy, unscheduled or finished pods
 * get grace 0. Objects with finalizers stay terminating until the finalizers are gone.
 */
export function planDelete(resource: string, cur: KObject, opts: DeleteOptions): DeletePlan {
  const m = cur.metadata;
  const hasFinalizers = (m.finalizers ?? []).length > 0;
  const terminating = m.deletionTimestamp !== undefined;
  if (resource !== 'pods') {
    if (!hasFinalizers) return { action: 'erase' };
    return terminating ? { action: 'keep' } : { action: 'terminate', graceSeconds: 0 };
  }
  const podDefault: unknown = cur.spec?.terminationGracePeriodSeconds;
  const fallback = typeof podDefault === 'number' && podDefault >= 0 ? podDefault : 30;
  let grace = opts.gracePeriodSeconds ?? fallback;
  if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0) grace = fallback;
  grace = Math.floor(grace);
  const phase: unknown = cur.status?.phase;
  if (!cur.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  if (terminating) {
    if (grace === 0 && !hasFinalizers) return { action: 'erase' };
    if (grace < (m.deletionGracePeriodSeconds ?? Infinity))
      return { action: 'terminate', graceSeconds: grace };
    return { action: 'keep' };
  }
  if (grace > 0 || hasFinalizers) return { action: 'terminate', graceSeconds: grace };
  return { action: 'erase' };
}
