// PodDisruptionBudget arithmetic, as the disruption controller does it: minAvailable / maxUnavailable as an
// integer or a percentage (percentages round UP for both), desired healthy count, disruptions allowed.
// Pure; no store access.
// May import: nothing.

export type IntOrPercent = number | string;

export interface PdbSpecNumbers {
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
}

export interface PdbNumbers {
  readonly expectedPods: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly disruptionsAllowed: number;
}

export class PdbValueError extends Error {}

/** An int-or-percent scaled against `total`; percentages round up. Throws PdbValueError when malformed. */
export function scaledValue(v: IntOrPercent, total: number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0)
      throw new PdbValueError(`invalid value ${v}: must be a non-negative integer`);
    return v;
  }
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new PdbValueError(`invalid value "${v}": must be an integer or a percentage`);
  }
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** True when the budget's expected count comes from the controllers' scale (not the pods counted). */
export function usesControllerScale(spec: PdbSpecNumbers): boolean {
  if (spec.maxUnavailable !== undefined) return true;
  return typeof spec.minAvailable === 'string' && spec.minAvailable.endsWith('%');
}

/**
 * The status numbers. `podCount` is the number of matching pods; `controllerScale` the summed replicas of
 * their controllers (used for maxUnavailable and percentage minAvailable). Without either field, nothing is
 * required and every healthy pod may be disrupted.
 */
export function computePdb(
  spec: PdbSpecNumbers,
  counts: { readonly podCount: number; readonly controllerScale: number; readonly currentHealthy: number },
): PdbNumbers {
  let expectedPods = counts.podCount;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined) {
    expectedPods = counts.controllerScale;
    desiredHealthy = Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods));
  } else if (spec.minAvailable !== undefined) {
    if (usesControllerScale(spec)) {
      expectedPods = counts.controllerScale;
      desiredHealthy = scaledValue(spec.minAvailable, expectedPods);
    } else {
      desiredHealthy = scaledValue(spec.minAvailable, expectedPods);
    }
  }
  const currentHealthy = counts.currentHealthy;
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}
