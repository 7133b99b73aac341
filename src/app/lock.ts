// The cluster-wide lock over the LeaseStore port: slots only. Read, decide with core/lock.ts on the API
// server's clock, write back with resourceVersion compare-and-swap, and on a conflict read again and decide
// again. Before a decision drops dead holds, their nodes are fenced by the caller; the nodes in progress outside
// the Lease are read after the Lease, so the write counts what was there at the moment it wins. Plus the renew loop.
// May import: core, ports, app/util.

import type { EmitFn } from '../core/events.js';
import {
  decideAcquire,
  deadHolds,
  describeHolder,
  dropHolds,
  parseLockRecord,
  release,
  renew,
  serializeLockRecord,
  type AcquireVerdict,
  type HoldLiveness,
  type HoldRef,
  type HoldVerdict,
  type HolderProcess,
  type InProgressNode,
  type LockHolder,
  type LockRecord,
  type ReleaseVerdict,
} from '../core/lock.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseSnapshot, LeaseStore } from '../ports/lock.js';
import type { ProcessInfo } from '../ports/process.js';
import type { ServerTime } from '../ports/server-time.js';
import { errorMessage, nap } from './util.js';

export interface LeaseLockOptions {
  readonly owner: string;
  readonly runId: string;
  readonly maxHolders: number;
  readonly ttlMs: number;
  readonly maxPerZone: number;
}

export interface LeaseLockDeps {
  readonly lease: LeaseStore;
  readonly clock: Clock;
  readonly serverTime: ServerTime;
  readonly process: ProcessInfo;
  readonly emit: EmitFn;
}

export type LockRead =
  | { readonly ok: true; readonly record: LockRecord; readonly version?: string }
  | { readonly ok: false; readonly error: string };

export type AcquireOutcome = AcquireVerdict | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Called inside each attempt, after the Lease was read and before the decision is written: fence the dead
 * holds' nodes (clear an intent they left) and return every node in progress outside the Lease.
 */
export interface InProgressRead {
  readonly inProgress: readonly InProgressNode[];
  /** The dead holds whose nodes were fenced: only these may be dropped. */
  readonly fenced: ReadonlySet<string>;
  /** Set when the node being claimed is no longer ours to claim: no slot is written. */
  readonly lost?: string;
}

export type InProgressReader = (dead: readonly LockHolder[]) => Promise<InProgressRead>;

const MAX_CAS_ATTEMPTS = 20;

export class LockUnreadableError extends Error {}

export class LeaseLock {
  /** The Lease as this lock last wrote it: the next write starts from it instead of reading again. */
  private lastWritten: LeaseSnapshot | undefined;

  constructor(
    private readonly deps: LeaseLockDeps,
    readonly opts: LeaseLockOptions,
  ) {}

  /** Liveness of a holder's process; our own process is alive. */
  readonly liveness = (p: HolderProcess): HoldLiveness =>
    p.id === this.deps.process.self.id ? 'alive' : this.deps.process.liveness(p);

  get proc(): HolderProcess {
    return this.deps.process.self;
  }

  now(): number {
    return this.deps.serverTime.now();
  }

  /** The current record; an error when the Lease cannot be read or its record is not ours to trust. */
  async read(): Promise<LockRead> {
    try {
      const snap = await this.deps.lease.read();
      const parsed = parseLockRecord(snap?.record, this.opts.maxHolders);
      return parsed.ok && snap ? { ...parsed, version: snap.resourceVersion } : parsed;
    } catch (err) {
      return { ok: false, error: `cannot read the lock: ${errorMessage(err)}` };
    }
  }

  /**
   * Read-decide-write until the write wins. decide returns the record to write (or undefined to write nothing)
   * and a result. Throws LockUnreadableError when the record cannot be trusted.
   */
  private async cas<R>(
    decide: (
      record: LockRecord,
    ) => Promise<{ write?: LockRecord; result: R }> | { write?: LockRecord; result: R },
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const cached = this.lastWritten;
      this.lastWritten = undefined;
      const snap = cached ?? (await this.deps.lease.read());
      const parsed = parseLockRecord(snap?.record, this.opts.maxHolders);
      if (!parsed.ok) throw new LockUnreadableError(parsed.error);
      const { write, result } = await decide(parsed.record);
      if (write === undefined) {
        if (cached !== undefined) continue; // decide again on what the Lease holds now
        return result;
      }
      const text = serializeLockRecord(write);
      const identity = write.holders.map((h) => h.node).join(',');
      const seconds = Math.max(1, Math.ceil(Math.max(0, ...write.holders.map((h) => h.ttlMs)) / 1000));
      const res =
        snap === undefined
          ? await this.deps.lease.create(text, identity, seconds)
          : await this.deps.lease.update(text, identity, seconds, snap.resourceVersion);
      if (res.ok) {
        this.lastWritten = { record: text, resourceVersion: res.resourceVersion };
        return result;
      }
      if (cached !== undefined) continue; // our copy was stale: read afresh at once
      if (attempt + 1 >= MAX_CAS_ATTEMPTS)
        throw new Error(`lock: gave up after ${MAX_CAS_ATTEMPTS} write conflicts`);
      await nap(this.deps.clock, 20 + attempt * 20);
    }
  }

  /** Takes a slot for the node: counts live holds and `inProgress`, drops dead holds once fenced. */
  async acquire(req: { node: string; zone?: string }, inProgress: InProgressReader): Promise<AcquireOutcome> {
    try {
      const verdict = await this.cas<AcquireVerdict>(async (record) => {
        const now = this.now();
        const dead = deadHolds(record, { now, liveness: this.liveness }).filter(
          (h) => h.runId !== this.opts.runId,
        );
        const seen = await inProgress(dead);
        if (seen.lost !== undefined) {
          return { result: { kind: 'full' as const, reason: seen.lost, busy: [req.node], dropped: [] } };
        }
        const v = decideAcquire(
          record,
          {
            ...req,
            owner: this.opts.owner,
            runId: this.opts.runId,
            proc: this.proc,
            maxHolders: this.opts.maxHolders,
            ttlMs: this.opts.ttlMs,
            maxPerZone: this.opts.maxPerZone,
          },
          // The server's clock may have moved on while the nodes were read: decide at the time of reading.
          { now, liveness: this.liveness, inProgress: seen.inProgress, fenced: seen.fenced },
        );
        return v.kind === 'full' ? { result: v } : { write: v.record, result: v };
      });
      for (const p of verdict.dropped) {
        this.deps.emit({
          type: 'log',
          at: this.deps.clock.now(),
          level: 'warn',
          message: `lock: dropped the dead hold on ${describeHolder(p)}`,
          node: p.node,
        });
      }
      return verdict;
    } catch (err) {
      if (err instanceof LockUnreadableError) return { kind: 'unreadable', reason: err.message };
      throw err;
    }
  }

  private ref(node: string): { node: string; runId: string } {
    return { node, runId: this.opts.runId };
  }

  renew(node: string): Promise<HoldVerdict> {
    return this.cas<HoldVerdict>((record) => {
      const v = renew(record, this.ref(node), this.now());
      return v.kind === 'ok' ? { write: v.record, result: v } : { result: v };
    });
  }

  release(node: string): Promise<ReleaseVerdict> {
    return this.cas<ReleaseVerdict>((record) => {
      const v = release(record, this.ref(node));
      return v.kind === 'released' ? { write: v.record, result: v } : { result: v };
    });
  }

  /** Drops exactly these holds (dead ones, or of nodes that no longer exist); never one taken since. */
  drop(refs: readonly (HoldRef & { readonly renewedAt?: number })[]): Promise<ReleaseVerdict> {
    return this.cas<ReleaseVerdict>((record) => {
      const v = dropHolds(record, refs);
      return v.kind === 'released' ? { write: v.record, result: v } : { result: v };
    });
  }

  /**
   * Renews the node's hold every ttl/3 until stop aborts. Calls onLost (once) when the hold is gone or taken by
   * another run. Errors while renewing are reported and retried; the TTL gives time to recover.
   */
  async renewLoop(node: string, stop: AbortSignal, onLost: (reason: string) => void): Promise<void> {
    const every = Math.max(1_000, Math.floor(this.opts.ttlMs / 3));
    while (!stop.aborted) {
      await nap(this.deps.clock, every, stop);
      if (stop.aborted) return;
      try {
        const v = await this.renew(node);
        if (v.kind === 'lost') {
          onLost(v.reason);
          return;
        }
        this.deps.emit({
          type: 'lock',
          at: this.deps.clock.now(),
          node,
          action: 'renewed',
          holders: [describeHolder(v.holder)],
        });
      } catch (err) {
        this.deps.emit({
          type: 'log',
          at: this.deps.clock.now(),
          level: 'warn',
          node,
          message: `lock: renewing failed, will retry: ${errorMessage(err)}`,
        });
      }
    }
  }
}
