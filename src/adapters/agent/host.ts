// The host as the agent sees it: a small file-and-command abstraction, injected so tests can pass a
// simulated host. Production (LinuxHost) reads the host's /run through a read-only mount of the directory
// (at /host/run by default) and runs host commands with `nsenter -t 1 -m -u -i -n -p --`, which needs
// hostPID, root and CAP_SYS_ADMIN: the reason the agent container runs privileged.
// May import: core, node built-ins.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';

export interface CommandResult {
  readonly exitCode: number;
  readonly output: string;
}

export interface HostAccess {
  /** A file under the host's /run (or /var/run, the same place); undefined when it does not exist. */
  readRunFile(path: string): Promise<string | undefined>;
  /** The kernel's boot ID now (the same inside any container of the host). */
  bootId(): Promise<string>;
  /** Runs argv in the host's namespaces; rejects only when it could not be started at all. */
  run(argv: readonly string[], timeoutMs: number): Promise<CommandResult>;
  /** The host's clock, epoch ms (a container reads the kernel's clock). */
  now(): number;
}

/** "/var/run/x" and "/run/x" -> "x"; anything else is an InputError (only /run is mounted). */
export function runRelative(path: string): string {
  const clean = path.replace(/\/+/g, '/');
  for (const prefix of ['/var/run/', '/run/']) {
    if (clean.startsWith(prefix) && clean.length > prefix.length && !clean.split('/').includes('..')) {
      return clean.slice(prefix.length);
    }
  }
  throw new InputError(
    `reboot sentinel ${path} is not under /run or /var/run`,
    `the agent reads only the host's /run; for another file use --reboot-sentinel-command "test -e ${path}"`,
  );
}

export interface LinuxHostOptions {
  /** Where the host's /run is mounted in the container. Default /host/run. */
  readonly hostRun?: string;
  /** Default /proc/sys/kernel/random/boot_id. */
  readonly bootIdPath?: string;
  /** Default nsenter. */
  readonly nsenter?: string;
}

export class LinuxHost implements HostAccess {
  private readonly hostRun: string;
  private readonly bootIdPath: string;
  private readonly nsenter: string;

  constructor(opts: LinuxHostOptions = {}) {
    this.hostRun = (opts.hostRun ?? '/host/run').replace(/\/+$/, '');
    this.bootIdPath = opts.bootIdPath ?? '/proc/sys/kernel/random/boot_id';
    this.nsenter = opts.nsenter ?? 'nsenter';
  }

  now(): number {
    return Date.now();
  }

  async readRunFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(`${this.hostRun}/${runRelative(path)}`, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async bootId(): Promise<string> {
    return (await readFile(this.bootIdPath, 'utf8')).trim();
  }

  run(argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
    const args = ['-t', '1', '-m', '-u', '-i', '-n', '-p', '--', ...argv];
    return new Promise((resolve, reject) => {
      execFile(
        this.nsenter,
        args,
        { timeout: timeoutMs, maxBuffer: 1 << 20, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const output = `${stdout}${stderr}`;
          if (err === null) {
            resolve({ exitCode: 0, output });
            return;
          }
          const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string };
          if (typeof e.code === 'number') resolve({ exitCode: e.code, output });
          else if (e.killed || e.signal)
            resolve({ exitCode: 128 + 9, output: `${output}killed (${e.signal ?? 'timeout'})` });
          else reject(new Error(`cannot run ${this.nsenter}: ${e.message}`));
        },
      );
    });
  }
}
