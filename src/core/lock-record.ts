// The lock record stored on the Lease (JSON, RFC3339 times): its holders, parsing that never trusts what it
// reads (an error means no reboot), and expiry. Decisions over it are in core/lock.ts.
// May import: nothing.

export const LOCK_RECORD_VERSION = 1;

export interface LockHolder {
  readonly node: string;
  /** Stable identity of whoever runs the tool (e.g. user@host); the same owner may resume its own holds. */
  readonly owner: string;
  /** The run that holds it now. */
  readonly runId: string;
  readonly acquiredAt: number;
  readonly renewedAt: number;
  /** 0 means the hold never expires: kept on purpose after a failure, until a person or a resume clears it. */
  readonly ttlMs: number;
  readonly wasUnschedulable: boolean;
  /** The boot ID before the reboot. */
  readonly bootID: string;
  readonly phase: string;
  readonly zone?: string;
  /** Where the holding run's process lives (hostname and pid), so a run of the same owner on the same host
   * can tell a live run from a dead one. Absent in holds written without it. */
  readonly host?: string;
  readonly pid?: number;
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

function parseHolder(v: unknown, i: number): LockHolder | string {
  if (!isObj(v)) return `holder ${i} is not an object`;
  const { node, owner, runId, ttlMs, wasUnschedulable, bootID, phase, zone, host, pid } = v;
  const acquiredAt = parseTime(v['acquiredAt']);
  const renewedAt = parseTime(v['renewedAt']);
  if (typeof node !== 'string' || node === '') return `holder ${i} has no node`;
  if (typeof owner !== 'string' || typeof runId !== 'string') return `holder ${node} has no owner or runId`;
  if (acquiredAt === undefined || renewedAt === undefined) return `holder ${node} has bad times`;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs < 0)
    return `holder ${node} has a bad ttlMs`;
  if (typeof wasUnschedulable !== 'boolean') return `holder ${node} has no wasUnschedulable`;
  if (typeof bootID !== 'string' || typeof phase !== 'string') return `holder ${node} has no bootID or phase`;
  if (zone !== undefined && typeof zone !== 'string') return `holder ${node} has a bad zone`;
  if (host !== undefined && typeof host !== 'string') return `holder ${node} has a bad host`;
  if (pid !== undefined && (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0))
    return `holder ${node} has a bad pid`;
  return {
    node,
    owner,
    runId,
    acquiredAt,
    renewedAt,
    ttlMs,
    wasUnschedulable,
    bootID,
    phase,
    ...(zone === undefined ? {} : { zone }),
    ...(host === undefined ? {} : { host }),
    ...(pid === undefined ? {} : { pid }),
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
    return { ok: false, error: `unknown lock record version ${String(raw['version'])}` };
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

export function isExpired(holder: LockHolder, now: number): boolean {
  return holder.ttlMs > 0 && holder.renewedAt + holder.ttlMs < now;
}

export function describeHolder(h: LockHolder): string {
  return `${h.node} (${h.owner}, ${h.phase}${h.ttlMs === 0 ? ', kept' : ''})`;
}
