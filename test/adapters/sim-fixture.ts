// Starts the simulator over loopback and builds the real client-node clients against it, through the
// kubeconfig file the simulator writes (so loadKubeConfig is exercised too).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../../src/sim/index.js';
import type { RunningSim, StartSimOptions } from '../../src/sim/index.js';
import type { KObject } from '../../src/sim/types.js';
import { loadKubeConfig } from '../../src/adapters/k8s/kubeconfig.js';
import { makeClients } from '../../src/adapters/k8s/client.js';
import type { K8sClients } from '../../src/adapters/k8s/client.js';

export interface Fixture {
  readonly sim: RunningSim;
  readonly clients: K8sClients;
  stop(): Promise<void>;
}

export async function startFixture(opts: StartSimOptions = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'rd-adapters-'));
  const sim = await startSim({ ...opts, kubeconfigPath: join(dir, 'kubeconfig') });
  const kc = loadKubeConfig({ kubeconfig: join(dir, 'kubeconfig'), env: {} });
  const clients = makeClients(kc, { requestTimeoutMs: 10_000 });
  return {
    sim,
    clients,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function nodeObj(name: string, bootID = `boot-${name}`, labels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { bootID, kernelVersion: '6.1.0' },
    },
  };
}

export function podObj(
  namespace: string,
  name: string,
  nodeName: string,
  labels: Record<string, string> = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels },
    spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running' },
  };
}

/** Resolves when cond() is true, checking every 10 ms; rejects after ms. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
