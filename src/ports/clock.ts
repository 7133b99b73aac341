// The clock port: the only way app/ reads time or waits. Tests use a fake clock.
// May import: nothing.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after ms, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
