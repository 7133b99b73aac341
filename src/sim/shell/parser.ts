// Parser of the simulated POSIX-shell subset: lists (; newline), && and ||, pipelines with !, simple
// commands with assignments and redirections, and if/then/elif/else/fi.
// May import: ./lexer.js.
import { ShellSyntaxError, tokenize } from './lexer.js';
import type { RedirOp, Token, Word } from './lexer.js';

export interface Redir {
  readonly fd: number;
  readonly op: RedirOp;
  readonly target: Word;
}
export interface SimpleCommand {
  readonly type: 'simple';
  readonly assigns: readonly { readonly name: string; readonly value: Word }[];
  readonly words: readonly Word[];
  readonly redirs: readonly Redir[];
}
export interface IfCommand {
  readonly type: 'if';
  readonly clauses: readonly { readonly cond: List; readonly body: List }[];
  readonly elseBody: List | undefined;
  readonly redirs: readonly Redir[];
}
export type CommandNode = SimpleCommand | IfCommand;
export interface Pipeline {
  readonly negate: boolean;
  readonly cmds: readonly CommandNode[];
}
export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly p: Pipeline }[];
}
export interface List {
  readonly items: readonly AndOr[];
}

const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'while',
  'until',
  'do',
  'done',
  'for',
  'case',
  'esac',
  '{',
  '}',
  '!',
]);
const UNSUPPORTED = new Set(['while', 'until', 'for', 'case', 'do', 'done', 'esac', '{', '}']);
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function parse(src: string): List {
  return new Parser(tokenize(src)).program();
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  program(): List {
    const list = this.list(new Set());
    const t = this.peek();
    if (t) throw new ShellSyntaxError(`unexpected ${describe(t)}`);
    return list;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private reserved(): string | undefined {
    const t = this.peek();
    return t?.t === 'word' && t.w.plain && RESERVED.has(t.w.text) ? t.w.text : undefined;
  }
  private skipNewlines(): void {
    for (let t = this.peek(); t?.t === 'op' && t.op === '\n'; t = this.peek()) this.i++;
  }
  private expectReserved(word: string): void {
    if (this.reserved() !== word) {
      const t = this.peek();
      throw new ShellSyntaxError(
        t
          ? `unexpected ${describe(t)} (expecting "${word}")`
          : `unexpected end of file (expecting "${word}")`,
      );
    }
    this.i++;
  }

  /** A list stops at end of input or at one of the `stops` reserved words in command position. */
  private list(stops: ReadonlySet<string>): List {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      const r = this.reserved();
      if (r && stops.has(r)) break;
      items.push(this.andOr());
      const sep = this.peek();
      if (sep?.t === 'op' && (sep.op === ';' || sep.op === '\n')) {
        this.i++;
        continue;
      }
      if (sep?.t === 'op' && sep.op === '&')
        throw new ShellSyntaxError('background jobs ("&") are not supported');
      if (sep && !(this.reserved() && stops.has(this.reserved() as string))) {
        throw new ShellSyntaxError(`unexpected ${describe(sep)}`);
      }
    }
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; p: Pipeline }[] = [];
    for (let t = this.peek(); t?.t === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.i++;
      this.skipNewlines();
      rest.push({ op: t.op, p: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.reserved() === '!') {
      negate = true;
      this.i++;
    }
    const cmds = [this.command()];
    for (let t = this.peek(); t?.t === 'op' && t.op === '|'; t = this.peek()) {
      this.i++;
      this.skipNewlines();
      cmds.push(this.command());
    }
    return { negate, cmds };
  }

  private command(): CommandNode {
    const r = this.reserved();
    if (r === 'if') return this.ifCommand();
    if (r && UNSUPPORTED.has(r)) throw new ShellSyntaxError(`"${r}" is not supported`);
    if (r) throw new ShellSyntaxError(`unexpected "${r}"`);
    return this.simple();
  }

  private ifCommand(): IfCommand {
    this.expectReserved('if');
    const clauses: { cond: List; body: List }[] = [];
    for (;;) {
      const cond = this.list(new Set(['then']));
      if (cond.items.length === 0) throw new ShellSyntaxError('unexpected "then"');
      this.expectReserved('then');
      const body = this.list(new Set(['elif', 'else', 'fi']));
      if (body.items.length === 0)
        throw new ShellSyntaxError(`unexpected "${this.reserved() ?? 'end of file'}"`);
      clauses.push({ cond, body });
      if (this.reserved() === 'elif') {
        this.i++;
        continue;
      }
      break;
    }
    let elseBody: List | undefined;
    if (this.reserved() === 'else') {
      this.i++;
      elseBody = this.list(new Set(['fi']));
      if (elseBody.items.length === 0) throw new ShellSyntaxError('unexpected "fi"');
    }
    this.expectReserved('fi');
    return { type: 'if', clauses, elseBody, redirs: this.redirs() };
  }

  private redirs(): Redir[] {
    const out: Redir[] = [];
    for (let t = this.peek(); t?.t === 'redir'; t = this.peek()) out.push(this.redir());
    return out;
  }

  private redir(): Redir {
    const t = this.toks[this.i++];
    if (t?.t !== 'redir') throw new ShellSyntaxError('internal: expected a redirection');
    const target = this.peek();
    if (target?.t !== 'word')
      throw new ShellSyntaxError(target ? `unexpected ${describe(target)}` : 'unexpected end of file');
    this.i++;
    const fd = t.fd ?? (t.op === '<' || t.op === '<&' ? 0 : 1);
    return { fd, op: t.op, target: target.w };
  }

  private simple(): SimpleCommand {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (let t = this.peek(); t && t.t !== 'op'; t = this.peek()) {
      if (t.t === 'redir') {
        redirs.push(this.redir());
        continue;
      }
      this.i++;
      const first = t.w.parts[0];
      const m = first?.t === 'lit' && !first.q ? ASSIGN.exec(first.s) : null;
      if (words.length === 0 && m && first?.t === 'lit') {
        const restFirst = first.s.slice(m[0].length);
        const parts = [
          ...(restFirst ? [{ t: 'lit' as const, s: restFirst, q: false }] : []),
          ...t.w.parts.slice(1),
        ];
        assigns.push({ name: m[1] as string, value: { parts, plain: false, text: '' } });
      } else words.push(t.w);
    }
    if (words.length === 0 && assigns.length === 0 && redirs.length === 0) {
      const t = this.peek();
      throw new ShellSyntaxError(t ? `unexpected ${describe(t)}` : 'unexpected end of file');
    }
    return { type: 'simple', assigns, words, redirs };
  }
}

function describe(t: Token): string {
  if (t.t === 'word') return `word "${t.w.text}"`;
  if (t.t === 'redir') return `redirection "${t.op}"`;
  return t.op === '\n' ? 'newline' : `"${t.op}"`;
}
