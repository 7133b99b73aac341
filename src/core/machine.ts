// The per-node state machine, written once: PHASES is the one table of phase rules (may a reboot have been
// triggered, does it count against the limits, must a resume see the need again, where a resume starts, what a
// closed gate does), transition() the one set of legal moves, and resumeDecision() reads both. The record itself
// (shape, token, parsing) is in core/node-record.ts.
// May import: core/types, core/keys, core/node-record.

import { EXCLUDE_LABEL } from './keys.js';
import type { NodeView } from './types.js';
import {
  NodePhase,
  type NeedEvidence,
  type NodeRecord,
  type ParsedNodeRecord,
  type WorkloadRef,
} from './node-record.js';

export * from './node-record.js';

/** The steps of one node, in order. A resume starts at one of them, or undoes, or leaves the node to a person. */
export const STEPS = [
  /** See the need again, after taking the slot: a probe or a fresh agent report, the exclusion label, the node. */
  'check',
  'cordon',
  'drain',
  'gate',
  'trigger',
  'wait-boot',
  'wait-ready',
  'uncordon',
  'wait-healthy',
  'finish',
] as const;
export type Step = (typeof STEPS)[number];

/** Where a resume starts: a step, undo (no reboot: uncordon if ours, clear), or manual (touch nothing). */
export type ResumeStart = Step | 'undo' | 'manual' | 'cordon-if-forced';

export interface PhaseRule {
  /** A reboot may have been triggered: never undone, never started from scratch, its slot kept until done. */
  readonly triggered: boolean;
  /** Counts against --concurrency and --max-per-zone, whoever's record it is and whatever the selector. */
  readonly counts: boolean;
  /** Before the trigger, this run must see the need itself, after taking its slot (probe or fresh agent report). */
  readonly needsEvidence: boolean;
  /** Where a resume starts on the boot the record was made on, and after a new boot. */
  readonly sameBoot: ResumeStart;
  readonly newBoot: ResumeStart;
  /**
   * On the record's own boot, what a closed gate (window, blockers, kured's lock) does to it when resumed:
   * undo it (nothing rebooted yet), or leave it as recorded until the gates open (a trigger may be on its way).
   */
  readonly whenGateClosed: 'undo' | 'wait';
}

const before = (sameBoot: ResumeStart): PhaseRule => ({
  triggered: false,
  counts: true,
  needsEvidence: true,
  sameBoot,
  newBoot: 'undo',
  whenGateClosed: 'undo',
});
const after = (sameBoot: ResumeStart, newBoot: ResumeStart): PhaseRule => ({
  triggered: true,
  counts: true,
  needsEvidence: false,
  sameBoot,
  newBoot,
  whenGateClosed: 'wait',
});

/** The phase rules. A resumed node before its trigger is re-cordoned and re-drained: pods may have come since. */
export const PHASES: Readonly<Record<NodePhase, PhaseRule>> = {
  // An intent: nothing changed on the node yet, so it holds no slot and starts over, on whatever boot it is.
  [NodePhase.Locked]: { ...before('cordon'), counts: false, newBoot: 'cordon' },
  [NodePhase.Cordoned]: before('cordon'),
  [NodePhase.Drained]: before('cordon'),
  [NodePhase.DrainFailed]: before('cordon-if-forced'),
  // Triggered on the recorded boot: re-cordon, re-drain and pass the gates again before triggering again.
  [NodePhase.Rebooting]: after('cordon', 'wait-boot'),
  [NodePhase.RebootTimeout]: after('cordon', 'wait-boot'),
  [NodePhase.Rebooted]: after('manual', 'wait-ready'),
  [NodePhase.ReadyTimeout]: after('manual', 'wait-ready'),
  [NodePhase.Uncordoned]: after('manual', 'wait-healthy'),
  [NodePhase.HealthTimeout]: after('manual', 'wait-healthy'),
};

export const TRIGGERED_PHASES: ReadonlySet<NodePhase> = new Set(
  Object.values(NodePhase).filter((p) => PHASES[p].triggered),
);

/** Failure phases: a person may need to look (status shows their message). */
export const FAILURE_PHASES: ReadonlySet<NodePhase> = new Set([
  NodePhase.DrainFailed,
  NodePhase.RebootTimeout,
  NodePhase.ReadyTimeout,
  NodePhase.HealthTimeout,
]);

/** Does this record (or an unreadable one) put its node in progress, for the limits? Unknown counts. */
export function countsInProgress(parsed: ParsedNodeRecord): boolean {
  if (parsed.kind === 'none') return false;
  if (parsed.kind === 'unreadable') return true;
  return PHASES[parsed.record.phase].counts;
}

export type NodeEvent =
  | { readonly type: 'cordoned'; readonly wasUnschedulable: boolean; readonly bootID: string }
  | {
      readonly type: 'drained';
      readonly workloads?: readonly WorkloadRef[];
      readonly pdbs?: readonly string[];
    }
  | { readonly type: 'drain-failed'; readonly message: string }
  /** currentBootID: the node's boot ID seen just now; the request is refused unless it is still the recorded one. */
  | { readonly type: 'reboot-requested'; readonly currentBootID: string; readonly force?: boolean }
  | { readonly type: 'boot-seen'; readonly bootID: string }
  | { readonly type: 'reboot-timeout'; readonly message: string }
  | { readonly type: 'ready-timeout'; readonly message: string }
  | { readonly type: 'uncordoned' }
  | { readonly type: 'health-timeout'; readonly message: string };

export type Transition =
  { readonly ok: true; readonly record: NodeRecord } | { readonly ok: false; readonly error: string };

type Moves = Readonly<Partial<Record<NodePhase, NodePhase>>>;
const P = NodePhase;
/** Where each event may come from, and where it leads. A triggered phase stays put while re-cordoned and re-drained. */
const MOVES: Readonly<Record<NodeEvent['type'], Moves>> = {
  cordoned: {
    [P.Locked]: P.Cordoned,
    [P.Cordoned]: P.Cordoned,
    [P.Drained]: P.Cordoned,
    [P.DrainFailed]: P.Cordoned,
    [P.Rebooting]: P.Rebooting,
    [P.RebootTimeout]: P.RebootTimeout,
  },
  drained: {
    [P.Cordoned]: P.Drained,
    [P.Drained]: P.Drained,
    [P.Rebooting]: P.Rebooting,
    [P.RebootTimeout]: P.RebootTimeout,
  },
  'drain-failed': {
    [P.Cordoned]: P.DrainFailed,
    [P.Drained]: P.DrainFailed,
    [P.Rebooting]: P.RebootTimeout,
    [P.RebootTimeout]: P.RebootTimeout,
  },
  'reboot-requested': {
    [P.Drained]: P.Rebooting,
    [P.DrainFailed]: P.Rebooting,
    [P.Rebooting]: P.Rebooting,
    [P.RebootTimeout]: P.Rebooting,
  },
  'boot-seen': { [P.Rebooting]: P.Rebooted, [P.RebootTimeout]: P.Rebooted },
  'reboot-timeout': { [P.Rebooting]: P.RebootTimeout },
  'ready-timeout': { [P.Rebooted]: P.ReadyTimeout, [P.ReadyTimeout]: P.ReadyTimeout },
  uncordoned: { [P.Rebooted]: P.Uncordoned, [P.ReadyTimeout]: P.Uncordoned },
  'health-timeout': { [P.Uncordoned]: P.HealthTimeout, [P.HealthTimeout]: P.HealthTimeout },
};

export function transition(record: NodeRecord, event: NodeEvent, now: number): Transition {
  const to = MOVES[event.type][record.phase];
  if (to === undefined) {
    return {
      ok: false,
      error: `cannot go from ${record.phase} on ${event.type} (allowed from ${Object.keys(MOVES[event.type]).join(', ')})`,
    };
  }
  const { message: _previous, ...rest } = record;
  const base: NodeRecord = { ...rest, phase: to, since: now };
  switch (event.type) {
    case 'cordoned':
      // What was there before is taken from the node only at the first cordon; after it, it is ours to keep.
      // After that, an earlier cordon is kept only while it is still there: once anyone uncordoned the node,
      // the next cordon is ours, and ours to remove.
      return record.phase === P.Locked
        ? { ok: true, record: { ...base, wasUnschedulable: event.wasUnschedulable, bootID: event.bootID } }
        : {
            ok: true,
            record: { ...base, wasUnschedulable: record.wasUnschedulable && event.wasUnschedulable },
          };
    case 'reboot-requested':
      if (event.currentBootID !== record.bootID) {
        return {
          ok: false,
          error: `boot ID is ${event.currentBootID}, not the recorded ${record.bootID}: the reboot already happened`,
        };
      }
      if (record.phase === P.DrainFailed && !event.force) {
        return { ok: false, error: 'the drain failed; rebooting anyway needs --force-reboot' };
      }
      return { ok: true, record: { ...base, rebootRequestedAt: now } };
    case 'boot-seen':
      if (event.bootID === record.bootID) {
        return { ok: false, error: `boot ID ${event.bootID} is still the pre-reboot one` };
      }
      return { ok: true, record: { ...base, newBootID: event.bootID } };
    case 'drained':
      // Once triggered, the first drain's workloads are the baseline the health wait compares with: a re-drain
      // of a node already drained finds nothing and must not replace them.
      if (
        (PHASES[record.phase].triggered || record.phase === P.Drained) &&
        (record.workloads !== undefined || record.pdbs !== undefined)
      )
        return { ok: true, record: base };
      return {
        ok: true,
        record: {
          ...base,
          ...(event.workloads === undefined ? {} : { workloads: event.workloads }),
          ...(event.pdbs === undefined ? {} : { pdbs: event.pdbs }),
        },
      };
    case 'drain-failed':
    case 'reboot-timeout':
    case 'ready-timeout':
    case 'health-timeout':
      return { ok: true, record: { ...base, message: event.message } };
    default:
      return { ok: true, record: base };
  }
}

/** Records the need this run saw for the node (after taking its slot). */
export function withEvidence(record: NodeRecord, need: NeedEvidence): NodeRecord {
  return { ...record, need };
}

/** Uncordon only what this tool cordoned. */
export function shouldUncordon(record: Pick<NodeRecord, 'wasUnschedulable'>): {
  ok: boolean;
  reason: string;
} {
  return record.wasUnschedulable
    ? { ok: false, reason: 'the node was cordoned before this tool touched it; it stays cordoned' }
    : { ok: true, reason: 'this tool cordoned it' };
}

export interface ResumeDecision {
  readonly start: Exclude<ResumeStart, 'cordon-if-forced'>;
  readonly reason: string;
  /** The window, blockers and kured's lock must allow it before it acts; what a closed gate does. */
  readonly gate?: 'undo' | 'wait';
  /** This run must see the need again before the trigger. */
  readonly needsEvidence: boolean;
}

/** What a run does with a node: fresh (no record), or resuming a record it has taken over. */
export function resumeDecision(
  parsed: ParsedNodeRecord,
  node: Pick<NodeView, 'bootID'> & Partial<Pick<NodeView, 'ready' | 'labels'>>,
  opts: { readonly forceReboot?: boolean } = {},
): ResumeDecision {
  if (parsed.kind === 'none')
    return {
      start: 'cordon',
      reason: 'no state recorded: start from the beginning',
      gate: 'undo',
      needsEvidence: true,
    };
  if (parsed.kind === 'unreadable') {
    return {
      start: 'manual',
      reason: `state annotation unreadable (${parsed.error}); not touching the node: check it and remove the annotation`,
      needsEvidence: false,
    };
  }
  const r = parsed.record;
  const rule = PHASES[r.phase];
  const booted = node.bootID !== r.bootID;
  const bootNote = `boot ID ${node.bootID}${booted ? ` (was ${r.bootID})` : ' (unchanged)'}`;
  let start = booted ? rule.newBoot : rule.sameBoot;
  if (start === 'cordon-if-forced') start = opts.forceReboot ? 'cordon' : 'undo';
  if (rule.triggered && start === 'cordon' && node.ready !== undefined && node.ready !== 'True') {
    // Down since our trigger: the reboot is under way (a new reboot pod could not even start there).
    return {
      start: 'wait-boot',
      reason: `${r.phase}, not Ready since the earlier trigger (Ready=${node.ready}); waiting for the boot`,
      needsEvidence: false,
    };
  }
  const acts = start === 'cordon';
  if (acts && rule.needsEvidence && node.labels?.[EXCLUDE_LABEL] === 'true') {
    return {
      start: 'undo',
      reason: `${r.phase}, but opted out by the label ${EXCLUDE_LABEL}=true since: undo, no reboot`,
      needsEvidence: false,
    };
  }
  const reason =
    start === 'undo'
      ? booted
        ? `${r.phase}, but the node rebooted on its own since: ${bootNote}; undo, no reboot`
        : `${r.phase}${r.message ? ` (${r.message})` : ''}: undo the cordon, no reboot`
      : start === 'manual'
        ? `recorded as ${r.phase} but ${bootNote}: inconsistent, not touching it`
        : rule.triggered && acts
          ? `${r.phase} with ${bootNote}: re-cordon, re-drain and pass the gates before triggering again (guarded by boot ID ${r.bootID})`
          : `${r.phase}, ${bootNote}: resume at ${start}`;
  return {
    start,
    reason,
    ...(acts ? { gate: booted ? 'undo' : rule.whenGateClosed } : {}),
    needsEvidence: acts && rule.needsEvidence,
  };
}

/** The longest a reboot trigger may wait to run on the host (a slow pod start) before it does nothing. */
export const TRIGGER_GRACE_MS = 120_000;

/**
 * The deadline written into a reboot trigger (RebootGuard.notAfter), on the API server's clock: the trigger
 * follows the last look at the node (still ours, still cordoned), and must not act long after it. Within half
 * the lock's TTL too, so that it can never act after the slot it was made under could have passed to another run.
 */
export function triggerDeadline(serverNow: number, lockTtlMs: number): number {
  return serverNow + Math.min(TRIGGER_GRACE_MS, Math.floor(lockTtlMs / 2));
}
