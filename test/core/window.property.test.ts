// Property tests: contains/nextOpen/closesAt agree with a brute-force reference that reads the wall clock through
// Intl (not luxon) and walks minute by minute, under both day rules (the start day, and kured's day of now).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DayRule, closesAt, contains, makeSchedule, nextOpen, type Schedule } from '../../src/core/window.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'] as const;
const NAMES = [
  ['su', 'sun', 'sunday', '0'],
  ['mo', 'mon', 'monday', '1'],
  ['tu', 'tue', 'tuesday', '2'],
  ['we', 'wed', 'wednesday', '3'],
  ['th', 'thu', 'thursday', '4'],
  ['fr', 'fri', 'friday', '5'],
  ['sa', 'sat', 'saturday', '6'],
] as const;

interface RefRule {
  days: number[];
  start: number; // seconds of day
  end: number;
}
interface Case {
  zone: string;
  rules: RefRule[];
  specs: string[];
  dayRule: DayRule;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall clock of t in zone, computed with Intl: naive seconds since the epoch, and the weekday. */
function wall(zone: string, t: number): { naive: number; midnight: number; weekday: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) p[part.type] = Number(part.value);
  const midnight = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1) / 1000;
  const weekday = new Date(midnight * 1000).getUTCDay();
  return {
    naive: midnight + (p.hour ?? 0) * 3600 + (p.minute ?? 0) * 60 + (p.second ?? 0),
    midnight,
    weekday,
  };
}

/**
 * Start-day rule: a rule covers [D+start, D'+end] of naive wall time for each start day D (D' = D, or the next day
 * if it wraps). kured's rule: the weekday of t is listed, and its time of day lies in [start, end], or, when the
 * rule wraps, in [start, midnight) or [midnight, end].
 */
function refContains(c: Case, t: number): boolean {
  const w = wall(c.zone, t);
  if (c.dayRule === DayRule.Kured) {
    const second = w.naive - w.midnight;
    return c.rules.some(
      (r) =>
        r.days.includes(w.weekday) &&
        (r.start < r.end ? r.start <= second && second <= r.end : r.start <= second || second <= r.end),
    );
  }
  return c.rules.some((r) =>
    [0, 1].some((back) => {
      const day = w.midnight - back * 86_400;
      if (!r.days.includes((w.weekday - back + 7) % 7)) return false;
      const open = day + r.start;
      const close = day + r.end + (r.end < r.start ? 86_400 : 0);
      return open <= w.naive && w.naive <= close;
    }),
  );
}

const hhmm = (sec: number): string =>
  `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}`;

const minuteOfDay = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.constantFrom(0, 30, 60, 90, 120, 135, 150, 180, 210, 1380, 1439),
);
const ruleArb = fc
  .record({
    days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
    naming: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 7, maxLength: 7 }),
    start: minuteOfDay,
    end: minuteOfDay,
  })
  .filter((r) => r.start !== r.end)
  .map(({ days, naming, start, end }) => {
    const dayText = days.map((d) => NAMES[d]?.[naming[d] ?? 0] ?? '?').join(',');
    const span = `${hhmm(start * 60)}-${hhmm(end * 60)}`;
    return {
      rule: { days, start: start * 60, end: end * 60 },
      spec: days.length === 7 ? span : `${dayText} ${span}`,
    };
  });
const caseArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }),
    dayRule: fc.constantFrom(DayRule.Start, DayRule.Kured),
  })
  .map(({ zone, rules, dayRule }): Case => ({
    zone,
    rules: rules.map((r) => r.rule),
    specs: rules.map((r) => r.spec),
    dayRule,
  }));

const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);
// Offset changes in 2026 of the zones above (approximate; only used to concentrate instants near them).
const CHANGES = [
  '2026-03-08T07:00Z',
  '2026-03-29T01:00Z',
  '2026-04-04T15:00Z',
  '2026-10-03T15:30Z',
  '2026-10-25T01:00Z',
  '2026-11-01T06:00Z',
].map((s) => Date.parse(s));
const MINUTE = 60_000;
const SECOND = 1000;
const instantArb = fc.oneof(
  fc.integer({ min: YEAR_START, max: YEAR_END }),
  fc
    .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }))
    .map(([c, d]) => c + d),
);
const minuteArb = instantArb.map((t) => Math.floor(t / MINUTE) * MINUTE);

const schedule = (c: Case): Schedule => makeSchedule(c.specs, c.zone, c.dayRule);
const label = (c: Case): string => `${c.specs.join(' | ')} ${c.zone} (${c.dayRule} rule)`;
const iso = (t: number | undefined): string => (t === undefined ? 'undefined' : new Date(t).toISOString());

test('contains agrees with the Intl wall-clock reference at random instants', () => {
  fc.assert(
    fc.property(caseArb, instantArb, (c, t) => {
      assert.equal(contains(schedule(c), t), refContains(c, t), `${label(c)} at ${iso(t)}`);
    }),
    { numRuns: 400 },
  );
});

test('nextOpen is the first minute at or after now at which the reference is open', () => {
  fc.assert(
    fc.property(caseArb, minuteArb, (c, now) => {
      let m = now;
      const limit = now + 16 * 86_400_000;
      while (m <= limit && !refContains(c, m)) m += MINUTE;
      const want = m <= limit ? m : undefined;
      assert.equal(iso(nextOpen(schedule(c), now)), iso(want), `${label(c)} from ${iso(now)}`);
    }),
    { numRuns: 150 },
  );
});

test('closesAt ends the open stretch: open up to it, closed at it', () => {
  fc.assert(
    fc.property(caseArb, minuteArb, (c, t) => {
      const s = schedule(c);
      const now = nextOpen(s, t);
      if (now === undefined) return;
      const end = closesAt(s, now);
      const what = `${label(c)} from ${iso(now)}: closesAt ${iso(end)}`;
      // Windows have second resolution and all bounds here are whole minutes, so within a minute only its first
      // second can differ from the rest (an inclusive end): probe m and m + 1s.
      let m = now;
      const limit = now + 8 * 86_400_000;
      while (m <= limit && refContains(c, m)) m += m % MINUTE === 0 ? SECOND : MINUTE - SECOND;
      if (m > limit) {
        assert.ok(end === undefined || end > limit, what);
        return;
      }
      assert.equal(iso(end), iso(m), `${what}, reference closes at ${iso(m)}`);
      assert.equal(refContains(c, m - 1), true, `${what}: open just before the close`);
    }),
    { numRuns: 150 },
  );
});

test('windows that do not wrap past midnight mean the same under both day rules', () => {
  fc.assert(
    fc.property(caseArb, instantArb, (c, t) => {
      const flat = c.rules.map((r, i) => ({ r, spec: c.specs[i] ?? '' })).filter(({ r }) => r.start < r.end);
      fc.pre(flat.length > 0);
      const specs = flat.map((f) => f.spec);
      assert.equal(
        contains(makeSchedule(specs, c.zone, DayRule.Kured), t),
        contains(makeSchedule(specs, c.zone, DayRule.Start), t),
        `${specs.join(' | ')} ${c.zone} at ${iso(t)}`,
      );
    }),
    { numRuns: 200 },
  );
});
