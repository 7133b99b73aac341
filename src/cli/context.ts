// What every command handler receives: the streams, the environment, a cancel signal and a place to put its
// exit code (yargs handlers cannot return one). Lets tests run main() against buffers.
// May import: core, ui/render (types).

import type { OutStream } from '../ui/render.js';

export interface CliIO {
  readonly out: OutStream;
  readonly err: OutStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path the program was started as (process.argv[1]); decides the kubectl-plugin name. */
  readonly argv1?: string;
  /** Aborted on SIGINT/SIGTERM. main() creates one when not given. */
  readonly signal?: AbortSignal;
}

export interface CommandContext {
  readonly io: CliIO;
  /** "reboot-daemon" or "kubectl reboot-daemon". */
  readonly scriptName: string;
  readonly signal: AbortSignal;
  /** The handler's result; main() returns it. */
  exitCode: number;
}

/** An error that only says the work was cancelled (Ctrl-C) or timed out through an AbortSignal. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}
