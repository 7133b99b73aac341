// Starts `<program> sim --nodes N --write-kubeconfig F` as a child process (the CLI's simulated cluster, with
// its behaviours) and waits until the kubeconfig is written; for end-to-end tests of built programs.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SimProcess {
  readonly kubeconfigPath: string;
  /** Everything the child wrote so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `command` and `args` start the program, e.g. (process.execPath, ['bin/reboot-daemon.js']) or (binary, []). */
export async function startSimProcess(
  command: string,
  args: readonly string[],
  dir: string,
  opts: { nodes?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<SimProcess> {
  const kubeconfigPath = join(dir, 'sim.kubeconfig');
  const child: ChildProcess = spawn(
    command,
    [...args, 'sim', '--nodes', String(opts.nodes ?? 3), '--write-kubeconfig', kubeconfigPath],
    { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sim exited early (${child.exitCode ?? child.signalCode}):\n${out}`);
    }
    const text = await readFile(kubeconfigPath, 'utf8').catch(() => '');
    if (['server:', 'users:', 'current-context:'].every((k) => text.includes(k))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sim wrote no kubeconfig within ${opts.timeoutMs ?? 20_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { kubeconfigPath, output: () => out, stop };
}
