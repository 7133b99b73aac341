// Faults the HTTP front injects per request: error answers, latency, dropped watches.
// May import: nothing.

/** With probability `rate`, answer a request with this error instead of serving it. */
export interface ErrorFault {
  readonly code: 500 | 503 | 429;
  /** 0..1 */
  readonly rate: number;
  /** Limit to these verbs (get, list, watch, create, update, patch, delete); all when absent. */
  readonly verbs?: readonly string[];
  /** Limit to these resources (plural, or plural/subresource such as pods/eviction); all when absent. */
  readonly resources?: readonly string[];
}

export interface LatencyFault {
  /** Added to every request, in real milliseconds. */
  readonly base: number;
  /** Plus a uniform random 0..jitter ms. */
  readonly jitter: number;
  /** Probability of a spike of `spikeMs` on top. */
  readonly spikeRate?: number;
  readonly spikeMs?: number;
}

export interface SimFaults {
  readonly errorRate?: readonly ErrorFault[];
  readonly latencyMs?: LatencyFault;
  /** Close every watch stream after this many real seconds. */
  readonly watchDropEverySec?: number;
  /** The random source, 0 <= x < 1; seeded in scenarios for reproducible runs. */
  readonly random: () => number;
}
