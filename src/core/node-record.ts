// The per-node state record stored as the node annotation reboot-daemon.io/state: the one source of truth for a
// node's progress and for what was there before we touched it (cordon state, boot ID). It carries a fencing
// token (the run, its process and a generation) so two runs can never both advance one node: every change is a
// compare-and-swap on the node, made only by the token's holder. Parsing never trusts what it reads: malformed
// means unreadable, and unreadable means the node is left alone.
// May import: nothing.

export const NodePhase = {
  /** Intent: this run is taking a slot for the node. Nothing on the node is changed yet. */
  Locked: 'locked',
  Cordoned: 'cordoned',
  Drained: 'drained',
  DrainFailed: 'drain-failed',
  Rebooting: 'rebooting',
  RebootTimeout: 'reboot-timeout',
  Rebooted: 'rebooted',
  ReadyTimeout: 'ready-timeout',
  Uncordoned: 'uncordoned',
  HealthTimeout: 'health-timeout',
} as const;
export type NodePhase = (typeof NodePhase)[keyof typeof NodePhase];

export const NODE_RECORD_VERSION = 2;
const PHASES = new Set<string>(Object.values(NodePhase));

/** Who may advance the record: one run of one process, at one generation (bumped by every takeover). */
export interface FenceToken {
  readonly owner: string;
  readonly runId: string;
  /** The process's random id (ports/process.ts ProcessIdentity.id). */
  readonly proc: string;
  readonly gen: number;
}

/** The process that wrote the record (as ports/process.ts ProcessIdentity): whether it is certainly gone. */
export interface RecordProcess {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly bootId?: string;
  readonly pidNs?: string;
  readonly startTime?: string;
}

/** Why this node is being rebooted: what this run saw, after taking its slot, on the boot it saw it on. */
export interface NeedEvidence {
  readonly source: string;
  readonly reason: string;
  /** Server time of the observation. */
  readonly at: number;
}

/** A workload whose pods were evicted, and how many of its pods were Ready before the drain. */
export interface WorkloadRef {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly readyBefore: number;
}

export interface NodeRecord {
  readonly version: typeof NODE_RECORD_VERSION;
  readonly token: FenceToken;
  /** The token holder's process, so an intent of a certainly dead process is taken over at once. */
  readonly process?: RecordProcess;
  readonly phase: NodePhase;
  /** Was the node cordoned before this tool cordoned it? Then this tool never uncordons it. Final once cordoned. */
  readonly wasUnschedulable: boolean;
  /** Boot ID the need was seen on: the reboot is guarded by it, and a different one proves the reboot. */
  readonly bootID: string;
  readonly need?: NeedEvidence;
  /** Server times. */
  readonly startedAt: number;
  readonly since: number;
  readonly rebootRequestedAt?: number;
  readonly newBootID?: string;
  readonly message?: string;
  readonly workloads?: readonly WorkloadRef[];
  readonly pdbs?: readonly string[];
}

export function newNodeRecord(init: {
  token: FenceToken;
  process?: RecordProcess;
  wasUnschedulable: boolean;
  bootID: string;
  now: number;
}): NodeRecord {
  return {
    version: NODE_RECORD_VERSION,
    token: init.token,
    ...(init.process === undefined ? {} : { process: init.process }),
    phase: NodePhase.Locked,
    wasUnschedulable: init.wasUnschedulable,
    bootID: init.bootID,
    startedAt: init.now,
    since: init.now,
  };
}

export function sameToken(a: FenceToken, b: FenceToken): boolean {
  return a.runId === b.runId && a.proc === b.proc && a.gen === b.gen && a.owner === b.owner;
}

export function describeToken(t: FenceToken): string {
  return `${t.owner}, run ${t.runId}, generation ${t.gen}`;
}

export type ParsedNodeRecord =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly record: NodeRecord }
  | { readonly kind: 'unreadable'; readonly error: string };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || num(v);
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';

function validWorkloads(v: unknown): boolean {
  if (v === undefined) return true;
  return (
    Array.isArray(v) &&
    v.every(
      (w) =>
        isObj(w) &&
        typeof w['namespace'] === 'string' &&
        typeof w['kind'] === 'string' &&
        typeof w['name'] === 'string' &&
        typeof w['readyBefore'] === 'number',
    )
  );
}

function validToken(v: unknown): v is FenceToken {
  return (
    isObj(v) &&
    typeof v['owner'] === 'string' &&
    typeof v['runId'] === 'string' &&
    typeof v['proc'] === 'string' &&
    Number.isSafeInteger(v['gen']) &&
    (v['gen'] as number) >= 0
  );
}

function validProcess(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObj(v) || typeof v['id'] !== 'string' || typeof v['host'] !== 'string') return false;
  if (!Number.isSafeInteger(v['pid']) || (v['pid'] as number) <= 0) return false;
  return optStr(v['bootId']) && optStr(v['pidNs']) && optStr(v['startTime']);
}

function validNeed(v: unknown): boolean {
  return (
    v === undefined ||
    (isObj(v) && typeof v['source'] === 'string' && typeof v['reason'] === 'string' && num(v['at']))
  );
}

/** Malformed means unreadable, and unreadable means the safe path: the node is left alone. */
export function parseNodeRecord(text: string | undefined): ParsedNodeRecord {
  if (text === undefined || text.trim() === '') return { kind: 'none' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', error: `not JSON: ${(err as Error).message}` };
  }
  if (!isObj(raw)) return { kind: 'unreadable', error: 'not a state record' };
  if (raw['version'] !== NODE_RECORD_VERSION) {
    return {
      kind: 'unreadable',
      error: `state record version ${String(raw['version'])} is not ${NODE_RECORD_VERSION}: written by another version of this tool`,
    };
  }
  const r = raw;
  if (typeof r['phase'] !== 'string' || !PHASES.has(r['phase'])) {
    return { kind: 'unreadable', error: `unknown phase ${String(r['phase'])}` };
  }
  const ok =
    validToken(r['token']) &&
    validProcess(r['process']) &&
    typeof r['wasUnschedulable'] === 'boolean' &&
    typeof r['bootID'] === 'string' &&
    validNeed(r['need']) &&
    num(r['startedAt']) &&
    num(r['since']) &&
    optNum(r['rebootRequestedAt']) &&
    optStr(r['newBootID']) &&
    optStr(r['message']) &&
    (r['pdbs'] === undefined ||
      (Array.isArray(r['pdbs']) && r['pdbs'].every((p) => typeof p === 'string'))) &&
    validWorkloads(r['workloads']);
  if (!ok) return { kind: 'unreadable', error: 'state record has missing or mistyped fields' };
  return { kind: 'ok', record: raw as unknown as NodeRecord };
}

export function serializeNodeRecord(record: NodeRecord): string {
  return JSON.stringify(record);
}
