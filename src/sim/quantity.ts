// Kubernetes resource quantities (apimachinery's resource.Quantity, the common forms): a decimal number with
// an optional suffix, binary (Ki Mi Gi Ti Pi Ei), decimal (k M G T P E) or milli (m). cpu is counted in
// millicores and memory in bytes, rounded up, as the scheduler's framework.Resource counts them.
// May import: nothing.

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity, or undefined when it is not one. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  if (m[2] !== undefined && m[3] !== undefined) return undefined;
  const base = Number(m[1]) * (m[2] !== undefined ? 10 ** Number(m[2]) : 1);
  return base * (SUFFIX[m[3] ?? ''] as number);
}

/** cpu in millicores (rounded up), memory and the rest in whole units (rounded up); 0 when absent or odd. */
export function resourceAmount(resource: string, q: unknown): number {
  const v = quantityValue(q);
  if (v === undefined || v <= 0) return 0;
  return Math.ceil(resource === 'cpu' ? v * 1000 - 1e-9 : v - 1e-9);
}
