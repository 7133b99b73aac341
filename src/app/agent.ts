// runAgent(): agent mode, one per node (a DaemonSet). Every --period it checks its own node's sentinel and
// publishes the answer on its Node as annotations (core/agent-report.ts), so `status` and watch mode read
// one list instead of starting check pods. With `reboot`, it also reboots its own node when needed, through
// runOnce: the same Lease, window, blockers, drain and boot-ID guard as any run (the composition root
// restricts the cluster to this node and gives the local rebooter). Returns when the signal aborts.
// May import: core, ports, app.

import { agentAnnotations } from '../core/agent-report.js';
import { formatDuration } from '../core/duration.js';
import { ExitCode } from '../core/errors.js';
import { STATE_ANNOTATION } from '../core/keys.js';
import type { SentinelResult } from '../core/types.js';
import { newRunId, runOnce } from './run.js';
import type { RunDeps, RunOptions, RunResult } from './types.js';
import { errorMessage, iso, nap } from './util.js';

export interface AgentOptions {
  /** This node's name (the downward API's spec.nodeName). */
  readonly node: string;
  readonly periodMs: number;
  /** Reboot this node when it needs it, instead of only reporting. */
  readonly reboot: boolean;
  /** First wait after a failed publish or pass; doubles up to the period. */
  readonly retryMs: number;
}

export interface AgentResult {
  readonly exitCode: number;
  readonly checks: number;
  readonly reason: string;
}

/** One check and publish. Returns the result, or throws when the Node could not be read or patched. */
export async function checkAndPublish(
  deps: Pick<RunDeps, 'cluster' | 'sentinel' | 'clock' | 'serverTime' | 'emit'>,
  opts: Pick<AgentOptions, 'node' | 'periodMs'>,
  signal?: AbortSignal,
): Promise<{ result: SentinelResult; inProgress: boolean }> {
  const { cluster, clock, emit } = deps;
  const result = await deps.sentinel.check(opts.node, signal);
  emit({ type: 'probe', at: clock.now(), node: opts.node, result });
  const node = await cluster.getNode(opts.node);
  const annotations = agentAnnotations(result, {
    now: deps.serverTime.now(),
    periodMs: opts.periodMs,
    bootID: node.bootID,
    previous: node.annotations,
  });
  await cluster.patchNode(opts.node, { annotations });
  return { result, inProgress: node.annotations[STATE_ANNOTATION] !== undefined };
}

export async function runAgent(deps: RunDeps, run: RunOptions, opts: AgentOptions): Promise<AgentResult> {
  const { clock, emit } = deps;
  const signal = run.signal;
  const log = (level: 'info' | 'warn' | 'error', message: string): void =>
    emit({ type: 'log', at: clock.now(), level, node: opts.node, message });
  log(
    'info',
    `agent on ${opts.node}: checking every ${formatDuration(opts.periodMs)}${opts.reboot ? ', rebooting this node when needed' : ', reporting only'}`,
  );
  let checks = 0;
  let failures = 0;
  while (!signal?.aborted) {
    let waitMs = opts.periodMs;
    try {
      const { result, inProgress } = await checkAndPublish(deps, opts, signal);
      checks++;
      failures = 0;
      if (opts.reboot && (result.kind === 'required' || inProgress) && !signal?.aborted) {
        const pass = await runOnce(deps, { ...run, runId: newRunId() });
        waitMs = afterPass(deps, pass, opts, log);
      }
    } catch (err) {
      if (signal?.aborted) break;
      failures++;
      waitMs = Math.min(opts.periodMs, opts.retryMs * 2 ** (failures - 1));
      log(
        'warn',
        `could not publish the check on ${opts.node}: ${errorMessage(err)}; retrying in ${formatDuration(waitMs)}`,
      );
    }
    await nap(clock, waitMs, signal);
  }
  return { exitCode: ExitCode.Ok, checks, reason: `stopped on request after ${checks} check(s)` };
}

/** After a reboot pass: retry a failure soon, wait for the window (at most a period: the report must stay fresh). */
function afterPass(
  deps: Pick<RunDeps, 'clock' | 'serverTime' | 'windowState'>,
  pass: RunResult,
  opts: AgentOptions,
  log: (level: 'info' | 'warn', message: string) => void,
): number {
  const now = deps.serverTime.now();
  if (pass.exitCode === ExitCode.NodeFailed) {
    const waitMs = Math.min(opts.periodMs, opts.retryMs);
    log('warn', `the reboot pass did not finish (${pass.reason}); trying again in ${formatDuration(waitMs)}`);
    return waitMs;
  }
  const w = deps.windowState(now);
  if (pass.pending.length > 0 && !w.canStart && w.nextOpen !== undefined) {
    const waitMs = Math.max(1, Math.min(opts.periodMs, w.nextOpen - now));
    log('info', `outside the maintenance window (${w.description}); it opens ${iso(w.nextOpen)}`);
    return waitMs;
  }
  // Blocked, or the lock is held elsewhere: look again within a minute.
  if (pass.pending.length > 0) return Math.min(opts.periodMs, 60_000);
  return opts.periodMs;
}
