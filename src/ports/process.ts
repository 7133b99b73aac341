// The process port: where this run's process lives, and whether another process on the same host is alive.
// It lets a run tell a live run of the same owner (another terminal, an overlapping cron job) from a dead one.
// May import: nothing.

export interface ProcessInfo {
  /** This host's name, as recorded on the Lease hold. */
  readonly host: string;
  readonly pid: number;
  /** Whether a process with this pid runs on this host now. When unsure, say alive: that only waits. */
  isAlive(pid: number): boolean;
}
