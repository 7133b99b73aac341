// Release archives for krew: a .tar.gz (ustar, gzip) or a .zip (deflate), written without outside tools and
// byte-for-byte reproducible — fixed timestamps, owners and order — so the sha256 in krew-manifest.yaml
// depends only on the files inside.
// May import: node built-ins.
import { readFile, writeFile } from 'node:fs/promises';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** 2000-01-01T00:00:00Z: any fixed instant works; zip's DOS dates cannot go before 1980. */
export const FIXED_MTIME = 946684800;

/**
 * @typedef {{ name: string, mode: number } & ({ data: Buffer } | { path: string })} ArchiveEntry
 */

async function load(entries) {
  const out = [];
  for (const e of entries) {
    const segments = e.name.split('/');
    if (!segments.every((s) => /^[\w.+-]+$/.test(s) && s !== '.' && s !== '..')) {
      throw new Error(`unsupported archive entry name: ${e.name}`);
    }
    out.push({ name: e.name, mode: e.mode, data: 'data' in e ? e.data : await readFile(e.path) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function octal(value, width) {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One 512-byte ustar header for a regular file. */
function tarHeader(name, mode, size) {
  if (Buffer.byteLength(name) > 100) throw new Error(`archive entry name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(FIXED_MTIME, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum counts as spaces while it is computed
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\u000000', 257, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

export function tarGz(entries) {
  const parts = [];
  for (const e of entries) {
    parts.push(tarHeader(e.name, e.mode, e.data.length), e.data);
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024)); // end of archive: two zero blocks
  // Node's gzip header carries no file name and a zero mtime, so the output is reproducible.
  return gzipSync(Buffer.concat(parts), { level: 6 }); // level 9 takes 3x longer for <1% smaller
}

/** DOS time and date of FIXED_MTIME (UTC). */
function dosStamp() {
  const d = new Date(FIXED_MTIME * 1000);
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

export function zip(entries) {
  const { time, date } = dosStamp();
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | (e.mode & 0o7777)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Writes `file` as a .tar.gz or .zip (by its extension) holding `entries`. */
export async function writeArchive(file, entries) {
  const loaded = await load(entries);
  if (file.endsWith('.tar.gz') || file.endsWith('.tgz')) await writeFile(file, tarGz(loaded));
  else if (file.endsWith('.zip')) await writeFile(file, zip(loaded));
  else throw new Error(`unknown archive type: ${file} (use .tar.gz or .zip)`);
}
