// Lexing and validation for label selectors: tokens, label keys (optional DNS-subdomain prefix + name) and values.
// Validation failures throw plain Errors with a short reason; selector.ts wraps them in InputError.
// May import: nothing.

export const SELECTOR_FORMS = 'a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a, joined by ","';

export type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: '=' | '==' | '!=' | '!' | '(' | ')' | ','; readonly text: string };

const IDENT_CHAR = /[A-Za-z0-9._/-]/;

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i] ?? '';
    if (c === ' ') {
      i++;
    } else if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) {
      throw new Error(`control character ${JSON.stringify(c)} at position ${i}`);
    } else if (IDENT_CHAR.test(c)) {
      let j = i;
      while (j < s.length && IDENT_CHAR.test(s[j] ?? '')) j++;
      out.push({ kind: 'ident', text: s.slice(i, j) });
      i = j;
    } else if (s.startsWith('!=', i) || s.startsWith('==', i)) {
      out.push({ kind: s.startsWith('!=', i) ? '!=' : '==', text: s.slice(i, i + 2) });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c });
      i++;
    } else if (c === '>' || c === '<') {
      throw new Error(`the "${c}" operator is not supported`);
    } else {
      throw new Error(`unexpected character ${JSON.stringify(c)} at position ${i}`);
    }
  }
  return out;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A label key: [prefix/]name, prefix a DNS subdomain (≤253), name ≤63 alphanumerics and "-_." inside. */
export function checkKey(key: string): void {
  const parts = key.split('/');
  if (parts.length > 2) throw new Error(`label key ${JSON.stringify(key)} has more than one "/"`);
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '' || prefix.length > 253 || !prefix.split('.').every((l) => DNS_LABEL.test(l))) {
      throw new Error(
        `label key ${JSON.stringify(key)} has an invalid prefix (a lowercase DNS subdomain like example.com)`,
      );
    }
  }
  if (name === '' || name.length > 63 || !NAME.test(name)) {
    throw new Error(
      `label key ${JSON.stringify(key)} is invalid (name: at most 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric)`,
    );
  }
}

/** A label value: empty, or at most 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric. */
export function checkValue(value: string): void {
  if (value === '') return;
  if (value.length > 63 || !NAME.test(value)) {
    throw new Error(
      `label value ${JSON.stringify(value)} is invalid (at most 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric)`,
    );
  }
}
