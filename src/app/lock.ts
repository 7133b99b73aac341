// The cluster-wide lock over the LeaseStore port: read, decide with core/lock.ts, write back with
// resourceVersion compare-and-swap, and on a conflict read again and decide again. Plus the renew loop.
// May import: core, ports, app/util.

import type { EmitFn } from '../core/events.js';
import {
  decideAcquire,
  describeHolder,
  forceRelease,
  parseLockRecord,
  release,
  renew,
  serializeLockRecord,
  updateHolder,
  type AcquireVerdict,
  type HoldVerdict,
  type LockRecord,
  type ReleaseVerdict,
} from '../core/lock.js';
import type { Clock } from '../ports/clock.js';
import type { ProcessInfo } from '../ports/process.js';
import type { LeaseSnapshot, LeaseStore } from '../ports/lock.js';
import { errorMessage, nap } from './util.js';

export interface LeaseLockOptions {
  readonly owner: string;
  readonly runId: string;
  readonly maxHolders: number;
  readonly ttlMs: number;
  readonly maxPerZone: number;
  /** This run's process: recorded on its holds, and used to leave a live run of the same owner alone. */
  readonly self?: ProcessInfo;
}

export type LockRead =
  { readonly ok: true; readonly record: LockRecord } | { readonly ok: false; readonly error: string };

export type AcquireOutcome = AcquireVerdict | { readonly kind: 'unreadable'; readonly reason: string };

const MAX_CAS_ATTEMPTS = 20;

export class LockUnreadableError extends Error {}

export class LeaseLock {
  constructor(
    private readonly store: LeaseStore,
    private readonly clock: Clock,
    readonly opts: LeaseLockOptions,
    private readonly emit: EmitFn,
  ) {}

  /** The current record; an error when the Lease cannot be read or its record is not ours to trust. */
  async read(): Promise<LockRead> {
    try {
      const snap = await this.store.read();
      return parseLockRecord(snap?.record, this.opts.maxHolders);
    } catch (err) {
      return { ok: false, error: `cannot read the lock: ${errorMessage(err)}` };
    }
  }

  /**
   * The Lease as this lock last wrote it. The next write starts from it instead of reading again: if someone
   * else wrote in between, the compare-and-swap fails and the loop reads afresh. A decision to write nothing
   * is never taken on this copy alone.
   */
  private lastWritten: LeaseSnapshot | undefined;

  /**
   * Read-decide-write until the write wins. decide returns the record to write (or undefined to write nothing)
   * and a result. Throws LockUnreadableError when the record cannot be trusted.
   */
  private async cas<R>(decide: (record: LockRecord) => { write?: LockRecord; result: R }): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const cached = this.lastWritten;
      this.lastWritten = undefined;
      const snap = cached ?? (await this.store.read());
      const parsed = parseLockRecord(snap?.record, this.opts.maxHolders);
      if (!parsed.ok) throw new LockUnreadableError(parsed.error);
      const { write, result } = decide(parsed.record);
      if (write === undefined) {
        if (cached !== undefined) continue; // decide again on what the Lease holds now
        return result;
      }
      const text = serializeLockRecord(write);
      const identity = write.holders.map((h) => h.node).join(',');
      const seconds = Math.max(1, Math.ceil(Math.max(0, ...write.holders.map((h) => h.ttlMs)) / 1000));
      const res =
        snap === undefined
          ? await this.store.create(text, identity, seconds)
          : await this.store.update(text, identity, seconds, snap.resourceVersion);
      if (res.ok) {
        this.lastWritten = { record: text, resourceVersion: res.resourceVersion };
        return result;
      }
      if (cached !== undefined) continue; // our copy was stale: read afresh at once
      if (attempt + 1 >= MAX_CAS_ATTEMPTS)
        throw new Error(`lock: gave up after ${MAX_CAS_ATTEMPTS} write conflicts`);
      await nap(this.clock, 20 + attempt * 20);
    }
  }

  async acquire(req: {
    node: string;
    wasUnschedulable: boolean;
    bootID: string;
    zone?: string;
    phase?: string;
  }): Promise<AcquireOutcome> {
    try {
      const verdict = await this.cas<AcquireVerdict>((record) => {
        const v = decideAcquire(
          record,
          {
            ...req,
            owner: this.opts.owner,
            runId: this.opts.runId,
            maxHolders: this.opts.maxHolders,
            ttlMs: this.opts.ttlMs,
            maxPerZone: this.opts.maxPerZone,
            ...(this.opts.self
              ? {
                  process: {
                    host: this.opts.self.host,
                    pid: this.opts.self.pid,
                    isAlive: (pid: number) => this.opts.self?.isAlive(pid) ?? true,
                  },
                }
              : {}),
          },
          this.clock.now(),
        );
        return v.kind === 'full' ? { result: v } : { write: v.record, result: v };
      });
      for (const p of verdict.pruned) {
        this.emit({
          type: 'log',
          at: this.clock.now(),
          level: 'warn',
          message: `lock: the hold on ${describeHolder(p)} expired (not renewed for ${p.ttlMs} ms)`,
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

  /** Records the phase on the hold (and renews it). ttlMs 0 keeps the hold until someone clears it. */
  update(node: string, patch: { phase?: string; ttlMs?: number }): Promise<HoldVerdict> {
    return this.cas<HoldVerdict>((record) => {
      const v = updateHolder(record, this.ref(node), patch, this.clock.now());
      return v.kind === 'ok' ? { write: v.record, result: v } : { result: v };
    });
  }

  renew(node: string): Promise<HoldVerdict> {
    return this.cas<HoldVerdict>((record) => {
      const v = renew(record, this.ref(node), this.clock.now());
      return v.kind === 'ok' ? { write: v.record, result: v } : { result: v };
    });
  }

  release(node: string): Promise<ReleaseVerdict> {
    return this.cas<ReleaseVerdict>((record) => {
      const v = release(record, this.ref(node));
      return v.kind === 'released' ? { write: v.record, result: v } : { result: v };
    });
  }

  /** Clears a node's hold whoever holds it (a person's decision, e.g. after a ready-timeout was fixed). */
  forceRelease(node: string): Promise<ReleaseVerdict> {
    return this.cas<ReleaseVerdict>((record) => {
      const v = forceRelease(record, node);
      return v.kind === 'released' ? { write: v.record, result: v } : { result: v };
    });
  }

  /**
   * Renews the node's hold every ttl/3 until stop aborts. Calls onLost (once) when the hold is gone or taken by
   * another run. Errors while renewing are reported and retried; the TTL gives time to recover.
   */
  async renewLoop(node: string, stop: AbortSignal, onLost: (reason: string) => void): Promise<void> {
    if (this.opts.ttlMs <= 0) return;
    const every = Math.max(1_000, Math.floor(this.opts.ttlMs / 3));
    while (!stop.aborted) {
      await nap(this.clock, every, stop);
      if (stop.aborted) return;
      try {
        const v = await this.renew(node);
        if (v.kind === 'lost') {
          onLost(v.reason);
          return;
        }
        this.emit({
          type: 'lock',
          at: this.clock.now(),
          node,
          action: 'renewed',
          holders: [describeHolder(v.holder)],
        });
      } catch (err) {
        this.emit({
          type: 'log',
          at: this.clock.now(),
          level: 'warn',
          node,
          message: `lock: renewing failed, will retry: ${errorMessage(err)}`,
        });
      }
    }
  }
}
