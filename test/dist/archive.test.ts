// Release archives written by scripts/sea/archive.mjs: system tar and unzip read them back byte for byte,
// with the executable bit kept, and the same input always gives the same bytes (a stable sha256 for krew).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArchive, type ArchiveEntry } from '../../scripts/sea/archive.mjs';

const binary = Buffer.concat([Buffer.from('#!/bin/sh\necho hi\n'), Buffer.alloc(70_000, 7)]);
const entries: ArchiveEntry[] = [
  { name: 'kubectl-reboot_daemon', data: binary, mode: 0o755 },
  { name: 'LICENSE', data: Buffer.from('license text\n'), mode: 0o644 },
];
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function extract(kind: 'tar.gz' | 'zip'): { dir: string; archive: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rd-archive-'));
  const archive = join(dir, `out.${kind}`);
  return { dir, archive };
}

for (const kind of ['tar.gz', 'zip'] as const) {
  test(`${kind}: system tools extract the same files, executable stays executable`, async () => {
    const { dir, archive } = extract(kind);
    await writeArchive(archive, entries);
    const out = join(dir, 'x');
    mkdirSync(out);
    if (kind === 'tar.gz') execFileSync('tar', ['-xzf', archive, '-C', out]);
    else execFileSync('unzip', ['-q', archive, '-d', out]);
    assert.deepEqual(readFileSync(join(out, 'kubectl-reboot_daemon')), binary);
    assert.equal(readFileSync(join(out, 'LICENSE'), 'utf8'), 'license text\n');
    assert.equal(statSync(join(out, 'kubectl-reboot_daemon')).mode & 0o777, 0o755);
    const listing =
      kind === 'tar.gz'
        ? execFileSync('tar', ['-tzvf', archive], { encoding: 'utf8' })
        : execFileSync('unzip', ['-l', archive], { encoding: 'utf8' });
    assert.match(listing, /kubectl-reboot_daemon/);
  });

  test(`${kind}: the same files give the same bytes, different files different bytes`, async () => {
    const a = extract(kind);
    const b = extract(kind);
    await writeArchive(a.archive, entries);
    await writeArchive(b.archive, [...entries].reverse());
    assert.equal(sha(a.archive), sha(b.archive));
    const c = extract(kind);
    await writeArchive(c.archive, [entries[0]!, { name: 'LICENSE', data: Buffer.from('other\n'), mode: 0o644 }]);
    assert.notEqual(sha(a.archive), sha(c.archive));
  });
}

test('tar.gz passes tar integrity checks: owner root, fixed date, no trailing garbage', async () => {
  const { archive } = extract('tar.gz');
  await writeArchive(archive, entries);
  const listing = execFileSync('tar', ['-tzvf', archive, '--numeric-owner'], { encoding: 'utf8' });
  assert.match(listing, /^-rwxr-xr-x 0\/0\s+70018 2000-01-01 \d\d:\d\d kubectl-reboot_daemon$/m);
  execFileSync('gzip', ['-t', archive]);
});

test('unknown archive types and unsafe names are refused', async () => {
  const { dir } = extract('zip');
  await assert.rejects(writeArchive(join(dir, 'x.rar'), entries), /unknown archive type/);
  await assert.rejects(
    writeArchive(join(dir, 'y.zip'), [{ name: '../evil', data: Buffer.from('x'), mode: 0o644 }]),
    /unsupported archive entry name/,
  );
});
