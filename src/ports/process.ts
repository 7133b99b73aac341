// The process port: who this run's process is, and whether another recorded process is certainly gone. It lets a
// run tell a live run of the same owner (another terminal, an overlapping cron job, a container beside it) from a
// dead one. Only certainty counts: 'dead' is said only where the answer cannot be wrong.
// May import: nothing.

/** What a Lease hold and a helper pod record about the process that made them. */
export interface ProcessIdentity {
  /** Random per process (a UUID): the one field that tells two processes apart anywhere. */
  readonly id: string;
  /** The host name, for people reading the record. Never used alone to judge liveness. */
  readonly host: string;
  /** The kernel's boot ID (/proc/sys/kernel/random/boot_id): the same only on the same running kernel. */
  readonly bootId?: string;
  /** The pid namespace (the inode of /proc/self/ns/pid): pids compare only inside one namespace. */
  readonly pidNs?: string;
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused pid. */
  readonly startTime?: string;
}

export type Liveness = 'dead' | 'alive' | 'unknown';

export interface ProcessInfo {
  readonly self: ProcessIdentity;
  /**
   * 'dead' only when certain: the same kernel boot and the same pid namespace as this process, and that pid is
   * gone or now belongs to a process that started at another time. 'alive' when it is seen running. Anything
   * else (another machine, another container, a record without those fields) is 'unknown': wait for expiry.
   */
  liveness(other: ProcessIdentity): Liveness;
}
