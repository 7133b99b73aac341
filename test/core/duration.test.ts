// Durations: Go syntax and plain seconds, limits, error messages naming the flag, and formatting round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { formatDuration, parseDuration } from '../../src/core/duration.js';

const good: readonly [string, number][] = [
  ['1h30m', 5_400_000],
  ['90s', 90_000],
  ['500ms', 500],
  ['2m', 120_000],
  ['1.5h', 5_400_000],
  ['30', 30_000],
  ['1m30s', 90_000],
  ['2h45m30s250ms', 9_930_250],
  ['.5s', 500],
  ['1500us', 2], // rounds to whole milliseconds
  ['2000000ns', 2],
  ['1000µs', 1],
  [' 10s ', 10_000],
  ['720h', 30 * 86_400_000],
];

for (const [input, ms] of good) {
  test(`parses ${JSON.stringify(input)} as ${ms} ms`, () => {
    assert.equal(parseDuration(input), ms);
  });
}

test('zero is refused unless allowed', () => {
  assert.throws(() => parseDuration('0'), InputError);
  assert.throws(() => parseDuration('0s'), /greater than zero/);
  assert.equal(parseDuration('0', { allowZero: true }), 0);
  assert.equal(parseDuration('0s', { allowZero: true }), 0);
});

test('the maximum defaults to 30 days and can be changed', () => {
  assert.throws(() => parseDuration('721h'), /longer than the maximum 720h/);
  assert.throws(() => parseDuration('2h', { max: 3_600_000 }), /maximum 1h/);
  assert.equal(parseDuration('2h', { max: Infinity }), 7_200_000);
});

const bad: readonly [string, string][] = [
  ['', 'empty'],
  ['   ', 'empty'],
  ['-5s', 'negative'],
  ['-1', 'negative'],
  ['abc', 'unexpected "abc"'],
  ['5 s', 'unexpected'],
  ['1d', 'unexpected "1d"'],
  ['1h30', 'unexpected "30"'],
  ['1e3s', 'unexpected'],
  ['1..5s', 'unexpected'],
  ['s', 'unexpected "s"'],
  ['10s; rm -rf /', 'unexpected'],
  ['1ns', 'shorter than 1ms'],
  ['9'.repeat(400) + 'h', 'too large'],
  ['99999999999', 'longer than the maximum'],
];

for (const [input, why] of bad) {
  test(`refuses ${JSON.stringify(input.slice(0, 40))} with an InputError naming the input and flag`, () => {
    assert.throws(
      () => parseDuration(input, { flag: '--drain-timeout' }),
      (err: unknown) =>
        err instanceof InputError &&
        err.exitCode === 2 &&
        err.message.includes(JSON.stringify(input)) &&
        err.message.includes('--drain-timeout') &&
        err.message.includes(why) &&
        err.message.includes('1h30m'),
    );
  });
}

const formats: readonly [number, string][] = [
  [5_400_000, '1h30m'],
  [45_000, '45s'],
  [125_000, '2m5s'],
  [0, '0s'],
  [500, '500ms'],
  [1500, '1s500ms'],
  [3_605_000, '1h5s'],
  [30 * 86_400_000, '720h'],
  [-90_000, '-1m30s'],
];

for (const [ms, text] of formats) {
  test(`formats ${ms} ms as ${text}`, () => {
    assert.equal(formatDuration(ms), text);
  });
}

test('formatDuration and parseDuration round-trip any whole number of milliseconds', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 30 * 86_400_000 }), (ms) => {
      assert.equal(parseDuration(formatDuration(ms), { allowZero: true }), ms);
    }),
    { numRuns: 500 },
  );
});

test('parses any sum of Go units to the same total', () => {
  const unit = fc.constantFrom(['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), unit), { minLength: 1, maxLength: 5 }),
      (parts) => {
        const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
        const want = parts.reduce((sum, [n, [, f]]) => sum + n * (f as number), 0);
        assert.equal(parseDuration(text), want);
      },
    ),
    { numRuns: 200 },
  );
});
