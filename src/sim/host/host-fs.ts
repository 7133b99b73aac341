// The in-memory root file system of a simulated host: a map of files plus known directories, with the
// `/var/run -> /run` symlink resolved as on real distributions.
// May import: src/sim/shell/types.js.
import { FsError, normalizePath } from '../shell/types.js';
import type { FileInfo, FsView } from '../shell/types.js';

const SYMLINKS: readonly (readonly [string, string])[] = [['/var/run', '/run']];

export function resolveHostPath(path: string): string {
  const p = normalizePath(path);
  for (const [link, to] of SYMLINKS) {
    if (p === link || p.startsWith(link + '/')) return to + p.slice(link.length);
  }
  return p;
}

export class HostFs implements FsView {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);

  constructor(dirs: readonly string[] = []) {
    for (const d of dirs) this.mkdirp(d);
  }

  mkdirp(path: string): void {
    let p = resolveHostPath(path);
    while (p !== '/' && !this.dirs.has(p)) {
      this.dirs.add(p);
      p = p.slice(0, p.lastIndexOf('/')) || '/';
    }
  }

  has(path: string): boolean {
    return this.files.has(resolveHostPath(path));
  }

  /** Sets a file's content, creating its parent directories. */
  put(path: string, content: string): void {
    const p = resolveHostPath(path);
    this.mkdirp(p.slice(0, p.lastIndexOf('/')) || '/');
    this.files.set(p, content);
  }

  remove(path: string): void {
    this.files.delete(resolveHostPath(path));
  }

  stat(path: string): FileInfo | undefined {
    const p = resolveHostPath(path);
    const f = this.files.get(p);
    if (f !== undefined)
      return { kind: 'file', size: Buffer.byteLength(f), readable: true, writable: !p.startsWith('/proc/') };
    if (this.dirs.has(p)) return { kind: 'dir', size: 0, readable: true, writable: !p.startsWith('/proc') };
    return undefined;
  }

  read(path: string): string {
    const p = resolveHostPath(path);
    const f = this.files.get(p);
    if (f !== undefined) return f;
    throw new FsError(this.dirs.has(p) ? 'EISDIR' : 'ENOENT', path);
  }

  write(path: string, data: string, append: boolean): void {
    const p = resolveHostPath(path);
    if (this.dirs.has(p)) throw new FsError('EISDIR', path);
    if (p.startsWith('/proc/')) throw new FsError('EROFS', path);
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) throw new FsError('ENOENT', path);
    this.files.set(p, (append ? (this.files.get(p) ?? '') : '') + data);
  }
}
