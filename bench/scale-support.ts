// Support for bench/scale.ts and bench/kured-model.ts: a simulated cluster whose API server's store calls are
// recorded (the pod lists it served, with or without a page limit), the built CLI spawned under
// /usr/bin/time for its peak RSS, and agents' reports written onto every node.
// May import: src/sim, test/support, node built-ins.
import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimCluster } from '../src/sim/cluster.js';
import { realClock } from '../src/sim/clock.js';
import { startSim, type RunningCluster } from '../src/sim/index.js';
import type { Scenario } from '../src/sim/scenario-types.js';
import type { ListOptions, Store } from '../src/sim/types.js';
import { BIN } from '../test/support/e2e-cli.js';

/** The pod lists the API server answered (from HTTP requests only, not the simulator's own behaviours). */
export interface PodListLog {
  paged: number;
  /** Lists of pods without a `limit`: each could return every pod of the cluster in one answer. */
  unpaged: number;
  /** The unpaged ones, as field/label selectors, for the report. */
  unpagedSelectors: string[];
}

export interface RecordedSim {
  readonly sim: RunningCluster;
  /** The cluster's own store, whose calls are not recorded. */
  readonly store: Store;
  readonly kubeconfigPath: string;
  readonly podLists: PodListLog;
  readonly buildMs: number;
  stop(): Promise<void>;
}

/**
 * Builds a simulated cluster (timed), then serves it through a store wrapper that sees exactly what the HTTP
 * handlers ask of the store; the behaviours keep the unwrapped store.
 */
export async function startRecordedSim(scenario: Scenario, timeScale = 1): Promise<RecordedSim> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const t0 = performance.now();
  const cluster = createSimCluster({ scenario, clock: realClock(timeScale) });
  const buildMs = performance.now() - t0;
  const podLists: PodListLog = { paged: 0, unpaged: 0, unpagedSelectors: [] };
  const real = cluster.store;
  const recording: Store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'list') return Reflect.get(target, prop, receiver) as unknown;
      return (resource: string, opts?: ListOptions) => {
        if (resource === 'pods') {
          if (opts?.limit !== undefined && opts.limit > 0) podLists.paged++;
          else {
            podLists.unpaged++;
            podLists.unpagedSelectors.push(
              `${opts?.fieldSelector ?? ''} ${opts?.labelSelector ?? ''}`.trim() || '(all pods)',
            );
          }
        }
        return target.list(resource, opts);
      };
    },
  });
  const served = new Proxy(cluster, {
    get: (target, prop, receiver) =>
      prop === 'store' ? recording : (Reflect.get(target, prop, receiver) as unknown),
  });
  const sim = (await startSim({ cluster: served, kubeconfigPath })) as RunningCluster;
  return {
    sim,
    store: real,
    kubeconfigPath,
    podLists,
    buildMs,
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until every pod is Running (the scenario's workloads have started), at most `maxMs`; returns how many
 * are not. The resourceVersion never rests: node heartbeats keep writing.
 */
export async function settle(store: Store, maxMs = 120_000): Promise<number> {
  const end = Date.now() + maxMs;
  for (;;) {
    const pending = store.list('pods').items.filter((p) => p.status?.phase !== 'Running').length;
    if (pending === 0 || Date.now() >= end) return pending;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface TimedCli {
  readonly code: number | null;
  readonly wallMs: number;
  /** Peak resident set of the CLI process in MB, when /usr/bin/time is there. */
  readonly maxRssMb: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

const TIME = '/usr/bin/time';

/** Spawns the built CLI (under /usr/bin/time -f %M when present) and measures it from spawn to exit. */
export async function timedCli(args: readonly string[], timeoutMs = 600_000): Promise<TimedCli> {
  const haveTime = await access(TIME, constants.X_OK).then(
    () => true,
    () => false,
  );
  const dir = await mkdtemp(join(tmpdir(), 'rd-time-'));
  const rssFile = join(dir, 'rss');
  const [cmd, argv] = haveTime
    ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['KUBECONFIG'];
  const started = performance.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  let maxRssMb: number | undefined;
  if (haveTime) {
    const kb = Number((await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').pop());
    if (Number.isFinite(kb) && kb > 0) maxRssMb = kb / 1024;
  }
  await rm(dir, { recursive: true, force: true });
  return { code, wallMs, maxRssMb, stdout, stderr };
}

/**
 * Writes an agent's fresh report on every node (as `reboot-daemon agent` would): reboot required on the
 * nodes `required` picks. `status` and `run` then need no check pods.
 */
export function writeAgentReports(store: Store, now: number, required: (i: number) => boolean): void {
  const iso = new Date(now).toISOString();
  store.list('nodes').items.forEach((n, i) => {
    const need = required(i);
    store.patch('nodes', undefined, n.metadata.name, 'application/merge-patch+json', {
      metadata: {
        annotations: {
          'reboot-daemon.io/agent-checked-at': iso,
          'reboot-daemon.io/agent-period': '3600s',
          'reboot-daemon.io/agent-boot-id': String(n.status?.nodeInfo?.bootID ?? ''),
          'reboot-daemon.io/reboot-required': need ? 'true' : 'false',
          'reboot-daemon.io/reboot-required-reason': need ? 'linux-image-6.8.0-60' : null,
          'reboot-daemon.io/reboot-required-since': need ? iso : null,
        },
      },
    });
  });
}

/** Removes the agents' reports again (back to check pods). */
export function clearAgentReports(store: Store): void {
  for (const n of store.list('nodes').items) {
    const a = n.metadata.annotations ?? {};
    const keys = Object.keys(a).filter((k) => k.startsWith('reboot-daemon.io/'));
    if (keys.length === 0) continue;
    store.patch('nodes', undefined, n.metadata.name, 'application/merge-patch+json', {
      metadata: { annotations: Object.fromEntries(keys.map((k) => [k, null])) },
    });
  }
}

export const fmtS = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const fmtMb = (mb: number | undefined): string => (mb === undefined ? 'n/a' : `${mb.toFixed(0)} MB`);

/** A plain text table; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
