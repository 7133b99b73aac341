// The node-record invariants, judged on every change of a node in the simulator's store (not from what the CLI
// says): the record and its in-progress label travel together; a node cordoned by us always carries its record;
// a record changes hands only with a higher generation; what was there before (cordon state, boot ID) is final
// once cordoned; a record past the trigger never goes back before it, and is cleared only once the node is
// back and uncordoned; never more than --concurrency nodes in progress (a record past `locked`) at once.
// The record is read here on its own terms (version 2, the fields these checks need), not with the tool's parser.
// May import: src/sim (types), soak/checks (types).

import type { KObject } from '../src/sim/types.js';
import type { Violation } from './checks.js';

export const STATE_KEY = 'reboot-daemon.io/state';
export const IN_PROGRESS_KEY = 'reboot-daemon.io/in-progress';

/** The phases of a record written once a reboot may have been triggered. */
export const TRIGGERED_PHASES: ReadonlySet<string> = new Set([
  'rebooting',
  'reboot-timeout',
  'rebooted',
  'ready-timeout',
  'uncordoned',
  'health-timeout',
]);
const PHASES: ReadonlySet<string> = new Set([
  'locked',
  'cordoned',
  'drained',
  'drain-failed',
  ...TRIGGERED_PHASES,
]);
/** A triggered record may be cleared from these phases only: the node is back, Ready and uncordoned. */
const DONE_PHASES: ReadonlySet<string> = new Set(['uncordoned', 'health-timeout']);

/** What the checks read from a node's record. */
export interface RecordView {
  readonly phase: string;
  readonly owner: string;
  readonly runId: string;
  readonly proc: string;
  readonly gen: number;
  readonly wasUnschedulable: boolean;
  readonly bootID: string;
  readonly newBootID?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record as the checks read it, or why it cannot be read. */
export function readRecord(text: string): RecordView | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (!isObj(raw)) return `not an object: ${text.slice(0, 200)}`;
  if (raw['version'] !== 2) return `version ${String(raw['version'])}, not 2`;
  const { phase, token, wasUnschedulable, bootID, newBootID } = raw;
  if (typeof phase !== 'string' || !PHASES.has(phase)) return `unknown phase ${String(phase)}`;
  if (
    !isObj(token) ||
    typeof token['owner'] !== 'string' ||
    typeof token['runId'] !== 'string' ||
    typeof token['proc'] !== 'string' ||
    !Number.isSafeInteger(token['gen']) ||
    (token['gen'] as number) < 0
  )
    return `bad token: ${JSON.stringify(token)}`;
  if (typeof wasUnschedulable !== 'boolean' || typeof bootID !== 'string')
    return `bad wasUnschedulable or bootID: ${text.slice(0, 200)}`;
  if (newBootID !== undefined && typeof newBootID !== 'string') return `bad newBootID: ${String(newBootID)}`;
  return {
    phase,
    owner: token['owner'],
    runId: token['runId'],
    proc: token['proc'],
    gen: token['gen'] as number,
    wasUnschedulable,
    bootID,
    ...(newBootID === undefined ? {} : { newBootID }),
  };
}

const sameToken = (a: RecordView, b: RecordView): boolean =>
  a.owner === b.owner && a.runId === b.runId && a.proc === b.proc && a.gen === b.gen;

const who = (r: RecordView): string => `${r.owner} run ${r.runId} proc ${r.proc} gen ${r.gen}`;

/** Watches every node change; see the file's opening comment for what it checks. */
export class RecordWatch {
  /** The last readable record seen on each node (absent: none). */
  private readonly last = new Map<string, RecordView>();
  /** Nodes in progress: a record past `locked`, or one that cannot be read. */
  private readonly inProgress = new Set<string>();
  readonly violations: Violation[] = [];
  maxInProgress = 0;

  constructor(
    private readonly concurrency: number,
    private readonly admin: ReadonlySet<string>,
    /** The time of a change, for the details (the simulator's clock). */
    private readonly now: () => number,
  ) {}

  private flag(invariant: string, node: string, detail: string): void {
    this.violations.push({
      invariant,
      detail: `${node} at sim time ${new Date(this.now()).toISOString()}: ${detail}`,
    });
  }

  observe(node: KObject): void {
    const name = node.metadata.name;
    const text = node.metadata.annotations?.[STATE_KEY];
    const label = node.metadata.labels?.[IN_PROGRESS_KEY];
    if ((text !== undefined) !== (label === 'true'))
      this.flag(
        'the in-progress label travels with the record',
        name,
        `${STATE_KEY} ${text === undefined ? 'absent' : 'present'}, ${IN_PROGRESS_KEY}=${String(label)}`,
      );
    const cordoned = node.spec?.unschedulable === true;
    if (cordoned && text === undefined && !this.admin.has(name))
      this.flag('a node cordoned by us carries its record', name, 'cordoned, and no record on it');
    const prev = this.last.get(name);
    const cur = text === undefined ? undefined : readRecord(text);
    if (typeof cur === 'string') {
      this.flag('every record on a node is readable', name, cur);
      this.last.delete(name);
      this.inProgress.add(name);
    } else if (cur === undefined) {
      if (prev !== undefined && TRIGGERED_PHASES.has(prev.phase) && !DONE_PHASES.has(prev.phase))
        this.flag(
          'a triggered record is cleared only once the node is back and uncordoned',
          name,
          `cleared at ${prev.phase} (${who(prev)})`,
        );
      this.last.delete(name);
      this.inProgress.delete(name);
    } else {
      if (prev !== undefined) this.compare(name, prev, cur);
      this.last.set(name, cur);
      if (cur.phase === 'locked') this.inProgress.delete(name);
      else this.inProgress.add(name);
    }
    this.maxInProgress = Math.max(this.maxInProgress, this.inProgress.size);
    if (this.inProgress.size > this.concurrency)
      this.flag(
        `at most ${this.concurrency} nodes in progress (a record past locked) at once`,
        name,
        `${this.inProgress.size} in progress: ${[...this.inProgress].sort().join(', ')}`,
      );
  }

  /** One record replaced by the next on the same node, with no clear between. */
  private compare(name: string, prev: RecordView, cur: RecordView): void {
    if (!sameToken(prev, cur) && cur.gen <= prev.gen)
      this.flag(
        'a record changes hands only with a higher generation',
        name,
        `${who(prev)} then ${who(cur)}`,
      );
    if (prev.phase !== 'locked' && cur.wasUnschedulable !== prev.wasUnschedulable)
      this.flag(
        'what was there before is final once cordoned',
        name,
        `wasUnschedulable ${prev.wasUnschedulable} then ${cur.wasUnschedulable} (${prev.phase} to ${cur.phase})`,
      );
    if (prev.phase !== 'locked' && cur.bootID !== prev.bootID)
      this.flag(
        'what was there before is final once cordoned',
        name,
        `bootID ${prev.bootID} then ${cur.bootID} (${prev.phase} to ${cur.phase})`,
      );
    if (TRIGGERED_PHASES.has(prev.phase) && !TRIGGERED_PHASES.has(cur.phase))
      this.flag(
        'a record past the trigger never goes back before it',
        name,
        `${prev.phase} (${who(prev)}) then ${cur.phase} (${who(cur)})`,
      );
  }
}
