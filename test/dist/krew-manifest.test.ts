// krew-manifest.yaml is a valid krew v1alpha2 Plugin, and scripts/krew-sha.mjs fills sha256 from archives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { parse } from 'yaml';

interface Platform {
  selector: { matchLabels: Record<string, string> };
  uri: string;
  sha256: string;
  bin: string;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; shortDescription: string; homepage: string; platforms: Platform[] };
}

const manifest = parse(readFileSync('krew-manifest.yaml', 'utf8')) as Manifest;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

test('krew manifest is a v1alpha2 Plugin named reboot-daemon at the package version', () => {
  assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'reboot-daemon');
  assert.equal(manifest.spec.version, `v${pkg.version}`);
  assert.ok(manifest.spec.shortDescription.length > 0 && manifest.spec.shortDescription.length < 80);
});

test('krew manifest covers linux and darwin on amd64 and arm64, and windows amd64', () => {
  const seen = manifest.spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`);
  assert.deepEqual(
    [...seen].sort(),
    ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64'].sort(),
  );
});

test('every krew platform has an https uri for its own version, a sha256 and the plugin bin', () => {
  for (const p of manifest.spec.platforms) {
    const { os, arch } = p.selector.matchLabels;
    assert.match(p.uri, /^https:\/\//);
    assert.ok(p.uri.includes(`/${manifest.spec.version}/`), `${p.uri} names ${manifest.spec.version}`);
    assert.ok(p.uri.includes(`${os}-${arch}`), `${p.uri} names ${os}-${arch}`);
    assert.match(p.sha256, /^[0-9a-f]{64}$/);
    assert.equal(p.bin, os === 'windows' ? 'kubectl-reboot_daemon.exe' : 'kubectl-reboot_daemon');
  }
});

test('krew-sha fills each sha256 from the built archives and --check then passes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krew-'));
  const copy = join(dir, 'krew-manifest.yaml');
  copyFileSync('krew-manifest.yaml', copy);
  const expected = new Map<string, string>();
  for (const p of manifest.spec.platforms) {
    const name = basename(new URL(p.uri).pathname);
    const body = `archive for ${name}`;
    writeFileSync(join(dir, name), body);
    expected.set(p.uri, createHash('sha256').update(body).digest('hex'));
  }
  execFileSync(process.execPath, ['scripts/krew-sha.mjs', dir, '--manifest', copy], { stdio: 'pipe' });
  const filled = parse(readFileSync(copy, 'utf8')) as Manifest;
  for (const p of filled.spec.platforms) assert.equal(p.sha256, expected.get(p.uri));
  execFileSync(process.execPath, ['scripts/krew-sha.mjs', dir, '--manifest', copy, '--check'], { stdio: 'pipe' });
});

test('krew-sha fails when an archive is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krew-'));
  assert.throws(() =>
    execFileSync(process.execPath, ['scripts/krew-sha.mjs', dir, '--manifest', 'krew-manifest.yaml', '--check'], {
      stdio: 'pipe',
    }),
  );
});
