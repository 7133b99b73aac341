// The interleaving explorer: runs two or three orchestrators (runOnce, each its own process with its own run ID,
// process identity and clock skew) on one in-memory world, under a deterministic scheduler that picks, at every
// step, one held port call, a tick of the fake clock, a crash, a restart or an environment actor (admin cordons,
// the exclusion label, a new need, an agent report). The invariants are judged after every change. Then the
// surviving runners wind down, a final clean runner finishes, and the end state is judged.
// May import: core, ports, app, test/support, test/explore.

import { runOnce } from '../../src/app/run.js';
import type { RunDeps, RunResult } from '../../src/app/types.js';
import type { RunEvent } from '../../src/core/events.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { EXPIRY_MARGIN_MS, parseLockRecord } from '../../src/core/lock.js';
import type { Blocker } from '../../src/ports/blockers.js';
import { harness, options } from '../support/app-harness.js';
import type { Session, World } from '../support/memory-ports.js';
import { Oracle, type RunnerInfo, type Stats, type Violation } from './invariants.js';
import { Chooser, encodePicks, scheduleSeed } from './prng.js';
import { Scheduler, settle, type CallOwner, type HeldCall } from './scheduler.js';
import {
  agentPatch,
  blockedAt,
  buildWorld,
  describeConfig,
  describeRunner,
  drawConfig,
  drawRunner,
  MACHINES,
  MIN,
  OWNERS,
  START,
  windowAt,
  type RunnerSpec,
  type Variant,
} from './world.js';

/** Bounds of one schedule. */
export const LIMITS = {
  /** Steps while crashes, restarts and actors may happen. */
  mainSteps: 400,
  /** Server time the main part may cover. */
  horizonMs: 3 * 60 * MIN,
  /** Steps for the surviving runners to finish (no more crashes or actors). */
  windDownSteps: 4_000,
  /** Steps for the final clean runner. */
  finalSteps: 4_000,
};

export interface ScheduleOptions {
  readonly variant?: Variant;
  /** A recorded path to replay instead of drawing. */
  readonly picks?: readonly number[];
  /** Invariants (by name prefix) only noted, not failed: to hunt for other bugs while one is known. */
  readonly allow?: readonly string[];
  /** The admin uncordons only nodes that carry no state record (keeps clear of a known finding). */
  readonly tameAdmin?: boolean;
}

export interface RunnerSummary {
  readonly name: string;
  readonly spec: string;
  readonly state: string;
  readonly result?: string;
  /** The runner's own events, as plain lines (for reading a replay). */
  readonly events: readonly string[];
}

export interface ScheduleResult {
  readonly seed: number;
  readonly index: number;
  readonly config: string;
  readonly picks: readonly number[];
  readonly trace: readonly string[];
  readonly violations: readonly Violation[];
  readonly notes: readonly string[];
  readonly stats: Stats;
  readonly steps: number;
  readonly runners: readonly RunnerSummary[];
  readonly pendingNeeds: readonly string[];
  readonly leftRecorded: readonly string[];
  /** Runners that had not finished when the wind-down ran out (killed then). */
  readonly unfinished: number;
  readonly stuck: boolean;
  readonly crashes: number;
  readonly restarts: number;
}

class Runner implements CallOwner {
  state: 'running' | 'done' | 'dead' = 'running';
  result: RunResult | undefined;
  error: string | undefined;

  constructor(
    readonly name: string,
    readonly spec: RunnerSpec,
    readonly info: RunnerInfo,
    readonly session: Session,
    readonly events: readonly RunEvent[],
  ) {}

  get dead(): boolean {
    return this.state === 'dead';
  }
}

interface Action {
  readonly label: string;
  readonly weight: number;
  readonly run: () => Promise<void> | void;
}

const secs = (ms: number): string => `${Math.round(ms / 1000)}s`;

function describeLease(w: World): string {
  const parsed = parseLockRecord(w.lease.lease?.record);
  if (!parsed.ok) return `unreadable (${parsed.error})`;
  const holds = parsed.record.holders.map(
    (h) => `${h.node}:${h.runId.replace(/^run-/, '')}@${secs(h.renewedAt - START)}`,
  );
  return `[${holds.join(' ')}]`;
}

function describeEvent(e: RunEvent): string {
  const { type, at: _at, ...rest } = e as RunEvent & { at: number };
  return `${type} ${JSON.stringify(rest)}`;
}

export async function runSchedule(
  seed: number,
  index: number,
  o: ScheduleOptions = {},
): Promise<ScheduleResult> {
  const ch = new Chooser(scheduleSeed(seed, index), o.picks);
  const cfg = drawConfig(ch);
  const w = buildWorld(cfg, o.variant ?? 'ok');
  const { clock } = w;
  const sched = new Scheduler(clock);
  const runners: Runner[] = [];
  const byOwner = new Map<CallOwner, Runner>();
  const oracle = new Oracle(
    w,
    { concurrency: cfg.concurrency, maxPerZone: cfg.maxPerZone },
    (owner) => (owner === undefined ? undefined : byOwner.get(owner)?.info),
    () => sched.current,
    START,
    o.allow ?? [],
    (runId) => runners.some((r) => r.info.runId === runId && r.state === 'running'),
  );
  sched.observer = (call, invoke) => oracle.observe(call, invoke);
  w.mem.onChange(() => oracle.onChange());
  const trace: string[] = [];
  const at = (): string => `+${secs(clock.now() - START)}`;
  let step = 0;
  const log = (label: string): void => {
    trace.push(`${step} ${at()} ${label}`);
  };

  // Agents report once at the start.
  for (const n of cfg.nodes) if (n.agent) void w.mem.patchNode(n.name, agentPatch(w, n.name));

  const start = (
    name: string,
    spec: RunnerSpec,
    limits: { concurrency: number; maxPerZone: number },
  ): Runner => {
    const m = spec.machine;
    const identity = w.procs.spawn({
      host: m.host,
      bootId: m.bootId,
      pidNs: m.pidNs,
      ...(m.pid ? { pid: m.pid } : {}),
    });
    const h = harness(w, { skewMs: spec.skewMs, identity });
    const info: RunnerInfo = {
      name,
      runId: `run-${name}`,
      identity,
      gates: spec.gates,
      skipWaitS: spec.skipWaitS,
      startedAt: clock.now(),
    };
    const r = new Runner(name, spec, info, h.session, h.events);
    byOwner.set(r, r);
    runners.push(r);
    const ports = h.session.ports;
    const blocker: Blocker = {
      name: 'change-freeze',
      check: (node) =>
        sched.hold(r, 'blocker', 'check', [node ?? ''], async () => {
          const blocked = blockedAt(spec.gates, node, clock.now());
          oracle.blockerEvaluated(name, node, blocked);
          return { blocked, reasons: blocked ? ['a change freeze is on'] : [] };
        }),
    };
    const deps: RunDeps = {
      ...h.deps,
      cluster: sched.wrap(r, 'cluster', ports.cluster),
      lease: sched.wrap(r, 'lease', ports.lease),
      sentinel: sched.wrap(r, 'sentinel', ports.sentinel),
      rebooter: sched.wrap(r, 'rebooter', ports.rebooter),
      janitor: sched.wrap(r, 'janitor', ports.janitor),
      foreignLock: sched.wrap(r, 'foreignLock', ports.foreignLock),
      blockers: [blocker],
      windowState: (now) => {
        const s = windowAt(spec.gates, now);
        oracle.windowEvaluated(info, now, s.canStart);
        return s;
      },
    };
    const opts = options({
      owner: spec.owner,
      runId: info.runId,
      ...(spec.selector === undefined ? {} : { nodeSelector: spec.selector }),
      concurrency: limits.concurrency,
      maxPerZone: limits.maxPerZone,
      lockTtlMs: cfg.ttlMs,
      lockWaitMs: spec.lockWaitMs,
      readyStableMs: 10_000,
      rebootTimeoutMs: 5 * MIN,
      readyTimeoutMs: 5 * MIN,
      healthTimeoutMs: 3 * MIN,
      healthPollMs: 2_000,
      drain: { timeoutMs: 2 * MIN, skipWaitForDeleteTimeoutSeconds: spec.skipWaitS },
    });
    log(`start ${name} ${describeRunner(spec)}`);
    runOnce(deps, opts).then(
      (res) => {
        if (r.dead) return;
        r.state = 'done';
        r.result = res;
      },
      (err: unknown) => {
        if (r.dead) return;
        r.state = 'done';
        r.error = String(err);
      },
    );
    return r;
  };

  const limits = { concurrency: cfg.concurrency, maxPerZone: cfg.maxPerZone };
  const later: { name: string; spec: RunnerSpec }[] = [];
  cfg.runners.forEach((spec, i) => {
    const name = String.fromCharCode(65 + i);
    if (spec.later) later.push({ name, spec });
    else start(name, spec, limits);
  });
  let crashes = cfg.crashes;
  let restarts = cfg.restarts;
  let adminMoves = 3;
  let excludes = 1;
  let newNeeds = 2;
  let rollouts = 2;
  const running = (): Runner[] => runners.filter((r) => r.state === 'running');
  const kill = (r: Runner): void => {
    r.state = 'dead';
    r.session.kill();
    sched.drop(r);
  };
  /** Runs a held call; a Lease write it makes is shown in the trace with the holds it leaves. */
  const release = (c: HeldCall): void => {
    const rv = w.lease.lease?.rv;
    sched.release(c);
    if (w.lease.lease !== undefined && w.lease.lease.rv !== rv)
      trace[trace.length - 1] += ` => ${describeLease(w)}`;
  };
  const tickTo = async (t: number): Promise<void> => {
    await clock.advance(Math.max(0, t - clock.now()));
  };

  // ---- the main part: anything may happen at every step --------------------------------------------------
  for (; step < LIMITS.mainSteps; step++) {
    await settle();
    if (oracle.failed) break;
    if (running().length === 0 && later.length === 0) break;
    if (clock.now() - START > LIMITS.horizonMs) break;
    const actions: Action[] = [];
    const calls = sched.calls();
    for (const c of calls) actions.push({ label: c.label, weight: 1, run: () => release(c) });
    const next = sched.nextTimerAt();
    if (next !== undefined)
      actions.push({
        label: `tick to the next timer (+${secs(next - clock.now())})`,
        weight: calls.length > 0 ? 0.6 : 4,
        run: () => tickTo(next),
      });
    actions.push({
      label: 'tick',
      weight: 0.25,
      run: async () => {
        const d = ch.one([1_000, 10_000, 45_000, 2 * MIN]);
        trace[trace.length - 1] += ` +${secs(d)}`;
        await clock.advance(d);
      },
    });
    for (const l of later)
      actions.push({
        label: `start ${l.name}`,
        weight: 0.15,
        run: () => {
          later.splice(later.indexOf(l), 1);
          start(l.name, l.spec, limits);
        },
      });
    if (crashes > 0)
      for (const r of running())
        actions.push({
          label: `crash ${r.name}`,
          weight: 0.06,
          run: () => {
            crashes--;
            kill(r);
          },
        });
    const dead = runners.filter((r) => r.dead);
    if (restarts > 0 && dead.length > 0)
      actions.push({
        label: 'restart',
        weight: 0.25,
        run: () => {
          restarts--;
          const was = ch.one(dead);
          const owner = ch.chance(0.6) ? was.spec.owner : ch.one(OWNERS);
          const spec = drawRunner(ch, was.spec.gates, owner);
          const machine = ch.chance(0.5) ? was.spec.machine : spec.machine;
          const name = String.fromCharCode(65 + runners.length + later.length);
          trace[trace.length - 1] += ` ${name} after ${was.name}`;
          start(name, { ...spec, machine }, limits);
        },
      });
    for (const n of w.mem.nodes.values()) {
      if (adminMoves > 0 && !n.unschedulable)
        actions.push({
          label: `admin cordons ${n.name}`,
          weight: 0.04,
          run: () => {
            adminMoves--;
            oracle.adminCordoned.add(n.name);
            void w.mem.patchNode(n.name, { unschedulable: true });
          },
        });
      if (
        oracle.adminCordoned.has(n.name) &&
        n.unschedulable &&
        !(o.tameAdmin && n.annotations[STATE_ANNOTATION] !== undefined)
      )
        actions.push({
          label: `admin uncordons ${n.name}`,
          weight: 0.06,
          run: () => {
            oracle.adminCordoned.delete(n.name);
            void w.mem.patchNode(n.name, { unschedulable: false });
          },
        });
      if (excludes > 0 && !oracle.excluded.has(n.name))
        actions.push({
          label: `exclusion label on ${n.name}`,
          weight: 0.02,
          run: () => {
            excludes--;
            oracle.excluded.add(n.name);
            void w.mem.patchNode(n.name, { labels: { 'reboot-daemon.io/exclude': 'true' } });
          },
        });
      if (newNeeds > 0 && n.sentinel !== 'required' && !n.rebooting)
        actions.push({
          label: `a need appears on ${n.name} (${n.bootID})`,
          weight: 0.05,
          run: () => {
            newNeeds--;
            n.sentinel = 'required';
            oracle.addNeed(n.name, n.bootID);
          },
        });
      if (cfg.nodes.find((s) => s.name === n.name)?.agent && n.ready === 'True' && !n.rebooting)
        actions.push({
          label: `agent reports on ${n.name}`,
          weight: 0.12,
          run: () => void w.mem.patchNode(n.name, agentPatch(w, n.name)),
        });
    }
    // A rollout deletes a workload pod: it terminates where it is (slowly, when pods terminate slowly).
    if (rollouts > 0)
      for (const p of w.mem.pods.values())
        if (p.node !== undefined && p.phase === 'Running' && p.deletionTimestamp === undefined)
          actions.push({
            label: `a rollout deletes ${p.name.replace(/-r\d+$/, '-r*')} on ${p.node}`,
            weight: 0.015,
            run: () => {
              rollouts--;
              void w.mem.deletePod({ namespace: p.namespace, name: p.name, uid: p.uid });
            },
          });
    const pick = actions[ch.weighted(actions.map((a) => a.weight))];
    if (pick === undefined) break;
    log(pick.label);
    await pick.run();
  }

  // ---- wind-down: the survivors finish, no more crashes or actors ----------------------------------------
  let stuck = false;
  for (let i = 0; i < LIMITS.windDownSteps && !oracle.failed; i++, step++) {
    await settle();
    if (oracle.failed || running().length === 0) break;
    const calls = sched.calls();
    if (calls.length > 0) {
      const c = calls[ch.int(calls.length)];
      if (c === undefined) break;
      log(c.label);
      release(c);
      continue;
    }
    const next = sched.nextTimerAt();
    if (next === undefined) {
      stuck = true;
      log('stuck: live runners with no held call and no timer');
      break;
    }
    log(`tick to the next timer (+${secs(next - clock.now())})`);
    await tickTo(next);
  }
  await settle();
  const unfinished = running();
  for (const r of unfinished) {
    log(`kill ${r.name}: not finished after the wind-down`);
    kill(r);
  }

  // ---- the final clean runner ----------------------------------------------------------------------------
  let pendingNeeds: string[] = [];
  let leftRecorded: string[] = [];
  if (!oracle.failed) {
    await clock.advance(cfg.ttlMs + EXPIRY_MARGIN_MS + 1_000);
    for (const n of w.mem.nodes.values())
      if (cfg.nodes.find((s) => s.name === n.name)?.agent && n.ready === 'True' && !n.rebooting)
        void w.mem.patchNode(n.name, agentPatch(w, n.name));
    const spec: RunnerSpec = {
      owner: 'final@ops',
      skewMs: 0,
      machine: MACHINES[0] ?? { host: 'laptop', bootId: 'laptop-boot', pidNs: 'pid:[4026531836]' },
      lockWaitMs: 30 * MIN,
      skipWaitS: 0,
      gates: { marginMs: 2 * MIN },
    };
    const fin = start('Z', spec, limits);
    for (let i = 0; i < LIMITS.finalSteps; i++, step++) {
      await settle();
      if (oracle.failed || fin.state !== 'running') break;
      const c = sched.calls()[0];
      if (c !== undefined) {
        log(c.label);
        release(c);
        continue;
      }
      const next = sched.nextTimerAt();
      if (next === undefined) {
        stuck = true;
        log('stuck: the final runner has no held call and no timer');
        break;
      }
      log(`tick to the next timer (+${secs(next - clock.now())})`);
      await tickTo(next);
    }
    await settle();
    if (fin.state === 'running') {
      log('kill Z: the final runner did not finish');
      kill(fin);
    }
    if (!oracle.failed) ({ pendingNeeds, leftRecorded } = oracle.finalCheck());
  }

  return {
    seed,
    index,
    config: describeConfig(cfg),
    picks: [...ch.picks],
    trace,
    violations: [...oracle.violations],
    notes: [...oracle.notes],
    stats: { ...oracle.stats },
    steps: step,
    runners: runners.map((r) => ({
      name: r.name,
      spec: describeRunner(r.spec),
      state: r.state,
      ...(r.result
        ? { result: `exit ${r.result.exitCode}: ${r.result.reason}` }
        : r.error
          ? { result: r.error }
          : {}),
      events: r.events.map(describeEvent),
    })),
    pendingNeeds,
    leftRecorded,
    unfinished: unfinished.length,
    stuck,
    crashes: cfg.crashes - crashes,
    restarts: cfg.restarts - restarts,
  };
}

/** A replay key: "seed:index", optionally ":path" with the recorded picks. */
export function replayKey(r: Pick<ScheduleResult, 'seed' | 'index'>): string {
  return `${r.seed}:${r.index}`;
}

export function formatViolation(
  r: ScheduleResult,
  o: { readonly traceLines?: number; readonly variant?: Variant } = {},
): string {
  const lines = [
    ...r.violations.map((v) => `VIOLATION ${v.invariant}: ${v.message} (at +${v.at}s)`),
    `  seed ${r.seed}, schedule ${r.index}, ${r.steps} steps`,
    `  config: ${r.config}`,
    ...r.runners.map((x) => `  runner ${x.name} ${x.spec}: ${x.state}${x.result ? ` (${x.result})` : ''}`),
    `  path: ${encodePicks(r.picks)}`,
    `  replay: npm run explore -- --replay '${replayKey(r)}'${o.variant && o.variant !== 'ok' ? ` --variant ${o.variant}` : ''} --trace`,
  ];
  const n = o.traceLines ?? 40;
  if (n > 0)
    lines.push(`  last ${Math.min(n, r.trace.length)} steps:`, ...r.trace.slice(-n).map((t) => `    ${t}`));
  return lines.join('\n');
}

export interface Exploration {
  readonly explored: number;
  readonly failures: readonly ScheduleResult[];
  readonly totals: Stats & {
    unfinished: number;
    stuck: number;
    pendingNeeds: number;
    leftRecorded: number;
    crashes: number;
    restarts: number;
  };
}

/** Runs schedules from..from+runs-1 of a seed; calls onProgress after each. */
export async function explore(
  seed: number,
  runs: number,
  o: {
    readonly variant?: Variant;
    readonly allow?: readonly string[];
    readonly tameAdmin?: boolean;
    readonly from?: number;
    readonly stopAfter?: number;
    /** Stops once a schedule satisfies this. */
    readonly until?: (r: ScheduleResult) => boolean;
    readonly onSchedule?: (r: ScheduleResult, done: number) => void;
  } = {},
): Promise<Exploration> {
  const failures: ScheduleResult[] = [];
  const totals = {
    triggers: 0,
    racedWindow: 0,
    racedBlocker: 0,
    excludedAtTrigger: 0,
    takeovers: 0,
    leaseDrops: 0,
    unfinished: 0,
    stuck: 0,
    pendingNeeds: 0,
    leftRecorded: 0,
    crashes: 0,
    restarts: 0,
  };
  let explored = 0;
  const from = o.from ?? 0;
  for (let i = from; i < from + runs; i++) {
    const r = await runSchedule(seed, i, {
      ...(o.variant ? { variant: o.variant } : {}),
      ...(o.allow ? { allow: o.allow } : {}),
      ...(o.tameAdmin ? { tameAdmin: true } : {}),
    });
    explored++;
    for (const k of Object.keys(r.stats) as (keyof Stats)[]) totals[k] += r.stats[k];
    totals.unfinished += r.unfinished;
    totals.stuck += r.stuck ? 1 : 0;
    totals.pendingNeeds += r.pendingNeeds.length;
    totals.leftRecorded += r.leftRecorded.length;
    totals.crashes += r.crashes;
    totals.restarts += r.restarts;
    if (r.violations.length > 0) failures.push(r);
    o.onSchedule?.(r, explored);
    if (o.stopAfter !== undefined && failures.length >= o.stopAfter) break;
    if (o.until?.(r)) break;
  }
  return { explored, failures, totals };
}
