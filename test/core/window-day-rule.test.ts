// The two day rules for a window past midnight, side by side: the migration example of the README
// (--reboot-days fri --start-time 22:00 --end-time 04:00), with contains, nextOpen, closesAt and the description
// that status and plan show, under the default start-day rule and under kured's rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DayRule,
  closesAt,
  contains,
  describeSchedule,
  makeSchedule,
  nextOpen,
  windowFromKuredFlags,
  windowState,
  type Schedule,
} from '../../src/core/window.js';

const Z = (iso: string): number => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
const iso = (t: number | undefined): string => (t === undefined ? 'undefined' : new Date(t).toISOString());

const example = (dayRule: DayRule): Schedule =>
  windowFromKuredFlags({ rebootDays: ['fri'], startTime: '22:00', endTime: '04:00' }, dayRule);

// 2026-01-08 is a Thursday, 01-09 Friday, 01-10 Saturday, 01-16 the next Friday.
const containsRows: readonly { at: string; what: string; start: boolean; kured: boolean }[] = [
  { at: '2026-01-08T23:00', what: 'Thursday 23:00', start: false, kured: false },
  { at: '2026-01-09T00:00', what: 'Friday 00:00', start: false, kured: true },
  { at: '2026-01-09T01:00', what: 'Friday 01:00', start: false, kured: true },
  { at: '2026-01-09T04:00:00.999', what: 'Friday 04:00 (inclusive end)', start: false, kured: true },
  { at: '2026-01-09T04:00:01', what: 'Friday 04:00:01', start: false, kured: false },
  { at: '2026-01-09T21:59:59', what: 'Friday 21:59:59', start: false, kured: false },
  { at: '2026-01-09T22:00', what: 'Friday 22:00', start: true, kured: true },
  { at: '2026-01-09T23:59:59.999', what: 'Friday 23:59:59', start: true, kured: true },
  { at: '2026-01-10T00:00', what: 'Saturday 00:00', start: true, kured: false },
  { at: '2026-01-10T01:00', what: 'Saturday 01:00', start: true, kured: false },
  { at: '2026-01-10T04:00:00.999', what: 'Saturday 04:00 (inclusive end)', start: true, kured: false },
  { at: '2026-01-10T04:00:01', what: 'Saturday 04:00:01', start: false, kured: false },
];
for (const r of containsRows) {
  test(`fri 22:00-04:00 at ${r.what}: start-day rule ${r.start}, kured rule ${r.kured}`, () => {
    assert.equal(contains(example(DayRule.Start), Z(r.at)), r.start, 'start-day rule');
    assert.equal(contains(example(DayRule.Kured), Z(r.at)), r.kured, 'kured rule');
  });
}

const edgeRows: readonly {
  name: string;
  rule: DayRule;
  now: string;
  nextOpen: string;
  closesAt?: string;
}[] = [
  {
    name: 'start-day rule: from Thursday noon it opens Friday 22:00 and closes after Saturday 04:00',
    rule: DayRule.Start,
    now: '2026-01-08T12:00Z',
    nextOpen: '2026-01-09T22:00:00.000Z',
    closesAt: '2026-01-10T04:00:01.000Z',
  },
  {
    name: 'kured rule: from Thursday noon it opens at Friday midnight and closes after Friday 04:00',
    rule: DayRule.Kured,
    now: '2026-01-08T12:00Z',
    nextOpen: '2026-01-09T00:00:00.000Z',
    closesAt: '2026-01-09T04:00:01.000Z',
  },
  {
    name: 'kured rule: from Friday noon it opens Friday 22:00 and closes at Saturday midnight',
    rule: DayRule.Kured,
    now: '2026-01-09T12:00Z',
    nextOpen: '2026-01-09T22:00:00.000Z',
    closesAt: '2026-01-10T00:00:00.000Z',
  },
  {
    name: 'kured rule: on Saturday 01:00 it is closed, and next opens the following Friday at midnight',
    rule: DayRule.Kured,
    now: '2026-01-10T01:00Z',
    nextOpen: '2026-01-16T00:00:00.000Z',
    closesAt: '2026-01-16T04:00:01.000Z',
  },
  {
    name: 'start-day rule: on Saturday 01:00 it is open, until after 04:00',
    rule: DayRule.Start,
    now: '2026-01-10T01:00Z',
    nextOpen: '2026-01-10T01:00:00.000Z',
    closesAt: '2026-01-10T04:00:01.000Z',
  },
];
for (const r of edgeRows) {
  test(`fri 22:00-04:00 ${r.name}`, () => {
    const s = example(r.rule);
    const open = nextOpen(s, Z(r.now));
    assert.equal(iso(open), r.nextOpen, 'nextOpen');
    assert.equal(
      iso(open === undefined ? undefined : closesAt(s, open)),
      r.closesAt ?? 'undefined',
      'closesAt',
    );
  });
}

test('status and plan show the kured day rule in the window description', () => {
  const at = Z('2026-01-10T01:00');
  const start = windowState(example(DayRule.Start), at, 0);
  assert.equal(start.description, 'fri 22:00–04:00 UTC');
  assert.equal(start.open, true);
  const kured = windowState(example(DayRule.Kured), at, 0);
  assert.equal(kured.description, 'fri 22:00–04:00 UTC (kured day rule)');
  assert.equal(kured.open, false);
  assert.equal(iso(kured.nextOpen), '2026-01-16T00:00:00.000Z');
  assert.equal(describeSchedule(makeSchedule([], 'UTC', DayRule.Kured)), 'any time', 'no window: any time');
});

test('--window takes the day rule too: several windows, one of them past midnight', () => {
  const s = makeSchedule(['fri 22:00-04:00', 'mon 10:00-11:00'], 'Europe/Berlin', DayRule.Kured);
  assert.equal(s.dayRule, DayRule.Kured);
  // Saturday 01:00 Berlin is 00:00 UTC; Friday 01:00 Berlin is Friday 00:00 UTC.
  assert.equal(contains(s, Z('2026-01-10T00:00')), false, 'Saturday 01:00 Berlin');
  assert.equal(contains(s, Z('2026-01-09T00:00')), true, 'Friday 01:00 Berlin');
  assert.equal(contains(s, Z('2026-01-12T09:30')), true, 'Monday 10:30 Berlin');
  assert.equal(describeSchedule(s), 'fri 22:00–04:00 or mon 10:00–11:00 Europe/Berlin (kured day rule)');
});

test('the default day rule is the start day', () => {
  assert.equal(makeSchedule(['fri 22:00-04:00']).dayRule, DayRule.Start);
  assert.equal(windowFromKuredFlags({}).dayRule, DayRule.Start);
});
