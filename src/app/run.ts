// runOnce(): the whole process once. The shared start-up (app/survey.ts) lists the nodes, the records, the Lease
// and kured's lock and checks the sentinels; then nodes with an orphaned record are resumed and the candidates
// taken in order, N at a time and at most M per zone, each behind the window and blocker gates; the first
// failure stops the run. Returns the exit code and what happened; emits events and never prints.
// May import: core, ports, app.

import { randomUUID } from 'node:crypto';
import { ExitCode, formatErrorInline, RebootDaemonError } from '../core/errors.js';
import { describeHolder, holdState, type LockHolder } from '../core/lock.js';
import { fenceDeadHold } from './claim.js';
import { pickNext } from '../core/order.js';
import { parseSelector } from '../core/selector.js';
import type { NodeView } from '../core/types.js';
import { startGate } from './gates.js';
import { DaemonSetLookup } from './drain-facts.js';
import type { NodeCtx } from './node-write.js';
import { planRun } from './plan.js';
import { rebootNode, type NodeOutcome, type NodeWork } from './reboot-node.js';
import { early, summarize } from './result.js';
import { leaseLockFor, survey } from './survey.js';
import type { RunDeps, RunOptions, RunResult } from './types.js';
import { errorMessage } from './util.js';

/** A local clock this far from the API server's is reported: times are taken from the server, never from it. */
export const SKEW_WARNING_MS = 30_000;

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

export async function runOnce(deps: RunDeps, options: RunOptions): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const opts: RunOptions = { ...options, runId };
  deps.emit({ type: 'run-start', at: deps.clock.now(), runId, dryRun: opts.dryRun });
  let result: RunResult;
  try {
    validateSelectors(opts);
    result = opts.dryRun ? (await planRun(deps, opts)).result : await realRun(deps, opts, runId);
  } catch (err) {
    const exitCode = err instanceof RebootDaemonError ? err.exitCode : ExitCode.NodeFailed;
    result = { exitCode, rebooted: [], failed: [], pending: [], unknown: [], reason: formatErrorInline(err) };
  }
  deps.emit({ type: 'run-end', at: deps.clock.now(), ...result });
  return result;
}

/** Selectors are checked before anything is read or written: bad input exits 2. */
export function validateSelectors(opts: Pick<RunOptions, 'nodeSelector' | 'drain'>): void {
  if (opts.nodeSelector !== undefined) parseSelector(opts.nodeSelector, '--node-selector');
  if (opts.drain.podSelector !== undefined) parseSelector(opts.drain.podSelector, '--drain-pod-selector');
}

/**
 * Drops the holds that hold nothing any more: of nodes that no longer exist (kured's "lock held by a deleted
 * node"), and of dead runs, once their node is fenced. A record such a run left still counts on its node.
 */
async function sweepHolds(
  ctx: NodeCtx,
  holders: readonly LockHolder[],
  known: ReadonlyMap<string, NodeView>,
): Promise<void> {
  const { emit, clock } = ctx.deps;
  const now = ctx.lock.now();
  const drop = new Map<string, { node: string; runId: string; renewedAt?: number }>();
  for (const h of holders) {
    const state = holdState(h, now, ctx.lock.liveness);
    if (state.live || h.runId === ctx.runId) continue;
    try {
      // Read afresh: the survey's view of the node may be older than the intent the dead hold's run wrote.
      const f = await fenceDeadHold(ctx, h);
      if (!f.fenced) continue; // its intent could not be cleared: the hold stays, and counts
      // Dropped only if unchanged when the drop is written: a hold renewed since stays.
      drop.set(h.node, { node: h.node, runId: h.runId, renewedAt: h.renewedAt });
      emit({
        type: 'log',
        at: clock.now(),
        level: 'warn',
        node: h.node,
        message: `dropping the hold of ${describeHolder(h)}: ${f.node === undefined ? 'the node no longer exists' : state.why}`,
      });
    } catch (err) {
      emit({
        type: 'log',
        at: clock.now(),
        level: 'warn',
        node: h.node,
        message: `could not fence ${h.node}: ${errorMessage(err)}`,
      });
    }
  }
  for (const h of holders) {
    if (drop.has(h.node) || !holdState(h, now, ctx.lock.liveness).live || known.has(h.node)) continue;
    try {
      await ctx.deps.cluster.getNode(h.node);
    } catch (err) {
      const e = err as { code?: unknown; statusCode?: unknown };
      if (e.code !== 404 && e.statusCode !== 404) continue;
      drop.set(h.node, { node: h.node, runId: h.runId });
      emit({
        type: 'log',
        at: clock.now(),
        level: 'warn',
        node: h.node,
        message: `dropping ${describeHolder(h)}: the node no longer exists`,
      });
    }
  }
  if (drop.size > 0) await ctx.lock.drop([...drop.values()]);
}

/** Says so when the local clock is far from the API server's (nothing is decided on the local clock). */
export function reportSkew(deps: RunDeps): void {
  const skew = deps.serverTime.skewMs();
  if (skew === undefined || Math.abs(skew) < SKEW_WARNING_MS) return;
  const how = skew > 0 ? 'ahead of' : 'behind';
  deps.emit({
    type: 'log',
    at: deps.clock.now(),
    level: 'warn',
    message: `this machine's clock is ${Math.round(Math.abs(skew) / 1000)}s ${how} the API server's; the lock, the records and the window go by the server's clock`,
  });
}

interface QueueItem {
  readonly node: NodeView;
  readonly work: NodeWork;
}

async function realRun(deps: RunDeps, opts: RunOptions, runId: string): Promise<RunResult> {
  const { clock, emit } = deps;
  const lock = leaseLockFor(deps, opts, runId);
  const ctx: NodeCtx = { deps, opts, runId, lock, daemonSets: new DaemonSetLookup(deps.cluster) };
  const s = await survey(deps, lock, {
    ...(opts.nodeSelector === undefined ? {} : { nodeSelector: opts.nodeSelector }),
    probeConcurrency: opts.probeConcurrency,
    probe: 'rest',
    onlyIfFree: true,
    order: opts.order,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  reportSkew(deps);
  if (!s.lock.ok) {
    emit({ type: 'blocked', at: clock.now(), reasons: [`lock unreadable, not rebooting: ${s.lock.error}`] });
    return early(ExitCode.Pending, `lock unreadable, not rebooting: ${s.lock.error}`);
  }
  if (!s.foreignLock.free) {
    emit({ type: 'blocked', at: clock.now(), reasons: [s.foreignLock.reason] });
    return early(ExitCode.Pending, `not starting: ${s.foreignLock.reason}`);
  }
  emit({ type: 'window', at: clock.now(), window: s.window });
  try {
    const n = await deps.janitor.collectLeftovers();
    if (n > 0)
      emit({
        type: 'log',
        at: clock.now(),
        level: 'info',
        message: `removed ${n} helper pod(s) left by earlier runs`,
      });
  } catch (err) {
    emit({
      type: 'log',
      at: clock.now(),
      level: 'warn',
      message: `could not collect helper-pod leftovers: ${errorMessage(err)}`,
    });
  }

  await sweepHolds(ctx, s.lock.record.holders, new Map(s.nodes.map((n) => [n.name, n])));

  const pending = new Map<string, string>();
  const resumed: QueueItem[] = [];
  for (const r of s.recorded) {
    if (r.busy !== undefined) {
      pending.set(r.node.name, r.busy);
      emit({ type: 'step', at: clock.now(), node: r.node.name, step: 'skipped', message: r.busy });
      continue;
    }
    resumed.push({
      node: r.node,
      work: { node: r.node, parsed: r.parsed, reason: 'in progress from an earlier run' },
    });
  }
  const unknown = s.others.filter((o) => o.verdict === 'unknown' && s.probes.has(o.node.name));
  for (const u of unknown)
    emit({ type: 'step', at: clock.now(), node: u.node.name, step: 'skipped', message: u.reason });
  const queue: QueueItem[] = [
    ...resumed,
    ...s.candidates.map((c) => ({
      node: c.node,
      work: { node: c.node, parsed: { kind: 'none' as const }, reason: c.reason },
    })),
  ];
  const unknownNames = unknown.map((u) => u.node.name);
  if (queue.length === 0) {
    if (pending.size > 0) return summarize([], pending, unknownNames);
    const why =
      unknownNames.length > 0 ? `; could not check ${unknownNames.join(', ')}, not rebooting them` : '';
    return {
      ...early(unknownNames.length > 0 ? ExitCode.NodeFailed : ExitCode.Ok, `nothing to do${why}`),
      unknown: unknownNames,
    };
  }

  const outcomes: NodeOutcome[] = [];
  const active = new Map<string, { zone?: string; done: Promise<void> }>();
  let stop: string | undefined;
  let gateClosed: string | undefined;
  while (queue.length > 0) {
    if (opts.signal?.aborted) stop ??= 'stopped on request';
    if (stop !== undefined) break;
    if (active.size >= opts.concurrency) {
      await Promise.race([...active.values()].map((a) => a.done));
      continue;
    }
    const inProgress = [...active.entries()].map(([node, a]) => ({
      node,
      ...(a.zone ? { zone: a.zone } : {}),
    }));
    const pick = pickNext(queue, { maxPerZone: opts.maxPerZone, inProgress });
    if (!pick.found) {
      await Promise.race([...active.values()].map((a) => a.done));
      continue;
    }
    queue.splice(pick.index, 1);
    const { node } = pick.item;
    let work = pick.item.work;
    if (work.parsed.kind === 'none') {
      // A fresh node: nothing is written while the gates are closed.
      const gate =
        gateClosed !== undefined
          ? { reason: gateClosed, global: true }
          : await startGate(deps, node.name, opts.signal);
      if (gate !== undefined) {
        if (gate.global) gateClosed = gate.reason;
        pending.set(node.name, gate.reason);
        emit({ type: 'step', at: clock.now(), node: node.name, step: 'blocked', message: gate.reason });
        continue;
      }
      work = { ...work, gatePassed: true };
    }
    const done = rebootNode(ctx, work)
      .catch((err: unknown): NodeOutcome => ({
        node: node.name,
        outcome: 'failed',
        reason: `unexpected error: ${errorMessage(err)}`,
        stopRun: true,
      }))
      .then((o) => {
        outcomes.push(o);
        if (o.outcome === 'pending') pending.set(o.node, o.reason);
        if (o.stopRun) stop ??= `${o.node}: ${o.reason}`;
      })
      .finally(() => active.delete(node.name));
    active.set(node.name, { ...(node.zone ? { zone: node.zone } : {}), done });
  }
  await Promise.all([...active.values()].map((a) => a.done));
  for (const item of queue) {
    const why = stop !== undefined ? `not started: the run stopped (${stop})` : (gateClosed ?? 'not started');
    pending.set(item.node.name, why);
    emit({ type: 'step', at: clock.now(), node: item.node.name, step: 'skipped', message: why });
  }
  return summarize(outcomes, pending, unknownNames);
}
