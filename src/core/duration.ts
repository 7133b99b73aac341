// Durations for flags such as --drain-timeout and --period: Go's syntax ("1h30m", "90s", "500ms", "1.5h") and
// plain whole seconds ("30"), as kured and kubectl take them. Results are whole milliseconds.
// May import: core/errors.

import { InputError } from './errors.js';

export const MAX_DURATION_DEFAULT_MS = 30 * 86_400_000;
export const DURATION_FORMS = '1h30m, 90s, 500ms, 2m, 1.5h, or whole seconds like 30';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export interface DurationOptions {
  /** Accept "0" / "0s". Default false. */
  readonly allowZero?: boolean;
  /** Largest accepted value in ms. Default 30 days. */
  readonly max?: number;
  /** The flag being parsed, named in error messages, e.g. "--drain-timeout". */
  readonly flag?: string;
}

/** Parses a duration into whole milliseconds; bad input throws InputError naming the input and the flag. */
export function parseDuration(s: string, opts: DurationOptions = {}): number {
  const max = opts.max ?? MAX_DURATION_DEFAULT_MS;
  const fail = (why: string): never => {
    const where = opts.flag === undefined ? '' : ` for ${opts.flag}`;
    throw new InputError(
      `invalid duration ${JSON.stringify(s)}${where}: ${why} (accepted: ${DURATION_FORMS})`,
    );
  };
  const text = s.trim();
  if (text === '') return fail('empty');
  if (text.startsWith('-')) return fail('negative durations are not allowed');
  let total: number;
  if (/^\d+$/.test(text)) {
    total = Number(text) * 1000;
  } else {
    const re = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
    total = 0;
    let pos = 0;
    while (pos < text.length) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) return fail(`unexpected ${JSON.stringify(text.slice(pos))}`);
      total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
      pos = re.lastIndex;
    }
  }
  if (!Number.isFinite(total)) return fail('too large');
  const ms = Math.round(total);
  if (total > 0 && ms === 0) return fail('shorter than 1ms');
  if (ms === 0 && !opts.allowZero) return fail('must be greater than zero');
  if (ms > max) return fail(`longer than the maximum ${formatDuration(max)}`);
  return ms;
}

/** Formats ms compactly in the same syntax: "1h30m", "45s", "2m5s", "1s500ms", "0s". */
export function formatDuration(ms: number): string {
  const v = Math.round(ms);
  if (v < 0) return `-${formatDuration(-v)}`;
  if (v === 0) return '0s';
  if (!Number.isFinite(v)) return 'forever';
  const h = Math.floor(v / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const sec = Math.floor((v % 60_000) / 1000);
  const rest = v % 1000;
  return (h ? `${h}h` : '') + (m ? `${m}m` : '') + (sec ? `${sec}s` : '') + (rest ? `${rest}ms` : '');
}
