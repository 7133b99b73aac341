// Word expansion: parameters ($VAR, ${VAR}, $?, $@, $*, $#, $0..$9) and field splitting of unquoted
// expansions on blanks. No pathname expansion (globs stay literal).
// May import: ./lexer.js.
import type { Word } from './lexer.js';

export interface ExpandEnv {
  lookup(name: string): string | undefined;
  readonly positional: readonly string[];
}

/** Expands a word into zero or more fields. */
export function expandWord(w: Word, env: ExpandEnv): string[] {
  const fields: string[] = [];
  let cur = '';
  let has = false; // the current field exists even if empty (quoted content seen)
  const push = (): void => {
    if (has || cur !== '') fields.push(cur);
    cur = '';
    has = false;
  };
  const onlyAt =
    w.parts.some((p) => p.t === 'var' && p.name === '@' && p.q) &&
    w.parts.every((p) => (p.t === 'lit' ? p.s === '' : p.name === '@' && p.q));
  if (onlyAt && env.positional.length === 0) return [];

  for (const p of w.parts) {
    if (p.t === 'lit') {
      cur += p.s;
      if (p.q) has = true;
      continue;
    }
    if (p.name === '@' || (p.name === '*' && !p.q)) {
      const params = env.positional;
      params.forEach((v, idx) => {
        if (idx > 0) push();
        if (p.q) {
          cur += v;
          has = true;
        } else splitInto(v);
      });
      continue;
    }
    const value = env.lookup(p.name) ?? '';
    if (p.q) {
      cur += value;
      has = true;
    } else splitInto(value);
  }
  push();
  return fields;

  function splitInto(value: string): void {
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, idx) => {
      if (idx > 0) push();
      cur += piece;
    });
  }
}

/** Expands a word into exactly one string, without field splitting (assignments, redirection targets). */
export function expandSingle(w: Word, env: ExpandEnv): string {
  return w.parts
    .map((p) => {
      if (p.t === 'lit') return p.s;
      if (p.name === '@' || p.name === '*') return env.positional.join(' ');
      return env.lookup(p.name) ?? '';
    })
    .join('');
}
