// The npm package holds what a global install needs (both bins, the built CLI) and nothing of the
// development tree: no sources, tests, benchmarks, source maps or single-executable builds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface PackFile {
  path: string;
  size: number;
  mode: number;
}
interface Pkg {
  name: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
}

let files: PackFile[] = [];
let paths: Set<string>;
let pkg: Pkg;

before(async () => {
  await readFile('dist/cli/main.js').catch(() => assert.fail('dist/ is not built: run `npm run build`'));
  pkg = JSON.parse(await readFile('package.json', 'utf8')) as Pkg;
  // --ignore-scripts: the suite has built dist/ already; prepack would rebuild it under running tests.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [report] = JSON.parse(stdout) as { files: PackFile[] }[];
  assert.ok(report, `npm pack printed no report:\n${stdout}`);
  files = report.files;
  paths = new Set(files.map((f) => f.path));
});

test('package has both bins, executable, and they start with a node shebang', async () => {
  assert.deepEqual(Object.keys(pkg.bin).sort(), ['kubectl-reboot_daemon', 'reboot-daemon']);
  for (const [name, path] of Object.entries(pkg.bin)) {
    const entry = files.find((f) => f.path === path.replace(/^\.\//, ''));
    assert.ok(entry, `bin ${name} -> ${path} is not in the package`);
    assert.equal(entry.mode & 0o111, 0o111, `${path} is not executable (mode ${entry.mode.toString(8)})`);
    const text = await readFile(path, 'utf8');
    assert.match(text, /^#!\/usr\/bin\/env node\n/);
    assert.match(text, /from '\.\.\/dist\/cli\/main\.js'/);
  }
});

test('kubectl finds the plugin bin by its exact name: no file extension', () => {
  assert.equal(pkg.bin['kubectl-reboot_daemon'], 'bin/kubectl-reboot_daemon');
});

test('package has the built CLI and the modules it imports', () => {
  for (const p of ['dist/cli/main.js', 'dist/core/errors.js', 'dist/sim/index.js', 'package.json']) {
    assert.ok(paths.has(p), `${p} missing from the package`);
  }
});

test('package has no sources, tests, benchmarks, maps, scripts or executables', () => {
  const unwanted = [...paths].filter(
    (p) =>
      /^(src|test|bench|scripts|sea|coverage|node_modules)\//.test(p) ||
      /\.(map|ts|tsx|tgz|blob)$/.test(p) ||
      /\.test\.js$/.test(p) ||
      !/^(bin|dist|deploy)\/|^(package\.json|README\.md|LICENSE)$/.test(p),
  );
  assert.deepEqual(unwanted, []);
});

test('every relative import in dist/ resolves to a file in the package', async () => {
  const missing: string[] = [];
  for (const p of paths) {
    if (!p.endsWith('.js')) continue;
    const text = await readFile(p, 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = new URL(m[1]!, `file:///${p}`).pathname.slice(1);
      if (!paths.has(target)) missing.push(`${p} -> ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('packing builds first: prepack runs the TypeScript build', () => {
  assert.match(pkg.scripts['prepack'] ?? '', /npm run build\b/);
});

test('the packed tarball runs as installed: bins linked on PATH, dependencies beside it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rd-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const filename = (JSON.parse(stdout) as { filename: string }[])[0]?.filename;
    assert.ok(filename, `npm pack printed no file name:\n${stdout}`);
    // The layout of a global install: lib/node_modules/<name>, and bin/ links named after package.json's bin.
    const pkgDir = join(dir, 'lib', 'node_modules', pkg.name);
    await mkdir(pkgDir, { recursive: true });
    await mkdir(join(dir, 'bin'));
    await run('tar', ['-xzf', join(dir, filename), '-C', pkgDir, '--strip-components=1']);
    await symlink(resolve('node_modules'), join(pkgDir, 'node_modules'));
    for (const [name, path] of Object.entries(pkg.bin)) await symlink(join(pkgDir, path), join(dir, 'bin', name));
    const env = { PATH: `${join(dir, 'bin')}:${join(process.execPath, '..')}:/usr/bin:/bin`, HOME: dir };
    const help = await run('kubectl-reboot_daemon', ['--help'], { env, cwd: dir, timeout: 30_000 });
    assert.match(help.stdout, /kubectl reboot-daemon status/);
    const version = await run('reboot-daemon', ['version', '--client'], { env, cwd: dir, timeout: 30_000 });
    const own = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), `Client Version: ${own.version}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
