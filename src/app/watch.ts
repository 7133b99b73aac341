// watch(): watch mode — runOnce again and again, for as long as the signal allows. After each pass it decides
// when to look next: outside the window, sleep until the window opens (and say when); after a failed pass,
// back off and retry; while blocked or pending, check again soon; otherwise wait one --period. With a node
// feed (agents publishing annotations), a node that becomes reboot-required wakes it at once. Every reboot
// still goes through runOnce, so the Lease bounds how many nodes are down, whoever else runs. The first
// abort lets runOnce finish the current node's safe step and release what it can; then watch returns.
// May import: core, ports, app.

import { agentReport } from '../core/agent-report.js';
import { formatDuration } from '../core/duration.js';
import { ExitCode } from '../core/errors.js';
import type { NodeFeed } from '../ports/node-watch.js';
import { newRunId, runOnce } from './run.js';
import type { RunDeps, RunOptions, RunResult } from './types.js';
import { errorMessage, iso, nap, Wake } from './util.js';

/** A wait as people read it: whole seconds (sub-second only below one second). */
const human = (ms: number): string => formatDuration(ms >= 1_000 ? Math.round(ms / 1_000) * 1_000 : ms);

export interface WatchDeps extends RunDeps {
  /** Node changes (list, then watch): lets agent reports wake the loop. Absent: the period alone. */
  readonly nodeFeed?: NodeFeed;
}

export interface WatchOptions {
  /** --period: how often the sentinels are checked when nothing else wakes the loop. */
  readonly periodMs: number;
  /** First wait after a failed pass; doubles each time, up to maxRetryMs. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
  /** How soon a pass with pending nodes (blocked, lock held by others) is tried again; at most the period. */
  readonly recheckMs: number;
}

export const defaultWatchOptions: WatchOptions = {
  periodMs: 3_600_000,
  retryMs: 10_000,
  maxRetryMs: 5 * 60_000,
  recheckMs: 60_000,
};

export interface WatchResult {
  readonly exitCode: number;
  readonly passes: number;
  readonly reason: string;
  /** The last pass's result, when there was one. */
  readonly last?: RunResult;
}

/** What to do after a pass: how long to wait, why, and whether a node event may cut the wait short. */
export interface NextPass {
  readonly waitMs: number;
  readonly message: string;
  readonly level: 'info' | 'warn';
  readonly wakeable: boolean;
}

/** The pure decision after a pass. `failures` counts failed passes in a row, this one included. */
export function nextPass(
  result: RunResult,
  window: { readonly canStart: boolean; readonly nextOpen?: number; readonly description: string },
  now: number,
  failures: number,
  opts: WatchOptions,
): NextPass {
  if (!window.canStart && window.nextOpen !== undefined) {
    const waitMs = Math.max(0, window.nextOpen - now);
    const pending = result.pending.length > 0 ? ` (${result.pending.length} node(s) waiting for it)` : '';
    return {
      waitMs,
      message: `outside the maintenance window (${window.description})${pending}: sleeping until ${iso(window.nextOpen)}, in ${human(waitMs)}`,
      level: 'info',
      wakeable: false,
    };
  }
  if (result.exitCode === ExitCode.NodeFailed) {
    const waitMs = Math.min(opts.maxRetryMs, opts.retryMs * 2 ** Math.max(0, failures - 1));
    return {
      waitMs,
      message: `the pass did not finish (${result.reason}); trying again in ${human(waitMs)} (attempt ${failures + 1})`,
      level: 'warn',
      wakeable: true,
    };
  }
  if (result.pending.length > 0) {
    const waitMs = Math.min(opts.recheckMs, opts.periodMs);
    return {
      waitMs,
      message: `${result.pending.join(', ')} pending (${result.reason}); checking again in ${human(waitMs)}`,
      level: 'info',
      wakeable: true,
    };
  }
  return {
    waitMs: opts.periodMs,
    message: `next check in ${human(opts.periodMs)}, at ${iso(now + opts.periodMs)}`,
    level: 'info',
    wakeable: true,
  };
}

export async function watch(deps: WatchDeps, run: RunOptions, opts: WatchOptions): Promise<WatchResult> {
  const { clock, emit } = deps;
  const signal = run.signal;
  const wake = new Wake();
  let dirty = false;
  const feedStop = new AbortController();
  const feedSignal = signal ? AbortSignal.any([signal, feedStop.signal]) : feedStop.signal;
  const feed = deps.nodeFeed
    ? followFeed(deps, deps.nodeFeed, feedSignal, () => {
        dirty = true;
        wake.notify();
      })
    : Promise.resolve();
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void =>
    emit({ type: 'log', at: clock.now(), level, message });

  let passes = 0;
  let failures = 0;
  let last: RunResult | undefined;
  try {
    while (!signal?.aborted) {
      dirty = false;
      passes++;
      last = await runOnce(deps, { ...run, runId: newRunId() });
      if (signal?.aborted) break;
      failures = last.exitCode === ExitCode.NodeFailed ? failures + 1 : 0;
      const now = deps.serverTime.now();
      const w = deps.windowState(now);
      const next = nextPass(last, w, now, failures, opts);
      if (!next.wakeable) emit({ type: 'window', at: now, window: w });
      if (next.wakeable && dirty) {
        log('info', 'a node reported a new need for a reboot during the pass; checking again now');
        continue;
      }
      log(next.level, next.message);
      if (next.wakeable) await wake.wait(clock, next.waitMs, signal);
      else await nap(clock, next.waitMs, signal);
    }
  } finally {
    feedStop.abort();
    await feed;
  }
  const reason = signal?.aborted ? `stopped on request after ${passes} pass(es)` : 'stopped';
  log('info', `watch: ${reason}`);
  return { exitCode: ExitCode.Ok, passes, reason, ...(last ? { last } : {}) };
}

/**
 * Follows the node feed until the signal aborts, restarting it with backoff when it gives up; calls onNew
 * when a node's agent report turns to "required". Every problem is logged.
 */
async function followFeed(
  deps: WatchDeps,
  feed: NodeFeed,
  signal: AbortSignal,
  onNew: () => void,
): Promise<void> {
  const { clock, emit } = deps;
  const required = new Map<string, boolean>();
  const onNode = (node: Parameters<Parameters<NodeFeed['follow']>[0]>[0]): void => {
    const report = agentReport(node, deps.serverTime.now());
    const now = report?.kind === 'required';
    const before = required.get(node.name);
    required.set(node.name, now);
    if (now && before !== true) {
      emit({
        type: 'log',
        at: clock.now(),
        level: 'info',
        node: node.name,
        message: `the agent reports a reboot is required (${report.reason})`,
      });
      onNew();
    }
  };
  const onTrouble = (message: string): void =>
    emit({ type: 'log', at: clock.now(), level: 'warn', message: `node watch: ${message}; retrying` });
  let backoff = 1_000;
  while (!signal.aborted) {
    try {
      await feed.follow(onNode, onTrouble, signal);
      backoff = 1_000;
      if (!signal.aborted) await nap(clock, backoff, signal);
    } catch (err) {
      if (signal.aborted) return;
      emit({
        type: 'log',
        at: clock.now(),
        level: 'error',
        message: `node watch failed: ${errorMessage(err)}; reacting to the period only until it works again (next try in ${formatDuration(backoff)})`,
      });
      await nap(clock, backoff, signal);
      backoff = Math.min(5 * 60_000, backoff * 2);
    }
  }
}
