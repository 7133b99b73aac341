// (b) Draining one node of 100 pods whose PDBs refuse at first: this tool's drain (cordon + app drainNode
// through the real client-node adapters, in this process) against `kubectl drain --ignore-daemonsets
// --delete-emptydir-data`, each on a fresh simulated cluster built from the same scenario and seed.
// May import: src (sim, app, adapters), test/support, node built-ins.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadKubeConfig } from '../src/adapters/k8s/kubeconfig.js';
import { makeClients } from '../src/adapters/k8s/client.js';
import { KubernetesCluster } from '../src/adapters/k8s/cluster.js';
import { systemClock } from '../src/adapters/clock.js';
import { drainNode } from '../src/app/drain.js';
import { resolveRunOptions } from '../src/app/types.js';
import { PatchType } from '../src/sim/types.js';
import { startCluster, type TestCluster } from '../test/support/e2e-cli.js';

const run = promisify(execFile);
export const KUBECTL = '/usr/bin/kubectl';
const BUSY = 'busy';
const SPARES = ['spare-1', 'spare-2', 'spare-3'];

export interface DrainSetup {
  readonly deployments: number;
  readonly replicas: number;
  readonly graceSeconds: number;
  readonly podStartSeconds: number;
  readonly podReadySeconds: number;
}

export const DEFAULT_DRAIN_SETUP: DrainSetup = {
  deployments: 20,
  replicas: 5,
  graceSeconds: 1,
  podStartSeconds: 0.2,
  podReadySeconds: 0.5,
};

/**
 * All Deployment pods start on `busy` (the spares begin cordoned and are uncordoned once the pods are up).
 * Each Deployment has a maxUnavailable 1 PDB, so only one of its pods on `busy` may go at a time: the rest are
 * refused (429) until the replacement of the previous one is Ready on a spare.
 */
export function drainScenario(s: DrainSetup): string {
  const deps = Array.from(
    { length: s.deployments },
    (_, i) =>
      `    - { name: app-${i + 1}, namespace: team-${(i % 5) + 1}, replicas: ${s.replicas}, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: ${s.graceSeconds} }`,
  );
  return `
seed: 42
nodes:
  - { name: ${BUSY} }
${SPARES.map((n) => `  - { name: ${n}, unschedulable: true }`).join('\n')}
workloads:
  deployments:
${deps.join('\n')}
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
timing:
  podStartSeconds: ${s.podStartSeconds}
  podReadySeconds: ${s.podReadySeconds}
  heartbeatSeconds: 5
  jitter: 0
`;
}

function podsOn(c: TestCluster, node: string): { total: number; workload: number; ready: number } {
  const pods = c.sim.store
    .list('pods', { fieldSelector: `spec.nodeName=${node}` })
    .items.filter((p) => !p.metadata.deletionTimestamp);
  const workload = pods.filter((p) => p.metadata.ownerReferences?.[0]?.kind !== 'DaemonSet');
  const ready = pods.filter((p) =>
    (p.status?.conditions ?? []).some(
      (x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True',
    ),
  );
  return { total: pods.length, workload: workload.length, ready: ready.length };
}

async function settle(c: TestCluster, setup: DrainSetup): Promise<number> {
  const want = setup.deployments * setup.replicas + 1;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const p = podsOn(c, BUSY);
    if (p.ready >= want) break;
    if (Date.now() > deadline) throw new Error(`only ${p.ready}/${want} pods Ready on ${BUSY}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const n of SPARES)
    c.sim.store.patch('nodes', undefined, n, PatchType.Merge, { spec: { unschedulable: null } });
  c.sim.cluster.flush();
  return podsOn(c, BUSY).workload;
}

export interface DrainRun {
  readonly ms: number;
  readonly evicted: number;
  readonly refused: number;
  readonly left: number;
  readonly violations: number;
  /** API requests the drain sent (discovery included). */
  readonly requests: number;
}

function summary(c: TestCluster, ms: number): DrainRun {
  const rec = c.sim.cluster.record;
  const ev = rec.of('eviction');
  return {
    ms,
    evicted: ev.filter((e) => e.outcome === 'evicted').length,
    refused: ev.filter((e) => e.outcome === 'refused').length,
    left: podsOn(c, BUSY).workload,
    violations: rec.of('pdbViolation').length,
    requests: c.sim.server.stats().total,
  };
}

/** kubectl drain, timed from spawn to exit. A fresh HOME keeps its discovery cache out of the way. */
export async function kubectlDrain(setup: DrainSetup): Promise<DrainRun & { pods: number }> {
  const c = await startCluster(drainScenario(setup));
  try {
    const pods = await settle(c, setup);
    const home = join(c.dir, 'home');
    await mkdir(home);
    c.sim.server.resetStats();
    const t0 = performance.now();
    await run(
      KUBECTL,
      [
        '--kubeconfig',
        c.kubeconfigPath,
        'drain',
        BUSY,
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--timeout=300s',
      ],
      {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home },
        timeout: 320_000,
        maxBuffer: 16 << 20,
      },
    );
    return { ...summary(c, performance.now() - t0), pods };
  } finally {
    await c.stop();
  }
}

/** This tool's drain: cordon, then app/drain.ts drainNode over the real adapters, timed end to end. */
export async function ourDrain(setup: DrainSetup): Promise<DrainRun & { pods: number }> {
  const c = await startCluster(drainScenario(setup));
  try {
    const pods = await settle(c, setup);
    c.sim.server.resetStats();
    const t0 = performance.now();
    const kc = loadKubeConfig({ kubeconfig: c.kubeconfigPath, env: {} });
    const clients = makeClients(kc, { requestTimeoutMs: 30_000 });
    const cluster = new KubernetesCluster(clients);
    await cluster.patchNode(BUSY, { unschedulable: true });
    const opts = resolveRunOptions({
      owner: 'bench',
      drain: { ignoreDaemonsets: true, deleteEmptydirData: true, timeoutMs: 300_000 },
    });
    const out = await drainNode(
      { cluster, clock: systemClock, serverTime: clients.serverTime, emit: () => undefined },
      BUSY,
      opts.drain,
    );
    if (!out.ok) throw new Error(`drain failed: ${out.message}`);
    return { ...summary(c, performance.now() - t0), pods };
  } finally {
    await c.stop();
  }
}
