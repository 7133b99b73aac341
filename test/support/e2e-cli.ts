// End-to-end support: a simulated cluster started in this process (its kubeconfig in a temp directory), the
// built CLI (bin/reboot-daemon.js) spawned against it, and readers of what the cluster ends up with (boot IDs,
// cordons, state annotations, helper pods, the Lease). Used by test/e2e and bench/.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSim, type RunningCluster } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/scenario-types.js';
import type { KObject } from '../../src/sim/types.js';

export const BIN = resolve('bin/reboot-daemon.js');
export const STATE_KEY = 'reboot-daemon.io/state';
export const HELPER_SELECTOR = 'app.kubernetes.io/managed-by=reboot-daemon';
export const LEASE_NAMESPACE = 'reboot-daemon';
export const LEASE_NAME = 'reboot-daemon-lock';
export const HOLDERS_KEY = 'reboot-daemon.io/holders';
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Fails early, with the remedy, when the CLI has not been built. */
export async function assertBuilt(): Promise<void> {
  await access(resolve('dist/cli/main.js')).catch(() => {
    throw new Error('dist/ is not built: run `npm run build` first');
  });
}

export interface TestCluster {
  readonly sim: RunningCluster;
  readonly dir: string;
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

/** A simulated cluster from a scenario (YAML text or object), its kubeconfig written to a fresh temp dir. */
export async function startCluster(scenario: Scenario | string): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSim({ scenario, kubeconfigPath });
  return {
    sim,
    dir,
    kubeconfigPath,
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface SpawnedCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Output so far, stdout then stderr. */
  output(): string;
}

/** The environment without anything that could point the CLI elsewhere or change its flags. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'KUBECONFIG' || k.startsWith('REBOOT_DAEMON_') || k.startsWith('KURED_')) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Spawns the built CLI; it is killed (SIGKILL) when it outlives timeoutMs. */
export function spawnCli(
  args: readonly string[],
  opts: { timeoutMs?: number; env?: Record<string, string> } = {},
): SpawnedCli {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv(opts.env ?? {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 50_000);
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveDone({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, done, output: () => `${stdout}${stderr}` };
}

export function runCli(
  args: readonly string[],
  opts: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return spawnCli(args, opts).done;
}

/** stdout and stderr, for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code ?? r.signal} after ${r.ms} ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

// ---- reading the cluster ----

export function node(sim: RunningCluster, name: string): KObject {
  return sim.store.get('nodes', undefined, name);
}

export function bootIdOf(sim: RunningCluster, name: string): string {
  return String(node(sim, name).status?.nodeInfo?.bootID ?? '');
}

export function bootIds(sim: RunningCluster): Map<string, string> {
  return new Map(sim.store.list('nodes').items.map((n) => [n.metadata.name, bootIdOf(sim, n.metadata.name)]));
}

export function isCordoned(sim: RunningCluster, name: string): boolean {
  return node(sim, name).spec?.unschedulable === true;
}

/** Nodes that still carry the state annotation, with its value. */
export function stateAnnotations(sim: RunningCluster): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of sim.store.list('nodes').items) {
    const v = n.metadata.annotations?.[STATE_KEY];
    if (v !== undefined) out[n.metadata.name] = v;
  }
  return out;
}

/** The phase recorded in a node's state annotation, if any. */
export function phaseOf(n: KObject): string | undefined {
  const raw = n.metadata.annotations?.[STATE_KEY];
  if (raw === undefined) return undefined;
  try {
    return (JSON.parse(raw) as { phase?: string }).phase;
  } catch {
    return 'unreadable';
  }
}

/** Helper pods left anywhere, as namespace/name. */
export function helperPods(sim: RunningCluster): string[] {
  return sim.store
    .list('pods', { labelSelector: HELPER_SELECTOR })
    .items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
}

/** The Lease's holders (from our record) and spec.holderIdentity; an absent Lease holds nothing. */
export function leaseHolders(sim: RunningCluster): { holders: string[]; identity: string } {
  const lease = sim.store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME);
  if (!lease) return { holders: [], identity: '' };
  const raw = lease.metadata.annotations?.[HOLDERS_KEY];
  const parsed = raw ? (JSON.parse(raw) as { holders?: { node?: string }[] }) : { holders: [] };
  return {
    holders: (parsed.holders ?? []).map((h) => String(h.node)),
    identity: String(lease.spec?.holderIdentity ?? ''),
  };
}

/** Per node, how many reboots the simulator saw (the `reboot` record: a new boot ID). */
export function rebootCounts(sim: RunningCluster): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of sim.cluster.record.of('reboot')) out.set(r.node, (out.get(r.node) ?? 0) + 1);
  return out;
}

/** Requests that could have changed something, by "verb resource". */
export function writeRequests(sim: RunningCluster): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(sim.server.stats().byKey)) {
    if (WRITE_VERBS.has(key.split(' ')[0] ?? '')) out[key] = n;
  }
  return out;
}

/** Resolves when pred() holds (checked on every record entry and store change), or rejects after timeoutMs. */
export function waitFor(
  sim: RunningCluster,
  pred: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise((resolveWait, reject) => {
    const check = (): void => {
      let ok = false;
      try {
        ok = pred();
      } catch {
        ok = false;
      }
      if (!ok) return;
      cleanup();
      resolveWait();
    };
    const offRecord = sim.cluster.record.subscribe(check);
    const offStore = sim.store.onChange(check);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      offRecord();
      offStore();
    };
    check();
  });
}

/** Scenario timing that keeps every simulated delay short (seconds), with no jitter. */
export const FAST_TIMING = `timing:
  podStartSeconds: 0.1
  podReadySeconds: 0.3
  scriptRunSeconds: 0.1
  shutdownSeconds: 0.2
  notReadyAfterSeconds: 0.2
  heartbeatSeconds: 1
  defaultBootSeconds: 1
  jitter: 0
`;

/** `run` flags for the simulated cluster: its kubeconfig, JSON events, and waits sized for short delays. */
export function runArgs(kubeconfigPath: string, extra: readonly string[] = []): string[] {
  return [
    'run',
    '--kubeconfig',
    kubeconfigPath,
    '--log-format',
    'json',
    '--ready-stable',
    '1s',
    '--ready-timeout',
    '20s',
    '--reboot-timeout',
    '20s',
    '--drain-timeout',
    '20s',
    '--probe-timeout',
    '10s',
    ...extra,
  ];
}
