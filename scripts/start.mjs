#!/usr/bin/env node
// `npm start`: the main job. With no cluster configured it runs the demo on a simulated cluster.
// With a kubeconfig ($KUBECONFIG or ~/.kube/config) it shows the plan for that cluster and writes nothing;
// the real run is `reboot-daemon run`, on purpose never started by `npm start`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const configured =
  (process.env.KUBECONFIG ?? '').split(':').some((p) => p !== '' && existsSync(p)) ||
  existsSync(join(homedir(), '.kube', 'config'));
const args = configured ? ['plan', ...process.argv.slice(2)] : ['demo', ...process.argv.slice(2)];
if (configured)
  console.error(
    'A kubeconfig is configured: showing the plan (nothing is written). Use `reboot-daemon run` to run it.',
  );
const child = spawn(process.execPath, ['bin/reboot-daemon.js', ...args], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
