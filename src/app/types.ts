// What the orchestrator needs (ports, an emit function, a window decision) and the options of a run.
// May import: core, ports.

import type { EmitFn } from '../core/events.js';
import type { DrainFilterOptions } from '../core/filters.js';
import { defaultDrainFilterOptions } from '../core/filters.js';
import type { OrderMode } from '../core/order.js';
import type { WindowState } from '../core/window.js';
import type { Blocker } from '../ports/blockers.js';
import type { Clock } from '../ports/clock.js';
import type { ClusterPort } from '../ports/cluster.js';
import type { ForeignLockReader, LeaseStore } from '../ports/lock.js';
import type { HelperPodJanitor, Rebooter, SentinelChecker } from '../ports/node-exec.js';
import type { ProcessInfo } from '../ports/process.js';
import type { ServerTime } from '../ports/server-time.js';

export interface RunDeps {
  readonly cluster: ClusterPort;
  readonly sentinel: SentinelChecker;
  readonly rebooter: Rebooter;
  readonly janitor: HelperPodJanitor;
  readonly lease: LeaseStore;
  /** kured's own lock; while it has holders, nothing starts. Absent when kured is not considered. */
  readonly foreignLock?: ForeignLockReader;
  readonly blockers: readonly Blocker[];
  readonly clock: Clock;
  readonly emit: EmitFn;
  /** The maintenance window decision at a time; e.g. (now) => windowState(schedule, now, marginMs). */
  readonly windowState: (nowMs: number) => WindowState;
  /** The API server's clock: every time written to the Lease or a node record, and every expiry, uses it. */
  readonly serverTime: ServerTime;
  /** This process, recorded on Lease holds and node records; tells a certainly dead holder from a live one. */
  readonly process: ProcessInfo;
}

export interface DrainRunOptions extends DrainFilterOptions {
  /** --drain-pod-selector: only these pods are drained. */
  readonly podSelector?: string;
  /** --drain-grace-period: -1 keeps each pod's own. */
  readonly gracePeriodSeconds: number;
  /** --drain-timeout in ms; 0 means no limit. */
  readonly timeoutMs: number;
  /** First retry delay after a 429; doubles up to retryMaxMs. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export interface RunOptions {
  /** Stable identity of whoever runs the tool (e.g. user@host): it may resume its own interrupted work. */
  readonly owner: string;
  /** Unique per run; generated when absent. */
  readonly runId?: string;
  readonly dryRun: boolean;
  /** --concurrency: nodes in progress at once, and the number of slots in the Lease. */
  readonly concurrency: number;
  /** --probe-concurrency: sentinel checks in parallel. */
  readonly probeConcurrency: number;
  /** --node-selector, sent to the server. */
  readonly nodeSelector?: string;
  readonly order: OrderMode;
  /** --max-per-zone; 0 means no limit. */
  readonly maxPerZone: number;
  readonly drain: DrainRunOptions;
  /** --force-reboot: reboot even when the drain fails. */
  readonly forceReboot: boolean;
  /** --reboot-timeout: from the trigger to a new boot ID. */
  readonly rebootTimeoutMs: number;
  /** --ready-timeout: from the new boot ID to a stable Ready. */
  readonly readyTimeoutMs: number;
  /** Ready must hold this long, observed, before the node counts as back. */
  readonly readyStableMs: number;
  /** How long to wait for the evicted workloads and their PDBs to be healthy again. */
  readonly healthTimeoutMs: number;
  readonly healthPollMs: number;
  /** --lock-ttl: a holder not renewed for this long is dead. */
  readonly lockTtlMs: number;
  /** --lock-release-delay: wait this long after a node before releasing its lock (the delay between nodes). */
  readonly lockReleaseDelayMs: number;
  /** How long to wait for a free lock slot before leaving the node pending; 0 = do not wait. */
  readonly lockWaitMs: number;
  /** --annotate-nodes: kured's weave.works/kured-* annotations. */
  readonly annotateNodes: boolean;
  readonly preRebootNodeLabels: Readonly<Record<string, string>>;
  readonly postRebootNodeLabels: Readonly<Record<string, string>>;
  /** Stops the run: the current safe step finishes, state is recorded, what can be released is released. */
  readonly signal?: AbortSignal;
}

export const defaultDrainRunOptions: DrainRunOptions = {
  ...defaultDrainFilterOptions,
  gracePeriodSeconds: -1,
  timeoutMs: 0,
  retryInitialMs: 250,
  retryMaxMs: 4_000,
};

export const defaultRunOptions: Omit<RunOptions, 'owner'> = {
  dryRun: false,
  concurrency: 1,
  probeConcurrency: 10,
  order: 'name',
  maxPerZone: 0,
  drain: defaultDrainRunOptions,
  forceReboot: false,
  rebootTimeoutMs: 10 * 60_000,
  readyTimeoutMs: 10 * 60_000,
  readyStableMs: 30_000,
  healthTimeoutMs: 15 * 60_000,
  healthPollMs: 5_000,
  lockTtlMs: 30 * 60_000,
  lockReleaseDelayMs: 0,
  lockWaitMs: 0,
  annotateNodes: false,
  preRebootNodeLabels: {},
  postRebootNodeLabels: {},
};

/** Fills in defaults; `drain` may be given in part. */
export function resolveRunOptions(
  opts: Partial<Omit<RunOptions, 'drain'>> & { owner: string; drain?: Partial<DrainRunOptions> },
): RunOptions {
  return { ...defaultRunOptions, ...opts, drain: { ...defaultDrainRunOptions, ...opts.drain } };
}

export interface RunResult {
  readonly exitCode: number;
  readonly rebooted: readonly string[];
  readonly failed: readonly string[];
  /** Reboots needed but not started: outside the window, blocked, lock held, or stopped. */
  readonly pending: readonly string[];
  /** Nodes whose need is unknown (probe failed): not rebooted. */
  readonly unknown: readonly string[];
  readonly reason: string;
}
