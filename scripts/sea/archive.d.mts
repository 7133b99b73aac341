// Types of archive.mjs, for the tests that import it.
export declare const FIXED_MTIME: number;
export type ArchiveEntry = { name: string; mode: number } & ({ data: Buffer } | { path: string });
export interface LoadedEntry {
  name: string;
  mode: number;
  data: Buffer;
}
export declare function tarGz(entries: readonly LoadedEntry[]): Buffer;
export declare function zip(entries: readonly LoadedEntry[]): Buffer;
export declare function writeArchive(file: string, entries: readonly ArchiveEntry[]): Promise<void>;
