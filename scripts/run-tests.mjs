#!/usr/bin/env node
// Runs the test suite with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [layer-or-path ...]   e.g. `core app` or `test/sim/store.test.ts`
// Node 20's runner does not expand globs, so the files are found here.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const all = find('test');
const files =
  args.length === 0
    ? all
    : all.filter((f) => args.some((a) => f === a || f.startsWith(`test/${a}/`) || f.startsWith(a)));
if (files.length === 0) {
  console.error(`no test files match: ${args.join(' ')}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
