// Applying SimFaults to one request: which error to answer with, and how long to wait first.
// May import: ./faults-types.js, ./status.js, ./routes.js.
import type { ErrorFault, LatencyFault } from './faults-types.js';
import { internalError, serviceUnavailable, tooManyRequests, type KStatus } from './status.js';
import type { ResourceRoute } from './routes.js';

function matches(f: ErrorFault, verb: string, route: ResourceRoute): boolean {
  if (f.verbs && !f.verbs.includes(verb)) return false;
  if (!f.resources) return true;
  const full = route.subresource ? `${route.type.resource}/${route.subresource}` : route.type.resource;
  return (
    f.resources.includes(full) ||
    (route.subresource === undefined && f.resources.includes(route.type.resource))
  );
}

function faultStatus(code: ErrorFault['code']): KStatus {
  switch (code) {
    case 429:
      return tooManyRequests('Too many requests, please try again later.', [], 1).status;
    case 500:
      return internalError('injected fault').status;
    case 503:
      return serviceUnavailable().status;
  }
}

/** The error this request gets, if a matching fault fires (each draws once, in order). */
export function pickFault(
  faults: readonly ErrorFault[],
  random: () => number,
  verb: string,
  route: ResourceRoute,
): KStatus | undefined {
  for (const f of faults) {
    if (matches(f, verb, route) && random() < f.rate) return faultStatus(f.code);
  }
  return undefined;
}

/** Milliseconds of added latency for one request; onSpike is called when a spike is added. */
export function latencyOf(l: LatencyFault, random: () => number, onSpike?: () => void): number {
  let ms = l.base + random() * l.jitter;
  if (l.spikeRate && l.spikeMs && random() < l.spikeRate) {
    ms += l.spikeMs;
    onSpike?.();
  }
  return Math.max(0, Math.round(ms));
}
