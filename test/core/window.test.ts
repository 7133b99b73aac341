// Maintenance window tables: parsing, wrap past midnight, days, zones, DST, nextOpen/closesAt and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { InputError } from '../../src/core/errors.js';
import {
  closesAt,
  contains,
  describeSchedule,
  makeSchedule,
  nextOpen,
  parseWindow,
  windowFromKuredFlags,
  windowState,
  type Schedule,
} from '../../src/core/window.js';

/** An instant: ISO with Z/offset is absolute; otherwise local wall time in `zone`. */
function at(iso: string, zone = 'UTC'): number {
  const dt = DateTime.fromISO(iso, { zone });
  assert.ok(dt.isValid, `bad test instant ${iso}`);
  return dt.toMillis();
}
const Z = (iso: string): number => at(iso.endsWith('Z') ? iso : `${iso}Z`);

// 2026-01-09 is a Friday; 01-10 Saturday, 01-11 Sunday, 01-12 Monday.
const containsCases: readonly { name: string; windows: string[]; zone: string; at: string; want: boolean }[] =
  [
    { name: '3am-5am UTC inside', windows: ['3am-5am'], zone: 'UTC', at: '2026-01-09T04:00', want: true },
    {
      name: '3am-5am UTC start edge is inclusive',
      windows: ['3am-5am'],
      zone: 'UTC',
      at: '2026-01-09T03:00:00',
      want: true,
    },
    {
      name: '3am-5am UTC one second before start',
      windows: ['3am-5am'],
      zone: 'UTC',
      at: '2026-01-09T02:59:59',
      want: false,
    },
    {
      name: '3am-5am UTC end edge is inclusive',
      windows: ['3am-5am'],
      zone: 'UTC',
      at: '2026-01-09T05:00:00.999',
      want: true,
    },
    {
      name: '3am-5am UTC one second after end',
      windows: ['3am-5am'],
      zone: 'UTC',
      at: '2026-01-09T05:00:01',
      want: false,
    },
    {
      name: '3am-5am Berlin at 03:30 Berlin',
      windows: ['3am-5am'],
      zone: 'Europe/Berlin',
      at: '2026-01-09T02:30:00Z',
      want: true,
    },
    {
      name: '3am-5am Berlin at 04:30 UTC (05:30 Berlin)',
      windows: ['3am-5am'],
      zone: 'Europe/Berlin',
      at: '2026-01-09T04:30:00Z',
      want: false,
    },
    {
      name: '3am-5am Berlin summer (UTC+2)',
      windows: ['3am-5am'],
      zone: 'Europe/Berlin',
      at: '2026-07-09T01:00:00Z',
      want: true,
    },
    {
      name: '22:00-04:00 wraps: 23:00',
      windows: ['22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-09T23:00',
      want: true,
    },
    {
      name: '22:00-04:00 wraps: 01:00',
      windows: ['22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-10T01:00',
      want: true,
    },
    {
      name: '22:00-04:00 wraps: 04:00:01 is out',
      windows: ['22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-10T04:00:01',
      want: false,
    },
    {
      name: '22:00-04:00 wraps: noon is out',
      windows: ['22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-10T12:00',
      want: false,
    },
    {
      name: 'fri 22:00-04:00 contains Friday 23:00',
      windows: ['fri 22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-09T23:00',
      want: true,
    },
    {
      name: 'window wraps midnight on Friday night into Saturday 01:00',
      windows: ['fri 22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-10T01:00',
      want: true,
    },
    {
      name: 'fri 22:00-04:00 does not contain Friday 01:00',
      windows: ['fri 22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-09T01:00',
      want: false,
    },
    {
      name: 'fri 22:00-04:00 does not contain Saturday 23:00',
      windows: ['fri 22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-10T23:00',
      want: false,
    },
    {
      name: 'fri 22:00-04:00 does not contain Thursday 23:00',
      windows: ['fri 22:00-04:00'],
      zone: 'UTC',
      at: '2026-01-08T23:00',
      want: false,
    },
    {
      name: 'mon-thu on Monday',
      windows: ['mon-thu 03:00-05:00'],
      zone: 'UTC',
      at: '2026-01-12T04:00',
      want: true,
    },
    {
      name: 'mon-thu on Thursday',
      windows: ['mon-thu 03:00-05:00'],
      zone: 'UTC',
      at: '2026-01-15T04:00',
      want: true,
    },
    {
      name: 'mon-thu not on Friday',
      windows: ['mon-thu 03:00-05:00'],
      zone: 'UTC',
      at: '2026-01-09T04:00',
      want: false,
    },
    {
      name: 'wrapping day range fri-mon on Sunday',
      windows: ['fri-mon 1-2'],
      zone: 'UTC',
      at: '2026-01-11T01:30',
      want: true,
    },
    {
      name: 'wrapping day range fri-mon on Monday',
      windows: ['fri-mon 1-2'],
      zone: 'UTC',
      at: '2026-01-12T01:30',
      want: true,
    },
    {
      name: 'wrapping day range fri-mon not on Tuesday',
      windows: ['fri-mon 1-2'],
      zone: 'UTC',
      at: '2026-01-13T01:30',
      want: false,
    },
    {
      name: 'two-letter names su,we on Wednesday',
      windows: ['su,we 1-2'],
      zone: 'UTC',
      at: '2026-01-14T01:30',
      want: true,
    },
    {
      name: 'two-letter names su,we not on Monday',
      windows: ['su,we 1-2'],
      zone: 'UTC',
      at: '2026-01-12T01:30',
      want: false,
    },
    { name: 'full name sunday', windows: ['sunday 1-2'], zone: 'UTC', at: '2026-01-11T01:30', want: true },
    {
      name: 'names are case-insensitive',
      windows: ['SAT,Sun 1am-6am'],
      zone: 'UTC',
      at: '2026-01-10T05:59',
      want: true,
    },
    { name: 'number 0 is Sunday', windows: ['0 1-2'], zone: 'UTC', at: '2026-01-11T01:30', want: true },
    { name: 'number 6 is Saturday', windows: ['6 1-2'], zone: 'UTC', at: '2026-01-10T01:30', want: true },
    {
      name: 'number range 1-5 excludes Sunday',
      windows: ['1-5 1-2'],
      zone: 'UTC',
      at: '2026-01-11T01:30',
      want: false,
    },
    {
      name: '11:30pm-1am at 23:45',
      windows: ['11:30pm-1am'],
      zone: 'UTC',
      at: '2026-01-10T23:45',
      want: true,
    },
    {
      name: '11:30pm-1am not at 23:00',
      windows: ['11:30pm-1am'],
      zone: 'UTC',
      at: '2026-01-10T23:00',
      want: false,
    },
    { name: '17-19 at 19:00', windows: ['17-19'], zone: 'UTC', at: '2026-01-10T19:00', want: true },
    { name: '17-19 not at 16:59', windows: ['17-19'], zone: 'UTC', at: '2026-01-10T16:59', want: false },
    { name: '12am is midnight', windows: ['12am-1am'], zone: 'UTC', at: '2026-01-10T00:00', want: true },
    { name: '12pm is noon', windows: ['12pm-1pm'], zone: 'UTC', at: '2026-01-10T12:30', want: true },
    { name: '12pm is not midnight', windows: ['12pm-1pm'], zone: 'UTC', at: '2026-01-10T00:30', want: false },
    {
      name: 'end 23:59:59 covers the last second',
      windows: ['0:00-23:59:59'],
      zone: 'UTC',
      at: '2026-01-10T23:59:59.999',
      want: true,
    },
    {
      name: 'spaces around the dash',
      windows: ['mon - fri  3am - 5am'],
      zone: 'UTC',
      at: '2026-01-12T03:10',
      want: true,
    },
    {
      name: 'a space before am/pm, with days (open)',
      windows: ['sat,sun 11 pm - 2 AM'],
      zone: 'UTC',
      at: '2026-01-11T01:30', // Sunday: the window opened Saturday 23:00
      want: true,
    },
    {
      name: 'a space before am/pm, with days (closed)',
      windows: ['sat,sun 11 pm - 2 AM'],
      zone: 'UTC',
      at: '2026-01-09T23:30', // Friday: not one of its days
      want: false,
    },
    {
      name: 'several windows are ORed (first)',
      windows: ['mon 1am-2am', 'wed 3pm-4pm'],
      zone: 'UTC',
      at: '2026-01-12T01:30',
      want: true,
    },
    {
      name: 'several windows are ORed (second)',
      windows: ['mon 1am-2am', 'wed 3pm-4pm'],
      zone: 'UTC',
      at: '2026-01-14T15:30',
      want: true,
    },
    {
      name: 'several windows are ORed (neither)',
      windows: ['mon 1am-2am', 'wed 3pm-4pm'],
      zone: 'UTC',
      at: '2026-01-12T15:30',
      want: false,
    },
    // DST, America/New_York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
    {
      name: 'DST gap: 02:30-04:00 closed just before the jump',
      windows: ['02:30-04:00'],
      zone: 'America/New_York',
      at: '2026-03-08T06:59:59Z',
      want: false,
    },
    {
      name: 'DST gap: 02:30-04:00 open at 03:00 EDT',
      windows: ['02:30-04:00'],
      zone: 'America/New_York',
      at: '2026-03-08T07:00:00Z',
      want: true,
    },
    {
      name: 'DST overlap: first 01:30 (EDT) is inside',
      windows: ['01:30-01:45'],
      zone: 'America/New_York',
      at: '2026-11-01T01:30:00-04:00',
      want: true,
    },
    {
      name: 'DST overlap: second 01:30 (EST) is inside',
      windows: ['01:30-01:45'],
      zone: 'America/New_York',
      at: '2026-11-01T01:30:00-05:00',
      want: true,
    },
    {
      name: 'DST overlap: 01:50 EDT is outside',
      windows: ['01:30-01:45'],
      zone: 'America/New_York',
      at: '2026-11-01T01:50:00-04:00',
      want: false,
    },
  ];

for (const c of containsCases) {
  test(`contains: ${c.name}`, () => {
    const s = makeSchedule(c.windows, c.zone);
    assert.equal(contains(s, at(c.at, c.zone)), c.want);
  });
}

test('no window option at all means always open', () => {
  const s = makeSchedule([], 'UTC');
  assert.equal(s.always, true);
  assert.equal(contains(s, Z('2026-01-10T12:34')), true);
  assert.equal(nextOpen(s, 42), 42);
  assert.equal(closesAt(s, 42), undefined);
  assert.equal(describeSchedule(s), 'any time');
});

test('kured flag defaults: every day, 0:00 to 23:59:59, UTC', () => {
  const s = windowFromKuredFlags({});
  assert.deepEqual(s.rules[0], { days: [0, 1, 2, 3, 4, 5, 6], start: 0, end: 86_399, zone: 'UTC' });
  for (const iso of ['2026-01-10T00:00', '2026-01-10T23:59:59.999', '2026-06-03T12:00']) {
    assert.equal(contains(s, Z(iso)), true, iso);
  }
  assert.equal(
    closesAt(s, Z('2026-01-10T12:00')),
    undefined,
    'a window covering the whole week never closes',
  );
});

test('kured flags: --reboot-days entries, comma lists and ranges, with start/end/zone', () => {
  const s = windowFromKuredFlags({
    rebootDays: ['mo,tu', 'sunday', '5'],
    startTime: '10pm',
    endTime: '4:00',
    timeZone: 'Europe/Berlin',
  });
  assert.deepEqual(s.rules[0]?.days, [0, 1, 2, 5]);
  assert.equal(s.zone, 'Europe/Berlin');
  assert.equal(
    contains(s, at('2026-01-13T03:00', 'Europe/Berlin')),
    true,
    'Tue 03:00 belongs to Monday night',
  );
  assert.equal(
    contains(s, at('2026-01-15T03:00', 'Europe/Berlin')),
    false,
    'Thu 03:00 belongs to Wednesday night',
  );
  assert.equal(
    contains(s, at('2026-01-10T03:00', 'Europe/Berlin')),
    true,
    'Sat 03:00 belongs to Friday (5) night',
  );
  assert.equal(contains(s, at('2026-01-13T22:00', 'Europe/Berlin')), true, 'Tuesday 22:00');
  assert.equal(contains(s, at('2026-01-14T22:00', 'Europe/Berlin')), false, 'Wednesday 22:00');
});

test('zone names: utc and local are case-insensitive; IANA names are canonicalised', () => {
  assert.equal(parseWindow('1-2', 'utc').zone, 'UTC');
  assert.equal(parseWindow('1-2', 'local').zone, 'Local');
  assert.equal(parseWindow('1-2', 'europe/berlin').zone, 'Europe/Berlin');
});

test('Local zone follows the process time zone', () => {
  const saved = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata';
  try {
    const s = makeSchedule(['3am-5am'], 'Local');
    assert.equal(contains(s, Z('2026-01-09T22:00')), true, '03:30 IST');
    assert.equal(contains(s, Z('2026-01-09T00:00')), false, '05:30 IST');
    assert.equal(describeSchedule(s), 'daily 03:00–05:00 Local');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

const nextOpenCases: readonly { name: string; windows: string[]; zone: string; now: string; want: string }[] =
  [
    {
      name: 'open now returns now',
      windows: ['3am-5am'],
      zone: 'UTC',
      now: '2026-01-09T04:00:00.500Z',
      want: '2026-01-09T04:00:00.500Z',
    },
    {
      name: 'later the same day',
      windows: ['3am-5am'],
      zone: 'UTC',
      now: '2026-01-09T01:00Z',
      want: '2026-01-09T03:00Z',
    },
    {
      name: 'the next day after the window closed',
      windows: ['3am-5am'],
      zone: 'UTC',
      now: '2026-01-09T05:00:01Z',
      want: '2026-01-10T03:00Z',
    },
    {
      name: 'a week ahead for a weekly window just closed',
      windows: ['mon 1-2'],
      zone: 'UTC',
      now: '2026-01-12T02:00:01Z',
      want: '2026-01-19T01:00Z',
    },
    {
      name: 'in the zone of the window',
      windows: ['sat 3am-5am'],
      zone: 'Europe/Berlin',
      now: '2026-01-09T12:00Z',
      want: '2026-01-10T02:00Z',
    },
    {
      name: 'earliest of several windows',
      windows: ['wed 9-10', 'tue 22:00-01:00'],
      zone: 'UTC',
      now: '2026-01-12T12:00Z',
      want: '2026-01-13T22:00Z',
    },
    {
      name: 'DST gap: 02:30-04:00 opens at 03:00 EDT',
      windows: ['02:30-04:00'],
      zone: 'America/New_York',
      now: '2026-03-08T05:00Z',
      want: '2026-03-08T07:00Z',
    },
    {
      name: 'the day before the gap opens at 02:30 EST',
      windows: ['02:30-04:00'],
      zone: 'America/New_York',
      now: '2026-03-07T05:00Z',
      want: '2026-03-07T07:30Z',
    },
    {
      name: 'DST gap: a window wholly in the gap skips that day',
      windows: ['02:10-02:40'],
      zone: 'America/New_York',
      now: '2026-03-08T05:00Z',
      want: '2026-03-09T06:10Z',
    },
    {
      name: 'DST overlap: reopens at the second 01:30',
      windows: ['01:30-01:45'],
      zone: 'America/New_York',
      now: '2026-11-01T05:50Z',
      want: '2026-11-01T06:30Z',
    },
    {
      name: 'DST overlap: opens at the fall-back instant itself',
      windows: ['00:30-01:10'],
      zone: 'America/New_York',
      now: '2026-11-01T05:50Z',
      want: '2026-11-01T06:00Z',
    },
  ];

for (const c of nextOpenCases) {
  test(`nextOpen: ${c.name}`, () => {
    const s = makeSchedule(c.windows, c.zone);
    assert.equal(new Date(nextOpen(s, Z(c.now)) ?? NaN).toISOString(), new Date(Z(c.want)).toISOString());
  });
}

test('nextOpen is undefined for a schedule that can never open', () => {
  const never: Schedule = { rules: [], zone: 'UTC', always: false, dayRule: 'start' };
  assert.equal(nextOpen(never, Z('2026-01-09T00:00')), undefined);
});

const closesCases: readonly {
  name: string;
  windows: string[];
  zone: string;
  now: string;
  want: string | undefined;
}[] = [
  {
    name: 'inclusive end: the second after 05:00',
    windows: ['3am-5am'],
    zone: 'UTC',
    now: '2026-01-09T04:00Z',
    want: '2026-01-09T05:00:01Z',
  },
  {
    name: 'wrapping window closes the next morning',
    windows: ['fri 22:00-04:00'],
    zone: 'UTC',
    now: '2026-01-09T23:00Z',
    want: '2026-01-10T04:00:01Z',
  },
  {
    name: 'adjacent windows merge across midnight',
    windows: ['fri 22:00-23:59:59', 'sat 00:00-02:00'],
    zone: 'UTC',
    now: '2026-01-09T23:00Z',
    want: '2026-01-10T02:00:01Z',
  },
  {
    name: 'overlapping windows merge',
    windows: ['1-3', '2-4'],
    zone: 'UTC',
    now: '2026-01-09T01:30Z',
    want: '2026-01-09T04:00:01Z',
  },
  {
    name: 'windows one second apart merge',
    windows: ['01:00-02:00', '02:00:01-03:00'],
    zone: 'UTC',
    now: '2026-01-09T01:30Z',
    want: '2026-01-09T03:00:01Z',
  },
  {
    name: 'windows a minute apart do not merge',
    windows: ['01:00-02:00', '02:01-03:00'],
    zone: 'UTC',
    now: '2026-01-09T01:30Z',
    want: '2026-01-09T02:00:01Z',
  },
  {
    name: 'DST overlap: first stretch ends at 01:45:01 EDT',
    windows: ['01:30-01:45'],
    zone: 'America/New_York',
    now: '2026-11-01T05:30Z',
    want: '2026-11-01T05:45:01Z',
  },
  {
    name: 'closed schedule has no closing time',
    windows: ['3am-5am'],
    zone: 'UTC',
    now: '2026-01-09T06:00Z',
    want: undefined,
  },
];

for (const c of closesCases) {
  test(`closesAt: ${c.name}`, () => {
    const got = closesAt(makeSchedule(c.windows, c.zone), Z(c.now));
    assert.equal(
      got === undefined ? undefined : new Date(got).toISOString(),
      c.want && new Date(Z(c.want)).toISOString(),
    );
  });
}

test('windowState: a window closing in 10 minutes cannot start with a 15-minute margin', () => {
  const s = makeSchedule(['3am-5am'], 'UTC');
  const now = Z('2026-01-09T04:50');
  const tight = windowState(s, now, 15 * 60_000);
  assert.deepEqual(tight, {
    open: true,
    canStart: false,
    closesAt: Z('2026-01-09T05:00:01'),
    description: 'daily 03:00–05:00 UTC',
  });
  assert.equal(windowState(s, now, 5 * 60_000).canStart, true);
});

test('windowState: closed reports the next opening', () => {
  const s = makeSchedule(['mon-thu 03:00-05:00'], 'Europe/Berlin');
  const st = windowState(s, Z('2026-01-09T12:00'), 0);
  assert.equal(st.open, false);
  assert.equal(st.canStart, false);
  assert.equal(st.closesAt, undefined);
  assert.equal(st.nextOpen, at('2026-01-12T03:00', 'Europe/Berlin'));
  assert.equal(st.description, 'mon-thu 03:00–05:00 Europe/Berlin');
});

test('describeSchedule shows compact days, seconds only when set, and the zone', () => {
  assert.equal(describeSchedule(makeSchedule(['sat,sun 1am-6am'], 'UTC')), 'sat,sun 01:00–06:00 UTC');
  assert.equal(describeSchedule(makeSchedule(['fri-mon 22:00-04:00'], 'UTC')), 'fri-mon 22:00–04:00 UTC');
  assert.equal(
    describeSchedule(makeSchedule(['mo,we,fr 0:00-23:59:59'], 'UTC')),
    'mon,wed,fri 00:00–23:59:59 UTC',
  );
  assert.equal(
    describeSchedule(makeSchedule(['mon 1-2', '3pm-4pm'], 'America/New_York')),
    'mon 01:00–02:00 or daily 15:00–16:00 America/New_York',
  );
});

const badWindows: readonly { spec: string; zone?: string; mentions: string }[] = [
  { spec: '25:00-1am', mentions: '"25:00"' },
  { spec: '3am-3am', mentions: 'empty window' },
  { spec: 'mon-funday 1-2', mentions: '"funday"' },
  { spec: '3am-', mentions: 'missing end time' },
  { spec: '-5am', mentions: 'missing start time' },
  { spec: '', mentions: 'empty' },
  { spec: '13pm-1am', mentions: '"13pm"' },
  { spec: '3:60-4', mentions: '"3:60"' },
  { spec: '3am-5am-7am', mentions: 'one "-"' },
  { spec: 'mon fri 1-2', mentions: 'DAYS' },
  { spec: 'mon,,tue 1-2', mentions: 'empty day' },
  { spec: 'noon-1pm', mentions: '"noon"' },
  { spec: '3am-5am', zone: 'Mars/Olympus', mentions: '"Mars/Olympus"' },
];

for (const c of badWindows) {
  test(`bad window ${JSON.stringify(c.spec)} in ${c.zone ?? 'UTC'} is an InputError naming the input`, () => {
    assert.throws(
      () => parseWindow(c.spec, c.zone ?? 'UTC'),
      (err: unknown) =>
        err instanceof InputError &&
        err.exitCode === 2 &&
        err.message.includes(c.mentions) &&
        err.message.includes(c.zone === undefined ? JSON.stringify(c.spec) : c.zone),
    );
  });
}

const badFlags: readonly { flags: Parameters<typeof windowFromKuredFlags>[0]; mentions: string }[] = [
  { flags: { startTime: '24:00' }, mentions: '--start-time "24:00"' },
  { flags: { endTime: '5 o clock' }, mentions: '--end-time "5 o clock"' },
  { flags: { rebootDays: ['mo', 'funday'] }, mentions: '"funday"' },
  { flags: { timeZone: 'Mars/Olympus' }, mentions: '"Mars/Olympus" in --time-zone' },
  { flags: { startTime: '3am', endTime: '03:00' }, mentions: 'empty window' },
];

for (const c of badFlags) {
  test(`bad kured flags ${JSON.stringify(c.flags)} are an InputError`, () => {
    assert.throws(
      () => windowFromKuredFlags(c.flags),
      (err: unknown) => err instanceof InputError && err.message.includes(c.mentions),
    );
  });
}
