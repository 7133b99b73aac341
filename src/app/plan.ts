// plan() and `run --dry-run`: what a run would do, without writing anything — which nodes, in what order and
// when (window), whether the lock has a slot, what each drain would evict or refuse and why, and which PDB would
// hold it up now. Only reads (the sentinel checks use the checker port as a run would).
// May import: core, ports, app.

import { ExitCode } from '../core/errors.js';
import { STATE_ANNOTATION } from '../core/keys.js';
import { decideAcquire, describeHolder, type LockRecord } from '../core/lock.js';
import { podKey, type DrainErrorGroup } from '../core/filters.js';
import { parseNodeRecord, resumeDecision, type ResumeDecision } from '../core/machine.js';
import type { NodeVerdict } from '../core/order.js';
import type { WindowState } from '../core/window.js';
import { pdbsFor } from './drain.js';
import { DaemonSetLookup, planNodeDrain } from './drain-facts.js';
import { checkBlockers, type ForeignLockVerdict } from './gates.js';
import { leaseLockFor, survey } from './survey.js';
import type { RunDeps, RunOptions, RunResult } from './types.js';

export interface PlanPdb {
  readonly pdb: string;
  readonly disruptionsAllowed: number;
  readonly pods: readonly string[];
  /** True when it would refuse an eviction right now. */
  readonly blocksNow: boolean;
  readonly message: string;
}

export interface PlanNode {
  readonly order: number;
  readonly name: string;
  readonly zone?: string;
  readonly controlPlane: boolean;
  readonly why: string;
  /** For a node an earlier run left in progress: what this run would do with it. */
  readonly resume?: ResumeDecision;
  /** Epoch ms it could start: now when the window allows, else the next opening. Absent when never. */
  readonly startsAt?: number;
  readonly blocked: readonly string[];
  readonly lock: string;
  readonly drain: {
    readonly ok: boolean;
    readonly message: string;
    readonly evict: readonly string[];
    readonly skipped: readonly { readonly pod: string; readonly reason: string; readonly message: string }[];
    readonly errors: readonly DrainErrorGroup[];
    /** Pods the drain would delete only because of --force, which will not come back. */
    readonly warnings: readonly DrainErrorGroup[];
  };
  readonly pdbs: readonly PlanPdb[];
}

export interface PlanReport {
  readonly at: number;
  readonly window: WindowState;
  readonly lock: { readonly holders: readonly string[]; readonly error?: string };
  readonly foreignLock: ForeignLockVerdict;
  readonly nodes: readonly PlanNode[];
  readonly others: readonly {
    readonly name: string;
    readonly verdict: NodeVerdict;
    readonly reason: string;
  }[];
}

export async function plan(deps: RunDeps, opts: RunOptions): Promise<PlanReport> {
  return (await planRun(deps, opts)).report;
}

export async function planRun(
  deps: RunDeps,
  opts: RunOptions,
): Promise<{ report: PlanReport; result: RunResult }> {
  const { cluster, emit } = deps;
  const lockView = leaseLockFor(deps, opts, opts.runId ?? 'plan');
  const s = await survey(deps, lockView, {
    ...(opts.nodeSelector === undefined ? {} : { nodeSelector: opts.nodeSelector }),
    probeConcurrency: opts.probeConcurrency,
    probe: 'rest',
    order: opts.order,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const now = s.at;
  const window = s.window;
  const lockRecord: LockRecord | undefined = s.lock.ok ? s.lock.record : undefined;
  const lockError: string | undefined = s.lock.ok ? undefined : s.lock.error;
  const foreignLock = s.foreignLock;
  const sel = { candidates: s.candidates, others: s.others };
  const ordered = [
    ...s.recorded.map((r) => ({
      node: r.node,
      resumed: true,
      why: r.busy ?? 'in progress from an earlier run',
      busy: r.busy,
    })),
    ...sel.candidates.map((c) => ({ node: c.node, resumed: false, why: c.reason, busy: undefined })),
  ];
  const pdbList = ordered.length > 0 ? await cluster.listPdbs() : [];
  const planned: PlanNode[] = [];
  const daemonSets = new DaemonSetLookup(cluster);
  for (const [i, { node, resumed, why, busy }] of ordered.entries()) {
    const { plan: d } = await planNodeDrain(cluster, daemonSets, node.name, opts.drain, () => now);
    const byPdb = new Map<string, { allowed: number; pods: string[] }>();
    for (const p of d.passing) {
      for (const b of pdbsFor(p, pdbList)) {
        const key = `${b.namespace}/${b.name}`;
        const entry = byPdb.get(key) ?? { allowed: b.disruptionsAllowed, pods: [] };
        entry.pods.push(podKey(p));
        byPdb.set(key, entry);
      }
    }
    const pdbs: PlanPdb[] = [...byPdb.entries()].map(([pdb, e]) => ({
      pdb,
      disruptionsAllowed: e.allowed,
      pods: e.pods,
      blocksNow: e.allowed === 0,
      message:
        e.allowed === 0
          ? `refuses now (disruptionsAllowed 0): ${e.pods.join(', ')} wait until it allows`
          : e.allowed < e.pods.length
            ? `allows ${e.allowed} of ${e.pods.length} now; the others wait`
            : `allows all ${e.pods.length} now (disruptionsAllowed ${e.allowed})`,
    }));
    let lock = lockError !== undefined ? `unreadable: ${lockError}` : 'free';
    if (busy !== undefined) lock = `waits: ${busy}`;
    else if (lockRecord !== undefined) {
      const v = decideAcquire(
        lockRecord,
        {
          node: node.name,
          owner: opts.owner,
          runId: opts.runId ?? 'plan',
          proc: lockView.proc,
          maxHolders: opts.concurrency,
          ttlMs: opts.lockTtlMs,
          maxPerZone: opts.maxPerZone,
          ...(node.zone === undefined ? {} : { zone: node.zone }),
        },
        { now, liveness: lockView.liveness, inProgress: s.inProgress },
      );
      lock = v.kind === 'full' ? `waits: ${v.reason}` : v.reason;
    }
    const blocked = resumed ? [] : (await checkBlockers(deps, node.name, opts.signal)).reasons;
    const resume = resumed
      ? resumeDecision(parseNodeRecord(node.annotations[STATE_ANNOTATION]), node, opts)
      : undefined;
    const startsAt = window.canStart ? now : window.nextOpen;
    planned.push({
      order: i + 1,
      name: node.name,
      ...(node.zone === undefined ? {} : { zone: node.zone }),
      controlPlane: node.controlPlane,
      why,
      ...(resume === undefined ? {} : { resume }),
      ...(startsAt === undefined ? {} : { startsAt }),
      blocked,
      lock,
      drain: {
        ok: d.ok,
        message: d.message,
        evict: d.passing.map(podKey),
        skipped: d.skipped.map((s) => ({
          pod: podKey(s.pod),
          reason: s.verdict.reason,
          message: s.verdict.message,
        })),
        errors: d.errors,
        warnings: d.warnings,
      },
      pdbs,
    });
    emit({
      type: 'log',
      at: now,
      level: 'info',
      node: node.name,
      message:
        resume?.start === 'undo' || resume?.start === 'manual'
          ? `would ${resume.start === 'undo' ? 'undo it, no reboot' : 'leave it to a person'} (#${i + 1}): ${resume.reason}`
          : `would ${resume ? `resume (${resume.start})` : 'reboot'} #${i + 1}: ${d.message}${d.warnings.map((w) => `; warning: ${w.message}`).join('')}${pdbs.length ? `; ${pdbs.map((p) => `PDB ${p.pdb} ${p.message}`).join('; ')}` : ''}${blocked.length ? `; blocked: ${blocked.join('; ')}` : ''}`,
    });
  }
  // Nodes left out of every run (opted out, or not rebootable here: not Linux, virtual), each with why.
  for (const o of sel.others.filter((x) => x.verdict === 'excluded'))
    deps.emit({
      type: 'log',
      at: deps.clock.now(),
      level: 'info',
      node: o.node.name,
      message: `skipped: ${o.reason}`,
    });
  const others = sel.others.map((o) => ({ name: o.node.name, verdict: o.verdict, reason: o.reason }));
  const report: PlanReport = {
    at: now,
    window,
    lock: {
      holders: (lockRecord?.holders ?? []).map(describeHolder),
      ...(lockError ? { error: lockError } : {}),
    },
    foreignLock,
    nodes: planned,
    others,
  };
  return { report, result: dryRunResult(report) };
}

function dryRunResult(report: PlanReport): RunResult {
  const unknown = report.others.filter((o) => o.verdict === 'unknown').map((o) => o.name);
  // A resumed node that would be undone or left to a person is not rebooted: say so, as run does.
  const undone = report.nodes.filter((n) => n.resume?.start === 'undo' || n.resume?.start === 'manual');
  const names = report.nodes.filter((n) => !undone.includes(n)).map((n) => n.name);
  const gates: string[] = [];
  if (!report.window.canStart) gates.push(`outside the window (${report.window.description})`);
  if (!report.foreignLock.free) gates.push(report.foreignLock.reason);
  if (report.lock.error !== undefined) gates.push(`lock unreadable: ${report.lock.error}`);
  const blocked = report.nodes.filter((n) => n.blocked.length > 0).map((n) => n.name);
  if (blocked.length > 0) gates.push(`blocked: ${blocked.join(', ')}`);
  const exitCode =
    unknown.length > 0
      ? ExitCode.NodeFailed
      : names.length > 0 && gates.length > 0
        ? ExitCode.Pending
        : ExitCode.Ok;
  const what =
    (names.length === 0 ? 'nothing to do' : `would reboot ${names.join(', ')} in this order`) +
    undone.map((n) => `; ${n.name}: ${n.resume?.reason ?? ''}`).join('');
  return {
    exitCode,
    rebooted: [],
    failed: [],
    pending: names,
    unknown,
    reason: `dry run, nothing written: ${what}${gates.length ? `; but ${gates.join('; ')}` : ''}${unknown.length ? `; could not check ${unknown.join(', ')}` : ''}`,
  };
}
