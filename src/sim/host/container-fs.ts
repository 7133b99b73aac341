// A container's view of files: its own small root (with /dev/termination-log and /dev/null), the host's
// directories through its hostPath volume mounts (readOnly honoured), and the kernel-global
// /proc/sys/kernel/random/boot_id, which always shows the host's value.
// May import: src/sim/shell/types.js, ./host-fs.js.
import { FsError, normalizePath } from '../shell/types.js';
import type { FileInfo, FsView } from '../shell/types.js';
import { HostFs, resolveHostPath } from './host-fs.js';

export interface Mount {
  readonly mountPath: string;
  readonly hostPath: string;
  readonly readOnly: boolean;
}

export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

const CONTAINER_DIRS = [
  '/bin',
  '/dev',
  '/etc',
  '/proc/sys/kernel/random',
  '/tmp',
  '/usr/bin',
  '/sbin',
  '/var',
  '/root',
];

export class ContainerFs implements FsView {
  readonly local = new HostFs(CONTAINER_DIRS);
  private readonly mounts: Mount[];

  constructor(
    private readonly host: HostFs,
    mounts: readonly Mount[],
    terminationMessagePath = '/dev/termination-log',
  ) {
    this.mounts = mounts
      .map((m) => ({ ...m, mountPath: normalizePath(m.mountPath), hostPath: resolveHostPath(m.hostPath) }))
      .sort((a, b) => b.mountPath.length - a.mountPath.length);
    this.local.put(terminationMessagePath, '');
    this.local.put('/etc/os-release', 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\n');
    for (const m of this.mounts) this.local.mkdirp(m.mountPath);
  }

  private route(path: string): { fs: FsView; path: string; readOnly: boolean } {
    const p = normalizePath(path);
    if (p === BOOT_ID_PATH) return { fs: this.host, path: p, readOnly: true };
    for (const m of this.mounts) {
      if (p === m.mountPath || p.startsWith(m.mountPath + '/')) {
        return { fs: this.host, path: m.hostPath + p.slice(m.mountPath.length), readOnly: m.readOnly };
      }
    }
    return { fs: this.local, path: p, readOnly: p.startsWith('/proc/') };
  }

  stat(path: string): FileInfo | undefined {
    const r = this.route(path);
    const st = r.fs.stat(r.path);
    return st && r.readOnly ? { ...st, writable: false } : st;
  }

  read(path: string): string {
    const r = this.route(path);
    try {
      return r.fs.read(r.path);
    } catch (e) {
      if (e instanceof FsError) throw new FsError(e.code, path);
      throw e;
    }
  }

  write(path: string, data: string, append: boolean): void {
    const r = this.route(path);
    if (r.readOnly) throw new FsError('EROFS', path);
    try {
      r.fs.write(r.path, data, append);
    } catch (e) {
      if (e instanceof FsError) throw new FsError(e.code, path);
      throw e;
    }
  }
}
