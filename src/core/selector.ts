// Kubernetes label selectors: the string syntax of `-l` / --drain-pod-selector / --blocking-pod-selector
// (a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a, comma = AND), PDB-style matchLabels/matchExpressions, and
// kured's "key=value,..." node label assignments. Keys and values are validated as the API server does, so
// hostile strings (shell metacharacters, quotes, newlines) are rejected before they reach any request.
// May import: core/errors, core/types, core/selector-syntax.

import { InputError } from './errors.js';
import type { LabelSelectorSpec } from './types.js';
import { checkKey, checkValue, tokenize, SELECTOR_FORMS, type Token } from './selector-syntax.js';

export const SelectorOp = {
  Equals: '=',
  NotEquals: '!=',
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
} as const;
export type SelectorOp = (typeof SelectorOp)[keyof typeof SelectorOp];

export interface Requirement {
  readonly key: string;
  readonly op: SelectorOp;
  /** One value for = and !=, a sorted non-empty set for in/notin, none for exists/!. */
  readonly values: readonly string[];
}

export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True when every requirement holds; the empty selector matches everything. */
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** Canonical form: requirements sorted by key, "==" written "=", set values sorted. */
  toString(): string;
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case SelectorOp.Exists:
      return has;
    case SelectorOp.DoesNotExist:
      return !has;
    case SelectorOp.Equals:
    case SelectorOp.In:
      return has && r.values.includes(v ?? '');
    case SelectorOp.NotEquals:
    case SelectorOp.NotIn:
      return !has || !r.values.includes(v ?? '');
  }
}

function requirementString(r: Requirement): string {
  switch (r.op) {
    case SelectorOp.Exists:
      return r.key;
    case SelectorOp.DoesNotExist:
      return `!${r.key}`;
    case SelectorOp.Equals:
    case SelectorOp.NotEquals:
      return `${r.key}${r.op}${r.values[0] ?? ''}`;
    case SelectorOp.In:
    case SelectorOp.NotIn:
      return `${r.key} ${r.op} (${r.values.join(',')})`;
  }
}

/** A selector from already validated requirements, in canonical order. */
export function makeSelector(requirements: readonly Requirement[]): Selector {
  const reqs = requirements
    .map((r) => ({
      ...r,
      values: r.op === SelectorOp.In || r.op === SelectorOp.NotIn ? [...new Set(r.values)].sort() : r.values,
    }))
    .map((r) => ({ r, s: requirementString(r) }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  const text = reqs.map((x) => x.s).join(',');
  const list: readonly Requirement[] = reqs.map((x) => x.r);
  return {
    requirements: list,
    matches: (labels) => list.every((r) => requirementMatches(r, labels)),
    toString: () => text,
  };
}

/** Parses a selector string; "" (or only spaces) is the empty selector, which matches everything. */
export function parseSelector(s: string, flag?: string): Selector {
  const fail = (why: string): never => {
    const where = flag === undefined ? '' : ` in ${flag}`;
    throw new InputError(
      `invalid label selector ${JSON.stringify(s)}${where}: ${why} (accepted: ${SELECTOR_FORMS})`,
    );
  };
  let tokens: Token[];
  try {
    tokens = tokenize(s);
  } catch (err) {
    return fail((err as Error).message);
  }
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const ident = (what: string): string => {
    const t = tokens[i++];
    if (t?.kind !== 'ident')
      return fail(`expected ${what}${t ? ` before ${JSON.stringify(t.text)}` : ' at the end'}`);
    return t.text;
  };
  const check = (f: () => void): void => {
    try {
      f();
    } catch (err) {
      fail((err as Error).message);
    }
  };
  const reqs: Requirement[] = [];
  while (tokens.length > 0) {
    let req: Requirement;
    if (peek()?.kind === '!') {
      i++;
      const key = ident('a label key after "!"');
      check(() => checkKey(key));
      req = { key, op: SelectorOp.DoesNotExist, values: [] };
    } else {
      const key = ident('a label key');
      check(() => checkKey(key));
      const t = peek();
      if (t === undefined || t.kind === ',') {
        req = { key, op: SelectorOp.Exists, values: [] };
      } else if (t.kind === '=' || t.kind === '==' || t.kind === '!=') {
        i++;
        const next = peek();
        const value = next === undefined || next.kind === ',' ? '' : ident('a value');
        check(() => checkValue(value));
        req = { key, op: t.kind === '!=' ? SelectorOp.NotEquals : SelectorOp.Equals, values: [value] };
      } else if (t.kind === 'ident' && (t.text === 'in' || t.text === 'notin')) {
        i++;
        if (tokens[i++]?.kind !== '(') return fail(`expected "(" after "${t.text}"`);
        const values: string[] = [];
        for (;;) {
          const v = ident(`a value in the "${t.text}" list`);
          check(() => checkValue(v));
          values.push(v);
          const sep = tokens[i++];
          if (sep?.kind === ')') break;
          if (sep?.kind !== ',') return fail(`expected "," or ")" in the "${t.text}" list`);
        }
        req = { key, op: t.text === 'in' ? SelectorOp.In : SelectorOp.NotIn, values };
      } else {
        return fail(`expected =, ==, !=, in or notin after "${key}", got ${JSON.stringify(t.text)}`);
      }
    }
    reqs.push(req);
    const sep = tokens[i++];
    if (sep === undefined) break;
    if (sep.kind !== ',') return fail(`expected "," before ${JSON.stringify(sep.text)}`);
    if (peek() === undefined) return fail('trailing ","');
  }
  return makeSelector(reqs);
}

/** The selector of a PDB or workload (matchLabels AND matchExpressions); {} matches everything. */
export function selectorFromSpec(spec: LabelSelectorSpec): Selector {
  const reqs: Requirement[] = Object.entries(spec.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: SelectorOp.Equals,
    values: [v],
  }));
  for (const e of spec.matchExpressions ?? []) {
    const values = e.values ?? [];
    const op = {
      In: SelectorOp.In,
      NotIn: SelectorOp.NotIn,
      Exists: SelectorOp.Exists,
      DoesNotExist: SelectorOp.DoesNotExist,
    }[e.operator];
    if (op === undefined)
      throw new InputError(
        `unknown selector operator ${JSON.stringify(e.operator)} for key "${e.key}" (accepted: In, NotIn, Exists, DoesNotExist)`,
      );
    const isSet = op === SelectorOp.In || op === SelectorOp.NotIn;
    if (isSet !== values.length > 0) {
      throw new InputError(
        `selector operator ${e.operator} for key "${e.key}" ${isSet ? 'needs values' : 'takes no values'}`,
      );
    }
    reqs.push({ key: e.key, op, values });
  }
  return makeSelector(reqs);
}

/** Whether labels match a LabelSelectorSpec. An unknown operator throws InputError (unknown is not a match). */
export function matchesSpec(spec: LabelSelectorSpec, labels: Readonly<Record<string, string>>): boolean {
  return selectorFromSpec(spec).matches(labels);
}

/**
 * kured's --pre-reboot-node-labels / --post-reboot-node-labels: "a=b,c=d" (or a list of such strings). Keys and
 * values are validated like selectors; a key given twice with different values is an error.
 */
export function parseLabelAssignments(
  input: string | readonly string[],
  flag?: string,
): Readonly<Record<string, string>> {
  const items = (typeof input === 'string' ? [input] : input).flatMap((x) => x.split(','));
  const whole = typeof input === 'string' ? input : input.join(',');
  const out: Record<string, string> = {};
  if (items.every((x) => x.trim() === '')) return out;
  const fail = (why: string): never => {
    const where = flag === undefined ? '' : ` in ${flag}`;
    throw new InputError(
      `invalid node labels ${JSON.stringify(whole)}${where}: ${why} (accepted: key=value,key2=value2)`,
    );
  };
  for (const raw of items) {
    const item = raw.replace(/^ +| +$/g, ''); // spaces only: a newline or tab is refused below
    const eq = item.indexOf('=');
    if (eq < 0) return fail(`${JSON.stringify(item)} has no "="`);
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    try {
      checkKey(key);
      checkValue(value);
    } catch (err) {
      return fail((err as Error).message);
    }
    if (Object.prototype.hasOwnProperty.call(out, key) && out[key] !== value)
      return fail(`label "${key}" given twice`);
    out[key] = value;
  }
  return out;
}
