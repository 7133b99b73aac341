// A spinner for short one-shot waits (connecting, reading the cluster), shown only on a terminal.
// Elsewhere it stays silent, so pipes and logs get no escape codes. May import: ora, ui/render.

import ora from 'ora';
import type { OutStream } from './render.js';

export interface SpinnerOptions {
  /** The stream to draw on; the spinner shows only when it is a terminal. Usually stderr. */
  readonly stream: OutStream;
  readonly enabled?: boolean;
  readonly color?: boolean;
}

/** Runs fn while a spinner with `text` turns; stops it (success or failure mark) when fn settles. */
export async function withSpinner<T>(text: string, fn: () => Promise<T>, opts: SpinnerOptions): Promise<T> {
  const show = (opts.enabled ?? true) && opts.stream.isTTY === true;
  if (!show) return fn();
  const spinner = ora({
    text,
    stream: opts.stream as NodeJS.WritableStream,
    color: opts.color === false ? 'white' : 'cyan',
    isEnabled: true,
    discardStdin: false,
  }).start();
  try {
    const value = await fn();
    spinner.stop();
    return value;
  } catch (err) {
    spinner.fail();
    throw err;
  }
}
