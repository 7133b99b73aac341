// Wall-clock arithmetic for maintenance windows: the local day, weekday and second of an instant in a zone, the
// instants at which a wall-clock time occurs (none in a DST gap, two in an overlap), and the zone's offset changes.
// May import: core/window-parse, luxon.

import { FixedOffsetZone, IANAZone, SystemZone, type Zone } from 'luxon';
import { SpecialZone, type Weekday } from './window-parse.js';

export const SECOND = 1000;
export const DAY = 86_400_000;
const HOUR = 3_600_000;

const zones = new Map<string, Zone>();

/** The luxon zone for a normalised zone name ("UTC", "Local" or IANA). */
export function luxonZone(name: string): Zone {
  let z = zones.get(name);
  if (z === undefined) {
    if (name === SpecialZone.Utc) z = FixedOffsetZone.utcInstance;
    else if (name === SpecialZone.Local)
      return SystemZone.instance; // not cached: TZ may change between tests
    else z = IANAZone.create(name);
    zones.set(name, z);
  }
  return z;
}

/** Offset of local time from UTC, in ms, at instant t. */
export function offsetAt(zone: Zone, t: number): number {
  return zone.offset(t) * 60_000;
}

export interface Wall {
  /** Days since 1970-01-01 of the local date. */
  readonly day: number;
  readonly weekday: Weekday;
  /** Whole seconds since local midnight (milliseconds are dropped: windows have second resolution). */
  readonly second: number;
}

export function wallOf(zone: Zone, t: number): Wall {
  const local = t + offsetAt(zone, t);
  const day = Math.floor(local / DAY);
  const second = Math.floor((local - day * DAY) / SECOND);
  // 1970-01-01 was a Thursday (4).
  const weekday = ((((day + 4) % 7) + 7) % 7) as Weekday;
  return { day, weekday, second };
}

/**
 * The instants at which the local wall clock reads `second` on local `day`, ascending: one normally, none in a
 * spring-forward gap, two in a fall-back overlap. Assumes at most one offset change within 30 hours.
 */
export function occurrences(zone: Zone, day: number, second: number): number[] {
  const wall = day * DAY + second * SECOND;
  const offsets = new Set([offsetAt(zone, wall - 15 * HOUR), offsetAt(zone, wall + 15 * HOUR)]);
  const out: number[] = [];
  for (const off of offsets) {
    const t = wall - off;
    if (offsetAt(zone, t) === off) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** Instants in [from, to] at which the zone's offset changes (the first instant with the new offset). */
export function transitions(zone: Zone, from: number, to: number): number[] {
  if (zone.isUniversal) return [];
  const step = 6 * HOUR;
  const out: number[] = [];
  let prevT = from - step;
  let prevOff = offsetAt(zone, prevT);
  for (let t = from; prevT < to; t += step) {
    const off = offsetAt(zone, t);
    if (off !== prevOff) {
      let lo = prevT; // offset still old
      let hi = t; // offset already new
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (offsetAt(zone, mid) === prevOff) lo = mid;
        else hi = mid;
      }
      if (hi >= from && hi <= to) out.push(hi);
    }
    prevT = t;
    prevOff = off;
  }
  return out;
}
