// The lock record stored on the Lease (JSON, RFC3339 times): slots and nothing more. Each holder says which node
// holds a slot, for which run and process, and until when (server time). A node's progress and what was there
// before live on the node (core/node-record.ts); nothing is ever rebuilt from a hold. Parsing never trusts what
// it reads: an error means no reboot. Decisions over it are in core/lock.ts.
// May import: core/node-record (types only).

import type { RecordProcess } from './node-record.js';

export const LOCK_RECORD_VERSION = 2;

/** The process that holds a slot: the same shape a node record names its writer with (one type for both). */
export type HolderProcess = RecordProcess;

export interface LockHolder {
  readonly node: string;
  /** Who runs the tool (e.g. user@host), for people reading the record. */
  readonly owner: string;
  /** The run that holds it now. */
  readonly runId: string;
  readonly proc: HolderProcess;
  /** Server times (epoch ms). */
  readonly acquiredAt: number;
  readonly renewedAt: number;
  /** A holder not renewed for this long, on the API server's clock, is dead. */
  readonly ttlMs: number;
  readonly zone?: string;
}

export interface LockRecord {
  readonly version: typeof LOCK_RECORD_VERSION;
  readonly maxHolders: number;
  readonly holders: readonly LockHolder[];
}

export type ParsedLock =
  { readonly ok: true; readonly record: LockRecord } | { readonly ok: false; readonly error: string };

export function emptyLockRecord(maxHolders: number): LockRecord {
  return { version: LOCK_RECORD_VERSION, maxHolders, holders: [] };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

function parseProc(v: unknown): HolderProcess | undefined {
  if (!isObj(v)) return undefined;
  const { id, host, pid, bootId, pidNs, startTime } = v;
  if (typeof id !== 'string' || id === '' || typeof host !== 'string') return undefined;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  for (const o of [bootId, pidNs, startTime]) if (o !== undefined && typeof o !== 'string') return undefined;
  return {
    id,
    host,
    pid,
    ...(typeof bootId === 'string' ? { bootId } : {}),
    ...(typeof pidNs === 'string' ? { pidNs } : {}),
    ...(typeof startTime === 'string' ? { startTime } : {}),
  };
}

function parseHolder(v: unknown, i: number): LockHolder | string {
  if (!isObj(v)) return `holder ${i} is not an object`;
  const { node, owner, runId, ttlMs, zone } = v;
  const acquiredAt = parseTime(v['acquiredAt']);
  const renewedAt = parseTime(v['renewedAt']);
  if (typeof node !== 'string' || node === '') return `holder ${i} has no node`;
  if (typeof owner !== 'string' || typeof runId !== 'string') return `holder ${node} has no owner or runId`;
  if (acquiredAt === undefined || renewedAt === undefined) return `holder ${node} has bad times`;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    return `holder ${node} has a bad ttlMs`;
  if (zone !== undefined && typeof zone !== 'string') return `holder ${node} has a bad zone`;
  const proc = parseProc(v['proc']);
  if (proc === undefined) return `holder ${node} has no readable process`;
  return {
    node,
    owner,
    runId,
    proc,
    acquiredAt,
    renewedAt,
    ttlMs,
    ...(zone === undefined ? {} : { zone }),
  };
}

/** Never trusts what it reads: anything but a well-formed record is an error, and an error means no reboot. */
export function parseLockRecord(text: string | undefined, defaultMaxHolders = 1): ParsedLock {
  if (text === undefined || text.trim() === '')
    return { ok: true, record: emptyLockRecord(defaultMaxHolders) };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `lock record is not JSON: ${(err as Error).message}` };
  }
  if (!isObj(raw)) return { ok: false, error: 'lock record is not an object' };
  if (raw['version'] !== LOCK_RECORD_VERSION)
    return {
      ok: false,
      error: `lock record version ${String(raw['version'])} is not ${LOCK_RECORD_VERSION}: written by another version of this tool`,
    };
  const max = raw['maxHolders'];
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1)
    return { ok: false, error: 'lock record has a bad maxHolders' };
  if (!Array.isArray(raw['holders'])) return { ok: false, error: 'lock record has no holders list' };
  const holders: LockHolder[] = [];
  for (const [i, h] of raw['holders'].entries()) {
    const parsed = parseHolder(h, i);
    if (typeof parsed === 'string') return { ok: false, error: `lock record: ${parsed}` };
    if (holders.some((x) => x.node === parsed.node))
      return { ok: false, error: `lock record holds ${parsed.node} twice` };
    holders.push(parsed);
  }
  return { ok: true, record: { version: LOCK_RECORD_VERSION, maxHolders: max, holders } };
}

export function serializeLockRecord(record: LockRecord): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return JSON.stringify({
    version: record.version,
    maxHolders: record.maxHolders,
    holders: record.holders.map((h) => ({
      ...h,
      acquiredAt: iso(h.acquiredAt),
      renewedAt: iso(h.renewedAt),
    })),
  });
}

/**
 * Two runners estimate the server's clock each from their own responses (1 s resolution, plus a round trip):
 * a hold counts as expired only this much after its TTL, so their estimates never disagree on a live hold.
 */
export const EXPIRY_MARGIN_MS = 5_000;

/** Expired on the API server's clock: `now` is server time, and so is renewedAt. */
export function isExpired(holder: Pick<LockHolder, 'renewedAt' | 'ttlMs'>, now: number): boolean {
  return holder.renewedAt + holder.ttlMs + EXPIRY_MARGIN_MS < now;
}

export function describeHolder(h: LockHolder): string {
  return `${h.node} (${h.owner}, run ${h.runId})`;
}
