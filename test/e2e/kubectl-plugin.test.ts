// The repository's bin/ on PATH makes `kubectl reboot-daemon` work: real kubectl finds the plugin, shows its
// help, and runs `status` against the simulated cluster (served by the built CLI's `sim` command).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSimProcess, type SimProcess } from '../support/sim-process.js';

const KUBECTL = '/usr/bin/kubectl';
const BIN = resolve('bin');
const run = promisify(execFile);

describe('kubectl plugin from bin/ on PATH', () => {
  let dir: string;
  let sim: SimProcess;
  let env: NodeJS.ProcessEnv;
  const kubectl = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(KUBECTL, args, { env, timeout: 30_000 });

  before(async () => {
    await access(KUBECTL, constants.X_OK).catch(() =>
      assert.fail(`${KUBECTL} is missing; this test needs it`),
    );
    await access(join(BIN, 'kubectl-reboot_daemon'), constants.X_OK);
    await access('dist/cli/main.js').catch(() => assert.fail('dist/ is not built: run `npm run build`'));
    dir = await mkdtemp(join(tmpdir(), 'rd-plugin-'));
    // Only bin/ and the directory of this node: no plugin installed elsewhere can answer instead.
    env = {
      PATH: [BIN, join(process.execPath, '..'), '/usr/bin', '/bin'].join(delimiter),
      HOME: join(dir, 'home'),
    };
    sim = await startSimProcess(process.execPath, [join(BIN, 'reboot-daemon.js')], dir, { nodes: 3 });
  });

  after(async () => {
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('kubectl plugin list finds kubectl-reboot_daemon in bin/', async () => {
    const { stdout, stderr } = await kubectl(['plugin', 'list']);
    assert.ok(stdout.includes(join(BIN, 'kubectl-reboot_daemon')), `plugin list:\n${stdout}${stderr}`);
    assert.doesNotMatch(stderr, /warning: .*kubectl-reboot_daemon/i);
  });

  test('kubectl reboot-daemon --help names itself as a kubectl plugin', async () => {
    const { stdout } = await kubectl(['reboot-daemon', '--help']);
    assert.match(stdout, /kubectl reboot-daemon status/);
    assert.match(stdout, /Reboot Kubernetes nodes safely/);
    assert.doesNotMatch(stdout, /kubectl-reboot_daemon/);
  });

  test('kubectl reboot-daemon status lists every node of the simulated cluster', async () => {
    const nodes = (await kubectl(['--kubeconfig', sim.kubeconfigPath, 'get', 'nodes', '-o', 'name'])).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^node\//, ''));
    assert.equal(nodes.length, 3, `kubectl get nodes:\n${nodes.join('\n')}`);
    const { stdout } = await kubectl(['reboot-daemon', 'status', '--kubeconfig', sim.kubeconfigPath]);
    const lines = stdout.split('\n');
    for (const node of nodes) {
      assert.ok(
        lines.some((l) => l.split(/\s+/).includes(node)),
        `no row for ${node} in status output:\n${stdout}`,
      );
    }
  });
});
