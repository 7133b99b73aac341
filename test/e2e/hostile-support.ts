// Shared by the hostile-input tests: the small simulated cluster they run against (still between runs, so a
// write would show), the kubeconfig variants of the corpus written next to its kubeconfig, JSON event
// parsing, and the "nothing was rebooted" check.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildKubeconfig } from '../../src/sim/kubeconfig.js';
import { generatePki } from '../../src/sim/pki.js';
import { bootIds, isCordoned, startCluster, type CliResult, type TestCluster } from '../support/e2e-cli.js';
import { KubeVariant } from './hostile-corpus.js';

// Heartbeats every hour: between runs nothing changes the store unless a client writes.
export const HOSTILE_SCENARIO = `
seed: 6
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2 }
  - { name: node-3 }
timing:
  podStartSeconds: 0.05
  podReadySeconds: 0.1
  scriptRunSeconds: 0.05
  shutdownSeconds: 0.1
  notReadyAfterSeconds: 0.1
  heartbeatSeconds: 3600
  defaultBootSeconds: 0.5
  jitter: 0
`;
export const NODES = ['node-1', 'node-2', 'node-3'];

export interface HostileCluster extends TestCluster {
  /** Boot IDs at the start. */
  readonly ids: ReadonlyMap<string, string>;
  /** Fails unless no node rebooted, no host was asked to, and no node is cordoned. */
  assertNothingRebooted(): void;
}

/** Starts the cluster and waits until its resourceVersion stands still. */
export async function startHostileCluster(): Promise<HostileCluster> {
  const c = await startCluster(HOSTILE_SCENARIO);
  for (let last = -1, i = 0; i < 100; i++) {
    const rv = c.sim.store.currentResourceVersion();
    if (rv === last) break;
    last = rv;
    await new Promise((r) => setTimeout(r, 300));
  }
  const ids = bootIds(c.sim);
  return {
    ...c,
    ids,
    assertNothingRebooted(): void {
      assert.deepEqual(bootIds(c.sim), ids, 'no boot ID changed');
      assert.deepEqual(c.sim.cluster.record.of('rebootTriggered'), [], 'nothing asked a host to reboot');
      for (const n of NODES) assert.equal(isCordoned(c.sim, n), false, `${n} is not cordoned`);
    },
  };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

type KubeconfigDoc = Record<string, unknown> & {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, string> }[];
};

/** Writes every kubeconfig variant of the corpus into the cluster's directory; returns their paths. */
export async function writeKubeconfigVariants(c: TestCluster): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const good = parse(c.sim.kubeconfig) as KubeconfigDoc;
  const variant = async (name: string, text: string | Buffer): Promise<void> => {
    const path = join(c.dir, `${name}.kubeconfig`);
    await writeFile(path, text, { mode: 0o600 });
    paths.set(name, path);
  };
  const edit = (f: (doc: KubeconfigDoc) => void): string => {
    const doc = structuredClone(good);
    f(doc);
    return stringify(doc);
  };
  paths.set(KubeVariant.Good, c.kubeconfigPath);
  paths.set(KubeVariant.Missing, join(c.dir, 'nowhere', 'kubeconfig'));
  await variant(KubeVariant.Corrupt, `${c.sim.kubeconfig.slice(0, 200)}\n  - [unclosed: {`);
  await variant(KubeVariant.NotAMap, '- 1\n- 2\n');
  await variant(KubeVariant.Empty, '{}\n');
  await variant(KubeVariant.Binary, Buffer.from([0, 255, 1, 254, 10, 0, 0x1b, 0x5b]));
  await variant(
    KubeVariant.BadCaData,
    edit((d) => (d.clusters[0]!.cluster['certificate-authority-data'] = 'bm90IGEgY2VydA==')),
  );
  await variant(
    KubeVariant.DanglingContext,
    edit((d) => (d['current-context'] = 'gone')),
  );
  const port = await freePort();
  await variant(
    KubeVariant.Unreachable,
    edit((d) => (d.clusters[0]!.cluster['server'] = `https://127.0.0.1:${port}`)),
  );
  await variant(
    KubeVariant.ExpiredToken,
    edit((d) => (d.users[0]!.user['token'] = 'expired-token')),
  );
  const other = await generatePki();
  await variant(
    KubeVariant.OtherCa,
    buildKubeconfig({ server: c.sim.url, caCert: other.caCert, token: c.sim.token }),
  );
  return paths;
}

export interface CliEvent {
  readonly type: string;
  readonly node?: string;
  readonly result?: { readonly kind: string };
  readonly outcome?: string;
  readonly reason?: string;
}

/** The JSON events a `--log-format json` run printed. */
export function events(r: CliResult): CliEvent[] {
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CliEvent);
}

/** Every string in a manifest except the values of env vars, with its JSON path. */
export function stringsOutsideEnv(obj: unknown, path = ''): [string, string][] {
  if (typeof obj === 'string') return [[path, obj]];
  if (!obj || typeof obj !== 'object') return [];
  return Object.entries(obj).flatMap(([k, v]) => (k === 'env' ? [] : stringsOutsideEnv(v, `${path}.${k}`)));
}

/** A stack trace in CLI output means a crash, not a report. */
export const STACK_TRACE = /\n\s+at \S+ \(/;
