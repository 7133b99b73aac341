// Plain utilities of the simulated shell (no process or host effects): echo, true, false, cat, head, sleep, date.
// May import: ./types.js.
import { FsError } from './types.js';
import type { Command, Io, ProcContext } from './types.js';

/** Reads each named file (or stdin when none / "-"), reporting unreadable ones; returns [content, ok]. */
function readInputs(files: readonly string[], io: Io, proc: ProcContext, who: string): [string, boolean] {
  if (files.length === 0) return [io.stdin, true];
  let out = '';
  let ok = true;
  for (const f of files) {
    if (f === '-') {
      out += io.stdin;
      continue;
    }
    try {
      out += proc.fs.read(f);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      io.err(`${who}: can't open '${f}': ${e.message}\n`);
      ok = false;
    }
  }
  return [out, ok];
}

export const echo: Command = (argv, io) => {
  let args = argv.slice(1);
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  io.out(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

export const trueCmd: Command = () => 0;
export const falseCmd: Command = () => 1;

export const cat: Command = (argv, io, proc) => {
  const [content, ok] = readInputs(argv.slice(1), io, proc, 'cat');
  io.out(content);
  return ok ? 0 : 1;
};

export const head: Command = (argv, io, proc) => {
  const args = argv.slice(1);
  let bytes: number | undefined;
  let lines = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const m = /^-([cn])(\d*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? m[2] : args[++i];
      if (v === undefined || !/^\d+$/.test(v)) {
        io.err(`head: invalid number '${v ?? ''}'\n`);
        return 1;
      }
      if (m[1] === 'c') bytes = Number(v);
      else lines = Number(v);
    } else files.push(a);
  }
  const [content, ok] = readInputs(files, io, proc, 'head');
  if (bytes !== undefined) {
    io.out(Buffer.from(content, 'utf8').subarray(0, bytes).toString('utf8'));
  } else {
    const parts = content.split('\n');
    const hasMore = parts.length > lines;
    io.out(parts.slice(0, lines).join('\n') + (hasMore ? '\n' : ''));
  }
  return ok ? 0 : 1;
};

/** Simulated time does not pass inside a script: sleep only validates its operand. */
export const sleep: Command = (argv, io) => {
  const v = argv[1];
  if (v === undefined || !/^\d+(\.\d+)?[smhd]?$/.test(v)) {
    io.err(`sleep: invalid number '${v ?? ''}'\n`);
    return 1;
  }
  return 0;
};

/** date, as busybox prints it: `date +%s` (epoch seconds) and bare `date` (UTC); other formats are refused. */
export const date: Command = (argv, io, proc) => {
  const args = argv.slice(1).filter((a) => a !== '-u');
  const now = proc.host.now();
  if (args.length === 0) {
    io.out(`${new Date(now).toUTCString()}\n`);
    return 0;
  }
  if (args.length === 1 && args[0] === '+%s') {
    io.out(`${Math.floor(now / 1000)}\n`);
    return 0;
  }
  io.err(`date: the simulated date supports only +%s, not '${args.join(' ')}'\n`);
  return 1;
};
