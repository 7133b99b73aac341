// The `test` / `[` utility of the simulated shell: file tests, string and integer comparisons, !, -a, -o.
// May import: ./types.js.
import type { Command, FsView, Io } from './types.js';

class TestError extends Error {}

export const testCommand: Command = (argv, io, proc) => {
  const name = argv[0] === '[' ? '[' : 'test';
  let args = argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      io.err('sh: [: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(args, proc.fs, io) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      io.err(`sh: ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};

function evaluate(args: readonly string[], fs: FsView, io: Io): boolean {
  const orIdx = args.indexOf('-o');
  if (orIdx > 0) return evaluate(args.slice(0, orIdx), fs, io) || evaluate(args.slice(orIdx + 1), fs, io);
  const andIdx = args.indexOf('-a', 1);
  if (andIdx > 0 && args.length > 3) {
    return evaluate(args.slice(0, andIdx), fs, io) && evaluate(args.slice(andIdx + 1), fs, io);
  }
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return (args[0] as string) !== '';
    case 2: {
      const [op, x] = args as [string, string];
      if (op === '!') return !evaluate([x], fs, io);
      return unary(op, x, fs);
    }
    case 3: {
      const [a, op, b] = args as [string, string, string];
      if (a === '!') return !evaluate([op, b], fs, io);
      return binary(a, op, b);
    }
    default:
      if (args[0] === '!') return !evaluate(args.slice(1), fs, io);
      throw new TestError(`${args[args.length - 1]}: unknown operand`);
  }
}

function unary(op: string, x: string, fs: FsView): boolean {
  switch (op) {
    case '-n':
      return x !== '';
    case '-z':
      return x === '';
  }
  const st = x === '' ? undefined : fs.stat(x);
  switch (op) {
    case '-e':
      return st !== undefined;
    case '-f':
      return st?.kind === 'file';
    case '-d':
      return st?.kind === 'dir';
    case '-r':
      return st?.readable === true;
    case '-w':
      return st?.writable === true;
    case '-s':
      return st !== undefined && st.kind === 'file' && st.size > 0;
    case '-x':
      return st?.kind === 'dir';
    case '-L':
    case '-h':
      return false;
    default:
      throw new TestError(`${op}: unary operator expected`);
  }
}

function binary(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
  const ops: Record<string, (x: number, y: number) => boolean> = {
    '-eq': (x, y) => x === y,
    '-ne': (x, y) => x !== y,
    '-lt': (x, y) => x < y,
    '-le': (x, y) => x <= y,
    '-gt': (x, y) => x > y,
    '-ge': (x, y) => x >= y,
  };
  const f = ops[op];
  if (!f) throw new TestError(`${op}: binary operator expected`);
  return f(integer(a), integer(b));
}

function integer(s: string): number {
  if (!/^\s*[-+]?[0-9]+\s*$/.test(s)) throw new TestError(`${s}: bad number`);
  return Number(s);
}
