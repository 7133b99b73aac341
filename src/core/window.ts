// Maintenance windows: when may a reboot start? A Schedule is a set of wall-clock windows, ORed, or `always`.
// May import: core/*, luxon.
//
// Semantics, all judged on the WALL CLOCK of the rule's zone, at second resolution:
// - Start and end are inclusive, as in kured: an end of 05:00 contains 05:00:00.999 but not 05:00:01; an end of
//   23:59:59 covers the rest of the day.
// - A window whose start is after its end wraps past midnight and belongs to the day it STARTS on:
//   `fri 22:00-04:00` contains Saturday 01:00 and not Friday 01:00. kured checks the weekday of the current
//   time instead: under its rule (DayRule.Kured) the same window contains Friday 01:00 and not Saturday 01:00.
//   The day rule is the schedule's; windows that do not wrap mean the same under both. `X-X` is rejected as an
//   empty window.
// - DST spring-forward gap (e.g. 02:00-03:00 does not exist in America/New_York on 2026-03-08): a window
//   02:30-04:00 opens at the first instant that exists after 02:30, i.e. 03:00 local. A window lying wholly
//   inside the gap does not open that day.
// - DST fall-back overlap (01:00-02:00 happens twice on 2026-11-01): a window 01:30-01:45 contains both 01:30s,
//   so it opens twice that night; closesAt reports the end of the first stretch.
// - closesAt is exclusive: the first instant at which the schedule no longer contains the time (05:00:01 for an
//   end of 05:00). Overlapping or adjacent windows (04:00 end, 04:00:01 start) merge into one stretch.

import type { WindowStateView } from './events.js';
import {
  ALL_DAYS,
  DAY_NAMES,
  DayRule,
  kuredRule,
  normalizeZone,
  parseWindow,
  type KuredWindowFlags,
  type Weekday,
  type WindowRule,
} from './window-parse.js';
import { DAY, luxonZone, occurrences, transitions, wallOf } from './window-time.js';

export {
  ALL_DAYS,
  DayRule,
  SpecialZone,
  normalizeZone,
  parseWindow,
  type KuredWindowFlags,
  type Weekday,
  type WindowRule,
} from './window-parse.js';

export interface Schedule {
  readonly rules: readonly WindowRule[];
  /** The zone the rules were given in ("UTC", "Local" or IANA); each rule also carries its own zone. */
  readonly zone: string;
  /** No window was configured: reboots may start any time. */
  readonly always: boolean;
  /** Which day a window that wraps past midnight is judged by; see DayRule. */
  readonly dayRule: DayRule;
}

export interface WindowState extends WindowStateView {
  /** Open, and it closes later than now + margin (enough time left to start a reboot). */
  readonly canStart: boolean;
}

/** A schedule from repeatable --window specs (ORed); no spec at all means `always`. */
export function makeSchedule(
  specs: readonly string[],
  zone = 'UTC',
  dayRule: DayRule = DayRule.Start,
): Schedule {
  const z = normalizeZone(zone);
  const rules = specs.map((s) => parseWindow(s, z));
  return { rules, zone: z, always: rules.length === 0, dayRule };
}

/** The schedule described by kured's --reboot-days, --start-time, --end-time and --time-zone, with its defaults. */
export function windowFromKuredFlags(flags: KuredWindowFlags, dayRule: DayRule = DayRule.Start): Schedule {
  const rule = kuredRule(flags);
  return { rules: [rule], zone: rule.zone, always: false, dayRule };
}

function ruleContainsWall(rule: WindowRule, dayRule: DayRule, weekday: Weekday, second: number): boolean {
  if (rule.start < rule.end) return second >= rule.start && second <= rule.end && rule.days.includes(weekday);
  // kured: the weekday of now must be listed; then either half of the wrapped span counts.
  if (dayRule === DayRule.Kured)
    return rule.days.includes(weekday) && (second >= rule.start || second <= rule.end);
  const yesterday = ((weekday + 6) % 7) as Weekday;
  return (
    (second >= rule.start && rule.days.includes(weekday)) ||
    (second <= rule.end && rule.days.includes(yesterday))
  );
}

export function ruleContains(rule: WindowRule, nowMs: number, dayRule: DayRule = DayRule.Start): boolean {
  const w = wallOf(luxonZone(rule.zone), nowMs);
  return ruleContainsWall(rule, dayRule, w.weekday, w.second);
}

export function contains(schedule: Schedule, nowMs: number): boolean {
  return schedule.always || schedule.rules.some((r) => ruleContains(r, nowMs, schedule.dayRule));
}

/**
 * Instants in [from, to] at which `contains` may change value: every occurrence of a rule's start second (edge
 * 'open') or of the second after its end ('close'), on every local day, plus every offset change of the zones,
 * plus every local midnight under the kured day rule (a wrapped window opens and closes there as the weekday
 * changes). contains() is a function of the wall clock, which moves continuously except at offset changes, so
 * these are all the instants at which it can switch.
 */
function edges(schedule: Schedule, edge: 'open' | 'close', from: number, to: number): number[] {
  const out = new Set<number>();
  for (const zoneName of new Set(schedule.rules.map((r) => r.zone))) {
    const zone = luxonZone(zoneName);
    for (const t of transitions(zone, from, to)) out.add(t);
    const first = wallOf(zone, from).day - 1;
    const last = wallOf(zone, to).day + 1;
    for (const rule of schedule.rules) {
      if (rule.zone !== zoneName) continue;
      const seconds = [edge === 'open' ? rule.start : (rule.end + 1) % 86_400];
      if (schedule.dayRule === DayRule.Kured && rule.start > rule.end) seconds.push(0);
      for (let day = first; day <= last; day++) {
        for (const second of seconds) {
          for (const t of occurrences(zone, day, second)) if (t >= from && t <= to) out.add(t);
        }
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

const CHUNK = 8 * DAY;
/** Long enough to see every weekly rule open or close, even one skipped by a DST gap. */
const HORIZON_CHUNKS = 6;

/**
 * The earliest instant >= now at which the schedule contains the time; `now` itself when open. Undefined only
 * when the schedule can never open (no rules, or every window lies in DST gaps).
 */
export function nextOpen(schedule: Schedule, nowMs: number): number | undefined {
  if (contains(schedule, nowMs)) return nowMs;
  for (let k = 0; k < HORIZON_CHUNKS && schedule.rules.length > 0; k++) {
    const from = nowMs + k * CHUNK;
    for (const t of edges(schedule, 'open', from, from + CHUNK)) {
      if (t > nowMs && contains(schedule, t)) return t;
    }
  }
  return undefined;
}

/**
 * When open: the first instant after now at which the schedule stops containing the time (exclusive end of the
 * current stretch, merging overlapping and adjacent windows). Undefined when closed, for `always`, and for
 * windows that cover the whole week (checked over two weeks).
 */
export function closesAt(schedule: Schedule, nowMs: number): number | undefined {
  if (schedule.always || !contains(schedule, nowMs)) return undefined;
  for (let k = 0; k < 2; k++) {
    const from = nowMs + k * CHUNK;
    for (const t of edges(schedule, 'close', from, from + CHUNK)) {
      if (t > nowMs && !contains(schedule, t)) return t;
    }
  }
  return undefined;
}

export function windowState(schedule: Schedule, nowMs: number, marginMs: number): WindowState {
  const description = describeSchedule(schedule);
  if (contains(schedule, nowMs)) {
    const end = closesAt(schedule, nowMs);
    const canStart = end === undefined || end > nowMs + marginMs;
    return end === undefined
      ? { open: true, canStart, description }
      : { open: true, canStart, closesAt: end, description };
  }
  const next = nextOpen(schedule, nowMs);
  return next === undefined
    ? { open: false, canStart: false, description }
    : { open: false, canStart: false, nextOpen: next, description };
}

function formatTime(second: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(second / 3600);
  const m = Math.floor((second % 3600) / 60);
  const s = second % 60;
  return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Days as compact runs starting from Monday: "mon-thu", "sat,sun", "fri-mon", "mon,wed,fri"; "daily" for all. */
export function formatDays(days: readonly Weekday[]): string {
  if (ALL_DAYS.every((d) => days.includes(d))) return 'daily';
  if (days.length === 0) return 'never';
  const has = (d: number): boolean => days.includes((((d % 7) + 7) % 7) as Weekday);
  const order = [1, 2, 3, 4, 5, 6, 0];
  const parts: string[] = [];
  const startAt = order.findIndex((d) => has(d) && !has(d - 1));
  for (let i = 0; i < 7;) {
    const d = order[(startAt + i) % 7] ?? 0;
    if (!has(d)) {
      i++;
      continue;
    }
    let len = 1;
    while (i + len < 7 && has(d + len)) len++;
    const name = (x: number): string => DAY_NAMES[x % 7] ?? '?';
    if (len === 1) parts.push(name(d));
    else if (len === 2) parts.push(`${name(d)},${name(d + 1)}`);
    else parts.push(`${name(d)}-${name(d + len - 1)}`);
    i += len;
  }
  return parts.join(',');
}

export function describeRule(rule: WindowRule): string {
  const span = `${formatTime(rule.start)}–${formatTime(rule.end)}`;
  return rule.days.length === 7 ? `daily ${span}` : `${formatDays(rule.days)} ${span}`;
}

/**
 * For humans: "mon-thu 03:00–05:00 Europe/Berlin"; several windows are joined by " or "; "any time" for always;
 * " (kured day rule)" is added under DayRule.Kured.
 */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.always) return 'any time';
  if (schedule.rules.length === 0) return 'never';
  const parts = schedule.rules.map((r) =>
    r.zone === schedule.zone ? describeRule(r) : `${describeRule(r)} ${r.zone}`,
  );
  const rule = schedule.dayRule === DayRule.Kured ? ' (kured day rule)' : '';
  return `${parts.join(' or ')} ${schedule.zone}${rule}`;
}
