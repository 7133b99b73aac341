// runOnce(): the whole process once. Check the lock and kured's lock, collect helper-pod leftovers, resume
// nodes an earlier run left in progress, check the sentinels (bounded parallel), then take the candidates in
// order, N at a time and at most M per zone, each behind the window and blocker gates; stop at the first
// failure. Returns the exit code and what happened; emits events and never prints.
// May import: core, ports, app.

import { randomUUID } from 'node:crypto';
import { ExitCode, formatErrorInline, RebootDaemonError } from '../core/errors.js';
import { STATE_ANNOTATION } from '../core/keys.js';
import { describeHolder } from '../core/lock.js';
import { parseNodeRecord, type ParsedNodeRecord } from '../core/machine.js';
import { excludedBy, orderNodes, pickNext, selectCandidates } from '../core/order.js';
import { parseSelector } from '../core/selector.js';
import type { NodeView } from '../core/types.js';
import { checkForeignLock, probeNodes, startGate } from './gates.js';
import { LeaseLock } from './lock.js';
import type { NodeCtx } from './node-state.js';
import { planRun } from './plan.js';
import { rebootNode, type NodeOutcome, type NodeWork } from './reboot-node.js';
import { early, summarize } from './result.js';
import type { RunDeps, RunOptions, RunResult } from './types.js';
import { errorMessage } from './util.js';

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

function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown } | undefined;
  return e?.code === 404 || e?.statusCode === 404;
}

/** Needs the window and blocker gates: it would cordon, drain or reboot. */
function needsGate(parsed: ParsedNodeRecord, forceReboot: boolean): boolean {
  if (parsed.kind === 'none') return true;
  if (parsed.kind === 'unreadable') return false;
  const p = parsed.record.phase;
  return p === 'locked' || p === 'cordoned' || p === 'drained' || (p === 'drain-failed' && forceReboot);
}

interface QueueItem {
  readonly node: NodeView;
  readonly work: NodeWork;
}

async function realRun(deps: RunDeps, opts: RunOptions, runId: string): Promise<RunResult> {
  const { cluster, clock, emit } = deps;
  const nodes = await cluster.listNodes(opts.nodeSelector);
  const lock = new LeaseLock(
    deps.lease,
    clock,
    {
      owner: opts.owner,
      runId,
      maxHolders: opts.concurrency,
      ttlMs: opts.lockTtlMs,
      maxPerZone: opts.maxPerZone,
      ...(deps.self ? { self: deps.self } : {}),
    },
    emit,
  );
  const ctx: NodeCtx = { deps, opts, runId, lock };
  const read = await lock.read();
  if (!read.ok) {
    emit({ type: 'blocked', at: clock.now(), reasons: [`lock unreadable, not rebooting: ${read.error}`] });
    return early(ExitCode.Pending, `lock unreadable, not rebooting: ${read.error}`);
  }
  const foreign = await checkForeignLock(deps);
  if (!foreign.free) {
    emit({ type: 'blocked', at: clock.now(), reasons: [foreign.reason] });
    return early(ExitCode.Pending, `not starting: ${foreign.reason}`);
  }
  emit({ type: 'window', at: clock.now(), window: deps.windowState(clock.now()) });
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

  // Holds on nodes that no longer exist are released: kured's "lock held by a deleted node".
  const names = new Set(nodes.map((n) => n.name));
  for (const h of read.record.holders.filter((x) => !names.has(x.node))) {
    try {
      await cluster.getNode(h.node);
    } catch (err) {
      if (!isNotFound(err)) continue;
      await lock.forceRelease(h.node);
      emit({
        type: 'log',
        at: clock.now(),
        level: 'warn',
        node: h.node,
        message: `released ${describeHolder(h)}: the node no longer exists`,
      });
    }
  }

  // Nodes an earlier run left in progress: a state annotation, or a hold of ours in the Lease.
  const ours = new Set(read.record.holders.filter((h) => h.owner === opts.owner).map((h) => h.node));
  const resumed: QueueItem[] = [];
  for (const node of orderNodes(
    nodes.filter((n) => n.annotations[STATE_ANNOTATION] !== undefined || ours.has(n.name)),
  )) {
    const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
    resumed.push({ node, work: { node, parsed, reason: 'in progress from an earlier run' } });
  }
  const resumedNames = new Set(resumed.map((r) => r.node.name));
  const rest = nodes.filter((n) => !resumedNames.has(n.name));
  const probes = await probeNodes(
    deps,
    rest.filter((n) => excludedBy(n) === undefined),
    opts.probeConcurrency,
    opts.signal,
  );
  const sel = selectCandidates(rest, probes, { order: opts.order });
  const unknown = sel.others.filter((o) => o.verdict === 'unknown' && probes.has(o.node.name));
  for (const u of unknown)
    emit({ type: 'step', at: clock.now(), node: u.node.name, step: 'skipped', message: u.reason });
  const queue: QueueItem[] = [
    ...resumed,
    ...sel.candidates.map((c) => ({
      node: c.node,
      work: { node: c.node, parsed: { kind: 'none' as const }, reason: c.reason },
    })),
  ];
  const unknownNames = unknown.map((u) => u.node.name);
  if (queue.length === 0) {
    const why =
      unknownNames.length > 0 ? `; could not check ${unknownNames.join(', ')}, not rebooting them` : '';
    return {
      ...early(unknownNames.length > 0 ? ExitCode.NodeFailed : ExitCode.Ok, `nothing to do${why}`),
      unknown: unknownNames,
    };
  }

  const outcomes: NodeOutcome[] = [];
  const pending = new Map<string, string>();
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
    if (needsGate(work.parsed, opts.forceReboot)) {
      const gate =
        gateClosed !== undefined
          ? { reason: gateClosed, global: true }
          : await startGate(deps, node.name, opts.signal);
      if (gate !== undefined) {
        if (gate.global) gateClosed = gate.reason;
        if (work.parsed.kind === 'ok') work = { ...work, undoBecause: gate.reason };
        else {
          pending.set(node.name, gate.reason);
          emit({ type: 'step', at: clock.now(), node: node.name, step: 'blocked', message: gate.reason });
          continue;
        }
      }
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
