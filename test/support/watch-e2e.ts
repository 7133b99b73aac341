// Pieces for end-to-end tests of the long-running modes: a simulated cluster on a scaled clock (in this
// process, so tests can touch its hosts and read its record), the CLI spawned from bin/ following that clock,
// a tiny fake Prometheus, a notification receiver, and readers for the Lease and the metrics endpoint.
// May import: src/sim, src/adapters (constants), src/core, node built-ins.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { HOLDERS_ANNOTATION, LEASE_NAME } from '../../src/adapters/k8s/lease.js';
import type { RunEvent } from '../../src/core/events.js';
import { realClock } from '../../src/sim/clock.js';
import { createSimCluster, type SimCluster } from '../../src/sim/cluster.js';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { defaultScenario, type Scenario, type ScenarioFaults } from '../../src/sim/scenario.js';

export const BIN = resolve('bin/reboot-daemon.js');

export interface ScaledSim {
  readonly sim: RunningSim;
  readonly cluster: SimCluster;
  readonly kubeconfigPath: string;
  /** The hidden --sim-clock value that makes a spawned CLI follow this cluster's clock. */
  readonly simClockArg: string;
  stop(): Promise<void>;
}

/** control-plane-1 and worker-1..N-1, none needing a reboot, on a clock `scale` times fast from `start`. */
export async function startScaledSim(opts: {
  readonly dir: string;
  readonly nodes: number;
  readonly scale: number;
  readonly start: number;
  readonly faults?: Partial<ScenarioFaults>;
}): Promise<ScaledSim> {
  const base = defaultScenario(opts.nodes);
  const scenario: Scenario = {
    ...base,
    nodes: base.nodes.map((n) => ({ ...n, rebootRequired: false, rebootRequiredPkgs: [] })),
    faults: { ...base.faults, ...opts.faults },
  };
  const clock = realClock(opts.scale, opts.start);
  const anchor = Date.now();
  const simNow = clock.now();
  const cluster = createSimCluster({ scenario, clock });
  const kubeconfigPath = join(opts.dir, 'kubeconfig');
  const sim = await startSim({ cluster, port: 0, kubeconfigPath });
  return {
    sim,
    cluster,
    kubeconfigPath,
    simClockArg: `${simNow},${opts.scale},${anchor}`,
    stop: () => sim.stop(),
  };
}

/** The Lease's holders (node names), [] when free or absent. */
export function leaseHolders(sim: RunningSim, namespace = 'reboot-daemon'): string[] {
  const lease = sim.store.tryGet('leases', namespace, LEASE_NAME);
  const text = lease?.metadata.annotations?.[HOLDERS_ANNOTATION];
  if (!text) return [];
  const parsed = JSON.parse(text) as { holders?: { node: string }[] };
  return (parsed.holders ?? []).map((h) => h.node);
}

/** Most nodes down (NotReady after a reboot trigger, until back up) at the same time, from the record. */
export function maxDownAtOnce(cluster: SimCluster): number {
  const down = new Set<string>();
  let max = 0;
  for (const e of cluster.record.entries()) {
    if (e.kind === 'rebootTriggered' || e.kind === 'nodeDown') down.add(e.node);
    if (e.kind === 'nodeUp') down.delete(e.node);
    max = Math.max(max, down.size);
  }
  return max;
}

export function rebootsByNode(cluster: SimCluster): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of cluster.record.entries()) if (e.kind === 'reboot') out[e.node] = (out[e.node] ?? 0) + 1;
  return out;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Every JSON event line printed so far. */
  events(): RunEvent[];
  output(): string;
  waitFor(what: string, pred: () => boolean, timeoutMs: number): Promise<void>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  const events: RunEvent[] = [];
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    out += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        // not an event line
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return {
    child,
    events: () => events,
    output: () => `${out}\n--- stderr ---\n${err}`,
    exited: () => exit,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async waitFor(what, pred, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the CLI exited while waiting for ${what}:\n${tail(out, err)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${tail(out, err)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

function tail(out: string, err: string): string {
  return `${out.split('\n').slice(-40).join('\n')}\n--- stderr ---\n${err.slice(-3000)}`;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface FakePrometheus {
  readonly url: string;
  firing: boolean;
  queries: number;
  close(): Promise<void>;
}

/** Answers the instant query ALERTS with one firing alert while `firing`, with none otherwise. */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  const state = { firing: true, queries: 0 };
  const server = createServer((req, res) => {
    state.queries++;
    const result = state.firing
      ? [
          {
            metric: { alertname: 'NodeDiskFull', alertstate: 'firing', severity: 'critical' },
            value: [0, '1'],
          },
        ]
      : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    void req;
  });
  const url = await listen(server);
  return Object.assign(state, {
    url,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as FakePrometheus;
}

export interface Receiver {
  readonly url: string;
  readonly messages: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A generic webhook receiver: stores each JSON body. */
export async function startReceiver(): Promise<Receiver> {
  const messages: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      try {
        messages.push(JSON.parse(body) as Record<string, unknown>);
      } catch {
        messages.push({ raw: body });
      }
      res.writeHead(200).end('ok');
    });
  });
  const url = await listen(server);
  return { url: `${url}/hook`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** GET /metrics of a running process; the value of reboot_daemon_reboots_total{result}. */
export async function rebootsTotal(port: number, result: 'success' | 'failure'): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^reboot_daemon_reboots_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text);
  if (!m) throw new Error(`no reboots_total{result="${result}"} in:\n${text.slice(0, 2000)}`);
  return Number(m[1]);
}

/** The metrics port a process announced in its log. */
export function metricsPortOf(events: readonly RunEvent[]): number | undefined {
  for (const e of events) {
    const m = e.type === 'log' ? /serving \/metrics and \/healthz on port (\d+)/.exec(e.message) : null;
    if (m) return Number(m[1]);
  }
  return undefined;
}
