// One soak run for one seed: start the simulated cluster (faults on), run two lanes of `reboot-daemon run`
// with different owners (or one, --same-owner) at once, SIGKILL runs at seeded moments and restart them, until every node but the
// dead one is done (bounded in time); then judge the invariants from the simulator's record and store.
// May import: src/sim, soak/*, node built-ins.

import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type InjectedFaults } from '../src/sim/index.js';
import { seededRandom } from '../src/sim/random.js';
import {
  checkAdminCordons,
  checkBudgets,
  checkDeadReported,
  checkEndState,
  checkExitCodes,
  checkReboots,
  type Violation,
  reportsDeadKept,
} from './checks.js';
import { ConcurrencyWatch } from './concurrency.js';
import { describeRun, workLeft } from './progress.js';
import { Lane, type RunInfo } from './lanes.js';
import { RecordWatch } from './records.js';
import { soakCluster, type SoakRoles, type SoakSize } from './scenario.js';

export interface SoakProfile {
  readonly name: 'short' | 'long';
  readonly size: SoakSize;
  readonly kills: number;
  readonly timeScale: number;
  /** Give up (and count what is left as violations) after this long, real ms. */
  readonly deadlineMs: number;
}

export const PROFILES: Readonly<Record<'short' | 'long', SoakProfile>> = {
  short: {
    name: 'short',
    size: { nodes: 50, needing: 20 },
    kills: 10,
    timeScale: 20,
    deadlineMs: 6 * 60_000,
  },
  long: { name: 'long', size: { nodes: 50, needing: 45 }, kills: 25, timeScale: 20, deadlineMs: 30 * 60_000 },
};

export const CONCURRENCY = 2;

/** A hold's TTL in real seconds, by default (`--lock-ttl` of `npm run soak` changes it). */
export const LOCK_TTL_REAL_SECONDS = 30;

/**
 * The flags of every run: both lanes share them; the waits suit the simulator's clock ×timeScale. The runs'
 * own waits are on their local (real) clock, but a hold's expiry is judged on the API server's clock, which is
 * the simulator's: the TTL is given in simulated seconds, so that a hold lasts ttlRealSeconds real ones.
 */
export function runFlags(
  kubeconfig: string,
  timeScale: number,
  ttlRealSeconds: number = LOCK_TTL_REAL_SECONDS,
): string[] {
  const ttl = `${Math.max(1, Math.round(ttlRealSeconds * timeScale))}s`;
  return [
    ...['--kubeconfig', kubeconfig, '--log-format', 'json', '--concurrency', String(CONCURRENCY)],
    ...['--force', '--delete-emptydir-data', '--ready-stable', '2s', '--reboot-timeout', '10s'],
    ...['--ready-timeout', '30s', '--lock-ttl', ttl, '--probe-concurrency', '10', '--probe-timeout', '20s'],
    ...['--drain-timeout', '2m', '--request-timeout', '10s'],
  ];
}

export interface SoakResult {
  readonly seed: number;
  readonly profile: SoakProfile;
  readonly roles: SoakRoles;
  readonly ms: number;
  readonly finished: boolean;
  readonly requests: number;
  readonly injected: InjectedFaults;
  readonly kills: number;
  readonly restarts: number;
  readonly runs: readonly RunInfo[];
  readonly rebooted: number;
  readonly evictions: { readonly evicted: number; readonly refused: number };
  readonly rebootPodNoops: number;
  readonly podReruns: number;
  readonly maxBusy: number;
  /** Most nodes with a record past `locked` at once. */
  readonly maxInProgress: number;
  readonly violations: readonly Violation[];
  /** Both lanes ran under one owner (--same-owner). */
  readonly sameOwner: boolean;
  /** A hold's TTL in real seconds (--lock-ttl). */
  readonly lockTtlRealSeconds: number;
  /** Lane b's clock offset (--skew). */
  readonly skew?: string;
  /** One host name, each run pid 1 of its own pid namespace (--shared-host). */
  readonly sharedHost: boolean;
}

interface Kill {
  /** Fires once this many nodes have rebooted... */
  readonly afterReboots: number;
  /** ...and this many real ms more have passed. */
  readonly delayMs: number;
  /** Which lane, when both are live (0 or 1). */
  readonly lane: number;
}

function killSchedule(seed: number, profile: SoakProfile): Kill[] {
  const random = seededRandom(seed ^ 0x5eed);
  const last = Math.max(1, profile.size.needing - 3);
  return Array.from({ length: profile.kills }, () => ({
    afterReboots: Math.floor(random() * last),
    delayMs: Math.floor(random() * 3_000),
    lane: random() < 0.5 ? 0 : 1,
  })).sort((a, b) => a.afterReboots - b.afterReboots);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface SoakRunOptions {
  /** Progress lines (SIGKILLs, runs that ended). */
  readonly log?: (line: string) => void;
  /** Keep every run's output here. */
  readonly logDir?: string;
  /** Both lanes under one owner, as two terminals or overlapping cron jobs on one machine. */
  readonly sameOwner?: boolean;
  /**
   * A hold's TTL in real seconds; default LOCK_TTL_REAL_SECONDS. Below a node's work (a few seconds), holds of
   * live runs expire and are taken over while their runs go on, as a frozen process's would.
   */
  readonly lockTtlRealSeconds?: number;
  /** Lane b's clock runs this far off (libfaketime's offset, e.g. '+2h' or '-90m'), as a laptop's may. */
  readonly skew?: string;
  /**
   * Both lanes under one host name, each run as pid 1 of a pid namespace of its own: two containers on one
   * pod network name, whose pids say nothing about each other.
   */
  readonly sharedHost?: boolean;
}

/** libfaketime's library on this machine (Debian's faketime package), or an error that says how to get it. */
export function findLibfaketime(): string {
  for (const lib of ['/usr/lib', '/usr/lib64', '/lib']) {
    let dirs: string[];
    try {
      dirs = readdirSync(lib);
    } catch {
      continue;
    }
    for (const d of ['', ...dirs]) {
      const path = join(lib, d, 'faketime', 'libfaketime.so.1');
      if (existsSync(path)) return path;
    }
  }
  throw new Error('--skew needs libfaketime (Debian: apt-get install faketime)');
}

/** What a lane runs under: its host name, and a wrapper and environment for the shared-host and skew lanes. */
function laneSetup(
  lane: 'a' | 'b',
  opts: SoakRunOptions,
): { host: string; wrap?: readonly string[]; env?: Record<string, string> } {
  const shared = opts.sharedHost === true;
  const host = lane === 'a' || opts.sameOwner === true || shared ? 'soak-host-a' : 'soak-host-b';
  // --kill-child: a SIGKILL of unshare reaches the run (pid 1 of the namespace) at once.
  const wrap = shared ? ['unshare', '--pid', '--mount-proc', '--kill-child=SIGKILL'] : undefined;
  const env =
    lane === 'b' && opts.skew !== undefined
      ? { LD_PRELOAD: findLibfaketime(), FAKETIME: opts.skew, FAKETIME_DONT_RESET: '1' }
      : undefined;
  return { host, ...(wrap ? { wrap } : {}), ...(env ? { env } : {}) };
}

export async function runSoak(
  seed: number,
  profile: SoakProfile,
  opts: SoakRunOptions = {},
): Promise<SoakResult> {
  const log = opts.log ?? ((): void => undefined);
  const { scenario, roles } = soakCluster(seed, profile.size);
  const dir = await mkdtemp(join(tmpdir(), 'reboot-daemon-soak-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSim({ scenario, kubeconfigPath, timeScale: profile.timeScale });
  const started = Date.now();
  const names = scenario.nodes.map((n) => n.name);
  const watch = new ConcurrencyWatch(CONCURRENCY, new Set(roles.adminCordoned));
  for (const e of sim.cluster.record.entries()) watch.observe(e);
  const unsubscribe = sim.cluster.record.subscribe((e) => watch.observe(e));
  const records = new RecordWatch(CONCURRENCY, new Set(roles.adminCordoned), () => sim.clock.now());
  for (const n of sim.store.list('nodes').items) records.observe(n);
  const unwatchNodes = sim.store.onChange((resource, type, obj) => {
    if (resource === 'nodes' && type !== 'DELETED') records.observe(obj);
  });
  const ttlReal = opts.lockTtlRealSeconds ?? LOCK_TTL_REAL_SECONDS;
  const flags = runFlags(kubeconfigPath, profile.timeScale, ttlReal);
  const common = { args: flags, onEnd: (r: RunInfo): void => log(describeRun(r)), logDir: opts.logDir };
  const lanes = [
    new Lane({ ...common, ...laneSetup('a', opts), name: 'a', pauseMs: 700 }),
    new Lane({ ...common, ...laneSetup('b', opts), name: 'b', pauseMs: 900 }),
  ];
  const allRuns = (): RunInfo[] => lanes.flatMap((l) => l.runs);
  const rebootedNodes = (): Set<string> => new Set(sim.cluster.record.of('reboot').map((r) => r.node));

  let kills = 0;
  let finished = false;
  let left: string[] = [];
  try {
    for (const l of lanes) l.start();
    // All kills but one at seeded moments; that one hits the run that owns the dead node while it waits
    // for the boot, a seeded 0-3 s after the trigger.
    const schedule = killSchedule(seed, profile).slice(1);
    const deadKillDelay = Math.floor(seededRandom(seed ^ 0xdead)() * 3_000);
    let deadKillAt: number | undefined;
    let due: number | undefined;
    for (;;) {
      await sleep(100);
      const runs = allRuns();
      // The owner of the dead node leaves it for a person once a run reported it failed, as an operator would.
      for (const l of lanes) {
        if (l.only !== undefined) continue;
        if (l.runs.some((r) => reportsDeadKept(r, roles))) {
          l.only = names.filter((n) => n !== roles.dead);
          log(`lane ${l.opts.name} owns the dead node ${roles.dead}: its runs now leave it out`);
        }
      }
      left = workLeft(sim.store, roles, rebootedNodes(), runs);
      if (left.length === 0) {
        finished = true;
        break;
      }
      if (Date.now() - started > profile.deadlineMs) {
        log(`deadline of ${profile.deadlineMs / 1000}s passed; stopping`);
        break;
      }
      if (
        deadKillAt === undefined &&
        sim.cluster.record.of('rebootTriggered').some((e) => e.node === roles.dead)
      )
        deadKillAt = Date.now() + deadKillDelay;
      if (deadKillAt !== undefined && Date.now() >= deadKillAt) {
        // The run that triggered it may have ended already (another failure, a scheduled kill): then the run
        // that resumes the dead node is the target; failing that for 10 s, any live run, so that the soak
        // always delivers its kills.
        const owner =
          lanes.find((l) => l.live && l.run?.rebooting.includes(roles.dead)) ??
          (Date.now() >= deadKillAt + 10_000 ? lanes.find((l) => l.live) : undefined);
        if (owner?.kill()) {
          deadKillAt = Infinity;
          kills++;
          const why = owner.run?.rebooting.includes(roles.dead)
            ? `while it waits for the dead node ${roles.dead} to boot`
            : `no run was waiting for the dead node ${roles.dead}`;
          log(`SIGKILL #${kills}: lane ${owner.opts.name}, ${why}`);
        }
      }
      const next = schedule[0];
      if (next && rebootedNodes().size >= next.afterReboots) {
        due ??= Date.now() + next.delayMs;
        if (Date.now() >= due) {
          const order = next.lane === 0 ? lanes : [...lanes].reverse();
          const victim = order.find((l) => l.live);
          if (victim?.kill()) {
            kills++;
            schedule.shift();
            due = undefined;
            log(`SIGKILL #${kills}: lane ${victim.opts.name}, after ${rebootedNodes().size} reboots`);
          }
        }
      }
    }
  } finally {
    await Promise.all(lanes.map((l) => l.stop(60_000)));
    unsubscribe();
  }
  // Let the last deletions and status writes settle before judging.
  await sleep(1_500);
  unwatchNodes();
  const entries = sim.cluster.record.entries();
  const runs = allRuns();
  const violations: Violation[] = [
    ...watch.violations,
    ...records.violations,
    ...checkBudgets(entries),
    ...checkReboots(entries, names, roles),
    ...checkAdminCordons(entries, sim.store, roles),
    ...checkEndState(sim.store, roles),
    ...checkDeadReported(runs, roles),
    ...checkExitCodes(runs),
  ];
  if (!finished)
    violations.push({
      invariant: 'the soak finishes in time',
      detail: `not done after ${profile.deadlineMs / 1000}s`,
    });
  const stats = sim.server.stats();
  const evictions = sim.cluster.record.of('eviction');
  const result: SoakResult = {
    seed,
    profile,
    roles,
    ms: Date.now() - started,
    finished,
    requests: stats.total,
    injected: stats.injected,
    kills,
    restarts: lanes.reduce((n, l) => n + l.runs.filter((_, i) => l.runs[i - 1]?.killedBySoak).length, 0),
    runs,
    rebooted: rebootedNodes().size,
    evictions: {
      evicted: evictions.filter((e) => e.outcome === 'evicted').length,
      refused: evictions.filter((e) => e.outcome === 'refused').length,
    },
    rebootPodNoops: sim.cluster.record.of('rebootPodNoop').length,
    podReruns: sim.cluster.record.of('podRerun').length,
    maxBusy: watch.maxBusy,
    maxInProgress: records.maxInProgress,
    violations,
    sameOwner: opts.sameOwner === true,
    lockTtlRealSeconds: ttlReal,
    ...(opts.skew === undefined ? {} : { skew: opts.skew }),
    sharedHost: opts.sharedHost === true,
  };
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
  return result;
}
