// The steps of one node, one small function each, from where the resume decision says: check the need again,
// cordon, drain, pass the gates again, trigger (guarded by the boot ID), wait for the boot, wait for Ready,
// uncordon, wait for the workloads, finish. Each returns the next step or how the node ends. Between steps a
// stop request is honoured: before the trigger the node is restored; after it, its record stays for a resume.
// May import: core, ports, app.

import { agentReport } from '../core/agent-report.js';
import { excludedBy } from '../core/order.js';
import {
  PHASES,
  shouldUncordon,
  transition,
  triggerDeadline,
  withEvidence,
  type NeedEvidence,
  type NodeEvent,
  type Step,
} from '../core/machine.js';
import {
  KURED_IN_PROGRESS_ANNOTATION,
  KURED_MOST_RECENT_NEEDED_ANNOTATION,
  LAST_FAILURE_ANNOTATION,
} from '../core/keys.js';
import { drainNode } from './drain.js';
import { startGate } from './gates.js';
import { ConflictError, formatErrorInline, RebootCancelledError, RebootNotRunError } from '../core/errors.js';
import { IllegalMoveError, LockLostError, type NodeCtx, type NodeHandle } from './node-write.js';
import { errorMessage, iso, nap } from './util.js';
import { NodeFollower, waitForBoot, waitForHealthy, waitForReady } from './waits.js';

export interface Outcome {
  readonly outcome: 'rebooted' | 'failed' | 'pending' | 'skipped';
  readonly reason: string;
  readonly stopRun: boolean;
}

type Next = { readonly next: Step } | { readonly end: Outcome };

/** How many times a node is cordoned or drained again because someone changed it meanwhile, before a person must look. */
const MAX_REDRAINS = 4;

/** One node's steps in progress: what they share. */
export class NodeRun {
  forced = false;
  recordons = 0;
  follower: NodeFollower | undefined;
  need: NeedEvidence | undefined;

  constructor(
    readonly ctx: NodeCtx,
    readonly h: NodeHandle,
    readonly signal: AbortSignal,
    readonly resumed: boolean,
  ) {}

  get name(): string {
    return this.h.name;
  }

  now(): number {
    return this.ctx.deps.serverTime.now();
  }

  step(s: 'check' | 'cordon' | 'drain' | 'reboot' | 'back' | 'wait' | 'blocked', message?: string): void {
    this.ctx.deps.emit({
      type: 'step',
      at: this.ctx.deps.clock.now(),
      node: this.name,
      step: s,
      ...(message === undefined ? {} : { message }),
    });
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.ctx.deps.emit({ type: 'log', at: this.ctx.deps.clock.now(), level, node: this.name, message });
  }

  /** One watch of the node for all its steps: it keeps the handle's view fresh and serves the waits. */
  follow(): NodeFollower {
    return (this.follower ??= new NodeFollower(this.ctx.deps, this.name, (n) => {
      if (this.h.seen(n) && this.cordoned && !n.unschedulable) this.uncordonSeen = true;
    }));
  }

  /** Set by our cordon: from then on, a view of the node uncordoned (by anyone) means pods may have come. */
  cordoned = false;
  uncordonSeen = false;
  /** The watch's start count at our cordon: a restart since may have missed an uncordon. */
  startsAtCordon = 0;
}

// ---- endings ---------------------------------------------------------------------------------------------

/** Releases our slot; a hold already gone is said, not thrown. */
export async function releaseSlot(r: NodeRun): Promise<string> {
  try {
    const v = await r.ctx.lock.release(r.name);
    if (v.kind === 'not-held') return 'lock was no longer held';
    r.ctx.deps.emit({
      type: 'lock',
      at: r.ctx.deps.clock.now(),
      node: r.name,
      action: 'released',
      holders: [],
    });
    return 'lock released';
  } catch (err) {
    return `lock not released (${errorMessage(err)}); it expires`;
  }
}

/**
 * Undo before any trigger: uncordon only what this tool cordoned, clear the record (one write), release.
 * `notRun` is the one exception to "a triggered record is never undone": this run's own first trigger that
 * provably never ran (RebootNotRunError); its reason is kept in LAST_FAILURE_ANNOTATION for status.
 */
export async function undo(
  r: NodeRun,
  outcome: Outcome['outcome'],
  why: string,
  stopRun = false,
  notRun?: RebootNotRunError,
): Promise<Next> {
  const rec = r.h.record;
  if (PHASES[rec.phase].triggered && notRun === undefined)
    throw new IllegalMoveError(`cannot undo ${rec.phase}: a reboot may be on its way`);
  const cordonedByUs = rec.phase !== 'locked';
  const u = shouldUncordon(rec);
  const uncordon = cordonedByUs && u.ok;
  const note = notRun
    ? { annotations: { [LAST_FAILURE_ANNOTATION]: `${iso(r.now())} ${formatErrorInline(notRun)}` } }
    : {};
  await r.h.write(() => ({
    record: null,
    extra: { ...(uncordon ? { unschedulable: false } : {}), ...note },
  }));
  const what = !cordonedByUs ? 'not touched' : uncordon ? 'uncordoned' : `left cordoned (${u.reason})`;
  if (cordonedByUs) r.step('cordon', what);
  return { end: { outcome, reason: `${why}: ${what}, ${await releaseSlot(r)}`, stopRun } };
}

/** A failure after the trigger, or one a person must see: record it and stop the run. The record counts. */
export async function keep(r: NodeRun, event: NodeEvent | undefined, what: string): Promise<Next> {
  try {
    if (event !== undefined) {
      const t = transition(r.h.record, event, r.now());
      if (t.ok) await r.h.write(() => ({ record: t.record }));
    }
  } catch (err) {
    if (err instanceof LockLostError) throw err;
    r.log('error', `could not record the failure: ${errorMessage(err)}`);
  }
  const released = await releaseSlot(r);
  return {
    end: {
      outcome: 'failed',
      reason: `${what}; it stays cordoned, recorded as ${r.h.record.phase}, and counts against --concurrency (${released}); run again once it is fixed to finish it`,
      stopRun: true,
    },
  };
}

/** A stop request: before the trigger, restore the node; after it, leave the record for a resume. */
export async function stopped(r: NodeRun): Promise<Next> {
  if (r.signal.reason instanceof LockLostError) throw r.signal.reason;
  const rec = r.h.record;
  if (!PHASES[rec.phase].triggered) return undo(r, 'pending', 'stopped before the reboot', true);
  return {
    end: {
      outcome: 'pending',
      reason: `stopped at ${rec.phase}; run again to finish this node (${await releaseSlot(r)})`,
      stopRun: true,
    },
  };
}

// ---- steps -----------------------------------------------------------------------------------------------

/** The need, seen by this run after taking its slot, with the exclusion label and the node as read now. */
async function check(r: NodeRun): Promise<Next> {
  const { sentinel } = r.ctx.deps;
  r.follow();
  // An agent's report is read from the node as our intent's write (just now) or the watch shows it; else a
  // check pod.
  const seen = r.h.node;
  let result;
  try {
    result = agentReport(seen, r.now()) ?? (await sentinel.check(r.name, r.signal));
  } catch (err) {
    result = { kind: 'unknown' as const, error: errorMessage(err), source: 'probe' as const };
  }
  r.ctx.deps.emit({ type: 'probe', at: r.ctx.deps.clock.now(), node: r.name, result });
  if (r.signal.aborted) return stopped(r);
  // The node after the check: the watch's latest view of it with our record, or read again.
  const node = r.h.viewed ? r.h.node : await r.h.refresh();
  const excluded = excludedBy(node);
  if (excluded !== undefined) return undo(r, 'skipped', excluded);
  if (r.h.record.phase !== 'locked' && node.bootID !== r.h.record.bootID)
    return undo(r, 'skipped', `rebooted on its own since it was recorded (boot ID ${node.bootID})`);
  if (result.kind === 'not-required') return undo(r, 'skipped', 'no reboot required any more');
  if (result.kind === 'unknown')
    return undo(
      r,
      'skipped',
      `could not check it again after taking the lock (${result.error}); not rebooting`,
    );
  r.need = { source: result.source, reason: result.reason, at: r.now() };
  r.step('check', `reboot required: ${result.reason}`);
  return { next: 'cordon' };
}

async function cordon(r: NodeRun): Promise<Next> {
  const first = r.h.record.phase === 'locked';
  const marks = first ? startMarks(r) : { annotations: {}, labels: {} };
  try {
    await r.h.write((node, record) => {
      // Back here after a trigger that withdrew, or raced with its withdrawal: if the node rebooted after
      // all, that is the reboot we asked for.
      if (PHASES[record.phase].triggered && node.bootID !== record.bootID) throw new Booted();
      const evident = r.need ? withEvidence(record, r.need) : record;
      const next = transition(
        evident,
        { type: 'cordoned', wasUnschedulable: node.unschedulable, bootID: node.bootID },
        r.now(),
      );
      if (!next.ok) throw new IllegalMoveError(next.error);
      return { record: next.record, extra: { unschedulable: true, ...marks } };
    });
  } catch (err) {
    if (err instanceof Booted) return { next: 'wait-boot' };
    throw err;
  }
  r.step('cordon', r.h.record.wasUnschedulable ? 'already cordoned' : 'cordoned');
  r.cordoned = true;
  r.uncordonSeen = false;
  r.startsAtCordon = r.follow().starts;
  return { next: 'drain' };
}

function startMarks(r: NodeRun): {
  annotations: Record<string, string | null>;
  labels: Record<string, string>;
} {
  const now = iso(r.now());
  // A new attempt: an earlier one's failure note is no longer the news.
  const cleared: Record<string, null> =
    r.h.node.annotations[LAST_FAILURE_ANNOTATION] === undefined ? {} : { [LAST_FAILURE_ANNOTATION]: null };
  return {
    annotations: r.ctx.opts.annotateNodes
      ? { [KURED_IN_PROGRESS_ANNOTATION]: now, [KURED_MOST_RECENT_NEEDED_ANNOTATION]: now, ...cleared }
      : cleared,
    labels: { ...r.ctx.opts.preRebootNodeLabels },
  };
}

async function drain(r: NodeRun): Promise<Next> {
  r.step('drain');
  const d = await drainNode(
    { ...r.ctx.deps, daemonSets: r.ctx.daemonSets },
    r.name,
    r.ctx.opts.drain,
    r.signal,
  );
  if (d.ok) {
    await r.h.advance(() => ({ type: 'drained', workloads: d.workloads, pdbs: d.pdbs }));
    return { next: 'gate' };
  }
  if (d.aborted) return stopped(r);
  const triggered = PHASES[r.h.record.phase].triggered;
  await r.h.advance(() => ({ type: 'drain-failed', message: d.message }));
  if (r.ctx.opts.forceReboot) {
    r.log('warn', `drain failed: ${d.message}; --force-reboot: rebooting anyway`);
    r.forced = true;
    return { next: 'gate' };
  }
  if (triggered) return keep(r, undefined, `drain failed again: ${d.message}`);
  const n = await undo(r, 'failed', `drain failed: ${d.message}`, true);
  return 'end' in n ? { end: { ...n.end, reason: `${n.end.reason}; stopping the run` } } : n;
}

/** The gates again, just before the trigger (a drain can take long), and the node still cordoned as we left it. */
async function gate(r: NodeRun): Promise<Next> {
  const closed = await startGate(r.ctx.deps, r.name, r.signal, r.h.node);
  if (r.signal.aborted) return stopped(r);
  if (closed !== undefined) {
    if (!PHASES[r.h.record.phase].triggered) return undo(r, 'pending', `not rebooted: ${closed.reason}`);
    return {
      end: {
        outcome: 'pending',
        reason: `${closed.reason}; left as recorded (${r.h.record.phase}) until the gates open (${await releaseSlot(r)})`,
        stopRun: false,
      },
    };
  }
  // The node as our 'drained' write left it; the trigger's compare-and-swap catches any change since.
  if (!r.h.node.unschedulable) return recordon(r);
  // Uncordoned and cordoned again while it drained (or the watch was down and might have missed it): pods may
  // have come. Drain again before the trigger.
  const missed = r.follower !== undefined && r.follower.starts !== r.startsAtCordon;
  if (r.uncordonSeen || missed) {
    const why = r.uncordonSeen ? 'uncordoned by someone else' : 'the node watch was interrupted';
    r.uncordonSeen = false;
    r.startsAtCordon = r.follower?.starts ?? 0;
    return goBack(r, 'drain', {
      log: `${why} during the drain: draining again`,
      kept: 'uncordoned by someone else during the drain, again and again',
    });
  }
  return { next: 'trigger' };
}

/**
 * The node may hold pods again (uncordoned by someone, changed, a trigger that withdrew): back to the cordon
 * or the drain, with the record as it is. A bounded number of times in all; then it is kept for a person.
 */
function goBack(
  r: NodeRun,
  next: 'cordon' | 'drain',
  why: { readonly log: string; readonly kept: string; readonly level?: 'info' | 'warn' },
): Promise<Next> | Next {
  if (++r.recordons > MAX_REDRAINS) return keep(r, undefined, why.kept);
  r.log(why.level ?? 'warn', why.log);
  return { next };
}

/** Someone uncordoned it while it drained: pods may have come. */
const recordon = (r: NodeRun): Promise<Next> | Next =>
  goBack(r, 'cordon', {
    log: 'uncordoned by someone else during the drain: cordoning and draining again',
    kept: 'uncordoned by someone else during the drain, again and again',
  });

class Uncordoned extends Error {}
class Booted extends Error {}

async function trigger(r: NodeRun): Promise<Next> {
  const { deps, opts } = r.ctx;
  const triggeredBefore = PHASES[r.h.record.phase].triggered;
  // The trigger's record is a compare-and-swap on the node as last seen: still ours, still cordoned, same
  // boot. It is not retried on a conflict: whatever changed the node since (an uncordon and a cordon again,
  // say) may have let pods in, so the node is drained again first.
  try {
    await r.h.write((node, record) => {
      if (!node.unschedulable) throw new Uncordoned();
      const t = transition(
        record,
        { type: 'reboot-requested', currentBootID: node.bootID, force: r.forced || opts.forceReboot },
        r.now(),
      );
      if (!t.ok) throw new IllegalMoveError(t.error);
      return { record: t.record };
    }, 1);
  } catch (err) {
    if (err instanceof Uncordoned) return recordon(r);
    if (!(err instanceof ConflictError)) throw err;
    const node = await r.h.refresh();
    if (!node.unschedulable) return recordon(r);
    return goBack(r, 'drain', {
      level: 'info',
      log: 'the node changed just before the trigger: draining again before it',
      kept: 'the node kept changing just before the trigger',
    });
  }
  // Uncordoned by someone since our cordon, as the watch shows it, up to this instant: pods may be on their way.
  // Cordon and drain again (the record stays triggered) rather than reboot with them on it.
  if (r.uncordonSeen || !r.h.node.unschedulable)
    return goBack(r, 'cordon', {
      log: 'uncordoned by someone else just before the reboot: cordoning and draining again first',
      kept: 'uncordoned by someone else just before the reboot, again and again',
    });
  r.step('reboot', `rebooting (boot ID ${r.h.record.bootID})`);
  try {
    const guard = { bootID: r.h.record.bootID, notAfter: triggerDeadline(r.now(), opts.lockTtlMs) };
    await deps.rebooter.reboot(r.name, guard, r.signal);
  } catch (err) {
    if (r.signal.aborted) return stopped(r);
    await deps.rebooter.cleanup(r.name).catch(() => undefined);
    // The trigger could not run (a program is missing): nothing rebooted. When this was the record's first
    // trigger, undo it, so the node holds no slot and no record that counts; the same cause would fail every
    // node, so the run stops. After an earlier trigger that may have run, the record is kept as usual.
    if (err instanceof RebootNotRunError && !triggeredBefore)
      return undo(r, 'failed', formatErrorInline(err), true, err);
    // Nothing rebooted, and the node may hold pods again: cordon and drain again (the record stays triggered).
    if (err instanceof RebootCancelledError)
      return goBack(r, 'cordon', {
        log: `the reboot trigger withdrew (${err.message}): cordoning and draining again first`,
        kept: `the reboot trigger withdrew again and again: ${err.message}`,
      });
    return keep(
      r,
      { type: 'reboot-timeout', message: errorMessage(err) },
      `reboot trigger failed: ${errorMessage(err)}`,
    );
  }
  deps.emit({
    type: 'reboot-progress',
    at: deps.clock.now(),
    node: r.name,
    stage: 'triggered',
    elapsedMs: 0,
  });
  return { next: 'wait-boot' };
}

async function waitBoot(r: NodeRun): Promise<Next> {
  const { deps, opts } = r.ctx;
  const since = deps.clock.now();
  const w = await waitForBoot(
    deps,
    r.name,
    r.h.record.bootID,
    opts.rebootTimeoutMs,
    r.signal,
    () =>
      deps.emit({
        type: 'reboot-progress',
        at: deps.clock.now(),
        node: r.name,
        stage: 'down',
        elapsedMs: deps.clock.now() - since,
      }),
    r.follow(),
  );
  if (!w.ok) {
    if (w.aborted) return stopped(r);
    await deps.rebooter.cleanup(r.name).catch(() => undefined);
    return keep(r, { type: 'reboot-timeout', message: w.reason }, `did not reboot: ${w.reason}`);
  }
  await deps.rebooter
    .cleanup(r.name)
    .catch((err: unknown) => r.log('warn', `helper pod cleanup failed: ${errorMessage(err)}`));
  r.h.seen(w.node);
  await r.h.write((node, record) => {
    const t = transition(
      record,
      { type: 'boot-seen', bootID: node.bootID === record.bootID ? w.node.bootID : node.bootID },
      r.now(),
    );
    if (!t.ok) throw new IllegalMoveError(t.error);
    return { record: t.record };
  });
  deps.emit({
    type: 'reboot-progress',
    at: deps.clock.now(),
    node: r.name,
    stage: 'up',
    elapsedMs: deps.clock.now() - since,
  });
  r.step('back', `new boot ID ${r.h.record.newBootID ?? w.node.bootID}; waiting for a stable Ready`);
  return { next: 'wait-ready' };
}

async function waitReady(r: NodeRun): Promise<Next> {
  const { deps, opts } = r.ctx;
  const w = await waitForReady(
    deps,
    r.name,
    r.h.record.bootID,
    opts.readyStableMs,
    opts.readyTimeoutMs,
    r.signal,
    r.follow(),
  );
  if (!w.ok) {
    if (w.aborted) return stopped(r);
    return keep(r, { type: 'ready-timeout', message: w.reason }, `rebooted but ${w.reason}`);
  }
  r.h.seen(w.node);
  deps.emit({ type: 'reboot-progress', at: deps.clock.now(), node: r.name, stage: 'ready', elapsedMs: 0 });
  return { next: 'uncordon' };
}

async function uncordon(r: NodeRun): Promise<Next> {
  const u = shouldUncordon(r.h.record);
  await r.h.advance(
    () => ({ type: 'uncordoned' }),
    () => ({ ...(u.ok ? { unschedulable: false } : {}), labels: { ...r.ctx.opts.postRebootNodeLabels } }),
  );
  r.step('back', u.ok ? 'uncordoned' : `left cordoned: ${u.reason}`);
  return { next: 'wait-healthy' };
}

async function waitHealthy(r: NodeRun): Promise<Next> {
  const { deps, opts } = r.ctx;
  const { workloads = [], pdbs = [] } = r.h.record;
  if (workloads.length > 0 || pdbs.length > 0) {
    let last = '';
    const h = await waitForHealthy(
      deps,
      workloads,
      pdbs,
      opts.healthTimeoutMs,
      opts.healthPollMs,
      r.signal,
      (p) => {
        const text = p.join('; ');
        if (text !== last) r.step('wait', `waiting for the cluster to be healthy: ${(last = text)}`);
      },
    );
    if (!h.ok) {
      if (h.aborted) return stopped(r);
      return keep(r, { type: 'health-timeout', message: h.reason }, `cluster ${h.reason}`);
    }
  }
  return { next: 'finish' };
}

async function finish(r: NodeRun): Promise<Next> {
  const { opts, deps } = r.ctx;
  if (r.resumed === false && opts.lockReleaseDelayMs > 0) {
    r.log('info', `waiting ${Math.round(opts.lockReleaseDelayMs / 1000)}s before releasing the lock`);
    await nap(deps.clock, opts.lockReleaseDelayMs, opts.signal);
  }
  const newBoot = r.h.record.newBootID ?? '?';
  await r.h.write(() => ({ record: null }));
  const released = await releaseSlot(r);
  return {
    end: {
      outcome: 'rebooted',
      reason: `${r.resumed ? 'resumed and finished; ' : ''}new boot ID ${newBoot}; ${released}`,
      stopRun: false,
    },
  };
}

const RUN: Readonly<Record<Step, (r: NodeRun) => Promise<Next>>> = {
  check,
  cordon,
  drain,
  gate,
  trigger,
  'wait-boot': waitBoot,
  'wait-ready': waitReady,
  uncordon,
  'wait-healthy': waitHealthy,
  finish,
};

/** Runs the steps from `start` until one ends the node. */
export async function runSteps(r: NodeRun, start: Step): Promise<Outcome> {
  let s: Step = start;
  try {
    for (;;) {
      if (r.signal.aborted && s !== 'finish') {
        const n = await stopped(r);
        if ('end' in n) return n.end;
      }
      const n = await RUN[s](r);
      if ('end' in n) return n.end;
      s = n.next;
    }
  } finally {
    r.follower?.close();
  }
}
