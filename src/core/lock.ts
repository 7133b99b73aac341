// Decisions over the cluster-wide lock record: up to maxHolders nodes in progress at once and at most M per
// zone, where "in progress" is every live hold AND every node that carries a record past `locked` (whoever's,
// and whether or not this run selected it). A hold is dead when it expired on the API server's clock, or when
// its process is certainly gone (ports/process.ts); nothing else. Decisions take the server's `now` and return
// verdicts with reasons. The record itself (shape, parsing) is in core/lock-record.ts.
// May import: core/lock-record.

import {
  describeHolder,
  isExpired,
  LOCK_RECORD_VERSION,
  type HolderProcess,
  type LockHolder,
  type LockRecord,
} from './lock-record.js';

export * from './lock-record.js';

export type HoldLiveness = 'dead' | 'alive' | 'unknown';

/** Live, or why not: expired on the server's clock, or its process certainly gone. */
export function holdState(
  h: LockHolder,
  now: number,
  liveness: (p: HolderProcess) => HoldLiveness,
): { readonly live: true } | { readonly live: false; readonly why: string } {
  if (liveness(h.proc) === 'dead') return { live: false, why: `its process (pid ${h.proc.pid}) is gone` };
  if (isExpired(h, now))
    return {
      live: false,
      why: `not renewed for ${Math.round((now - h.renewedAt) / 1000)}s (TTL ${h.ttlMs / 1000}s)`,
    };
  return { live: true };
}

/** A node in progress outside the Lease: it carries a record past `locked` (or one that cannot be read). */
export interface InProgressNode {
  readonly node: string;
  readonly zone?: string;
  readonly why: string;
}

export interface AcquireRequest {
  readonly node: string;
  readonly owner: string;
  readonly runId: string;
  readonly proc: HolderProcess;
  /** --concurrency. Runs with different values share the smaller one. */
  readonly maxHolders: number;
  readonly ttlMs: number;
  readonly zone?: string;
  /** --max-per-zone; 0 or undefined means no limit. */
  readonly maxPerZone?: number;
}

export interface AcquireContext {
  /** Server time. */
  readonly now: number;
  readonly liveness: (p: HolderProcess) => HoldLiveness;
  /** Nodes carrying a record past `locked`, read after the Lease this decision is written over. */
  readonly inProgress: readonly InProgressNode[];
  /**
   * Dead holds whose nodes the caller fenced (their run's intent cleared), by node: only these are dropped. A
   * dead hold that could not be fenced still counts, as if it were live. Undefined: every dead hold is fenced.
   */
  readonly fenced?: ReadonlySet<string>;
}

export type AcquireVerdict =
  | {
      readonly kind: 'acquire';
      readonly record: LockRecord;
      readonly holder: LockHolder;
      /** Dead holds dropped by this write. */
      readonly dropped: readonly LockHolder[];
      readonly reason: string;
    }
  | {
      readonly kind: 'full';
      readonly reason: string;
      readonly busy: readonly string[];
      readonly dropped: readonly LockHolder[];
    };

/** Dead holds, for the caller to fence (their nodes' intents cleared) before a decision drops them. */
export function deadHolds(record: LockRecord, ctx: Pick<AcquireContext, 'now' | 'liveness'>): LockHolder[] {
  return record.holders.filter((h) => !holdState(h, ctx.now, ctx.liveness).live);
}

export function decideAcquire(record: LockRecord, req: AcquireRequest, ctx: AcquireContext): AcquireVerdict {
  // A run's own holds are never dead to itself (it is alive: it is deciding), and an unfenced hold stays.
  const dropped = deadHolds(record, ctx).filter(
    (h) => h.runId !== req.runId && (ctx.fenced === undefined || ctx.fenced.has(h.node)),
  );
  const live = record.holders.filter((h) => !dropped.includes(h));
  const here = live.find((h) => h.node === req.node);
  if (here !== undefined && here.runId !== req.runId) {
    return {
      kind: 'full',
      reason: `${req.node} is held by ${here.owner} (run ${here.runId}, pid ${here.proc.pid} on ${here.proc.host})`,
      busy: [req.node],
      dropped,
    };
  }
  // Everything in progress but this node: live holds, and records past `locked` that hold no slot.
  const busy = new Map<string, string | undefined>();
  for (const h of live) if (h.node !== req.node) busy.set(h.node, h.zone);
  for (const n of ctx.inProgress) if (n.node !== req.node && !busy.has(n.node)) busy.set(n.node, n.zone);
  const limit = live.length > 0 ? Math.min(record.maxHolders, req.maxHolders) : req.maxHolders;
  const names = (): string =>
    [...busy.keys()]
      .map((n) => {
        const h = live.find((x) => x.node === n);
        return h
          ? describeHolder(h)
          : `${n} (${ctx.inProgress.find((x) => x.node === n)?.why ?? 'in progress'})`;
      })
      .join(', ');
  const droppedNote = dropped.length > 0 ? `; dead: ${dropped.map(describeHolder).join(', ')}` : '';
  if (busy.size >= limit) {
    return {
      kind: 'full',
      reason: `lock full: ${busy.size}/${limit} in progress: ${names()}${droppedNote}`,
      busy: [...busy.keys()],
      dropped,
    };
  }
  if (req.maxPerZone !== undefined && req.maxPerZone > 0 && req.zone !== undefined) {
    const sameZone = [...busy.entries()].filter(([, z]) => z === req.zone).map(([n]) => n);
    if (sameZone.length >= req.maxPerZone) {
      return {
        kind: 'full',
        reason: `zone ${req.zone} already has ${sameZone.length}/${req.maxPerZone} in progress: ${sameZone.join(', ')}`,
        busy: sameZone,
        dropped,
      };
    }
  }
  const holder: LockHolder = {
    node: req.node,
    owner: req.owner,
    runId: req.runId,
    proc: req.proc,
    acquiredAt: here?.acquiredAt ?? ctx.now,
    renewedAt: ctx.now,
    ttlMs: req.ttlMs,
    ...(req.zone === undefined ? {} : { zone: req.zone }),
  };
  return {
    kind: 'acquire',
    record: {
      version: LOCK_RECORD_VERSION,
      maxHolders: limit,
      holders: [...live.filter((h) => h.node !== req.node), holder],
    },
    holder,
    dropped,
    reason: `slot ${busy.size + 1}/${limit}${droppedNote}`,
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

/**
 * Renews this run's hold. Lost when another run holds it, or nobody does. A hold still present is renewed even
 * if it looks expired: whoever judged it dead had to drop it from the Lease first, and that write would have won.
 */
export function renew(record: LockRecord, ref: HoldRef, now: number): HoldVerdict {
  const h = findOwnHold(record, ref);
  if (typeof h === 'string') return { kind: 'lost', reason: h };
  const next: LockHolder = { ...h, renewedAt: now };
  return {
    kind: 'ok',
    record: { ...record, holders: record.holders.map((x) => (x === h ? next : x)) },
    holder: next,
  };
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

/** Removes exactly these holds (node and run), if still there: a hold since taken by another run stays. */
export function dropHolds(
  record: LockRecord,
  refs: readonly (HoldRef & { readonly renewedAt?: number })[],
): ReleaseVerdict {
  // A hold renewed since it was judged is not the one judged: it stays.
  const hit = (h: LockHolder): boolean =>
    refs.some(
      (r) =>
        r.node === h.node &&
        r.runId === h.runId &&
        (r.renewedAt === undefined || r.renewedAt === h.renewedAt),
    );
  if (!record.holders.some(hit)) return { kind: 'not-held', reason: 'nothing to drop' };
  return { kind: 'released', record: { ...record, holders: record.holders.filter((h) => !hit(h)) } };
}
