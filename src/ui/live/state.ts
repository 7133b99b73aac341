// The live view's state, folded from RunEvents by a pure reducer: one entry per node, the window, the lock,
// the log lines for <Static>, and the final result. No React here, so it is tested on its own.
// May import: core, ui/plain, ui/text.

import type { DrainWait, NodeStep, RunEvent, WindowStateView } from '../../core/events.js';
import { describeEvent, sentinel } from '../plain.js';
import { clockTime } from '../text.js';

export type RebootStage = 'triggered' | 'down' | 'up' | 'ready';

export interface NodeLive {
  readonly name: string;
  readonly step: NodeStep;
  readonly message?: string;
  /** Epoch ms of the last step change. */
  readonly since: number;
  readonly sentinel?: string;
  readonly drain?: {
    readonly evicted: number;
    readonly total: number;
    readonly waiting: readonly DrainWait[];
  };
  readonly reboot?: { readonly stage: RebootStage; readonly elapsedMs: number; readonly at: number };
  readonly outcome?: { readonly outcome: 'rebooted' | 'failed' | 'skipped'; readonly reason: string };
}

export type LogTone = 'info' | 'warn' | 'error' | 'good' | 'dim';

export interface LogLine {
  readonly id: number;
  readonly text: string;
  readonly tone: LogTone;
}

export interface RunEnd {
  readonly exitCode: number;
  readonly rebooted: readonly string[];
  readonly failed: readonly string[];
  readonly pending: readonly string[];
  readonly reason: string;
  readonly at: number;
}

export interface LiveState {
  readonly runId?: string;
  readonly dryRun: boolean;
  readonly startedAt?: number;
  readonly window?: WindowStateView;
  readonly lockHolders: readonly string[];
  readonly blocked?: readonly string[];
  readonly nodes: readonly NodeLive[];
  readonly log: readonly LogLine[];
  readonly end?: RunEnd;
}

export const initialLiveState: LiveState = { dryRun: false, lockHolders: [], nodes: [], log: [] };

export interface ReduceOptions {
  /** Keep debug-level log events. */
  readonly verbose: boolean;
}

export function reduceLive(
  state: LiveState,
  e: RunEvent,
  opts: ReduceOptions = { verbose: false },
): LiveState {
  const next = apply(state, e);
  const line = logLine(e, opts);
  return line ? { ...next, log: [...next.log, { id: next.log.length, ...line }] } : next;
}

function apply(s: LiveState, e: RunEvent): LiveState {
  switch (e.type) {
    case 'run-start':
      return { ...s, runId: e.runId, dryRun: e.dryRun, startedAt: e.at };
    case 'window':
      return { ...s, window: e.window };
    case 'blocked':
      return e.node === undefined
        ? { ...s, blocked: e.reasons }
        : upsert(s, e.node, e.at, (n) => ({ ...n, step: 'blocked', message: e.reasons.join('; ') }));
    case 'probe':
      return upsert(s, e.node, e.at, (n) => {
        if (n.step !== 'check') return { ...n, sentinel: sentinel(e.result) };
        // Nothing to do on this node: show it as settled rather than still checking.
        const settled = e.result.kind === 'not-required';
        return {
          ...n,
          sentinel: sentinel(e.result),
          message: sentinel(e.result),
          ...(settled ? { step: 'skipped' } : {}),
        };
      });
    case 'step':
      return upsert(s, e.node, e.at, (n) => {
        const changed = n.step !== e.step;
        const { message: _old, ...rest } = n;
        return {
          ...rest,
          step: e.step,
          since: changed ? e.at : n.since,
          ...(e.message ? { message: e.message } : {}),
        };
      });
    case 'drain-progress':
      return upsert(s, e.node, e.at, (n) => ({
        ...n,
        step: n.step === 'cordon' || n.step === 'lock' || n.step === 'check' ? 'drain' : n.step,
        drain: { evicted: e.evicted, total: e.total, waiting: e.waiting },
      }));
    case 'reboot-progress':
      return upsert(s, e.node, e.at, (n) => ({
        ...n,
        step: e.stage === 'up' || e.stage === 'ready' ? (n.step === 'done' ? 'done' : 'back') : 'reboot',
        reboot: { stage: e.stage, elapsedMs: e.elapsedMs, at: e.at },
      }));
    case 'lock':
      return { ...s, lockHolders: e.holders };
    case 'log':
      return s;
    case 'node-result':
      return upsert(s, e.node, e.at, (n) => ({
        ...n,
        step: e.outcome === 'rebooted' ? 'done' : e.outcome === 'failed' ? 'failed' : 'skipped',
        message: e.reason,
        outcome: { outcome: e.outcome, reason: e.reason },
      }));
    case 'run-end':
      return {
        ...s,
        end: {
          exitCode: e.exitCode,
          rebooted: e.rebooted,
          failed: e.failed,
          pending: e.pending,
          reason: e.reason,
          at: e.at,
        },
      };
  }
}

function upsert(s: LiveState, name: string, at: number, f: (n: NodeLive) => NodeLive): LiveState {
  const i = s.nodes.findIndex((n) => n.name === name);
  const current: NodeLive = i >= 0 ? (s.nodes[i] as NodeLive) : { name, step: 'check', since: at };
  const nodes = [...s.nodes];
  if (i >= 0) nodes[i] = f(current);
  else nodes.push(f(current));
  return { ...s, nodes };
}

/** Which events become a permanent log line above the live area, and in which tone. */
function logLine(e: RunEvent, opts: ReduceOptions): { text: string; tone: LogTone } | undefined {
  const text = `${clockTime(e.at)} ${describeEvent(e)}`;
  switch (e.type) {
    case 'drain-progress':
      return undefined; // the node's row shows it as it changes
    case 'log':
      if (e.level === 'debug' && !opts.verbose) return undefined;
      return {
        text,
        tone:
          e.level === 'error' ? 'error' : e.level === 'warn' ? 'warn' : e.level === 'debug' ? 'dim' : 'info',
      };
    case 'node-result':
      return { text, tone: e.outcome === 'rebooted' ? 'good' : e.outcome === 'failed' ? 'error' : 'warn' };
    case 'blocked':
      return { text, tone: 'warn' };
    case 'step':
      return { text, tone: e.step === 'failed' ? 'error' : e.step === 'done' ? 'good' : 'info' };
    case 'run-end':
      return { text, tone: e.exitCode === 0 ? 'good' : e.failed.length ? 'error' : 'warn' };
    default:
      return { text, tone: 'info' };
  }
}
