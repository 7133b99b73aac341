// metav1.MicroTime's JSON form as kube-apiserver decodes it: Go's time.Parse with the layout
// "2006-01-02T15:04:05.000000Z07:00" (apimachinery pkg/apis/meta/v1/micro_time.go RFC3339Micro), and
// the exact ParseError text Go gives for a value that does not fit (time/format.go).
// May import: nothing.

export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Step = { readonly lit: string } | { readonly std: string; readonly parse: (v: string) => StdResult };
/** What one layout element consumed: the rest of the value, or a failure (bad shape or out of range). */
type StdResult = { rest: string; n?: number; range?: string } | 'bad';

const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** time.getnum: one or two digits; exactly two when `fixed`. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | 'bad' {
  if (!isDigit(s, 0)) return 'bad';
  if (!isDigit(s, 1)) return fixed ? 'bad' : { n: Number(s[0]), rest: s.slice(1) };
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function num(fixed: boolean, lo: number, hi: number, rangeName: string): (v: string) => StdResult {
  return (v) => {
    const r = getnum(v, fixed);
    if (r === 'bad') return 'bad';
    return r.n < lo || r.n > hi ? { rest: r.rest, n: r.n, range: rangeName } : { rest: r.rest, n: r.n };
  };
}

const STEPS: readonly Step[] = [
  {
    std: '2006',
    parse: (v) =>
      v.length < 4 || !/^\d{4}/.test(v) ? 'bad' : { rest: v.slice(4), n: Number(v.slice(0, 4)) },
  },
  { lit: '-' },
  { std: '01', parse: num(true, 1, 12, 'month') },
  { lit: '-' },
  { std: '02', parse: num(true, 0, 99, 'day') },
  { lit: 'T' },
  { std: '15', parse: num(false, 0, 23, 'hour') },
  { lit: ':' },
  { std: '04', parse: num(true, 0, 59, 'minute') },
  { lit: ':' },
  { std: '05', parse: num(true, 0, 59, 'second') },
  {
    std: '.000000',
    parse: (v) =>
      v.length < 7 || (v[0] !== '.' && v[0] !== ',') || !/^.\d{6}/.test(v) ? 'bad' : { rest: v.slice(7) },
  },
  {
    std: 'Z07:00',
    parse: (v) => {
      if (v.startsWith('Z')) return { rest: v.slice(1) };
      if (v.length < 6 || v[3] !== ':' || (v[0] !== '+' && v[0] !== '-')) return 'bad';
      if (!/^\d\d$/.test(v.slice(1, 3)) || !/^\d\d$/.test(v.slice(4, 6))) return 'bad';
      const hr = Number(v.slice(1, 3));
      return hr > 24 ? { rest: v.slice(6), range: 'time zone offset hour' } : { rest: v.slice(6) };
    },
  },
];

const quote = (s: string): string => JSON.stringify(s);

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The error Go gives parsing `value` as a MicroTime, or undefined when it parses. */
export function microTimeError(value: string): string | undefined {
  const head = `parsing time ${quote(value)}`;
  let v = value;
  let year = 0;
  let month = 0;
  let day = 0;
  for (const step of STEPS) {
    if ('lit' in step) {
      if (!v.startsWith(step.lit))
        return `${head} as ${quote(RFC3339_MICRO)}: cannot parse ${quote(v)} as ${quote(step.lit)}`;
      v = v.slice(step.lit.length);
      continue;
    }
    const r = step.parse(v);
    if (r === 'bad')
      return `${head} as ${quote(RFC3339_MICRO)}: cannot parse ${quote(v)} as ${quote(step.std)}`;
    if (r.range !== undefined && r.range !== 'day') return `${head}: ${r.range} out of range`;
    if (step.std === '2006') year = r.n ?? 0;
    if (step.std === '01') month = r.n ?? 0;
    if (step.std === '02') day = r.n ?? 0;
    v = r.rest;
  }
  if (v.length > 0) return `${head}: extra text: ${quote(v)}`;
  if (day < 1 || day > daysIn(month, year)) return `${head}: day out of range`;
  return undefined;
}
