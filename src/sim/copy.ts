// A deep copy for JSON-shaped data (plain objects, arrays, primitives), several times faster than
// structuredClone for Kubernetes objects; the store copies every object in and out with it.
// May import: nothing.

export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i] as unknown);
    return out as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    // Dates, typed arrays and other non-JSON values: rare here, so take the general path.
    return structuredClone(value);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = deepCopy((value as Record<string, unknown>)[k]);
  return out as T;
}
