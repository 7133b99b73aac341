// Parsing of maintenance windows: the short form ("mon-thu 03:00-05:00"), kured's time-of-day and day-of-week
// syntax, and time zone names. Produces WindowRule values; evaluation lives in window.ts.
// May import: core/errors, luxon.

import { IANAZone } from 'luxon';
import { InputError } from './errors.js';

/** Day of the week, 0 = Sunday (as kured and Go number them). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const ALL_DAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The zone names that are not IANA names, as kured's --time-zone accepts them. */
export const SpecialZone = { Utc: 'UTC', Local: 'Local' } as const;
export type SpecialZone = (typeof SpecialZone)[keyof typeof SpecialZone];

/**
 * Which day a window that wraps past midnight is judged by (--window-day-rule). `start`: the day it opens on, so
 * `fri 22:00-04:00` runs from Friday 22:00 to Saturday 04:00. `kured`: the day of the current time, as kured's
 * timewindow does, so the same window covers Friday 00:00-04:00 and Friday 22:00-23:59:59 and nothing on
 * Saturday. Windows that do not wrap mean the same under both.
 */
export const DayRule = { Start: 'start', Kured: 'kured' } as const;
export type DayRule = (typeof DayRule)[keyof typeof DayRule];

/**
 * One maintenance window, in wall-clock time of `zone`.
 * `start` and `end` are seconds of the day (0..86399), both inclusive. When start > end the window wraps past
 * midnight and belongs to the day it starts on: days lists the days on which it OPENS.
 */
export interface WindowRule {
  readonly days: readonly Weekday[];
  readonly start: number;
  readonly end: number;
  /** "UTC", "Local" or a canonical IANA name. */
  readonly zone: string;
}

export const WINDOW_FORMS = `"3am-5am", "22:00-04:00", "mon-thu 03:00-05:00", "sat,sun 1am-6am", "fri 22:00-04:00"`;
export const TIME_FORMS = `3am, 3pm, 11:30pm, 12am or 0am (midnight), 12pm (noon), 00:01am, 23:00, 23:59:59, 17`;
export const DAY_FORMS = `su mo tu we th fr sa, sun..sat, sunday..saturday, 0-6 (0 = Sunday), ranges like mon-fri or fri-mon`;

const DAY_WORDS: ReadonlyMap<string, Weekday> = (() => {
  const m = new Map<string, Weekday>();
  const names: readonly (readonly string[])[] = [
    ['su', 'sun', 'sunday'],
    ['mo', 'mon', 'monday'],
    ['tu', 'tue', 'tues', 'tuesday'],
    ['we', 'wed', 'wednesday'],
    ['th', 'thu', 'thur', 'thurs', 'thursday'],
    ['fr', 'fri', 'friday'],
    ['sa', 'sat', 'saturday'],
  ];
  names.forEach((words, day) => {
    for (const w of words) m.set(w, day as Weekday);
    m.set(String(day), day as Weekday);
  });
  return m;
})();

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A time of day as seconds since midnight. Throws a plain Error with a short reason; callers wrap it. */
function timeOfDay(text: string): number {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap]m)?$/i.exec(text);
  if (!m) throw new Error(`bad time ${quote(text)} (accepted: ${TIME_FORMS})`);
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const half = m[4]?.toLowerCase();
  if (half !== undefined) {
    // Go's time.Parse, which kured uses ("03:04pm", "03pm"), takes hours 0-12 with am/pm: 0am and 12am are
    // midnight, 0pm and 12pm noon.
    if (hour > 12) throw new Error(`bad time ${quote(text)}: with am/pm the hour is 0-12`);
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    throw new Error(`bad time ${quote(text)}: the hour is 0-23 (accepted: ${TIME_FORMS})`);
  }
  if (minute > 59 || second > 59) throw new Error(`bad time ${quote(text)}: minutes and seconds are 00-59`);
  return hour * 3600 + minute * 60 + second;
}

function weekday(word: string): Weekday {
  const d = DAY_WORDS.get(word.trim().toLowerCase());
  if (d === undefined) throw new Error(`unknown day ${quote(word)} (accepted: ${DAY_FORMS})`);
  return d;
}

/** Days from items such as "mon", "0", "mon-fri" or "fri-mon" (wrapping). Sorted, without repeats. */
function dayList(items: readonly string[]): Weekday[] {
  const set = new Set<Weekday>();
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') throw new Error(`empty day in the list (accepted: ${DAY_FORMS})`);
    const parts = item.split('-');
    if (parts.length > 2 || parts.some((p) => p.trim() === ''))
      throw new Error(`bad day range ${quote(item)} (accepted: ${DAY_FORMS})`);
    const from = weekday(parts[0] ?? '');
    const to = parts.length === 2 ? weekday(parts[1] ?? '') : from;
    for (let d = from; ; d = ((d + 1) % 7) as Weekday) {
      set.add(d);
      if (d === to) break;
    }
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * Normalises a --time-zone value: "UTC" (also "" and "utc"), "Local" (also "local") or an IANA name, returned
 * in its canonical spelling. Unknown zones throw InputError.
 */
export function normalizeZone(zone: string | undefined, flag = '--time-zone'): string {
  const z = (zone ?? '').trim();
  if (z === '' || z.toUpperCase() === 'UTC') return SpecialZone.Utc;
  if (z.toLowerCase() === 'local') return SpecialZone.Local;
  if (!IANAZone.isValidZone(z)) {
    throw new InputError(
      `unknown time zone ${quote(z)} in ${flag} (accepted: UTC, Local, or an IANA name like Europe/Berlin)`,
      'list the IANA names with `timedatectl list-timezones`',
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
}

function makeRule(days: readonly Weekday[], start: number, end: number, zone: string): WindowRule {
  if (start === end) throw new Error('empty window: start and end are the same time');
  return { days, start, end, zone };
}

/**
 * Parses the short form: `[DAYS ]START-END`, e.g. `3am-5am`, `22:00-04:00`, `mon-thu 03:00-05:00`,
 * `sat,sun 1am-6am`, `fri 22:00-04:00`, `17-19`. Without days the window opens every day.
 */
export function parseWindow(spec: string, zone: string): WindowRule {
  const z = normalizeZone(zone);
  const fail = (why: string): never => {
    throw new InputError(`invalid window ${quote(spec)}: ${why}`, `accepted forms: ${WINDOW_FORMS}`);
  };
  const text = spec
    .trim()
    .replace(/\s*-\s*/g, '-')
    .replace(/\s*,\s*/g, ',')
    .replace(/(\d)\s+([ap]m)(?![a-z])/gi, '$1$2'); // "11 pm" as "11pm": spaces split days from times
  if (text === '') return fail('empty (accepted forms: ' + WINDOW_FORMS + ')');
  const tokens = text.split(/\s+/);
  if (tokens.length > 2) return fail(`expected "[DAYS ]START-END" (accepted forms: ${WINDOW_FORMS})`);
  const range = tokens[tokens.length - 1] ?? '';
  const daysText = tokens.length === 2 ? tokens[0] : undefined;
  const bounds = range.split('-');
  if (bounds.length !== 2)
    return fail(`expected one "-" between START and END (accepted forms: ${WINDOW_FORMS})`);
  const [startText = '', endText = ''] = bounds;
  if (startText === '') return fail(`missing start time (accepted times: ${TIME_FORMS})`);
  if (endText === '') return fail(`missing end time (accepted times: ${TIME_FORMS})`);
  try {
    const days = daysText === undefined ? ALL_DAYS : dayList(daysText.split(','));
    return makeRule(days, timeOfDay(startText), timeOfDay(endText), z);
  } catch (err) {
    if (err instanceof InputError) throw err;
    return fail((err as Error).message);
  }
}

export interface KuredWindowFlags {
  /** --reboot-days; each entry may itself be a comma-separated list. Default: every day. */
  readonly rebootDays?: readonly string[];
  /** --start-time, default "0:00". */
  readonly startTime?: string;
  /** --end-time, default "23:59:59". */
  readonly endTime?: string;
  /** --time-zone, default "UTC". */
  readonly timeZone?: string;
}

/** The single window described by kured's flags, with kured's defaults. */
export function kuredRule(flags: KuredWindowFlags): WindowRule {
  const zone = normalizeZone(flags.timeZone);
  const wrap = (flag: string, value: string, f: () => number): number => {
    try {
      return f();
    } catch (err) {
      throw new InputError(`invalid ${flag} ${quote(value)}: ${(err as Error).message}`);
    }
  };
  const startText = flags.startTime ?? '0:00';
  const endText = flags.endTime ?? '23:59:59';
  const start = wrap('--start-time', startText, () => timeOfDay(startText.trim()));
  const end = wrap('--end-time', endText, () => timeOfDay(endText.trim()));
  const items = (flags.rebootDays ?? []).flatMap((d) => d.split(','));
  let days: readonly Weekday[] = ALL_DAYS;
  if (items.length > 0) {
    try {
      days = dayList(items);
    } catch (err) {
      throw new InputError(`invalid --reboot-days ${quote(items.join(','))}: ${(err as Error).message}`);
    }
  }
  if (start === end) {
    throw new InputError(
      `empty window: --start-time ${quote(startText)} equals --end-time ${quote(endText)}`,
      'an end before the start wraps past midnight; the default is 0:00 to 23:59:59',
    );
  }
  return { days, start, end, zone };
}
