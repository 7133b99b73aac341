// Field checkers for scenario files: each names the exact field path in its error, e.g.
// `nodes[2].bootSeconds: expected a positive number`.
// May import: nothing.

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export type Obj = Record<string, unknown>;

export function fail(path: string, what: string): never {
  throw new ScenarioError(`${path}: ${what}`);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) fail(path, 'expected a mapping');
  return v;
}

export function only(o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      fail(path === '' ? k : `${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

export function arr(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, 'expected a list');
  return v;
}

export function str(v: unknown, path: string, dflt?: string): string {
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    fail(path, 'required');
  }
  if (typeof v !== 'string' || v === '') fail(path, 'expected a non-empty string');
  return v;
}

export function optStr(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function dnsName(v: unknown, path: string, dflt?: string, label = false): string {
  const s = str(v, path, dflt);
  if (s.length > (label ? 63 : 253) || !(label ? DNS_LABEL : DNS_SUBDOMAIN).test(s)) {
    fail(path, `"${s}" is not a valid name (lower-case letters, digits, '-'${label ? '' : " and '.'"})`);
  }
  return s;
}

export function bool(v: unknown, path: string, dflt = false): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v;
}

export function num(
  v: unknown,
  path: string,
  opts: { dflt?: number; min?: number; positive?: boolean; integer?: boolean; max?: number },
): number {
  if (v === undefined || v === null) {
    if (opts.dflt !== undefined) return opts.dflt;
    fail(path, 'required');
  }
  const what = `expected a ${opts.positive ? 'positive ' : opts.min === 0 ? 'non-negative ' : ''}${opts.integer ? 'integer' : 'number'}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, what);
  if (opts.integer && !Number.isInteger(v)) fail(path, what);
  if (opts.positive && v <= 0) fail(path, what);
  if (opts.min !== undefined && v < opts.min) fail(path, what);
  if (opts.max !== undefined && v > opts.max) fail(path, `expected at most ${opts.max}`);
  return v;
}

export function strMap(v: unknown, path: string): Record<string, string> {
  const o = obj(v, path);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean')
      fail(`${path}.${k}`, 'expected a string');
    out[k] = String(val);
  }
  return out;
}

export function intOrPercent(v: unknown, path: string): number | string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+%$/.test(v) && Number(v.slice(0, -1)) <= 100) return v;
  return fail(path, 'expected a non-negative integer or a percentage such as "50%"');
}

export function unique(names: readonly string[], path: string): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) fail(`${path}[${i}].name`, `duplicate name "${n}"`);
    seen.add(n);
  });
}

/** The Kubernetes versions a scenario may ask the server to be: "1.<minor>", from 1.16 to 1.33. */
export function kubernetesVersion(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const m = typeof v === 'string' ? /^1\.(\d{1,2})$/.exec(v) : null;
  const minor = m ? Number(m[1]) : NaN;
  if (!(minor >= 16 && minor <= 33))
    fail(path, `expected "1.<minor>" from "1.16" to "1.33" (e.g. "1.21"), got ${JSON.stringify(v)}`);
  return v as string;
}
