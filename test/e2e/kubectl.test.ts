// Real kubectl (the 1.32 dispatcher and 1.27) against the simulated API server over HTTPS.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSim, type RunningSim, type ServerVersion } from '../../src/sim/index.js';
import { seedSmallCluster } from '../support/seed.js';

const DISPATCHER = '/usr/bin/kubectl';
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const run = promisify(execFile);

async function requireBinary(path: string): Promise<void> {
  try {
    await access(path, constants.X_OK);
  } catch {
    assert.fail(`kubectl binary ${path} is missing or not executable; the kubectl end-to-end tests need it`);
  }
}

interface Env {
  sim: RunningSim;
  dir: string;
  kubectl(args: string[], bin?: string): Promise<{ stdout: string; stderr: string }>;
  /** Runs a long-lived kubectl (like get -w); resolves once its output matches. */
  follow(args: string[], bin?: string): Follower;
  stop(): Promise<void>;
}

interface Follower {
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  stop(): void;
}

async function setUp(bin: string, serverVersion?: ServerVersion): Promise<Env> {
  await requireBinary(bin);
  const dir = await mkdtemp(join(tmpdir(), 'rd-kubectl-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSim({ kubeconfigPath, ...(serverVersion ? { serverVersion } : {}) });
  seedSmallCluster(sim.store);
  // A fresh HOME per server keeps kubectl's discovery cache from leaking between runs.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
  const argv = (args: string[]): string[] => ['--kubeconfig', kubeconfigPath, ...args];
  const children: ReturnType<typeof spawn>[] = [];
  return {
    sim,
    dir,
    kubectl: async (args, b = bin) => run(b, argv(args), { env, timeout: 30_000 }),
    follow(args, b = bin) {
      const child = spawn(b, argv(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      const listeners: (() => void)[] = [];
      const onData = (d: Buffer): void => {
        out += d.toString('utf8');
        for (const l of listeners.splice(0)) l();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      return {
        output: () => out,
        stop: () => child.kill('SIGTERM'),
        waitFor: (re, timeoutMs = 10_000) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`kubectl output never matched ${re}:\n${out}`)),
              timeoutMs,
            );
            const check = (): void => {
              if (re.test(out)) {
                clearTimeout(timer);
                resolve();
              } else listeners.push(check);
            };
            check();
          }),
      };
    },
    async stop() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function lines(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('kubectl 1.32 through the dispatcher', () => {
  let e: Env;
  before(async () => {
    e = await setUp(DISPATCHER);
  });
  after(async () => {
    await e?.stop();
  });

  test('the kubeconfig is private and names the simulator context', async () => {
    const st = await stat(e.sim.kubeconfigPath!);
    assert.equal(st.mode & 0o777, 0o600);
    const { stdout } = await e.kubectl(['config', 'current-context']);
    assert.equal(stdout.trim(), 'reboot-daemon-sim');
  });

  test('get nodes prints server-side columns, roles and status', async () => {
    const { stdout } = await e.kubectl(['get', 'nodes']);
    const rows = lines(stdout);
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[2], r[4]]),
      [
        ['cp-1', 'Ready', 'control-plane', 'v1.32.4'],
        ['worker-1', 'Ready', '<none>', 'v1.32.4'],
        ['worker-2', 'Ready', '<none>', 'v1.32.4'],
      ],
    );
  });

  test('get pods -A -o wide shows namespaces, IPs and nodes', async () => {
    const { stdout } = await e.kubectl(['get', 'pods', '-A', '-o', 'wide']);
    const rows = lines(stdout);
    assert.deepEqual(rows[0]!.slice(0, 9), [
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
    ]);
    const web = rows.find((r) => r[1] === 'web-7d9f-fghij');
    assert.deepEqual(
      [web?.[0], web?.[2], web?.[3], web?.[6], web?.[7]],
      ['shop', '1/1', 'Running', '10.244.2.7', 'worker-2'],
    );
    assert.equal(rows.length, 4);
  });

  test('get pdb shows budgets and allowed disruptions', async () => {
    const { stdout } = await e.kubectl(['get', 'pdb', '-n', 'shop']);
    const rows = lines(stdout);
    assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual(rows[1]!.slice(0, 4), ['web', '1', 'N/A', '1']);
  });

  test('cordon and uncordon set and clear spec.unschedulable in the store', async () => {
    const c = await e.kubectl(['cordon', 'worker-1']);
    assert.match(c.stdout, /node\/worker-1 cordoned/);
    assert.equal(e.sim.store.get('nodes', undefined, 'worker-1').spec.unschedulable, true);
    const again = await e.kubectl(['cordon', 'worker-1']);
    assert.match(again.stdout, /already cordoned/);
    const { stdout } = await e.kubectl(['get', 'node', 'worker-1']);
    assert.match(stdout, /Ready,SchedulingDisabled/);
    await e.kubectl(['uncordon', 'worker-1']);
    assert.equal(e.sim.store.get('nodes', undefined, 'worker-1').spec?.unschedulable, undefined);
  });

  test('annotate node writes the annotation through a merge patch', async () => {
    await e.kubectl(['annotate', 'node', 'worker-2', 'example.com/maintenance=planned']);
    const node = e.sim.store.get('nodes', undefined, 'worker-2');
    assert.equal(node.metadata.annotations?.['example.com/maintenance'], 'planned');
  });

  test('get for a missing node prints the NotFound Status message', async () => {
    await assert.rejects(e.kubectl(['get', 'node', 'nope']), (err: { stderr: string }) => {
      assert.match(err.stderr, /Error from server \(NotFound\): nodes "nope" not found/);
      return true;
    });
  });

  test('discovery offers pods/eviction in policy/v1, so drain evicts rather than deletes', async () => {
    const { stdout } = await e.kubectl(['get', '--raw', '/api/v1']);
    const doc = JSON.parse(stdout) as {
      resources: { name: string; group?: string; version?: string; kind: string; verbs: string[] }[];
    };
    const ev = doc.resources.find((r) => r.name === 'pods/eviction');
    assert.deepEqual([ev?.group, ev?.version, ev?.kind, ev?.verbs], ['policy', 'v1', 'Eviction', ['create']]);
    const res = await e.kubectl(['api-resources', '--api-group=policy']);
    assert.match(res.stdout, /poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget/);
  });

  test('get nodes -w prints a new row when a node changes', async () => {
    const w = e.follow(['get', 'nodes', '-w']);
    try {
      await w.waitFor(/worker-2/);
      e.sim.store.patch('nodes', undefined, 'worker-2', 'application/merge-patch+json', {
        spec: { unschedulable: true },
      });
      await w.waitFor(/worker-2\s+Ready,SchedulingDisabled/);
    } finally {
      w.stop();
    }
  });
});

describe('kubectl 1.27 against a server that reports 1.27', () => {
  let e: Env;
  before(async () => {
    await requireBinary(KUBECTL_127);
    e = await setUp(DISPATCHER, { major: '1', minor: '27', gitVersion: 'v1.27.16' });
  });
  after(async () => {
    await e?.stop();
  });

  test('the dispatcher picks the 1.27 client for a 1.27 server', async () => {
    const { stdout } = await e.kubectl(['version', '-o', 'json']);
    const v = JSON.parse(stdout) as { clientVersion: { minor: string }; serverVersion: { minor: string } };
    assert.equal(v.clientVersion.minor, '27');
    assert.equal(v.serverVersion.minor, '27');
  });

  test('get nodes, get pods -A -o wide and get pdb work with 1.27 discovery', async () => {
    const nodes = lines((await e.kubectl(['get', 'nodes'], KUBECTL_127)).stdout);
    assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.equal(nodes.length, 4);
    const pods = lines((await e.kubectl(['get', 'pods', '-A', '-o', 'wide'], KUBECTL_127)).stdout);
    assert.ok(pods.some((r) => r[1] === 'proxy-x1' && r[7] === 'worker-1'));
    const pdb = lines((await e.kubectl(['get', 'pdb', '-A'], KUBECTL_127)).stdout);
    assert.deepEqual(pdb[1]!.slice(0, 5), ['shop', 'web', '1', 'N/A', '1']);
  });

  test('cordon, uncordon and annotate with 1.27 change the store', async () => {
    await e.kubectl(['cordon', 'worker-2'], KUBECTL_127);
    assert.equal(e.sim.store.get('nodes', undefined, 'worker-2').spec.unschedulable, true);
    await e.kubectl(['uncordon', 'worker-2'], KUBECTL_127);
    assert.equal(e.sim.store.get('nodes', undefined, 'worker-2').spec?.unschedulable, undefined);
    await e.kubectl(['annotate', 'node', 'cp-1', 'owner=ops'], KUBECTL_127);
    assert.equal(e.sim.store.get('nodes', undefined, 'cp-1').metadata.annotations?.['owner'], 'ops');
  });

  test('get nodes -w with 1.27 prints a new row when a node changes', async () => {
    const w = e.follow(['get', 'nodes', '-w'], KUBECTL_127);
    try {
      await w.waitFor(/cp-1/);
      e.sim.store.patch('nodes', undefined, 'cp-1', 'application/merge-patch+json', {
        spec: { unschedulable: true },
      });
      await w.waitFor(/cp-1\s+Ready,SchedulingDisabled/);
    } finally {
      w.stop();
    }
  });
});

describe('kubectl 1.33 against a server that reports 1.33', () => {
  let e: Env;
  before(async () => {
    await requireBinary('/usr/lib/google-cloud-sdk/bin/kubectl.1.33');
    e = await setUp(DISPATCHER, { major: '1', minor: '33', gitVersion: 'v1.33.1' });
  });
  after(async () => {
    await e?.stop();
  });

  test('the 1.33 client falls back from aggregated discovery and cordons a node', async () => {
    const v = JSON.parse((await e.kubectl(['version', '-o', 'json'])).stdout) as {
      clientVersion: { minor: string };
    };
    assert.equal(v.clientVersion.minor, '33');
    const nodes = lines((await e.kubectl(['get', 'nodes'])).stdout);
    assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    await e.kubectl(['cordon', 'worker-1']);
    assert.equal(e.sim.store.get('nodes', undefined, 'worker-1').spec.unschedulable, true);
  });
});
