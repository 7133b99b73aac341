// Label selectors as Kubernetes parses them: the string syntax (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
// `a`, `!a`, `a>1`, comma = AND) and the structured form (matchLabels / matchExpressions). Field selectors
// live in ./field-selectors.ts and are re-exported here. Bad selectors throw a 400 BadRequest StatusError.
// May import: ./status.js, ./field-selectors.js.

import { badRequest } from './status.js';

export {
  parseFieldSelector,
  supportedFields,
  type FieldSelector,
  type FieldRequirement,
} from './field-selectors.js';

export const SelectorOp = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
  Gt: 'Gt',
  Lt: 'Lt',
} as const;
export type SelectorOp = (typeof SelectorOp)[keyof typeof SelectorOp];

export interface LabelRequirement {
  readonly key: string;
  readonly op: SelectorOp;
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** True for a selector that selects everything (no requirements). */
  readonly empty: boolean;
  /** True for the null selector, which selects nothing. */
  readonly nothing: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

/** The structured form, as in `spec.selector` of a Deployment or PodDisruptionBudget. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

const NAME_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is not valid, or undefined when it is (prefix/name, as Kubernetes qualified names). */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) {
      return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    }
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_RE.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Why a label value is not valid, or undefined when it is. */
export function labelValueError(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!NAME_RE.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function requirement(key: string, op: SelectorOp, values: string[]): LabelRequirement {
  const keyErr = labelKeyError(key);
  if (keyErr !== undefined)
    throw badRequest(`unable to parse requirement: key: Invalid value: "${key}": ${keyErr}`);
  if ((op === 'In' || op === 'NotIn') && values.length === 0) {
    throw badRequest(
      `unable to parse requirement: values: Required value: for 'in', 'notin' operators, values set can't be empty`,
    );
  }
  if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
    throw badRequest(
      `unable to parse requirement: values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    );
  }
  if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1 || !/^-?\d+$/.test(values[0] ?? '')) {
      throw badRequest(
        `unable to parse requirement: values[0]: Invalid value: "${values.join(',')}": for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
  } else {
    values.forEach((v, i) => {
      const e = labelValueError(v);
      if (e !== undefined)
        throw badRequest(`unable to parse requirement: values[${i}][${key}]: Invalid value: "${v}": ${e}`);
    });
  }
  return Object.freeze({ key, op, values: Object.freeze([...values]) });
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      return has && r.values.includes(v as string);
    case 'NotIn':
      return !has || !r.values.includes(v as string);
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(v as string)) return false;
      const n = Number(v);
      const bound = Number(r.values[0]);
      return r.op === 'Gt' ? n > bound : n < bound;
    }
  }
}

function selectorOf(requirements: LabelRequirement[], nothing = false): LabelSelector {
  const reqs = Object.freeze([...requirements]);
  return Object.freeze({
    requirements: reqs,
    empty: !nothing && reqs.length === 0,
    nothing,
    matches(labels: Readonly<Record<string, string>> | undefined): boolean {
      if (nothing) return false;
      const l = labels ?? {};
      for (const r of reqs) if (!matchesRequirement(r, l)) return false;
      return true;
    },
  });
}

/** The selector that selects everything. */
export const EVERYTHING: LabelSelector = selectorOf([]);
/** The selector that selects nothing (a null structured selector). */
export const NOTHING: LabelSelector = selectorOf([], true);

// ---- the string syntax ----

type Tok =
  | { t: 'id'; v: string }
  | { t: '!' | '!=' | '=' | '==' | '(' | ')' | ',' | '>' | '<' | 'in' | 'notin' | 'end' };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        out.push({ t: two });
        i += 2;
      } else {
        out.push({ t: c as '!' | '=' | '(' | ')' | ',' | '>' | '<' });
        i++;
      }
    } else {
      let j = i;
      while (j < s.length && !SPECIAL.has(s[j] as string) && !/\s/.test(s[j] as string)) j++;
      const word = s.slice(i, j);
      out.push(word === 'in' || word === 'notin' ? { t: word } : { t: 'id', v: word });
      i = j;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** In a value position the keywords are plain words, as in Kubernetes (`mode=in` is valid). */
function valueTok(tok: Tok): Tok {
  return tok.t === 'in' || tok.t === 'notin' ? { t: 'id', v: tok.t } : tok;
}

function describe(tok: Tok): string {
  return tok.t === 'id' ? tok.v : tok.t === 'end' ? 'EOS' : tok.t;
}

/** Parses the string syntax. '' selects everything. Throws a 400 BadRequest StatusError when malformed. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (selector === undefined || selector.trim() === '') return EVERYTHING;
  const toks = tokenize(selector);
  let p = 0;
  const peek = (): Tok => toks[p] as Tok;
  const next = (): Tok => toks[p++] as Tok;
  const fail = (msg: string): never => {
    throw badRequest(`unable to parse requirement: ${msg}`);
  };
  const ident = (what: string): string => {
    const tok = next();
    if (tok.t !== 'id') return fail(`found '${describe(tok)}', expected: ${what}`);
    return tok.v;
  };
  const reqs: LabelRequirement[] = [];
  for (;;) {
    if (peek().t === '!') {
      next();
      reqs.push(requirement(ident("identifier after '!'"), 'DoesNotExist', []));
    } else {
      const key = ident('identifier');
      const op = next();
      switch (op.t) {
        case ',':
        case 'end':
          p--;
          reqs.push(requirement(key, 'Exists', []));
          break;
        case '=':
        case '==':
        case '!=': {
          const v = valueTok(peek());
          let value = '';
          if (v.t === 'id') {
            value = v.v;
            next();
          } else if (v.t !== ',' && v.t !== 'end') fail(`found '${describe(v)}', expected: identifier`);
          reqs.push(requirement(key, op.t === '!=' ? 'NotIn' : 'In', [value]));
          break;
        }
        case 'in':
        case 'notin': {
          const open = next();
          if (open.t !== '(') fail(`found '${describe(open)}', expected: '('`);
          const values: string[] = [];
          for (;;) {
            const v = valueTok(peek());
            if (v.t === 'id') {
              values.push(v.v);
              next();
            } else if (v.t === ',' || v.t === ')') {
              values.push('');
            } else {
              fail(`found '${describe(v)}', expected: ',', ')' or identifier`);
            }
            const sep = next();
            if (sep.t === ')') break;
            if (sep.t !== ',') fail(`found '${describe(sep)}', expected: ',' or ')'`);
          }
          // `a in ()` yields one empty value from the loop above; Kubernetes treats it as an empty set.
          const vals = values.length === 1 && values[0] === '' ? [] : values;
          reqs.push(requirement(key, op.t === 'in' ? 'In' : 'NotIn', vals));
          break;
        }
        case '>':
        case '<':
          reqs.push(requirement(key, op.t === '>' ? 'Gt' : 'Lt', [ident('an integer')]));
          break;
        default:
          fail(`found '${describe(op)}', expected: '=', '!=', '==', 'in', notin'`);
      }
    }
    const sep = next();
    if (sep.t === 'end') break;
    if (sep.t !== ',') fail(`found '${describe(sep)}', expected: ',' or 'end of string'`);
  }
  return selectorOf(reqs);
}

/**
 * The structured form. `undefined`/`null` selects nothing; `{}` selects everything (as for a
 * PodDisruptionBudget in policy/v1). Bad operators or values throw a 400 BadRequest StatusError.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === undefined || spec === null) return NOTHING;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(spec.matchLabels ?? {})) reqs.push(requirement(k, 'In', [v]));
  for (const e of spec.matchExpressions ?? []) {
    const op = e.operator;
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
      throw badRequest(`"${op}" is not a valid label selector operator`);
    }
    reqs.push(requirement(e.key, op, [...(e.values ?? [])]));
  }
  return selectorOf(reqs);
}

/** The string form of a structured selector, as kubectl prints it (`app=web,tier in (a,b)`). */
export function formatLabelSelector(spec: LabelSelectorSpec | null | undefined): string {
  if (spec === undefined || spec === null) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(spec.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of spec.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length === 0 ? '' : parts.join(',');
}
