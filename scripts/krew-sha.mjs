#!/usr/bin/env node
// Fills each platform's sha256 in krew-manifest.yaml from the release archives in a folder.
// Usage: node scripts/krew-sha.mjs DIR [--manifest krew-manifest.yaml] [--check]
// An archive is matched by the last path segment of the platform's uri. A missing archive is an error,
// unless --allow-missing is given; --check exits 1 when the manifest is not up to date.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const flag = (name) => args.includes(name);
const manifestIdx = args.indexOf('--manifest');
const manifestPath = manifestIdx >= 0 ? args[manifestIdx + 1] : 'krew-manifest.yaml';
if (!dir) {
  console.error('usage: node scripts/krew-sha.mjs DIR [--manifest FILE] [--check] [--allow-missing]');
  process.exit(2);
}

const doc = parseDocument(await readFile(manifestPath, 'utf8'));
const platforms = doc.getIn(['spec', 'platforms']);
let changed = 0;
let missing = 0;
for (const platform of platforms.items) {
  const uri = platform.get('uri');
  const file = join(dir, basename(new URL(uri).pathname));
  let data;
  try {
    data = await readFile(file);
  } catch {
    missing++;
    console.error(`missing archive: ${file}`);
    continue;
  }
  const sum = createHash('sha256').update(data).digest('hex');
  if (platform.get('sha256') !== sum) {
    platform.set('sha256', sum);
    changed++;
  }
  console.log(`${sum}  ${basename(file)}`);
}
if (missing > 0 && !flag('--allow-missing')) process.exit(1);
if (flag('--check')) process.exit(changed > 0 ? 1 : 0);
if (changed > 0) await writeFile(manifestPath, doc.toString());
console.log(`${changed} sha256 value(s) updated in ${manifestPath}`);
