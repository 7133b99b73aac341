// Exec-based credentials in a kubeconfig (client.authentication.k8s.io/v1 ExecCredential) work, as client-node
// supports them: the token the plugin prints is what reaches the API server, and a wrong one is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSim } from '../../src/sim/index.js';
import { loadKubeConfig } from '../../src/adapters/k8s/kubeconfig.js';
import { makeClients } from '../../src/adapters/k8s/client.js';
import { KubernetesCluster } from '../../src/adapters/k8s/cluster.js';

interface KubeconfigDoc {
  users: { name: string; user: Record<string, unknown> }[];
}

async function execKubeconfig(dir: string, simKubeconfig: string, token: string): Promise<string> {
  const plugin = join(dir, `credential-${token.length}.mjs`);
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token },
  };
  await writeFile(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
  const doc = parse(await readFile(simKubeconfig, 'utf8')) as KubeconfigDoc;
  for (const u of doc.users) {
    u.user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
        interactiveMode: 'Never',
      },
    };
  }
  const path = join(dir, `exec-${token.length}.kubeconfig`);
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return path;
}

test('an exec credential plugin in the kubeconfig authenticates; a wrong token is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rd-exec-'));
  const sim = await startSim({ nodes: 2, kubeconfigPath: join(dir, 'sim.kubeconfig') });
  try {
    const good = await execKubeconfig(dir, join(dir, 'sim.kubeconfig'), sim.token);
    const cluster = new KubernetesCluster(makeClients(loadKubeConfig({ kubeconfig: good, env: {} })));
    const nodes = await cluster.listNodes();
    assert.deepEqual(nodes.map((n) => n.name).sort(), ['worker-1', 'worker-2']);

    const bad = await execKubeconfig(dir, join(dir, 'sim.kubeconfig'), `${sim.token}-expired`);
    const refused = new KubernetesCluster(makeClients(loadKubeConfig({ kubeconfig: bad, env: {} })));
    await assert.rejects(refused.listNodes(), /401|Unauthorized/i);
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
