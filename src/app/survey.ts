// The one start-up that run, plan and status share: list the selected nodes and every node in progress, read the
// Lease and kured's lock, judge the window on the API server's clock, sort nodes into "resume" (they carry a
// record) and the rest, and check the sentinels of the rest. `plan` can never again say "nothing to do" where
// `run` acts: both read this.
// May import: core, ports, app.

import { IN_PROGRESS_LABEL, STATE_ANNOTATION } from '../core/keys.js';
import { holdState, type InProgressNode, type LockRecord } from '../core/lock.js';
import { countsInProgress, parseNodeRecord, type ParsedNodeRecord } from '../core/machine.js';
import {
  excludedBy,
  orderNodes,
  selectCandidates,
  unsupportedBy,
  type NodeSelection,
} from '../core/order.js';
import type { NodeView, SentinelResult } from '../core/types.js';
import type { WindowState } from '../core/window.js';
import { checkForeignLock, probeNodes, type ForeignLockVerdict } from './gates.js';
import { LeaseLock } from './lock.js';
import type { RunDeps, RunOptions } from './types.js';
import { errorMessage } from './util.js';

export interface RecordedNode {
  readonly node: NodeView;
  readonly parsed: ParsedNodeRecord;
  /** A live hold works on it now (another run, or another live process): not ours to resume. */
  readonly busy?: string;
}

export interface Survey {
  /** Server time of the survey. */
  readonly at: number;
  readonly window: WindowState;
  /** Selected nodes, by name. */
  readonly nodes: readonly NodeView[];
  readonly lock:
    { readonly ok: true; readonly record: LockRecord } | { readonly ok: false; readonly error: string };
  readonly foreignLock: ForeignLockVerdict;
  /** Selected nodes that carry a record, in order. */
  readonly recorded: readonly RecordedNode[];
  /** Every node in progress (a record past `locked`), selected or not. */
  readonly inProgress: readonly InProgressNode[];
  readonly probes: ReadonlyMap<string, SentinelResult>;
  readonly candidates: readonly NodeSelection[];
  readonly others: readonly NodeSelection[];
}

export interface SurveyOptions {
  readonly nodeSelector?: string;
  readonly probeConcurrency: number;
  /** 'rest': probe the nodes without a record that are not excluded (run, plan); 'all': every node (status). */
  readonly probe: 'rest' | 'all' | 'none';
  /** Check no sentinel while the lock is unreadable or kured holds its lock: a run would start nothing anyway. */
  readonly onlyIfFree?: boolean;
  readonly order?: 'name' | 'zone-interleaved';
  readonly signal?: AbortSignal;
}

/** Nodes with a record that counts, from a list (the in-progress list, or any other). */
export function inProgressOf(nodes: readonly NodeView[]): InProgressNode[] {
  const out: InProgressNode[] = [];
  for (const n of nodes) {
    const parsed = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
    if (!countsInProgress(parsed)) continue;
    const why =
      parsed.kind === 'ok'
        ? `${parsed.record.phase} by ${parsed.record.token.owner}`
        : 'its state record is unreadable';
    out.push({ node: n.name, ...(n.zone === undefined ? {} : { zone: n.zone }), why });
  }
  return out;
}

export async function survey(deps: RunDeps, lock: LeaseLock, opts: SurveyOptions): Promise<Survey> {
  const at = deps.serverTime.now();
  const nodes = (await deps.cluster.listNodes(opts.nodeSelector)).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  // Every node in progress, whatever this run's selector: they all count against the limits.
  // (Listed on its own even without a selector: node names given on the command line narrow the list above.)
  const labelled = await deps.cluster.listNodes(IN_PROGRESS_LABEL);
  const byName = new Map<string, NodeView>();
  for (const n of [...labelled, ...nodes]) byName.set(n.name, n);
  const inProgress = inProgressOf([...byName.values()]);
  const read = await lock.read();
  const lockState = read.ok ? { ok: true as const, record: read.record } : read;
  const foreignLock = await checkForeignLock(deps);
  const liveHolds = read.ok
    ? read.record.holders.filter((h) => holdState(h, lock.now(), lock.liveness).live)
    : [];
  const recorded: RecordedNode[] = [];
  for (const node of orderNodes(nodes.filter((n) => n.annotations[STATE_ANNOTATION] !== undefined))) {
    const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
    const hold = parsed.kind === 'ok' ? liveHolds.find((h) => h.node === node.name) : undefined;
    const busy =
      hold !== undefined && hold.runId !== lock.opts.runId
        ? `in progress by ${hold.owner} (run ${hold.runId}, pid ${hold.proc.pid} on ${hold.proc.host})`
        : !read.ok
          ? `the lock is unreadable: ${read.error}`
          : undefined;
    recorded.push({ node, parsed, ...(busy === undefined ? {} : { busy }) });
  }
  const recordedNames = new Set(recorded.map((r) => r.node.name));
  const rest = nodes.filter((n) => !recordedNames.has(n.name));
  const stopped = opts.onlyIfFree === true && (!read.ok || !foreignLock.free);
  const toProbe =
    opts.probe === 'none' || stopped
      ? []
      : opts.probe === 'all'
        ? nodes.filter((n) => unsupportedBy(n) === undefined)
        : rest.filter((n) => excludedBy(n) === undefined);
  let probes: ReadonlyMap<string, SentinelResult>;
  try {
    probes = await probeNodes(deps, toProbe, opts.probeConcurrency, opts.signal);
  } catch (err) {
    probes = new Map(
      toProbe.map((n) => [n.name, { kind: 'unknown', error: errorMessage(err), source: 'probe' }]),
    );
  }
  const sel = selectCandidates(rest, probes, { order: opts.order ?? 'name' });
  return {
    at,
    window: deps.windowState(at),
    nodes,
    lock: lockState,
    foreignLock,
    recorded,
    inProgress,
    probes,
    candidates: sel.candidates,
    others: sel.others,
  };
}

/** The lock as this run sees it (plan and status use one with a run ID of their own, and never write). */
export function leaseLockFor(
  deps: RunDeps,
  opts: Pick<RunOptions, 'owner' | 'concurrency' | 'lockTtlMs' | 'maxPerZone'>,
  runId: string,
): LeaseLock {
  return new LeaseLock(deps, {
    owner: opts.owner,
    runId,
    maxHolders: opts.concurrency,
    ttlMs: opts.lockTtlMs,
    maxPerZone: opts.maxPerZone,
  });
}
