// Runs main() in-process against buffers, as a test harness.
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  args: readonly string[],
  opts: {
    argv1?: string;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
    onStdout?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args], {
    out: {
      write(s: string) {
        out.push(s);
        opts.onStdout?.(out.join(''));
        return true;
      },
      isTTY: false,
    },
    err: { write: (s: string) => err.push(s) > 0, isTTY: false },
    env: opts.env ?? {},
    argv1: opts.argv1 ?? '/usr/local/bin/reboot-daemon',
    signal: opts.signal ?? new AbortController().signal,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
