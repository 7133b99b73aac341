// The ProcessInfo port on this machine: the hostname, our pid, and signal 0 to ask whether a pid is alive.
// May import: ports and node built-ins.

import { hostname } from 'node:os';
import type { ProcessInfo } from '../ports/process.js';

export function localProcess(): ProcessInfo {
  return {
    host: hostname(),
    pid: process.pid,
    isAlive(pid: number): boolean {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        // EPERM: it exists but belongs to someone else; only ESRCH says it is gone.
        return (err as { code?: unknown }).code !== 'ESRCH';
      }
    },
  };
}
