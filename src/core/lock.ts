// Decisions over the cluster-wide lock record: up to maxHolders nodes in progress at once, each hold with a TTL
// so a dead holder expires, resumable by the same owner, and aware of zones. Decisions take `now` and return
// verdicts with reasons. The record itself (shape, parsing) is in core/lock-record.ts.
// May import: core/lock-record.

import {
  describeHolder,
  isExpired,
  LOCK_RECORD_VERSION,
  type LockHolder,
  type LockRecord,
} from './lock-record.js';

export * from './lock-record.js';

export interface AcquireRequest {
  readonly node: string;
  readonly owner: string;
  readonly runId: string;
  /** --concurrency. Runs with different values share the smaller one. */
  readonly maxHolders: number;
  readonly ttlMs: number;
  readonly wasUnschedulable: boolean;
  readonly bootID: string;
  readonly phase?: string;
  readonly zone?: string;
  /** --max-per-zone; 0 or undefined means no limit. */
  readonly maxPerZone?: number;
  /**
   * This run's process. An owner's hold of another run is taken over at once only when that run is gone:
   * held from another host (or without a recorded process), or from this host by a pid that is not alive.
   */
  readonly process?: {
    readonly host: string;
    readonly pid: number;
    readonly isAlive: (pid: number) => boolean;
  };
}

/** A hold of the same owner by another run whose process is known to be alive on this host. */
function liveElsewhere(h: LockHolder, req: AcquireRequest): boolean {
  const p = req.process;
  if (p === undefined || h.runId === req.runId || h.host !== p.host || h.pid === undefined) return false;
  return h.pid !== p.pid && p.isAlive(h.pid);
}

export type AcquireVerdict =
  | {
      readonly kind: 'acquire';
      readonly record: LockRecord;
      readonly holder: LockHolder;
      readonly pruned: readonly LockHolder[];
      readonly reason: string;
    }
  | {
      readonly kind: 'already-held';
      /** The record with the hold moved to this run (renewed); write it back. */
      readonly record: LockRecord;
      /** The hold as it was recorded: wasUnschedulable, bootID and phase come from here on resume. */
      readonly holder: LockHolder;
      readonly takeover: boolean;
      readonly pruned: readonly LockHolder[];
      readonly reason: string;
    }
  | {
      readonly kind: 'full';
      readonly reason: string;
      readonly holders: readonly LockHolder[];
      readonly pruned: readonly LockHolder[];
    };

export function decideAcquire(record: LockRecord, req: AcquireRequest, now: number): AcquireVerdict {
  const pruned = record.holders.filter((h) => isExpired(h, now));
  const live = record.holders.filter((h) => !isExpired(h, now));
  const expiredNote = pruned.length > 0 ? `; expired: ${pruned.map(describeHolder).join(', ')}` : '';
  const mine = live.find((h) => h.node === req.node);
  if (mine !== undefined) {
    if (mine.owner !== req.owner) {
      return {
        kind: 'full',
        reason: `${req.node} is held by ${mine.owner} (run ${mine.runId}, ${mine.phase})`,
        holders: live,
        pruned,
      };
    }
    if (liveElsewhere(mine, req)) {
      return {
        kind: 'full',
        reason: `${req.node} is held by another live run of ${req.owner} (run ${mine.runId}, pid ${mine.pid ?? '?'}, ${mine.phase})`,
        holders: live,
        pruned,
      };
    }
    const takeover = mine.runId !== req.runId;
    const moved: LockHolder = {
      ...mine,
      runId: req.runId,
      renewedAt: now,
      ttlMs: req.ttlMs,
      ...(req.process ? { host: req.process.host, pid: req.process.pid } : {}),
    };
    return {
      kind: 'already-held',
      record: { ...record, holders: live.map((h) => (h === mine ? moved : h)) },
      holder: mine,
      takeover,
      pruned,
      reason: takeover
        ? `${req.node} was held by an earlier run of ${req.owner} (run ${mine.runId}, ${mine.phase}); resuming`
        : `${req.node} is already held by this run`,
    };
  }
  const limit = live.length > 0 ? Math.min(record.maxHolders, req.maxHolders) : req.maxHolders;
  if (live.length >= limit) {
    return {
      kind: 'full',
      reason: `lock full: ${live.length}/${limit} held by ${live.map(describeHolder).join(', ')}${expiredNote}`,
      holders: live,
      pruned,
    };
  }
  if (req.maxPerZone !== undefined && req.maxPerZone > 0 && req.zone !== undefined) {
    const sameZone = live.filter((h) => h.zone === req.zone);
    if (sameZone.length >= req.maxPerZone) {
      return {
        kind: 'full',
        reason: `zone ${req.zone} already has ${sameZone.length}/${req.maxPerZone} in progress: ${sameZone.map(describeHolder).join(', ')}`,
        holders: live,
        pruned,
      };
    }
  }
  const holder: LockHolder = {
    node: req.node,
    owner: req.owner,
    runId: req.runId,
    acquiredAt: now,
    renewedAt: now,
    ttlMs: req.ttlMs,
    wasUnschedulable: req.wasUnschedulable,
    bootID: req.bootID,
    phase: req.phase ?? 'locked',
    ...(req.zone === undefined ? {} : { zone: req.zone }),
    ...(req.process ? { host: req.process.host, pid: req.process.pid } : {}),
  };
  return {
    kind: 'acquire',
    record: { version: LOCK_RECORD_VERSION, maxHolders: limit, holders: [...live, holder] },
    holder,
    pruned,
    reason: `slot ${live.length + 1}/${limit}${expiredNote}`,
  };
}

export interface HoldRef {
  readonly node: string;
  readonly runId: string;
}

export type HoldVerdict =
  | { readonly kind: 'ok'; readonly record: LockRecord; readonly holder: LockHolder }
  | { readonly kind: 'lost'; readonly reason: string };

function findOwnHold(record: LockRecord, ref: HoldRef): LockHolder | string {
  const h = record.holders.find((x) => x.node === ref.node);
  if (h === undefined) return `${ref.node} is no longer in the lock`;
  if (h.runId !== ref.runId) return `${ref.node} is now held by ${h.owner} (run ${h.runId})`;
  return h;
}

/** Changes this run's hold (phase, TTL) and renews it. Lost when another run holds it, or nobody does. */
export function updateHolder(
  record: LockRecord,
  ref: HoldRef,
  patch: { readonly phase?: string; readonly ttlMs?: number },
  now: number,
): HoldVerdict {
  const h = findOwnHold(record, ref);
  if (typeof h === 'string') return { kind: 'lost', reason: h };
  const next: LockHolder = { ...h, ...patch, renewedAt: now };
  return {
    kind: 'ok',
    record: { ...record, holders: record.holders.map((x) => (x === h ? next : x)) },
    holder: next,
  };
}

export function renew(record: LockRecord, ref: HoldRef, now: number): HoldVerdict {
  return updateHolder(record, ref, {}, now);
}

export type ReleaseVerdict =
  | { readonly kind: 'released'; readonly record: LockRecord }
  | { readonly kind: 'not-held'; readonly reason: string };

/** Removes this run's hold; never someone else's. */
export function release(record: LockRecord, ref: HoldRef): ReleaseVerdict {
  const h = findOwnHold(record, ref);
  if (typeof h === 'string') return { kind: 'not-held', reason: h };
  return { kind: 'released', record: { ...record, holders: record.holders.filter((x) => x !== h) } };
}

/** Removes a node's hold whoever holds it: for a person clearing a hold kept after a failure. */
export function forceRelease(record: LockRecord, node: string): ReleaseVerdict {
  if (!record.holders.some((h) => h.node === node))
    return { kind: 'not-held', reason: `${node} is not in the lock` };
  return { kind: 'released', record: { ...record, holders: record.holders.filter((h) => h.node !== node) } };
}
