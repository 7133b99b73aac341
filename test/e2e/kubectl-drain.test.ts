// Real `kubectl drain` (1.32 through the dispatcher, and 1.27) against a running simulated cluster:
// evictions honour a PodDisruptionBudget (kubectl waits on 429 and retries), workload pods are replaced
// elsewhere, DaemonSet pods stay, and a bare pod needs --force.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type RunningCluster, type ServerVersion } from '../../src/sim/index.js';
import type { KObject } from '../../src/sim/types.js';

const DISPATCHER = '/usr/bin/kubectl';
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const V127: ServerVersion = { major: '1', minor: '27', gitVersion: 'v1.27.16' };
const V132: ServerVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

// Two nodes; `web` is placed a, b, a (two of its three pods on node-a) with a budget that allows one
// disruption; `cache` uses emptyDir. Pods are Ready about 1 s after they start.
const SCENARIO = `
seed: 5
nodes: [{ name: node-a }, { name: node-b }]
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 3, pdb: { minAvailable: 2 }, terminationGracePeriodSeconds: 2 }
    - { name: cache, namespace: shop, replicas: 2, emptyDir: true, terminationGracePeriodSeconds: 2 }
  daemonSets: [{ name: node-agent, namespace: kube-system }]
  barePods: BARE
timing: { podStartSeconds: 0.2, podReadySeconds: 1, jitter: 0 }
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Env {
  readonly sim: RunningCluster;
  kubectl(args: string[], timeoutMs?: number): Promise<Run>;
  stop(): Promise<void>;
}

async function requireBinary(path: string): Promise<void> {
  try {
    await access(path, constants.X_OK);
  } catch {
    assert.fail(`kubectl binary ${path} is missing or not executable; the drain end-to-end tests need it`);
  }
}

async function setUp(version: ServerVersion, barePods = '[]'): Promise<Env> {
  await requireBinary(DISPATCHER);
  const dir = await mkdtemp(join(tmpdir(), 'rd-drain-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSim({
    scenario: SCENARIO.replace('BARE', barePods),
    timeScale: 2,
    serverVersion: version,
    kubeconfigPath,
  });
  // A fresh HOME keeps kubectl's discovery cache from leaking between servers.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
  return {
    sim,
    kubectl: (args, timeoutMs = 60_000) =>
      new Promise((resolve) => {
        execFile(
          DISPATCHER,
          ['--kubeconfig', kubeconfigPath, ...args],
          { env, timeout: timeoutMs },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const pods = (sim: RunningCluster, ns: string, sel: string): KObject[] =>
  sim.store.list('pods', { namespace: ns, labelSelector: sel }).items;
const isReady = (p: KObject): boolean =>
  (p.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
const alive = (p: KObject): boolean => !p.metadata.deletionTimestamp && p.status?.phase === 'Running';

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The minor version of the client the dispatcher actually ran (builds may add a "+"). */
async function clientMinor(e: Env): Promise<string> {
  const v = await e.kubectl(['version', '-o', 'json']);
  assert.equal(v.code, 0, v.stderr);
  return (JSON.parse(v.stdout) as { clientVersion: { minor: string } }).clientVersion.minor.replace(
    /\+$/,
    '',
  );
}

/** Drains the node holding two web pods and checks everything a drain promises. */
async function drainHonoursTheBudget(e: Env): Promise<void> {
  const { sim } = e;
  const web = pods(sim, 'shop', 'app=web');
  const counts = new Map<string, number>();
  for (const p of web) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  const node = [...counts].find(([, n]) => n === 2)?.[0];
  assert.ok(node, `two web pods share a node: ${JSON.stringify([...counts])}`);
  const onNode = (p: KObject): boolean => p.spec.nodeName === node;
  const dsBefore = pods(sim, 'kube-system', 'app=node-agent').filter(onNode);
  assert.equal(dsBefore.length, 1);
  assert.equal(pods(sim, 'shop', 'app=cache').filter(onNode).length, 1, 'an emptyDir pod on the node');

  const started = Date.now();
  const r = await e.kubectl([
    'drain',
    node,
    '--ignore-daemonsets',
    '--delete-emptydir-data',
    '--timeout=60s',
  ]);
  const out = r.stdout + r.stderr;
  assert.equal(r.code, 0, out);
  assert.match(out, new RegExp(`node/${node} cordoned`));
  assert.match(out, /pod\/web-\S+ evicted/);
  assert.match(out, /pod\/cache-\S+ evicted/);
  assert.doesNotMatch(out, /deleted/);
  assert.match(out, /violate the pod's disruption budget/);
  assert.match(out, new RegExp(`node/${node} drained`));
  assert.ok(Date.now() - started < 30_000, `drain took ${Date.now() - started} ms`);

  const evictions = sim.cluster.record.of('eviction');
  const refused = evictions.filter((x) => x.outcome === 'refused' && x.pdb === 'shop/web');
  assert.ok(refused.length >= 1, 'the budget refused at least one eviction (429)');
  assert.equal(evictions.filter((x) => x.outcome === 'evicted' && x.pdb === 'shop/web').length, 2);
  assert.deepEqual(sim.cluster.record.of('pdbViolation'), []);

  await eventually(() => {
    const live = pods(sim, 'shop', 'app=web').filter(alive);
    return live.length === 3 && live.every((p) => isReady(p) && !onNode(p));
  }, 'three Ready web pods off the drained node');
  const cache = pods(sim, 'shop', 'app=cache').filter(alive);
  assert.ok(cache.every((p) => !onNode(p)));
  const dsAfter = pods(sim, 'kube-system', 'app=node-agent').filter(onNode);
  assert.deepEqual(
    dsAfter.map((p) => [p.metadata.uid, p.metadata.deletionTimestamp, p.status.phase]),
    dsBefore.map((p) => [p.metadata.uid, undefined, 'Running']),
    'DaemonSet pods on the node are untouched',
  );
  assert.equal(sim.store.get('nodes', undefined, node).spec.unschedulable, true);
}

describe('kubectl drain against the simulated cluster', () => {
  test('1.32: drain evicts within the PodDisruptionBudget, waiting on 429, and cordons the node', async () => {
    const e = await setUp(V132);
    try {
      assert.equal(await clientMinor(e), '32');
      await drainHonoursTheBudget(e);
    } finally {
      await e.stop();
    }
  });

  test('1.27: the same drain succeeds with the 1.27 client', async () => {
    await requireBinary(KUBECTL_127);
    const e = await setUp(V127);
    try {
      assert.equal(await clientMinor(e), '27', 'the dispatcher runs kubectl 1.27 for a 1.27 server');
      await drainHonoursTheBudget(e);
    } finally {
      await e.stop();
    }
  });

  test('1.32: a bare pod stops the drain unless --force, which then evicts it', async () => {
    const e = await setUp(V132, '[{ name: lonely, namespace: default, node: node-b }]');
    try {
      const args = ['drain', 'node-b', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'];
      const refused = await e.kubectl(args);
      assert.notEqual(refused.code, 0);
      assert.match(
        refused.stderr,
        /cannot delete Pods that declare no controller \(use --force to override\): default\/lonely/,
      );
      assert.ok(e.sim.store.get('pods', 'default', 'lonely'), 'nothing was evicted');
      assert.equal(e.sim.cluster.record.of('eviction').length, 0);

      const forced = await e.kubectl([...args, '--force', '--grace-period=1']);
      const out = forced.stdout + forced.stderr;
      assert.equal(forced.code, 0, out);
      assert.match(out, /pod\/lonely evicted/);
      assert.match(out, /node\/node-b drained/);
      assert.equal(e.sim.store.tryGet('pods', 'default', 'lonely'), undefined);
      assert.ok(
        e.sim.cluster.record
          .of('eviction')
          .some((x) => x.pod === 'default/lonely' && x.outcome === 'evicted'),
      );
    } finally {
      await e.stop();
    }
  });
});
