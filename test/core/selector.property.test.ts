// Property tests: parseSelector against a reference recogniser (one sticky regular expression per
// requirement, its own key/value rules) and a reference matcher, on random strings over the selector's
// characters (plus hostile ones), and on generated requirement lists written with random spacing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { parseSelector } from '../../src/core/selector.js';

type RefReq =
  | { readonly op: 'eq' | 'ne'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | 'absent'; readonly key: string };

const NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?';
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const KEY = `(?:${LABEL}(?:\\.${LABEL})*/)?${NAME}`;
// One requirement and the separator after it; spaces only (a tab is a control character).
const REQ = new RegExp(
  [
    `^ *! *(?<absent>${KEY}) *`,
    `^ *(?<setKey>${KEY}) +(?<setOp>in|notin) *\\( *(?<list>${NAME}(?: *, *${NAME})*) *\\) *`,
    `^ *(?<cmpKey>${KEY}) *(?<cmpOp>==|=|!=) *(?<value>${NAME})? *`,
    `^ *(?<exists>${KEY}) *`,
  ]
    .map((alt) => `(?:${alt.slice(1)})`)
    .join('|'),
  'y',
);

function keyLengthsOk(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  return name.length <= 63 && (slash < 0 || slash <= 253);
}

/** The reference: a list of requirements, or undefined when the text is not a selector. */
function reference(text: string): RefReq[] | undefined {
  if (/^ *$/.test(text)) return [];
  const out: RefReq[] = [];
  let pos = 0;
  for (;;) {
    REQ.lastIndex = pos;
    const m = REQ.exec(text);
    if (!m?.groups) return undefined;
    const g = m.groups;
    let req: RefReq;
    if (g['absent'] !== undefined) req = { op: 'absent', key: g['absent'] };
    else if (g['setKey'] !== undefined) {
      const values = (g['list'] ?? '').split(',').map((v) => v.trim());
      req = { op: g['setOp'] === 'in' ? 'in' : 'notin', key: g['setKey'], values };
    } else if (g['cmpKey'] !== undefined) {
      req = { op: g['cmpOp'] === '!=' ? 'ne' : 'eq', key: g['cmpKey'], value: g['value'] ?? '' };
    } else req = { op: 'exists', key: g['exists'] ?? '' };
    if (!keyLengthsOk(req.key)) return undefined;
    const values = req.op === 'eq' || req.op === 'ne' ? [req.value] : 'values' in req ? req.values : [];
    if (values.some((v) => v.length > 63)) return undefined;
    out.push(req);
    pos = REQ.lastIndex;
    if (pos === text.length) return out;
    if (text[pos] !== ',') return undefined;
    pos++;
    if (pos === text.length) return undefined; // a trailing comma
  }
}

function refMatches(reqs: readonly RefReq[], labels: Readonly<Record<string, string>>): boolean {
  return reqs.every((r) => {
    const has = Object.keys(labels).includes(r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'eq':
        return has && v === r.value;
      case 'ne':
        return !has || v !== r.value;
      case 'in':
        return has && r.values.some((x) => x === v);
      case 'notin':
        return !has || r.values.every((x) => x !== v);
    }
  });
}

function parsed(text: string): ReturnType<typeof parseSelector> | InputError {
  try {
    return parseSelector(text, '--drain-pod-selector');
  } catch (err) {
    assert.ok(err instanceof InputError, `non-input error for ${JSON.stringify(text)}: ${String(err)}`);
    assert.ok(err.message.includes(JSON.stringify(text)), err.message);
    assert.ok(err.message.includes('--drain-pod-selector'), err.message);
    return err;
  }
}

const KEYS = ['a', 'b', 'app', 'in', 'x.io/a', 'ex-1.com/b_c'];
const VALUES = ['', 'v', 'w', 'web', 'a.b', 'X-9'];
const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 });

function agree(text: string, labelSets: readonly Record<string, string>[]): void {
  const ref = reference(text);
  const got = parsed(text);
  const label = JSON.stringify(text);
  if (ref === undefined) {
    assert.ok(
      got instanceof InputError,
      `${label}: the reference rejects it, the parser gave ${String(got)}`,
    );
    return;
  }
  assert.ok(
    !(got instanceof InputError),
    `${label}: the reference accepts it, the parser says ${String(got)}`,
  );
  assert.equal(got.requirements.length, ref.length, label);
  for (const labels of labelSets) {
    assert.equal(got.matches(labels), refMatches(ref, labels), `${label} on ${JSON.stringify(labels)}`);
  }
}

const pieces = fc.constantFrom(
  ...KEYS,
  'v',
  'web',
  'X-9',
  ' ',
  '  ',
  '=',
  '==',
  '!=',
  '!',
  ',',
  '(',
  ')',
  ' in ',
  ' notin ',
  'in(',
  ' (v, w)',
  '/',
  '.',
  '-',
  '_',
  '\t',
  '\n',
  ';',
  '$(reboot)',
  '`id`',
  '"',
  "'",
  '>',
  '<',
  '&&',
  '|',
  'é',
);
const noisy = fc.array(pieces, { maxLength: 8 }).map((p) => p.join(''));

test('random strings: accepted exactly when the reference recognises them, and match the same labels', () => {
  fc.assert(
    fc.property(noisy, fc.array(labelsArb, { minLength: 1, maxLength: 4 }), (text, sets) =>
      agree(text, sets),
    ),
    { numRuns: 3000 },
  );
});

const sp = fc.constantFrom('', ' ', '  ');
const value = fc.constantFrom(...VALUES.filter((v) => v !== ''));
const requirement = fc.oneof(
  fc
    .tuple(fc.constantFrom(...KEYS), sp, fc.constantFrom('=', '==', '!='), sp, fc.constantFrom(...VALUES))
    .map(([k, s1, op, s2, v]) => `${k}${s1}${op}${s2}${v}`),
  fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.constantFrom('in', 'notin'),
      sp,
      fc.array(value, { minLength: 1, maxLength: 3 }),
      sp,
    )
    .map(([k, op, s, vs, s2]) => `${k} ${op}${s}(${s2}${vs.join(`${s2},${s}`)}${s})`),
  fc.constantFrom(...KEYS),
  fc.tuple(sp, fc.constantFrom(...KEYS)).map(([s, k]) => `!${s}${k}`),
);

test('generated selectors with random spacing parse and match like the reference matcher', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(sp, requirement, sp).map((p) => p.join('')),
        { minLength: 1, maxLength: 4 },
      ),
      fc.array(labelsArb, { minLength: 1, maxLength: 6 }),
      (reqs, sets) => {
        const text = reqs.join(',');
        assert.notEqual(reference(text), undefined, `the generator made ${JSON.stringify(text)}`);
        agree(text, sets);
      },
    ),
    { numRuns: 1500 },
  );
});

test('over-long names and values are rejected like the reference does', () => {
  const long = 'a'.repeat(64);
  for (const text of [`${long}=x`, `a=${long}`, `a in (x,${long})`, `!${long}`, `${'b.'.repeat(127)}c/x`]) {
    assert.equal(reference(text), undefined, text);
    assert.ok(parsed(text) instanceof InputError, text);
  }
  assert.notEqual(reference(`${'a'.repeat(63)}=x`), undefined);
  assert.ok(!(parsed(`${'a'.repeat(63)}=x`) instanceof InputError));
});
