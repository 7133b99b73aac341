// Typed reads of parsed flags (yargs output, or the environment through yargs): repeatable values, numbers,
// booleans and durations, each failing with an InputError that names the flag.
// May import: core.

import { parseDuration, type DurationOptions } from '../core/duration.js';
import { InputError } from '../core/errors.js';

/** Parsed flags as yargs leaves them, keyed by the flag's own (dashed) name. */
export type ArgvLike = Readonly<Record<string, unknown>>;

export function duration(
  argv: ArgvLike,
  name: string,
  fallback: string,
  opts: Omit<DurationOptions, 'flag'> = {},
): number {
  const raw = argv[name];
  const text = raw === undefined ? fallback : String(lastOf(raw));
  return parseDuration(text, { ...opts, flag: `--${name}` });
}

export function integer(argv: ArgvLike, name: string, fallback: number, min: number): number {
  const raw = lastOf(argv[name]);
  const value =
    raw === undefined ? fallback : typeof raw === 'number' ? raw : Number(String(raw).trim() || NaN);
  if (!Number.isInteger(value) || value < min) {
    throw new InputError(`invalid --${name} ${q(String(raw))} (accepted: a whole number, ${min} or more)`);
  }
  return value;
}

export function optionalInteger(argv: ArgvLike, name: string, min: number): number | undefined {
  return given(argv, name) ? integer(argv, name, min, min) : undefined;
}

export function flag(argv: ArgvLike, name: string, fallback: boolean): boolean {
  const raw = lastOf(argv[name]);
  if (raw === undefined) return fallback;
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new InputError(`invalid --${name} ${q(String(raw))} (accepted: true or false)`);
}

export function given(argv: ArgvLike, name: string): boolean {
  const v = argv[name];
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

export function lastOf(v: unknown): unknown {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function optionalString(argv: ArgvLike, name: string): string | undefined {
  const v = lastOf(argv[name]);
  if (v === undefined || v === null) return undefined;
  const text = String(v);
  return text.trim() === '' ? undefined : text;
}

export function string(argv: ArgvLike, name: string, fallback: string): string {
  return optionalString(argv, name) ?? fallback;
}

/** A repeatable flag's values: `--x a --x b`, an array, or one value; empty strings dropped. */
/** Every value given for a repeatable option, as strings, empty ones included. */
function values(argv: ArgvLike, name: string): string[] {
  const v = argv[name];
  return (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).map(String);
}

export function strings(argv: ArgvLike, name: string): string[] {
  return values(argv, name).filter((s) => s.trim() !== '');
}

/**
 * A repeatable option where an empty value (often an unset shell variable) could widen what is allowed, as
 * an empty --window would mean "any time" or kured's empty --reboot-days "no day": refused, never dropped.
 */
export function nonEmptyStrings(argv: ArgvLike, name: string, hint: string): string[] {
  const list = values(argv, name);
  if (list.some((s) => s.trim() === '')) throw new InputError(`--${name}: the value is empty`, hint);
  return list;
}

function q(s: string): string {
  return JSON.stringify(s);
}

/**
 * `--drain-timeout -5s` would reach yargs as the short flags -5 and -s ("Unknown arguments: 5, s"); joined as
 * `--drain-timeout=-5s`, the value reaches its own check and gets a message that names the flag. Only a
 * dash-digit token that is not a plain number (yargs already takes `-5` as a value) after a `--long` flag
 * without `=` is joined; no flag of this CLI is a digit.
 */
export function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const cur = args[i] as string;
    const next = args[i + 1];
    if (cur === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (next !== undefined && /^--[^=]+$/.test(cur) && /^-\d/.test(next) && !/^-\d+(\.\d+)?$/.test(next)) {
      out.push(`${cur}=${next}`);
      i++;
    } else out.push(cur);
  }
  return out;
}
