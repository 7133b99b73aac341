// What the simulator made a run wait for, as time intervals on the simulator's clock: helper pods starting
// and running, evicted pods terminating, nodes shutting down and booting, and the configured stable-Ready
// hold. The union of these intervals is time the tool could not have saved; the rest of a run's wall time
// is the tool's own overhead.
// May import: src/sim (types and record), node built-ins.
import type { RunningCluster } from '../src/sim/index.js';
import type { KObject } from '../src/sim/types.js';

export type Interval = readonly [number, number];

/** Total length covered by the intervals (overlaps counted once). */
export function unionLength(intervals: readonly Interval[]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of sorted) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else curEnd = Math.max(curEnd, b);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const ROLE = 'reboot-daemon.io/role';
const NODE = 'reboot-daemon.io/node';

interface HelperPodTimes {
  readonly role: string;
  readonly node: string;
  readonly added: number;
  ended?: number;
}

export interface Timeline {
  /** Intervals by cause, on the simulator's clock. */
  intervals(readyStableMs: number): Record<string, Interval[]>;
  stop(): void;
}

/** Starts recording store changes the record does not keep (helper pod lifetimes, pod removals). */
export function recordTimeline(sim: RunningCluster): Timeline {
  const helpers = new Map<string, HelperPodTimes>();
  const deletedAt = new Map<string, number>();
  const key = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const off = sim.store.onChange((resource, type, obj) => {
    if (resource !== 'pods') return;
    const now = sim.clock.now();
    if (type === 'DELETED') deletedAt.set(key(obj), now);
    if (obj.metadata.labels?.[MANAGED_BY] !== 'reboot-daemon') return;
    let h = helpers.get(key(obj));
    if (!h && type === 'ADDED') {
      h = {
        role: obj.metadata.labels?.[ROLE] ?? '?',
        node: obj.metadata.labels?.[NODE] ?? obj.spec?.nodeName ?? '?',
        added: now,
      };
      helpers.set(key(obj), h);
    }
    const phase = obj.status?.phase as string | undefined;
    if (h && h.ended === undefined && (phase === 'Succeeded' || phase === 'Failed' || type === 'DELETED'))
      h.ended = now;
  });
  return {
    stop: off,
    intervals(readyStableMs) {
      const rec = sim.cluster.record;
      const triggers = rec.of('rebootTriggered');
      const helperIv: Interval[] = [];
      for (const h of helpers.values()) {
        // A reboot pod has done its part when the node starts shutting down.
        const trig = triggers.find((t) => t.node === h.node && t.at >= h.added)?.at;
        const end = h.role === 'reboot' ? (trig ?? h.ended) : h.ended;
        if (end !== undefined) helperIv.push([h.added, end]);
      }
      const drainIv: Interval[] = rec
        .of('eviction')
        .filter((e) => e.outcome === 'evicted')
        .map((e) => [e.at, deletedAt.get(e.pod) ?? e.at] as const);
      const bootIv: Interval[] = rec.of('reboot').map((r) => [r.triggeredAt, r.at] as const);
      const readyIv: Interval[] = [];
      const holdIv: Interval[] = [];
      for (const r of rec.of('reboot')) {
        const up = rec.of('nodeUp').find((u) => u.node === r.node && u.at >= r.triggeredAt)?.at ?? r.at;
        const readyAt = Math.max(up, r.at);
        readyIv.push([r.at, readyAt]);
        holdIv.push([readyAt, readyAt + readyStableMs]);
      }
      return {
        'helper pods (start + script)': helperIv,
        'evicted pods terminating': drainIv,
        'shutdown + boot': bootIv,
        'boot to Ready': readyIv,
        'stable-Ready hold (--ready-stable)': holdIv,
      };
    },
  };
}
