// Typed errors, each with a hint that says how to fix it. Exit codes are part of the contract.
// May import: nothing.

export const ExitCode = {
  /** Done, or nothing to do. */
  Ok: 0,
  /** A node failed. */
  NodeFailed: 1,
  /** Bad input or configuration; nothing was written. */
  BadInput: 2,
  /** Reboots are pending but could not start: outside the window, blocked, or lock held. */
  Pending: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class RebootDaemonError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, opts: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? ExitCode.NodeFailed;
    this.hint = opts.hint;
  }
}

/** Bad input: a window, a duration, a selector, a kubeconfig, a scenario file. Exit code 2. */
export class InputError extends RebootDaemonError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.BadInput, ...(hint === undefined ? {} : { hint }) });
  }
}

/**
 * The API server refused for lack of permission; names the verb and resource. The message itself names the
 * remedy too: it often travels on as a node's failure reason, where the hint is not shown.
 */
export class PermissionError extends RebootDaemonError {
  constructor(
    readonly verb: string,
    readonly resource: string,
    detail: string,
  ) {
    super(`forbidden: cannot ${verb} ${resource} (see \`reboot-daemon rbac\`): ${detail}`, {
      exitCode: ExitCode.BadInput,
      hint: `grant "${verb}" on "${resource}"; \`reboot-daemon rbac\` prints the ClusterRole this tool needs`,
    });
  }
}

export function formatError(err: unknown): string {
  if (err instanceof RebootDaemonError) {
    return err.hint ? `${err.message}\n  hint: ${err.hint}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The same as formatError, on one line: for event reasons and log lines. */
export function formatErrorInline(err: unknown): string {
  if (err instanceof RebootDaemonError && err.hint) return `${err.message} (hint: ${err.hint})`;
  return formatError(err);
}

/** A compare-and-swap write found the object changed since it was read (HTTP 409 Conflict): read again. */
export class ConflictError extends Error {
  constructor(message = 'the object has been modified; read it again and retry') {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The reboot trigger withdrew without rebooting (the node became schedulable, or the deadline passed). */
export class RebootCancelledError extends Error {
  constructor(
    readonly reason: 'schedulable' | 'too-late',
    message: string,
  ) {
    super(message);
    this.name = 'RebootCancelledError';
  }
}

/**
 * The reboot trigger could not run at all, so nothing was rebooted: a program it needs is missing (the host
 * has no systemctl, the helper image has no nsenter). Unlike a trigger that may have run, it is undone.
 */
export class RebootNotRunError extends RebootDaemonError {
  constructor(
    readonly node: string,
    readonly missing: string,
    message: string,
    hint: string,
  ) {
    super(message, { hint });
  }
}
