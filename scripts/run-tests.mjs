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

// The chaos soak drives two CLIs, 50 simulated nodes and timed faults: it runs on its own after the rest, so
// the other suites' load does not stretch its waits.
const ALONE = ['test/e2e/soak.test.ts'];
const together = files.filter((f) => !ALONE.includes(f));
const alone = files.filter((f) => ALONE.includes(f));

const totals = { pass: 0, fail: 0 };

function run(list) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      // The reporter is named: Node 20 defaults to TAP, later versions to `spec`, whose closing lines (`ℹ pass N`)
      // this script could not count.
      ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...list],
      { stdio: ['inherit', 'pipe', 'inherit'] },
    );
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^# (pass|fail) (\d+)$/.exec(line);
        if (m) totals[m[1]] += Number(m[2]);
      }
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

let code = 0;
if (together.length > 0) code = await run(together);
if (alone.length > 0) code = (await run(alone)) || code;
// One closing line for both parts.
console.log(`${totals.pass} passed, ${totals.fail} failed`);
process.exit(code);
