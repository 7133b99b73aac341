// Shared shapes of the simulated shell: file-system views, standard streams, process context, commands.
// May import: nothing outside src/sim/shell.

export const FsErrorCode = {
  NotFound: 'ENOENT',
  ReadOnly: 'EROFS',
  IsDir: 'EISDIR',
  NotDir: 'ENOTDIR',
} as const;
export type FsErrorCode = (typeof FsErrorCode)[keyof typeof FsErrorCode];

const fsErrorText: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EROFS: 'Read-only file system',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
  ) {
    super(fsErrorText[code]);
    this.name = 'FsError';
  }
}

export interface FileInfo {
  readonly kind: 'file' | 'dir';
  readonly size: number;
  readonly readable: boolean;
  readonly writable: boolean;
}

/** A view of a file system: a container's (with its mounts) or a host's root. Paths are absolute. */
export interface FsView {
  stat(path: string): FileInfo | undefined;
  /** Throws FsError. */
  read(path: string): string;
  /** Throws FsError. `append` false truncates first. */
  write(path: string, data: string, append: boolean): void;
}

export interface Io {
  readonly stdin: string;
  out(s: string): void;
  err(s: string): void;
}

/** What a host offers to commands that reach it (through nsenter or a host PID namespace). */
export interface HostApi {
  readonly fs: FsView;
  /** A host-only program (systemctl, reboot, a scenario's sentinel command), by base name. */
  program(name: string): Command | undefined;
  /** A program the host does not have, even a common one (nsenter, true, sh on an immutable OS). */
  lacks(name: string): boolean;
  /** Deliver a signal, by number, to the host's PID 1. */
  signalInit(signal: number): void;
  /** The host's clock, epoch ms (a container shares it: there is one kernel clock). */
  now(): number;
}

/** Where a command runs: inside a container, or in the host's namespaces. */
export interface ProcContext {
  readonly fs: FsView;
  readonly env: ReadonlyMap<string, string>;
  readonly onHost: boolean;
  readonly hostPid: boolean;
  readonly privileged: boolean;
  readonly host: HostApi;
  /** Programs the container's image does not have (e.g. nsenter in a custom image); default none. */
  readonly imageLacks?: ReadonlySet<string>;
}

export type Command = (argv: readonly string[], io: Io, proc: ProcContext) => number;

export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
