// The soak's CLI runs: each lane spawns `reboot-daemon run` (JSON lines) again and again under one owner,
// restarting it after it exits or is SIGKILLed, until told to stop. Two lanes run at once, with different
// owners unless the soak asks for one. What each run reported (exit code, node results) is kept for the checks.
// May import: node built-ins.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

export const BIN = resolve('bin/reboot-daemon.js');
/** Preloaded into each run: makes os.hostname() answer the lane's host, so lanes have different owners. */
export const OWNER_SHIM = resolve('soak/owner-host.mjs');

export interface NodeResult {
  readonly node: string;
  readonly outcome: string;
  readonly reason: string;
}

export interface RunInfo {
  readonly lane: string;
  readonly index: number;
  readonly args: readonly string[];
  readonly startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  killedBySoak: boolean;
  readonly nodeResults: NodeResult[];
  /** The run-end event's reason, when the run got that far. */
  endReason?: string;
  /** Why sentinel checks came back unknown. */
  readonly unknownProbes: string[];
  /** The skews (s, positive when ahead) its warnings said this machine's clock has against the server's. */
  readonly clockSkews: number[];
  /** Nodes this run started to reboot (its `reboot` steps). */
  readonly rebooting: string[];
  /** Lines on stdout that are not JSON events, and stderr: kept short, for the report. */
  noise: string;
}

export interface LaneOptions {
  readonly name: string;
  /** The owner's host name (the owner is user@host). */
  readonly host: string;
  /** Arguments after `run`, without node names. */
  readonly args: readonly string[];
  /** Pause between runs, real ms. */
  readonly pauseMs: number;
  /** Write each run's output here, as <lane>-<index>.log. */
  readonly logDir?: string;
  /** Told about each run that ended. */
  readonly onEnd?: (run: RunInfo) => void;
  /** A command that runs each run (e.g. `unshare ... --kill-child`); it must pass a SIGKILL on to the run. */
  readonly wrap?: readonly string[];
  /** More environment for each run (e.g. libfaketime's, for a skewed clock). */
  readonly env?: Readonly<Record<string, string>>;
}

const NOISE_LIMIT = 4_000;

export class Lane {
  readonly runs: RunInfo[] = [];
  /** When set, runs name every node but these (a broken node the operator leaves for later). */
  only: readonly string[] | undefined;
  private child: ChildProcess | undefined;
  private current: RunInfo | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(readonly opts: LaneOptions) {}

  /** The live run, if any. */
  get run(): RunInfo | undefined {
    return this.live ? this.current : undefined;
  }

  get live(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    this.loop ??= this.loopRuns();
  }

  /** SIGKILLs the current run; the lane starts the next one. False when no run is live. */
  kill(): boolean {
    if (!this.live || !this.child || !this.current) return false;
    this.current.killedBySoak = true;
    return this.child.kill('SIGKILL');
  }

  /**
   * Starts no further runs (but one after a run the soak killed, so that it is resumed and its helper pods
   * collected); waits for the live run up to graceMs, then sends SIGTERM, and SIGKILL 10 s later.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    const deadline = Date.now() + graceMs;
    let termAt: number | undefined;
    const monitor = setInterval(() => {
      if (!this.live || Date.now() < deadline) return;
      if (termAt === undefined) {
        termAt = Date.now();
        this.child?.kill('SIGTERM');
      } else if (Date.now() - termAt > 10_000) this.child?.kill('SIGKILL');
    }, 250);
    try {
      await (this.loop ?? Promise.resolve());
    } finally {
      clearInterval(monitor);
    }
  }

  private async loopRuns(): Promise<void> {
    for (;;) {
      await this.once();
      if (this.stopping && !this.runs.at(-1)?.killedBySoak) break;
      if (this.stopping) continue;
      await new Promise<void>((r) => {
        this.wakeUp = r;
        setTimeout(r, this.opts.pauseMs);
      });
    }
  }

  private once(): Promise<void> {
    const args = ['run', ...this.opts.args, ...(this.only ?? [])];
    const info: RunInfo = {
      lane: this.opts.name,
      index: this.runs.length,
      args,
      startedAt: Date.now(),
      killedBySoak: false,
      nodeResults: [],
      unknownProbes: [],
      clockSkews: [],
      rebooting: [],
      noise: '',
    };
    this.runs.push(info);
    this.current = info;
    const argv = [process.execPath, '--import', OWNER_SHIM, BIN, ...args];
    const [cmd, ...rest] = [...(this.opts.wrap ?? []), ...argv] as [string, ...string[]];
    const child = spawn(cmd, rest, {
      env: { ...laneEnv(this.opts.host), ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const file = this.opts.logDir
      ? createWriteStream(join(this.opts.logDir, `${this.opts.name}-${info.index}.log`))
      : undefined;
    file?.write(`# ${[BIN, ...args].join(' ')}\n`);
    child.stdout.on('data', (chunk: string) => file?.write(chunk));
    child.stderr.on('data', (chunk: string) => file?.write(chunk));
    let buffered = '';
    const note = (text: string): void => {
      if (info.noise.length < NOISE_LIMIT) info.noise += text.slice(0, NOISE_LIMIT - info.noise.length);
    };
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        readEvent(line, info, note);
      }
    });
    child.stderr.on('data', note);
    return new Promise((done) => {
      child.on('close', (code, signal) => {
        if (buffered.trim() !== '') readEvent(buffered, info, note);
        info.endedAt = Date.now();
        info.exitCode = code;
        info.signal = signal;
        this.child = undefined;
        file?.end(
          `# exit ${String(code)} signal ${String(signal)}${info.killedBySoak ? ' (SIGKILLed by the soak)' : ''}\n`,
        );
        this.opts.onEnd?.(info);
        done();
      });
    });
  }
}

function readEvent(line: string, info: RunInfo, note: (text: string) => void): void {
  if (line.trim() === '') return;
  let e: {
    type?: unknown;
    node?: unknown;
    outcome?: unknown;
    reason?: unknown;
    result?: unknown;
    step?: unknown;
    message?: unknown;
  };
  try {
    e = JSON.parse(line) as typeof e;
  } catch {
    note(`${line}\n`);
    return;
  }
  if (e.type === 'node-result' && typeof e.node === 'string') {
    info.nodeResults.push({ node: e.node, outcome: String(e.outcome), reason: String(e.reason ?? '') });
  }
  if (e.type === 'step' && e.step === 'reboot' && typeof e.node === 'string') info.rebooting.push(e.node);
  const skew = e.type === 'log' && typeof e.message === 'string' ? warnedSkew(e.message) : undefined;
  if (skew !== undefined) info.clockSkews.push(skew);
  if (e.type === 'run-end') info.endReason = String(e.reason ?? '');
  const result = e.result as { kind?: unknown; error?: unknown } | undefined;
  if (e.type === 'probe' && result?.kind === 'unknown') info.unknownProbes.push(String(result.error));
}

/** The environment of a run: nothing that could point it elsewhere, plus the lane's host name. */
function laneEnv(host: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'KUBECONFIG' || k.startsWith('REBOOT_DAEMON_') || k.startsWith('KURED_')) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', CI: 'true', SOAK_HOSTNAME: host };
}

/** A clock warning's skew in seconds: positive when this machine's clock is ahead of the server's. */
export function warnedSkew(message: string): number | undefined {
  const m = /clock is (\d+)s (ahead of|behind) the API server's/.exec(message);
  return m ? Number(m[1]) * (m[2] === 'behind' ? -1 : 1) : undefined;
}
