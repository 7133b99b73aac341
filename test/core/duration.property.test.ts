// Property tests: parseDuration against a reference that scans character by character and adds the parts
// exactly (BigInt nanoseconds scaled by powers of ten), on random strings over the characters that matter
// (digits, ".", units, signs, spaces) as well as on well-formed sums of parts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { MAX_DURATION_DEFAULT_MS, parseDuration } from '../../src/core/duration.js';

const NS_PER: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n,
  '\u03bcs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
// Longest unit first, so that "ms" is not read as "m" then "s".
const UNITS = Object.keys(NS_PER).sort((a, b) => b.length - a.length);
const SCALE_DIGITS = 40;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const NS_PER_MS = 1_000_000n;

type RefResult =
  | { readonly ok: true; readonly exact: bigint /* ns × SCALE */ }
  | { readonly ok: false; readonly why: string };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** "12.34" as an integer times SCALE (fractions longer than SCALE_DIGITS are not generated). */
function scaled(intPart: string, fracPart: string): bigint {
  const frac = fracPart.padEnd(SCALE_DIGITS, '0').slice(0, SCALE_DIGITS);
  return BigInt(intPart || '0') * SCALE + BigInt(frac || '0');
}

/** The accepted language, written without regular expressions: whole seconds, or NUMBER UNIT repeated. */
function reference(input: string): RefResult {
  let a = 0;
  let b = input.length;
  while (a < b && ' \t\n\r'.includes(input[a] ?? '')) a++;
  while (b > a && ' \t\n\r'.includes(input[b - 1] ?? '')) b--;
  const s = input.slice(a, b);
  if (s === '') return { ok: false, why: 'empty' };
  if (s[0] === '-') return { ok: false, why: 'negative' };
  if ([...s].every((c) => isDigit(c))) return { ok: true, exact: BigInt(s) * 1_000_000_000n * SCALE };
  let total = 0n;
  let i = 0;
  while (i < s.length) {
    let intPart = '';
    while (isDigit(s[i])) intPart += s[i++];
    let fracPart = '';
    if (s[i] === '.') {
      i++;
      while (isDigit(s[i])) fracPart += s[i++];
      if (fracPart === '') return { ok: false, why: 'a "." needs digits after it' };
    }
    if (intPart === '' && fracPart === '') return { ok: false, why: 'a number is missing' };
    const unit = UNITS.find((u) => s.startsWith(u, i));
    if (unit === undefined) return { ok: false, why: 'a unit is missing' };
    i += unit.length;
    total += scaled(intPart, fracPart) * (NS_PER[unit] ?? 0n);
  }
  return { ok: true, exact: total };
}

/** The whole milliseconds the reference value rounds to, or both candidates when it lies within float noise of .5. */
function refMs(exact: bigint): readonly bigint[] {
  const unit = NS_PER_MS * SCALE;
  const floor = exact / unit;
  const rem = exact - floor * unit; // [0, unit)
  const half = unit / 2n;
  const noise = unit / 1_000_000n; // 1e-6 ms
  const d = rem - half;
  if (d < noise && d > -noise) return [floor, floor + 1n];
  return [rem >= half ? floor + 1n : floor];
}

function check(input: string, allowZero: boolean): void {
  const ref = reference(input);
  let got: number | InputError;
  try {
    got = parseDuration(input, { allowZero, flag: '--drain-timeout' });
  } catch (err) {
    assert.ok(err instanceof InputError, `non-input error for ${JSON.stringify(input)}: ${String(err)}`);
    assert.ok(err.message.includes(JSON.stringify(input)), err.message);
    assert.ok(err.message.includes('--drain-timeout'), err.message);
    got = err;
  }
  const label = `${JSON.stringify(input)} (allowZero ${allowZero}): parser gave ${got instanceof InputError ? got.message : got}`;
  if (!ref.ok) {
    assert.ok(got instanceof InputError, `${label}; reference rejects: ${ref.why}`);
    return;
  }
  const candidates = refMs(ref.exact);
  const max = BigInt(MAX_DURATION_DEFAULT_MS);
  const accepted = candidates.filter((ms) => ms <= max && !(ms === 0n && (ref.exact > 0n || !allowZero)));
  if (accepted.length === 0) {
    assert.ok(got instanceof InputError, `${label}; reference rounds to ${candidates.join(' or ')} ms`);
    return;
  }
  if (accepted.length < candidates.length && got instanceof InputError) return; // a tie on a limit
  assert.ok(!(got instanceof InputError), `${label}; reference accepts ${accepted.join(' or ')} ms`);
  assert.ok(accepted.includes(BigInt(got)), `${label}; reference rounds to ${accepted.join(' or ')} ms`);
}

const pieces = fc.constantFrom(
  '0',
  '1',
  '2',
  '5',
  '9',
  '00',
  '12',
  '90',
  '.',
  '.5',
  '1.5',
  'h',
  'm',
  's',
  'ms',
  'us',
  'ns',
  '\u00b5s',
  '\u03bcs',
  'x',
  'd',
  'e3',
  ' ',
  '\t',
  '-',
  '+',
  '1h',
  '30m',
  '720h',
  '721h',
  '999999999999',
);
const noisy = fc.array(pieces, { minLength: 0, maxLength: 7 }).map((p) => p.join(''));

test('parseDuration accepts exactly what the character-by-character reference accepts, to the same ms', () => {
  fc.assert(
    fc.property(noisy, fc.boolean(), (input, allowZero) => check(input, allowZero)),
    { numRuns: 3000 },
  );
});

const unit = fc.constantFrom(...UNITS);
const number = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.tuple(fc.nat({ max: 999 }), fc.stringMatching(/^[0-9]{1,12}$/)).map(([i, f]) => `${i}.${f}`),
  fc.stringMatching(/^[0-9]{1,6}$/).map((f) => `.${f}`),
);
const wellFormed = fc
  .tuple(
    fc.array(fc.tuple(number, unit), { minLength: 1, maxLength: 5 }),
    fc.constantFrom('', ' ', '\t', '\n '),
  )
  .map(([parts, pad]) => pad + parts.map(([n, u]) => n + u).join('') + pad);

test('well-formed sums of parts in every unit agree with the exact reference, rounding included', () => {
  fc.assert(
    fc.property(wellFormed, fc.boolean(), (input, allowZero) => check(input, allowZero)),
    { numRuns: 2000 },
  );
});

test('the reference itself rejects what it should (so the comparison can fail)', () => {
  for (const bad of ['', ' ', '-1s', '1', '1x', '1.s', '.s', 's', '1h 2m', '+5s']) {
    const r = reference(bad);
    if (bad === '1') assert.equal(r.ok, true);
    else assert.equal(r.ok, false, bad);
  }
  const r = reference('1h30m');
  assert.ok(r.ok && refMs(r.exact)[0] === 5_400_000n);
});
