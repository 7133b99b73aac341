// Parsed window flags -> the Schedule: --window (repeatable) or kured's --reboot-days/--start-time/--end-time,
// with --time-zone and --window-day-rule. Every problem is an InputError naming the flag, as in config.ts.
// May import: core, cli/options, cli/argv-read.

import { InputError } from '../core/errors.js';
import { DayRule, makeSchedule, windowFromKuredFlags, type Schedule } from '../core/window.js';
import { given, nonEmptyStrings, string, type ArgvLike } from './argv-read.js';
import { DEFAULTS } from './options.js';

/** kured's form of a window; --window cannot be combined with these. */
export const KURED_WINDOW_FLAGS = ['reboot-days', 'start-time', 'end-time'] as const;

function dayRule(argv: ArgvLike): DayRule {
  const value = string(argv, 'window-day-rule', DEFAULTS.windowDayRule);
  if (!(Object.values(DayRule) as string[]).includes(value)) {
    throw new InputError(
      `invalid --window-day-rule ${JSON.stringify(value)} (accepted: start, kured)`,
      'start judges a window past midnight by the day it opens on; kured by the day of the current time',
    );
  }
  return value as DayRule;
}

/** The maintenance windows: --window (repeatable) or kured's flags, in --time-zone, under --window-day-rule. */
export function schedule(argv: ArgvLike): Schedule {
  const zone = string(argv, 'time-zone', DEFAULTS.timeZone);
  const rule = dayRule(argv);
  const windows = nonEmptyStrings(
    argv,
    'window',
    'give a window such as "mon-fri 02:00-05:00", or leave --window out to allow any time',
  );
  if (KURED_WINDOW_FLAGS.some((f) => given(argv, f))) {
    return windowFromKuredFlags(
      {
        rebootDays: nonEmptyStrings(
          argv,
          'reboot-days',
          'kured reads an empty --reboot-days as no day at all, so no reboot would ever start; list the days (e.g. mon,tue,wed), or leave the option out for every day',
        ),
        ...(given(argv, 'start-time') ? { startTime: string(argv, 'start-time', '') } : {}),
        ...(given(argv, 'end-time') ? { endTime: string(argv, 'end-time', '') } : {}),
        timeZone: zone,
      },
      rule,
    );
  }
  try {
    return makeSchedule(windows, zone, rule);
  } catch (err) {
    if (err instanceof InputError && !err.message.includes('--time-zone')) {
      throw new InputError(`--window: ${err.message}`, err.hint);
    }
    throw err;
  }
}
