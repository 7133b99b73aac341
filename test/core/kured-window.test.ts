// kured's own window tests re-expressed as tables: every case of TestTimeWindows (pkg/timewindow/timewindow_test.go)
// with its day list, times, zone and instants, and every input of TestParseWeekdays and TestParseWeekdaysErrors
// (days_test.go). Each instant carries kured's answer, asserted under --window-day-rule kured, and ours under the
// default start-day rule, both written out; a `differs` note says why they part where they do (a window past
// midnight, judged by the day it opens on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { kuredRule } from '../../src/core/window-parse.js';
import {
  DayRule,
  contains,
  nextOpen,
  windowFromKuredFlags,
  windowState,
  type Schedule,
} from '../../src/core/window.js';

interface Instant {
  /** The instant as kured's test writes it (layout "2006/01/02 15:04 MST"). */
  readonly kured: string;
  /** Its weekday and wall time in the window's zone, written out for the reader (and checked). */
  readonly local: string;
  /** kured's expected answer: asserted under DayRule.Kured. */
  readonly kuredRule: boolean;
  /** Our answer under the default DayRule.Start. */
  readonly startRule: boolean;
  /** Why the two answers differ, where they do. */
  readonly differs?: string;
}

interface WindowCase {
  readonly days: string;
  readonly start: string;
  readonly end: string;
  readonly zone: string;
  readonly instants: readonly Instant[];
}

const LA = 'America/Los_Angeles';
const row = (kured: string, local: string, kuredRule: boolean, startRule = kuredRule): Instant => ({
  kured,
  local,
  kuredRule,
  startRule,
});
const differs = (kured: string, local: string, kuredRule: boolean, why: string): Instant => ({
  kured,
  local,
  kuredRule,
  startRule: !kuredRule,
  differs: why,
});

// TestTimeWindows, in kured's order. 2019-03-30 was a Saturday, 2019-04-04 a Thursday, 2019-04-18 a Thursday.
const timeWindows: readonly WindowCase[] = [
  {
    days: 'mon,tue,wed,thu,fri',
    start: '9am',
    end: '5pm',
    zone: LA,
    instants: [
      row('2019/03/31 10:00 PDT', 'Sun 10:00', false),
      row('2019/04/04 00:49 PDT', 'Thu 00:49', false),
      row('2019/04/04 12:00 PDT', 'Thu 12:00', true),
      row('2019/04/04 11:59 UTC', 'Thu 04:59', false),
      row('2019/04/05 08:59 PDT', 'Fri 08:59', false),
      row('2019/04/05 9:01 PDT', 'Fri 09:01', true),
    ],
  },
  {
    days: 'mon,we,fri',
    start: '10:01',
    end: '11:30am',
    zone: LA,
    instants: [
      row('2019/04/05 10:30 PDT', 'Fri 10:30', true),
      row('2019/04/06 10:30 PDT', 'Sat 10:30', false),
      row('2019/04/07 10:30 PDT', 'Sun 10:30', false),
      row('2019/04/08 10:30 PDT', 'Mon 10:30', true),
      row('2019/04/09 10:30 PDT', 'Tue 10:30', false),
      row('2019/04/10 10:30 PDT', 'Wed 10:30', true),
      row('2019/04/11 10:30 PDT', 'Thu 10:30', false),
    ],
  },
  {
    days: 'mo,tu,we,th,fr',
    start: '00:00',
    end: '23:59:59',
    zone: 'UTC',
    instants: [
      row('2019/04/18 00:00 UTC', 'Thu 00:00', true),
      row('2019/04/18 23:59 UTC', 'Thu 23:59', true),
    ],
  },
  {
    days: 'mon,tue,wed,thu,fri',
    start: '9pm',
    end: '5am',
    zone: LA,
    instants: [
      differs(
        '2019/03/30 04:00 PDT',
        'Sat 04:00',
        false,
        'Saturday is not listed for kured; we count it as the end of Friday night',
      ),
      row('2019/03/31 10:00 PDT', 'Sun 10:00', false),
      row('2019/03/31 22:00 PDT', 'Sun 22:00', false),
      row('2019/04/04 00:49 PDT', 'Thu 00:49', true),
      row('2019/04/04 12:00 PDT', 'Thu 12:00', false),
      row('2019/04/04 22:49 PDT', 'Thu 22:49', true),
      row('2019/04/05 00:49 PDT', 'Fri 00:49', true),
      row('2019/04/05 08:59 PDT', 'Fri 08:59', false),
      row('2019/04/05 9:01 PDT', 'Fri 09:01', false),
    ],
  },
  {
    days: 'mon,tue,wed,thu,fri',
    start: '11:59pm',
    end: '00:01am',
    zone: LA,
    instants: [
      row('2019/04/04 23:58 PDT', 'Thu 23:58', false),
      row('2019/04/04 23:59 PDT', 'Thu 23:59', true),
      row('2019/04/05 00:00 PDT', 'Fri 00:00', true),
      row('2019/04/05 00:01 PDT', 'Fri 00:01', true),
      row('2019/04/05 00:02 PDT', 'Fri 00:02', false),
    ],
  },
  {
    days: 'mon,tue,wed,fri',
    start: '11:59pm',
    end: '00:01am',
    zone: LA,
    instants: [
      row('2019/04/04 23:58 PDT', 'Thu 23:58', false),
      // kured: inside the hours, but Thursday is not listed. Ours agrees: the window would open on Thursday.
      row('2019/04/04 23:59 PDT', 'Thu 23:59', false),
      differs(
        '2019/04/05 00:00 PDT',
        'Fri 00:00',
        true,
        'Friday is listed for kured; for us this minute ends Thursday night, and Thursday is not listed',
      ),
      row('2019/04/05 00:02 PDT', 'Fri 00:02', false),
    ],
  },
  {
    days: 'mon,tue,wed,thu',
    start: '11:59pm',
    end: '00:01am',
    zone: LA,
    instants: [
      row('2019/04/04 23:58 PDT', 'Thu 23:58', false),
      row('2019/04/04 23:59 PDT', 'Thu 23:59', true),
      // kured: inside the hours, but Friday is not listed.
      differs(
        '2019/04/05 00:00 PDT',
        'Fri 00:00',
        false,
        'Friday is not listed for kured; for us this minute ends Thursday night, and Thursday is listed',
      ),
      row('2019/04/05 00:02 PDT', 'Fri 00:02', false),
    ],
  },
  {
    days: 'mon,tue,wed,thu,fri',
    start: '11:59pm',
    end: '00:01am',
    zone: 'UTC',
    instants: [
      row('2019/04/04 23:58 UTC', 'Thu 23:58', false),
      row('2019/04/04 23:59 UTC', 'Thu 23:59', true),
      row('2019/04/05 00:00 UTC', 'Fri 00:00', true),
      row('2019/04/05 00:01 UTC', 'Fri 00:01', true),
      row('2019/04/05 00:02 UTC', 'Fri 00:02', false),
    ],
  },
];

/** The zone abbreviations kured's instants use, with their offsets; Go reads "UTC" as UTC in any location. */
const ABBREVIATIONS: Readonly<Record<string, string>> = { PDT: '-07:00', UTC: '+00:00' };

/** kured's "2006/01/02 15:04 MST" text as an instant. */
function instant(text: string): DateTime {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{1,2}):(\d{2}) ([A-Z]+)$/.exec(text);
  const offset = m?.[6] === undefined ? undefined : ABBREVIATIONS[m[6]];
  assert.ok(m && offset, `unreadable kured instant ${text}`);
  const dt = DateTime.fromISO(`${m[1]}-${m[2]}-${m[3]}T${m[4]?.padStart(2, '0')}:${m[5]}:00${offset}`, {
    setZone: true,
  });
  assert.ok(dt.isValid, text);
  return dt;
}

function scheduleOf(c: WindowCase, dayRule: DayRule): Schedule {
  return windowFromKuredFlags(
    { rebootDays: c.days.split(','), startTime: c.start, endTime: c.end, timeZone: c.zone },
    dayRule,
  );
}

timeWindows.forEach((c, i) => {
  const caseName = `TestTimeWindows case ${i + 1} (${c.days} ${c.start}-${c.end} ${c.zone})`;
  for (const r of c.instants) {
    const note = r.differs === undefined ? '' : `; rules differ: ${r.differs}`;
    test(`${caseName} at ${r.kured}: kured ${r.kuredRule}, start-day rule ${r.startRule}${note}`, () => {
      const dt = instant(r.kured);
      assert.equal(dt.setZone(c.zone).toFormat('ccc HH:mm'), r.local, 'the weekday and time written out');
      const t = dt.toMillis();
      for (const [rule, want] of [
        [DayRule.Kured, r.kuredRule],
        [DayRule.Start, r.startRule],
      ] as const) {
        const s = scheduleOf(c, rule);
        assert.equal(contains(s, t), want, `${rule} rule`);
        // status and plan read windowState: open now exactly when contains says so, next opening is now.
        const state = windowState(s, t, 0);
        assert.equal(state.open, want, `${rule} rule: windowState`);
        assert.equal(nextOpen(s, t) === t, want, `${rule} rule: nextOpen is now exactly when open`);
      }
    });
  }
});

const WEEKDAY_ABBR = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** A day set written as kured's weekdays.String() writes it: "Sun---------Thu------". */
const kuredDayString = (days: readonly number[]): string =>
  WEEKDAY_ABBR.map((name, d) => (days.includes(d) ? name : '---')).join('');

// TestParseWeekdays: kured splits the list on "," and prints the set.
const parseWeekdays: readonly { input: string; kured: string; days: readonly number[] }[] = [
  { input: '0,4', kured: 'Sun---------Thu------', days: [0, 4] },
  { input: 'su,mo,tu', kured: 'SunMonTue------------', days: [0, 1, 2] },
  { input: 'sunday,tu,thu', kured: 'Sun---Tue---Thu------', days: [0, 2, 4] },
  { input: 'THURSDAY', kured: '------------Thu------', days: [4] },
  { input: 'we,WED,WeDnEsDaY', kured: '---------Wed---------', days: [3] },
];
for (const c of parseWeekdays) {
  test(`TestParseWeekdays ${JSON.stringify(c.input)}: ${c.kured}`, () => {
    const rule = kuredRule({ rebootDays: c.input.split(',') });
    assert.deepEqual(rule.days, c.days);
    assert.equal(kuredDayString(rule.days), c.kured);
  });
}

// kured reads these as no day at all, so it never reboots. We refuse them on purpose (README, "Maintenance
// windows"): an unset shell variable must not silently stop, or widen, the window.
const noDays: readonly { input: string; kured: string }[] = [
  { input: '', kured: '---------------------' },
  { input: ',,,', kured: '---------------------' },
];
for (const c of noDays) {
  test(`TestParseWeekdays ${JSON.stringify(c.input)}: kured ${c.kured} (no day); refused here`, () => {
    assert.throws(
      () => kuredRule({ rebootDays: c.input.split(',') }),
      /invalid --reboot-days .*empty day in the list/,
    );
  });
}

// TestParseWeekdaysErrors: kured refuses these; so do we, naming the flag and the bad item.
const weekdayErrors: readonly { input: string; mentions: RegExp }[] = [
  { input: '15', mentions: /unknown day "15"/ },
  { input: '-8', mentions: /bad day range "-8"/ },
  { input: '8', mentions: /unknown day "8"/ },
  { input: 'mon,tue,wed,fridayyyy', mentions: /unknown day "fridayyyy"/ },
];
for (const c of weekdayErrors) {
  test(`TestParseWeekdaysErrors ${JSON.stringify(c.input)} is refused`, () => {
    assert.throws(
      () => kuredRule({ rebootDays: c.input.split(',') }),
      (err: unknown) => {
        assert.match(String(err), /invalid --reboot-days/);
        assert.match(String(err), c.mentions);
        return true;
      },
    );
  });
}
