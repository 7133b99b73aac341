// Tokenizer of the simulated POSIX-shell subset: words (with quoting kept for expansion), operators,
// redirections. Command substitution, backquotes and subshells are refused as syntax errors.
// May import: nothing outside src/sim/shell.

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

export type WordPart =
  | { readonly t: 'lit'; readonly s: string; readonly q: boolean }
  | { readonly t: 'var'; readonly name: string; readonly q: boolean };

export interface Word {
  readonly parts: readonly WordPart[];
  /** True when the word is one unquoted literal (so it may be a reserved word or an assignment). */
  readonly plain: boolean;
  readonly text: string;
}

export type Op = ';' | '\n' | '&&' | '||' | '|' | '&';
export type RedirOp = '>' | '>>' | '<' | '>&' | '<&';

export type Token =
  | { readonly t: 'word'; readonly w: Word }
  | { readonly t: 'op'; readonly op: Op }
  | { readonly t: 'redir'; readonly fd: number | undefined; readonly op: RedirOp };

const SPECIAL_VARS = new Set(['?', '@', '*', '#', '$', '!', '-']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let parts: WordPart[] = [];
  let inWord = false;

  const lit = (s: string, q: boolean): void => {
    const last = parts[parts.length - 1];
    if (last && last.t === 'lit' && last.q === q) parts[parts.length - 1] = { t: 'lit', s: last.s + s, q };
    else parts.push({ t: 'lit', s, q });
    inWord = true;
  };
  const endWord = (): void => {
    if (!inWord) return;
    const plain = parts.length === 1 && parts[0]?.t === 'lit' && !parts[0].q;
    const text = parts.map((p) => (p.t === 'lit' ? p.s : `$${p.name}`)).join('');
    tokens.push({ t: 'word', w: { parts, plain, text } });
    parts = [];
    inWord = false;
  };
  /** Reads a `$...` expansion starting at src[i] === '$'; returns the new index. */
  const dollar = (q: boolean): void => {
    const c = src[i + 1];
    if (c === '(') throw new ShellSyntaxError('command substitution is not supported');
    if (c === '{') {
      const end = src.indexOf('}', i + 2);
      if (end < 0) throw new ShellSyntaxError('missing }');
      const name = src.slice(i + 2, end);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?@*#$!])$/.test(name))
        throw new ShellSyntaxError(`bad substitution`);
      parts.push({ t: 'var', name, q });
      inWord = true;
      i = end + 1;
      return;
    }
    if (c !== undefined && (SPECIAL_VARS.has(c) || /[0-9]/.test(c))) {
      parts.push({ t: 'var', name: c, q });
      inWord = true;
      i += 2;
      return;
    }
    if (c !== undefined && NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_CHAR.test(src[j] as string)) j++;
      parts.push({ t: 'var', name: src.slice(i + 1, j), q });
      inWord = true;
      i = j;
      return;
    }
    lit('$', q);
    i += 1;
  };

  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n') {
      endWord();
      tokens.push({ t: 'op', op: '\n' });
      i++;
    } else if (c === '#' && !inWord) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\\') {
      if (src[i + 1] === '\n') i += 2;
      else {
        if (i + 1 < src.length) lit(src[i + 1] as string, true);
        i += 2;
      }
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      lit(src.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      i++;
      lit('', true);
      for (;;) {
        if (i >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        const d = src[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1] as string)) {
          if (src[i + 1] !== '\n') lit(src[i + 1] as string, true);
          i += 2;
        } else if (d === '$') dollar(true);
        else if (d === '`') throw new ShellSyntaxError('command substitution is not supported');
        else {
          lit(d, true);
          i++;
        }
      }
    } else if (c === '$') {
      dollar(false);
    } else if (c === '`') {
      throw new ShellSyntaxError('command substitution is not supported');
    } else if (c === '(' || c === ')') {
      throw new ShellSyntaxError(`unexpected "${c}" (subshells are not supported)`);
    } else if (c === ';' || c === '&' || c === '|') {
      endWord();
      const two = src.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        tokens.push({ t: 'op', op: two });
        i += 2;
      } else if (two === ';;') throw new ShellSyntaxError('unexpected ";;"');
      else {
        tokens.push({ t: 'op', op: c });
        i++;
      }
    } else if (c === '>' || c === '<') {
      let fd: number | undefined;
      const last = parts[0];
      if (inWord && parts.length === 1 && last?.t === 'lit' && !last.q && /^[0-9]$/.test(last.s)) {
        fd = Number(last.s);
        parts = [];
        inWord = false;
      } else endWord();
      const next = src[i + 1];
      let op: RedirOp;
      if (c === '>' && next === '>') op = '>>';
      else if (next === '&') op = c === '>' ? '>&' : '<&';
      else op = c;
      i += op.length === 2 ? 2 : 1;
      if (op === '>' && src[i] === '|') i++;
      tokens.push({ t: 'redir', fd, op });
    } else {
      lit(c, false);
      i++;
    }
  }
  endWord();
  return tokens;
}
