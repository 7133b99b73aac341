// Label selectors: syntax, matching, canonical form, hostile input, PDB specs and kured node label assignments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { matchesSpec, parseLabelAssignments, parseSelector } from '../../src/core/selector.js';

const labels = { app: 'web', tier: 'front', 'example.com/team': 'ops', empty: '' };

const cases: readonly { sel: string; canonical: string; match: boolean }[] = [
  { sel: 'app=web', canonical: 'app=web', match: true },
  { sel: 'app==web', canonical: 'app=web', match: true },
  { sel: 'app!=web', canonical: 'app!=web', match: false },
  { sel: 'app!=db', canonical: 'app!=db', match: true },
  { sel: 'missing!=x', canonical: 'missing!=x', match: true },
  { sel: 'app in (db,web)', canonical: 'app in (db,web)', match: true },
  { sel: 'app in (web, db, web)', canonical: 'app in (db,web)', match: true },
  { sel: 'app notin (web)', canonical: 'app notin (web)', match: false },
  { sel: 'missing notin (web)', canonical: 'missing notin (web)', match: true },
  { sel: 'missing in (web)', canonical: 'missing in (web)', match: false },
  { sel: 'tier', canonical: 'tier', match: true },
  { sel: '!tier', canonical: '!tier', match: false },
  { sel: '! missing', canonical: '!missing', match: true },
  { sel: 'tier=front, app=web', canonical: 'app=web,tier=front', match: true },
  { sel: 'tier=front,app=db', canonical: 'app=db,tier=front', match: false },
  { sel: 'example.com/team=ops', canonical: 'example.com/team=ops', match: true },
  { sel: 'empty=', canonical: 'empty=', match: true },
  { sel: 'app=', canonical: 'app=', match: false },
  { sel: '', canonical: '', match: true },
  { sel: '  ', canonical: '', match: true },
  { sel: 'a.b_c-D=X.y_z-9', canonical: 'a.b_c-D=X.y_z-9', match: false },
  { sel: 'app in(web)', canonical: 'app in (web)', match: true },
];

for (const c of cases) {
  test(`selector ${JSON.stringify(c.sel)} parses to ${JSON.stringify(c.canonical)} and ${c.match ? 'matches' : 'does not match'}`, () => {
    const s = parseSelector(c.sel);
    assert.equal(s.toString(), c.canonical);
    assert.equal(s.matches(labels), c.match);
  });
}

const hostile: readonly [string, string][] = [
  ['a=b;rm -rf /', '";"'],
  ['a=$(x)', '"$"'],
  ['a=`id`', '"`"'],
  ['a="b"', JSON.stringify('"')],
  ["a='b'", `"'"`],
  ['a=b\nc=d', 'control character'],
  ['a=b\tc', 'control character'],
  ['a=b|c', '"|"'],
  ['a=b&&c', '"&"'],
  ['a>1', '">" operator'],
  ['a=b c', 'expected ","'],
  ['=b', 'expected a label key'],
  ['a=b,', 'trailing ","'],
  [',a', 'expected a label key'],
  ['a in x', 'expected "("'],
  ['a in ()', 'expected a value'],
  ['a in (x', 'expected "," or ")"'],
  ['a in (x y)', 'expected "," or ")"'],
  ['a notin (-x)', 'label value "-x"'],
  ['-a=b', 'label key "-a"'],
  ['a/b/c=d', 'more than one "/"'],
  ['Example.com/a=b', 'invalid prefix'],
  ['/a=b', 'invalid prefix'],
  ['a=' + 'x'.repeat(64), 'label value'],
  ['k'.repeat(64), 'label key'],
  ['a=b=c', 'expected ","'],
  ['a==', ''],
];

for (const [input, why] of hostile) {
  test(`refuses selector ${JSON.stringify(input.slice(0, 30))} with an InputError naming it`, () => {
    if (input === 'a==') {
      assert.equal(parseSelector(input).toString(), 'a=', '"a==" is a = with an empty value');
      return;
    }
    assert.throws(
      () => parseSelector(input, '--drain-pod-selector'),
      (err: unknown) =>
        err instanceof InputError &&
        err.exitCode === 2 &&
        err.message.includes(JSON.stringify(input)) &&
        err.message.includes('--drain-pod-selector') &&
        err.message.includes(why) &&
        err.message.includes('a notin (x)'),
    );
  });
}

test('matchesSpec: matchLabels and matchExpressions are ANDed; {} matches everything', () => {
  assert.equal(matchesSpec({}, labels), true);
  assert.equal(matchesSpec({ matchLabels: { app: 'web' } }, labels), true);
  assert.equal(matchesSpec({ matchLabels: { app: 'web', tier: 'back' } }, labels), false);
  const exprs = [
    { key: 'tier', operator: 'In', values: ['front', 'back'] },
    { key: 'app', operator: 'NotIn', values: ['db'] },
    { key: 'example.com/team', operator: 'Exists' },
    { key: 'canary', operator: 'DoesNotExist' },
  ];
  assert.equal(matchesSpec({ matchLabels: { app: 'web' }, matchExpressions: exprs }, labels), true);
  assert.equal(matchesSpec({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
  assert.equal(
    matchesSpec({ matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, labels),
    false,
  );
});

test('matchesSpec refuses unknown operators and malformed value lists', () => {
  assert.throws(
    () => matchesSpec({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, {}),
    /"Gt"/,
  );
  assert.throws(
    () => matchesSpec({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, {}),
    /needs values/,
  );
  assert.throws(
    () => matchesSpec({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, {}),
    InputError,
  );
});

test('parseLabelAssignments reads kured-style node labels', () => {
  assert.deepEqual(parseLabelAssignments('a=b,example.com/c=d'), { a: 'b', 'example.com/c': 'd' });
  assert.deepEqual(parseLabelAssignments(['a=b', 'c=']), { a: 'b', c: '' });
  assert.deepEqual(parseLabelAssignments(''), {});
  assert.deepEqual(parseLabelAssignments([]), {});
  assert.deepEqual(parseLabelAssignments('a=b,a=b'), { a: 'b' });
});

const badAssignments: readonly [string, string][] = [
  ['a', 'no "="'],
  ['a=b,c', '"c" has no "="'],
  ['a=b;reboot', 'label value "b;reboot"'],
  ['a=$(id)', 'label value'],
  ['=b', 'label key ""'],
  ['a=b,a=c', 'given twice'],
  ['a=b\n', 'label value'],
  ['a b=c', 'label key "a b"'],
];

for (const [input, why] of badAssignments) {
  test(`refuses node labels ${JSON.stringify(input)}`, () => {
    assert.throws(
      () => parseLabelAssignments(input, '--pre-reboot-node-labels'),
      (err: unknown) =>
        err instanceof InputError &&
        err.message.includes(JSON.stringify(input)) &&
        err.message.includes('--pre-reboot-node-labels') &&
        err.message.includes(why),
    );
  });
}

// Generators for valid selectors.
const alnum = fc.constantFrom(...'abcxyzABZ019'.split(''));
const inner = fc.constantFrom(...'ab9Z-_.'.split(''));
const name = fc
  .tuple(alnum, fc.array(inner, { maxLength: 8 }), alnum, fc.boolean())
  .map(([a, mid, z, short]) => (short ? a : a + mid.join('') + z));
const dnsLabel = fc
  .tuple(
    fc.constantFrom(...'abz09'.split('')),
    fc.array(fc.constantFrom(...'ab9-'.split('')), { maxLength: 5 }),
    fc.constantFrom(...'ab9'.split('')),
  )
  .map(([a, mid, z]) => a + mid.join('') + z);
const key = fc
  .tuple(fc.option(fc.array(dnsLabel, { minLength: 1, maxLength: 3 })), name)
  .map(([prefix, n]) => (prefix ? `${prefix.join('.')}/${n}` : n));
const value = fc.oneof(name, fc.constant(''));
const requirement = fc.oneof(
  fc.tuple(key, fc.constantFrom('=', '==', '!='), value).map(([k, op, v]) => `${k}${op}${v}`),
  fc
    .tuple(key, fc.constantFrom('in', 'notin'), fc.array(name, { minLength: 1, maxLength: 3 }))
    .map(([k, op, vs]) => `${k} ${op} (${vs.join(', ')})`),
  key,
  key.map((k) => `!${k}`),
);
const labelsArb = fc.dictionary(fc.oneof(key, fc.constantFrom('a', 'b', 'app')), value, { maxKeys: 5 });

test('generated valid selectors parse, and toString is a fixed point that matches the same labels', () => {
  fc.assert(
    fc.property(fc.array(requirement, { minLength: 1, maxLength: 4 }), labelsArb, (reqs, lbls) => {
      const text = reqs.join(',');
      const s = parseSelector(text);
      const again = parseSelector(s.toString());
      assert.equal(again.toString(), s.toString());
      assert.equal(again.matches(lbls), s.matches(lbls));
      assert.equal(s.requirements.length, reqs.length);
    }),
    { numRuns: 300 },
  );
});

test('a selector of key=value pairs matches exactly the labels that contain them all', () => {
  fc.assert(
    fc.property(fc.dictionary(key, name, { minKeys: 1, maxKeys: 4 }), labelsArb, (want, lbls) => {
      const s = parseSelector(
        Object.entries(want)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      );
      assert.equal(s.matches({ ...lbls, ...want }), true);
      assert.equal(
        s.matches(lbls),
        Object.entries(want).every(([k, v]) => lbls[k] === v),
      );
    }),
    { numRuns: 200 },
  );
});
