// The ProcessInfo port on this machine: who this process is (a random id, the host name, the kernel's boot ID,
// the pid namespace, the pid and its start time, all read from /proc), and whether a recorded process is
// certainly gone. Pids are compared only within one kernel boot and one pid namespace, and a pid that runs
// again with another start time is a reused one. Off Linux, or where /proc says nothing, every other process
// is 'unknown'. /proc and signal 0 go through a small reader, so tests can stand in for other machines.
// May import: ports and node built-ins.

import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Liveness, ProcessIdentity, ProcessInfo } from '../ports/process.js';

/** What a pid looks like to signal 0: it exists (ESRCH not given, EPERM included), it is gone, or no answer. */
export type PidPresence = 'exists' | 'gone' | 'unknown';

/** The few reads of /proc, and signal 0, that liveness needs. */
export interface ProcReader {
  /** A file's text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** A symbolic link's target, or undefined when it cannot be read. */
  readLink(path: string): string | undefined;
  /** process.kill(pid, 0): only ESRCH says gone; EPERM means it exists (someone else's). */
  signal(pid: number): PidPresence;
}

export const realProc: ProcReader = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readLink(path) {
    try {
      return readlinkSync(path);
    } catch {
      return undefined;
    }
  },
  signal(pid) {
    try {
      process.kill(pid, 0);
      return 'exists';
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ESRCH') return 'gone';
      return code === 'EPERM' ? 'exists' : 'unknown';
    }
  },
};

/** A /proc/PID/stat line's pid (field 1) and start time (field 22), or undefined when malformed. */
export function parseStat(text: string): { readonly pid: number; readonly startTime: string } | undefined {
  // Field 2 is the command name in parentheses, which may itself hold spaces and parentheses: the fields
  // after it start after the last ')'.
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  if (close < 0 || open < 0 || open > close) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field 22 is rest[19].
  const startTime = rest[19];
  if (!Number.isSafeInteger(pid) || pid <= 0 || startTime === undefined || !/^\d+$/.test(startTime))
    return undefined;
  return { pid, startTime };
}

export interface LocalProcessOptions {
  /** Default: the real /proc and process.kill. */
  readonly proc?: ProcReader;
  /** Default process.pid. */
  readonly pid?: number;
  /** Default os.hostname(). */
  readonly host?: string;
  /** Default a new random UUID: each call is a new identity (the composition root calls it once per run). */
  readonly id?: string;
}

/** This process as recorded on Lease holds and helper pods, and the liveness of other recorded processes. */
export function localProcess(opts: LocalProcessOptions = {}): ProcessInfo {
  const proc = opts.proc ?? realProc;
  const pid = opts.pid ?? process.pid;
  const bootId = proc.readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
  const stat = parseStat(proc.readText('/proc/self/stat') ?? '');
  // A /proc of another pid namespace (mounted from elsewhere) would name other processes by our pids: pids
  // are comparable only when /proc/self is this very process.
  const ours = stat !== undefined && stat.pid === pid;
  const pidNs = ours ? proc.readLink('/proc/self/ns/pid')?.trim() || undefined : undefined;
  const self: ProcessIdentity = {
    id: opts.id ?? randomUUID(),
    host: opts.host ?? hostname(),
    ...(bootId === undefined ? {} : { bootId }),
    ...(pidNs === undefined ? {} : { pidNs }),
    pid,
    ...(ours ? { startTime: stat.startTime } : {}),
  };

  function liveness(other: ProcessIdentity): Liveness {
    if (other.id === self.id) return 'alive';
    if (self.bootId === undefined || self.pidNs === undefined) return 'unknown';
    // Another machine, a rebooted kernel or another container: its pids mean nothing here.
    if (other.bootId !== self.bootId || other.pidNs !== self.pidNs) return 'unknown';
    if (!Number.isSafeInteger(other.pid) || other.pid <= 0) return 'unknown';
    const presence = proc.signal(other.pid);
    if (presence === 'gone') return 'dead';
    if (presence === 'unknown') return 'unknown';
    if (other.startTime === undefined) return 'alive';
    const now = parseStat(proc.readText(`/proc/${other.pid}/stat`) ?? '');
    // Unreadable (it may have exited just now): not certain either way.
    if (now === undefined || now.pid !== other.pid) return 'unknown';
    return now.startTime === other.startTime ? 'alive' : 'dead';
  }

  return { self, liveness };
}
