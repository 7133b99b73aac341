// The per-node state record stored as the node annotation reboot-daemon.io/state: its phases, its shape,
// and parsing that never trusts what it reads (malformed means unreadable, and unreadable means the safe path).
// May import: nothing.

export const NodePhase = {
  Locked: 'locked',
  Cordoned: 'cordoned',
  Drained: 'drained',
  Rebooting: 'rebooting',
  Rebooted: 'rebooted',
  Uncordoned: 'uncordoned',
  Done: 'done',
  DrainFailed: 'drain-failed',
  RebootTimeout: 'reboot-timeout',
  ReadyTimeout: 'ready-timeout',
  HealthTimeout: 'health-timeout',
  Abandoned: 'abandoned',
} as const;
export type NodePhase = (typeof NodePhase)[keyof typeof NodePhase];

const PHASES = new Set<string>(Object.values(NodePhase));
export const FAILURE_PHASES: ReadonlySet<NodePhase> = new Set([
  NodePhase.DrainFailed,
  NodePhase.RebootTimeout,
  NodePhase.ReadyTimeout,
  NodePhase.HealthTimeout,
]);
/** Phases in which the node may have been rebooted already: never undone, never released early. */
export const POST_TRIGGER_PHASES: ReadonlySet<NodePhase> = new Set([
  NodePhase.Rebooting,
  NodePhase.RebootTimeout,
  NodePhase.Rebooted,
  NodePhase.ReadyTimeout,
]);

/** A workload whose pods were evicted, and how many of its pods were Ready before the drain. */
export interface WorkloadRef {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly readyBefore: number;
}

export interface NodeRecord {
  readonly version: 1;
  readonly runId: string;
  readonly owner: string;
  readonly phase: NodePhase;
  /** Was the node cordoned before this tool touched it? Then this tool never uncordons it. */
  readonly wasUnschedulable: boolean;
  /** Boot ID before the reboot: the reboot is guarded by it, and a different one proves the reboot. */
  readonly bootID: string;
  readonly startedAt: number;
  /** When the current phase began. */
  readonly since: number;
  readonly rebootRequestedAt?: number;
  readonly newBootID?: string;
  readonly message?: string;
  readonly workloads?: readonly WorkloadRef[];
  readonly pdbs?: readonly string[];
}

export function newNodeRecord(init: {
  runId: string;
  owner: string;
  wasUnschedulable: boolean;
  bootID: string;
  now: number;
  phase?: NodePhase;
}): NodeRecord {
  return {
    version: 1,
    runId: init.runId,
    owner: init.owner,
    phase: init.phase ?? NodePhase.Locked,
    wasUnschedulable: init.wasUnschedulable,
    bootID: init.bootID,
    startedAt: init.now,
    since: init.now,
  };
}

export type ParsedNodeRecord =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly record: NodeRecord }
  | { readonly kind: 'unreadable'; readonly error: string };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const optNum = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

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

/** Malformed means unreadable, and unreadable means the safe path: the node is left alone. */
export function parseNodeRecord(text: string | undefined): ParsedNodeRecord {
  if (text === undefined || text.trim() === '') return { kind: 'none' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', error: `not JSON: ${(err as Error).message}` };
  }
  if (!isObj(raw) || raw['version'] !== 1)
    return { kind: 'unreadable', error: 'not a version 1 state record' };
  const r = raw;
  if (typeof r['phase'] !== 'string' || !PHASES.has(r['phase'])) {
    return { kind: 'unreadable', error: `unknown phase ${String(r['phase'])}` };
  }
  const ok =
    typeof r['runId'] === 'string' &&
    typeof r['owner'] === 'string' &&
    typeof r['wasUnschedulable'] === 'boolean' &&
    typeof r['bootID'] === 'string' &&
    typeof r['startedAt'] === 'number' &&
    typeof r['since'] === 'number' &&
    optNum(r['rebootRequestedAt']) &&
    (r['newBootID'] === undefined || typeof r['newBootID'] === 'string') &&
    (r['message'] === undefined || typeof r['message'] === 'string') &&
    (r['pdbs'] === undefined ||
      (Array.isArray(r['pdbs']) && r['pdbs'].every((p) => typeof p === 'string'))) &&
    validWorkloads(r['workloads']);
  if (!ok) return { kind: 'unreadable', error: 'state record has missing or mistyped fields' };
  return { kind: 'ok', record: raw as unknown as NodeRecord };
}

export function serializeNodeRecord(record: NodeRecord): string {
  return JSON.stringify(record);
}
