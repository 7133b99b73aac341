// Property tests: parseWindow and kuredRule read every spelling of a time of day (24-hour, am/pm, with and
// without minutes and seconds) and of a day list (names, numbers, ranges that wrap) as the reference values they
// were written from; times out of range are rejected with an InputError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { kuredRule, parseWindow } from '../../src/core/window-parse.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Every way the reference knows to write h:m:s, with each of `gaps` before am/pm. */
function spellings(sec: number, gaps: readonly string[] = ['']): string[] {
  const h = Math.floor(sec / 3600);
  const m = Math.floor(sec / 60) % 60;
  const s = sec % 60;
  const out: string[] = [];
  for (const hh of new Set([String(h), pad(h)])) {
    out.push(`${hh}:${pad(m)}:${pad(s)}`);
    if (s === 0) out.push(`${hh}:${pad(m)}`);
    if (s === 0 && m === 0) out.push(hh);
  }
  const h12 = h % 12 === 0 ? 12 : h % 12;
  for (const half of h < 12 ? ['am', 'AM', 'Am'] : ['pm', 'PM', 'pM']) {
    for (const gap of gaps) {
      out.push(`${h12}:${pad(m)}:${pad(s)}${gap}${half}`);
      if (s === 0) out.push(`${h12}:${pad(m)}${gap}${half}`);
      if (s === 0 && m === 0) out.push(`${h12}${gap}${half}`);
    }
  }
  return out;
}

const DAY_SPELLINGS = [
  ['su', 'sun', 'sunday', 'Sun', '0'],
  ['mo', 'mon', 'monday', 'MON', '1'],
  ['tu', 'tue', 'tuesday', 'Tues', '2'],
  ['we', 'wed', 'wednesday', 'Wed', '3'],
  ['th', 'thu', 'thursday', 'Thurs', '4'],
  ['fr', 'fri', 'friday', 'Fri', '5'],
  ['sa', 'sat', 'saturday', 'SAT', '6'],
] as const;

/** Days from..to inclusive, wrapping past Saturday. */
function span(from: number, to: number): number[] {
  const out = [from];
  for (let d = from; d !== to;) out.push((d = (d + 1) % 7));
  return out;
}

const secondArb = fc.oneof(
  fc.integer({ min: 0, max: 86_399 }),
  fc.integer({ min: 0, max: 1439 }).map((m) => m * 60),
  fc.integer({ min: 0, max: 23 }).map((h) => h * 3600),
);
const timeArb = secondArb.chain((sec) =>
  fc.constantFrom(...spellings(sec, ['', ' ', '  '])).map((text) => ({ sec, text })),
);
const dayItemArb = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.nat(4), fc.nat(4))
  .map(([from, to, range, i, j]) => ({
    days: range ? span(from, to) : [from],
    text: range
      ? `${DAY_SPELLINGS[from]?.[i] ?? ''}-${DAY_SPELLINGS[to]?.[j] ?? ''}`
      : (DAY_SPELLINGS[from]?.[i] ?? ''),
  }));

test('every spelling of a window parses to the days and seconds it was written from', () => {
  fc.assert(
    fc.property(
      fc.option(fc.array(dayItemArb, { minLength: 1, maxLength: 3 })),
      timeArb,
      timeArb,
      fc.constantFrom('-', ' - '),
      (items, start, end, dash) => {
        fc.pre(start.sec !== end.sec);
        const days = items ? `${items.map((x) => x.text).join(',')} ` : '';
        const spec = `${days}${start.text}${dash}${end.text}`;
        const rule = parseWindow(spec, 'UTC');
        const want = items ? [...new Set(items.flatMap((x) => x.days))].sort() : [0, 1, 2, 3, 4, 5, 6];
        assert.deepEqual([...rule.days], want, spec);
        assert.equal(rule.start, start.sec, spec);
        assert.equal(rule.end, end.sec, spec);
      },
    ),
    { numRuns: 1500 },
  );
});

test('kured flags read the same spellings as --start-time and --end-time', () => {
  fc.assert(
    fc.property(timeArb, timeArb, (start, end) => {
      fc.pre(start.sec !== end.sec);
      const rule = kuredRule({ startTime: start.text, endTime: end.text, timeZone: 'Europe/Berlin' });
      assert.equal(rule.start, start.sec);
      assert.equal(rule.end, end.sec);
      assert.equal(rule.zone, 'Europe/Berlin');
    }),
    { numRuns: 800 },
  );
});

test('hours, minutes and seconds out of range are rejected with an InputError naming the input', () => {
  const bad = fc.oneof(
    fc.integer({ min: 24, max: 99 }).map(String),
    fc.integer({ min: 24, max: 99 }).map((h) => `${h}:00`),
    fc.integer({ min: 60, max: 99 }).map((m) => `3:${m}`),
    fc.integer({ min: 60, max: 99 }).map((s) => `3:00:${s}`),
    fc.constantFrom('13pm', '13:00pm', '12:60am', '3:5', '3:005', '1.5', '3 o\u2019clock', '3;am'),
  );
  fc.assert(
    fc.property(bad, (time) => {
      const spec = `${time}-05:00`;
      assert.throws(
        () => parseWindow(spec, 'UTC'),
        (err: unknown) => err instanceof InputError && err.message.includes(JSON.stringify(spec)),
        spec,
      );
      assert.throws(() => kuredRule({ startTime: time }), InputError, time);
    }),
    { numRuns: 300 },
  );
});
