// The single-file executable (Node SEA) built by scripts/build-sea.mjs runs on its own — no node, no
// node_modules, no dist/ — and answers --help, version and status against a simulated cluster that it
// serves itself; its release archive is the one krew-manifest.yaml names. The executable is reused when its
// inputs are unchanged (--if-stale); a fresh build takes ~5-20 s, the archive ~3 s more.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, constants, copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startSimProcess, type SimProcess } from '../support/sim-process.js';

const run = promisify(execFile);
const OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
const BINARY = resolve('sea', `kubectl-reboot_daemon-${OS[platform()]}-${ARCH[arch()]}`);
const KUBECTL = '/usr/bin/kubectl';

describe('single executable', () => {
  let dir: string;
  let sim: SimProcess;
  // Nothing from the repository or a node installation is reachable: the binary carries it all.
  const bare = (): NodeJS.ProcessEnv => ({ PATH: '/nonexistent', HOME: join(dir, 'home') });
  const exec = (file: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(file, args, { cwd: dir, env: bare(), timeout: 30_000 });

  before(async () => {
    const { stdout } = await run(process.execPath, ['scripts/build-sea.mjs', '--if-stale', '--archive'], {
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The build reports each step and its seconds; keep it in the log to see what the test waited for.
    console.log(stdout.trimEnd());
    await access(BINARY, constants.X_OK);
    dir = await mkdtemp(join(tmpdir(), 'rd-sea-'));
    sim = await startSimProcess(BINARY, [], dir, { nodes: 3, env: bare() });
  });

  after(async () => {
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('build info names the platform and version it was built for', async () => {
    const info = JSON.parse(await readFile('sea/build-info.json', 'utf8')) as {
      platform: string;
      version: string;
      node: string;
    };
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    assert.equal(info.platform, `${OS[platform()]}-${ARCH[arch()]}`);
    assert.equal(info.version, pkg.version);
    assert.equal(info.node, process.version);
  });

  test('--help lists the commands under the kubectl plugin name', async () => {
    const { stdout } = await exec(BINARY, ['--help']);
    assert.match(stdout, /kubectl reboot-daemon status/);
    assert.match(stdout, /kubectl reboot-daemon run/);
    assert.match(stdout, /Reboot Kubernetes nodes safely/);
  });

  test('started under another name, it calls itself reboot-daemon', async () => {
    const link = join(dir, 'reboot-daemon');
    await symlink(BINARY, link);
    const { stdout } = await exec(link, ['--help']);
    assert.match(stdout, /^\s+reboot-daemon status/m);
    assert.doesNotMatch(stdout, /kubectl reboot-daemon/);
  });

  test('version --client prints the package version inlined at build time', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const { stdout } = await exec(BINARY, ['version', '--client']);
    assert.equal(stdout.trim(), `Client Version: ${pkg.version}`);
  });

  test('status against the cluster it serves lists every node', async () => {
    const listed = await run(KUBECTL, ['--kubeconfig', sim.kubeconfigPath, 'get', 'nodes', '-o', 'name'], {
      env: { PATH: '/usr/bin:/bin', HOME: join(dir, 'home') },
      timeout: 30_000,
    });
    const nodes = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^node\//, ''));
    assert.equal(nodes.length, 3, `kubectl get nodes:\n${listed.stdout}`);
    const { stdout } = await exec(BINARY, ['status', '--kubeconfig', sim.kubeconfigPath]);
    const rows = stdout.split('\n').map((l) => l.split(/\s+/));
    for (const node of nodes) {
      assert.ok(
        rows.some((r) => r.includes(node)),
        `no row for ${node} in status output:\n${stdout}`,
      );
    }
  });

  test('on a terminal the ink live view renders: its layout engine is inside the binary', async () => {
    // script(1) gives the binary a pseudo-terminal, so the render facade picks the live view.
    const command = `'${BINARY}' run --dry-run --kubeconfig '${sim.kubeconfigPath}'`;
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', HOME: join(dir, 'home'), TERM: 'xterm-256color' },
      timeout: 30_000,
    });
    assert.doesNotMatch(stdout, /live view unavailable/);
    assert.ok(stdout.includes('\u001b['), 'no terminal escapes: the live view did not draw');
    assert.match(stdout, /Finished in .*: 0 rebooted, 0 failed/);
  });

  test('the release archive is named in krew-manifest.yaml, holds the executable, and krew-sha fills its sha256', async () => {
    const archive = `${BINARY}.tar.gz`;
    const manifestCopy = join(dir, 'krew-manifest.yaml');
    await copyFile('krew-manifest.yaml', manifestCopy);
    await run(process.execPath, [
      'scripts/krew-sha.mjs',
      'sea',
      '--allow-missing',
      '--manifest',
      manifestCopy,
    ]);
    const manifest = parse(await readFile(manifestCopy, 'utf8')) as {
      spec: {
        platforms: { selector: { matchLabels: Record<string, string> }; uri: string; sha256: string }[];
      };
    };
    const mine = manifest.spec.platforms.find(
      (p) =>
        p.selector.matchLabels['os'] === OS[platform()] && p.selector.matchLabels['arch'] === ARCH[arch()],
    );
    assert.ok(mine, 'no platform for this machine in krew-manifest.yaml');
    assert.ok(mine.uri.endsWith(`/${basename(archive)}`), `${mine.uri} does not name ${basename(archive)}`);
    const sum = createHash('sha256')
      .update(await readFile(archive))
      .digest('hex');
    assert.equal(mine.sha256, sum);
    const out = join(dir, 'unpacked');
    await mkdir(out);
    await run('tar', ['-xzf', archive, '-C', out]);
    const inside = join(out, 'kubectl-reboot_daemon');
    assert.equal((await stat(inside)).mode & 0o755, 0o755);
    assert.ok(
      (await readFile(inside)).equals(await readFile(BINARY)),
      'archived executable differs from the build',
    );
  });

  test('an unknown flag is a usage error with exit code 2', async () => {
    const err = await exec(BINARY, ['status', '--bogus-flag']).then(
      () => assert.fail('expected a failure'),
      (e: { code?: number; stderr?: string }) => e,
    );
    assert.equal(err.code, 2);
    assert.match(err.stderr ?? '', /bogus-flag/);
  });
});
