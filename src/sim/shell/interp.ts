// Evaluator of the simulated POSIX-shell subset. Runs synchronously against a ProcContext (a container or a
// host); never touches a real shell or file. Special built-ins (exit, exec, read, export, shift, cd, :) and
// `command` live here; every other command comes from ./exec.js.
// May import: src/sim/shell/*.
import { lookup, runCommand } from './exec.js';
import { expandSingle, expandWord } from './expand.js';
import type { ExpandEnv } from './expand.js';
import { ShellSyntaxError } from './lexer.js';
import { parse } from './parser.js';
import type { AndOr, CommandNode, List, Pipeline, Redir, SimpleCommand } from './parser.js';
import { FsError } from './types.js';
import type { Io, ProcContext } from './types.js';

export interface ShellOptions {
  /** $0 */
  readonly name?: string;
  /** $1, $2, ... */
  readonly args?: readonly string[];
  readonly io: Io;
  readonly proc: ProcContext;
}

const BUILTINS = new Set(['exit', 'exec', 'read', 'export', 'shift', ':', 'cd', 'command']);

class ExitSignal {
  constructor(readonly code: number) {}
}

/** Runs a script (as `sh -c SCRIPT NAME ARGS...`) and returns its exit status. Syntax errors give 2. */
export function runShell(script: string, opts: ShellOptions): number {
  let ast: List;
  try {
    ast = parse(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      opts.io.err(`sh: syntax error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const sh = new Interp(opts);
  try {
    return sh.list(ast, opts.io);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}

class Interp implements ExpandEnv {
  private readonly vars = new Map<string, string>();
  private readonly exported = new Set<string>();
  positional: string[];
  private status = 0;
  private readonly name: string;

  constructor(private readonly opts: ShellOptions) {
    this.positional = [...(opts.args ?? [])];
    this.name = opts.name ?? 'sh';
    for (const [k, v] of opts.proc.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
  }

  lookup(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '#') return String(this.positional.length);
    if (name === '$') return '1';
    if (name === '!' || name === '-') return '';
    if (name === '0') return this.name;
    if (/^[0-9]+$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  list(l: List, io: Io): number {
    for (const item of l.items) this.status = this.andOr(item, io);
    return this.status;
  }

  private andOr(a: AndOr, io: Io): number {
    let st = this.pipeline(a.first, io);
    for (const { op, p } of a.rest) {
      this.status = st;
      if ((op === '&&' && st === 0) || (op === '||' && st !== 0)) st = this.pipeline(p, io);
    }
    return st;
  }

  private pipeline(p: Pipeline, io: Io): number {
    let st = 0;
    let stdin = io.stdin;
    p.cmds.forEach((c, idx) => {
      const last = idx === p.cmds.length - 1;
      let captured = '';
      const cio: Io = last ? { ...io, stdin } : { stdin, out: (s) => (captured += s), err: io.err };
      st = this.command(c, cio);
      stdin = captured;
    });
    if (p.negate) st = st === 0 ? 1 : 0;
    this.status = st;
    return st;
  }

  private command(c: CommandNode, io: Io): number {
    if (c.type === 'simple') return this.simple(c, io);
    const rio = this.redirect(c.redirs, io);
    if (!rio) return 1;
    for (const cl of c.clauses) {
      if (this.list(cl.cond, rio) === 0) return this.list(cl.body, rio);
    }
    if (c.elseBody) return this.list(c.elseBody, rio);
    return 0;
  }

  /** Applies redirections left to right; undefined (after a message) when one fails. */
  private redirect(redirs: readonly Redir[], io: Io): Io | undefined {
    if (redirs.length === 0) return io;
    const fds = new Map<number, ((s: string) => void) | string>([
      [0, io.stdin],
      [1, io.out],
      [2, io.err],
    ]);
    const fs = this.opts.proc.fs;
    for (const r of redirs) {
      const target = expandSingle(r.target, this);
      try {
        if (r.op === '>' || r.op === '>>') {
          if (target === '/dev/null') fds.set(r.fd, () => undefined);
          else {
            fs.write(target, '', r.op === '>>');
            fds.set(r.fd, (s) => fs.write(target, s, true));
          }
        } else if (r.op === '<') {
          fds.set(r.fd, target === '/dev/null' ? '' : fs.read(target));
        } else if (r.op === '>&') {
          if (target === '-') fds.set(r.fd, () => undefined);
          else {
            const src = fds.get(Number(target));
            if (!/^[0-9]$/.test(target) || typeof src !== 'function') {
              io.err(`sh: ${target}: bad file descriptor\n`);
              return undefined;
            }
            fds.set(r.fd, src);
          }
        } // '<&' is accepted and ignored
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        const verb = r.op === '<' ? 'open' : 'create';
        io.err(`sh: can't ${verb} ${target}: ${e.message}\n`);
        return undefined;
      }
    }
    const stdin = fds.get(0);
    const out = fds.get(1);
    const err = fds.get(2);
    return {
      stdin: typeof stdin === 'string' ? stdin : '',
      out: typeof out === 'function' ? out : io.out,
      err: typeof err === 'function' ? err : io.err,
    };
  }

  private simple(c: SimpleCommand, io: Io): number {
    const argv = c.words.flatMap((w) => expandWord(w, this));
    const values = c.assigns.map((a) => [a.name, expandSingle(a.value, this)] as const);
    const rio = this.redirect(c.redirs, io);
    if (!rio) return 1;
    if (argv.length === 0) {
      for (const [k, v] of values) this.vars.set(k, v);
      return 0;
    }
    const name = argv[0] as string;
    const args = argv.slice(1);
    switch (name) {
      case 'exit':
        throw new ExitSignal(this.exitCode(args[0], rio));
      case 'exec': {
        if (args.length === 0) return 0;
        throw new ExitSignal(this.external(args, values, rio));
      }
      case 'read':
        return this.read(args, rio);
      case 'export':
        for (const a of args) {
          const eq = a.indexOf('=');
          const k = eq < 0 ? a : a.slice(0, eq);
          if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
          this.exported.add(k);
        }
        return 0;
      case 'shift': {
        const n = args[0] === undefined ? 1 : Number(args[0]);
        if (!Number.isInteger(n) || n < 0 || n > this.positional.length) {
          rio.err(`sh: shift: can't shift that many\n`);
          return 2;
        }
        this.positional = this.positional.slice(n);
        return 0;
      }
      case ':':
        return 0;
      case 'cd':
        return 0;
      case 'command':
        return this.commandBuiltin(args, values, rio);
      default:
        return this.external(argv, values, rio);
    }
  }

  /** `command -v NAME` (exit 1 when there is no such command) and `command NAME ARGS` (skips functions). */
  private commandBuiltin(args: string[], values: readonly (readonly [string, string])[], io: Io): number {
    if (args[0] !== '-v') return args.length === 0 ? 0 : this.external(args, values, io);
    const name = args[1];
    if (name === undefined) return 0;
    if (BUILTINS.has(name)) {
      io.out(`${name}\n`);
      return 0;
    }
    if (!lookup(name, this.opts.proc)) return 1;
    io.out(name.includes('/') ? `${name}\n` : `/bin/${name}\n`);
    return 0;
  }

  private exitCode(arg: string | undefined, io: Io): number {
    if (arg === undefined) return this.status;
    if (!/^[0-9]+$/.test(arg)) {
      io.err(`sh: exit: Illegal number: ${arg}\n`);
      return 2;
    }
    return Number(arg) & 255;
  }

  private read(args: string[], io: Io): number {
    const names = args.filter((a) => a !== '-r');
    if (names.length === 0 || names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) {
      io.err(`sh: read: bad variable name\n`);
      return 2;
    }
    const nl = io.stdin.indexOf('\n');
    const line = nl < 0 ? io.stdin : io.stdin.slice(0, nl);
    const fields = line.trim().split(/[ \t]+/);
    names.forEach((n, idx) => {
      const value = idx === names.length - 1 ? fields.slice(idx).join(' ') : (fields[idx] ?? '');
      this.vars.set(n, value);
    });
    return nl < 0 ? 1 : 0; // EOF before a newline
  }

  private external(argv: readonly string[], assigns: readonly (readonly [string, string])[], io: Io): number {
    const env = new Map<string, string>();
    for (const k of this.exported) env.set(k, this.vars.get(k) ?? '');
    for (const [k, v] of assigns) env.set(k, v);
    const proc: ProcContext = { ...this.opts.proc, env };
    return runCommand(argv, io, proc);
  }
}
