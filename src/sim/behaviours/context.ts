// What every behaviour shares: the store, clock, seeded random, record, timing, hosts, the pod index, a
// de-duplicating work queue (keys like `rs:ns/name`), and timers that are cancelled on stop and drain the
// queue after they fire.
// May import: src/sim/* (not the HTTP layer).
import type { SimHost } from '../host/host.js';
import type { Random } from '../random.js';
import { jittered } from '../random.js';
import type { SimRecord } from '../record.js';
import type { ScenarioNode, ScenarioTiming } from '../scenario-types.js';
import type { KObject, SimClock, Store } from '../types.js';
import { PodIndex } from './pod-index.js';

/** The node's kubelet-side state; the Node object holds what the API shows. */
export interface NodeRuntime {
  readonly spec: ScenarioNode;
  /** up: kubelet running; down: stopped (shutting down or booting); gone: never returns. */
  state: 'up' | 'down' | 'gone';
  triggeredAt: number | undefined;
  /** Until when (sim ms) the kubelet is shutting down after a reboot trigger: it refuses new pods then. */
  shutdownUntil?: number;
  cancelHeartbeat: (() => void) | undefined;
  cancelBoot: (() => void)[];
  reboots: number;
  /** Pods (namespace/name → uid) the kubelet runs again after the boot (see rerunPodsAfterBoot). */
  rerun?: Map<string, string>;
}

export type Reconciler = (name: string) => void;

export class SimContext {
  readonly pods = new PodIndex();
  readonly hosts = new Map<string, SimHost>();
  readonly nodes = new Map<string, NodeRuntime>();
  /** Combined stdout/stderr of script pods, by namespace/name. */
  readonly logs = new Map<string, string>();
  private readonly queued = new Set<string>();
  private queue: string[] = [];
  private head = 0;
  private readonly reconcilers = new Map<string, Reconciler>();
  private readonly timers = new Set<() => void>();
  private draining = false;
  private stopped = false;
  /** While false (bulk setup), enqueued work waits for the first drain. */
  autoDrain = true;
  /** Nodes whose kubelet posts heartbeats, by heartbeat slot (see startHeartbeats). */
  readonly beating = new Map<string, number>();
  /** The one heartbeat ticker of the cluster, while armed. */
  heartbeatTicker: (() => void) | undefined;
  heartbeatTick = 0;
  nextSlot = 0;
  /**
   * Runs writes that stay out of the store's replay history (heartbeats). Plain by default; the cluster
   * sets it when it owns the store.
   */
  quietly: (fn: () => void) => void = (fn) => fn();

  constructor(
    readonly store: Store,
    readonly clock: SimClock,
    readonly random: Random,
    readonly record: SimRecord,
    readonly timing: ScenarioTiming,
  ) {}

  /** A delay from the timing table in simulated ms, with the scenario's jitter. */
  delay(seconds: number): number {
    return jittered(this.random, seconds * 1000, this.timing.jitter);
  }

  on(prefix: string, fn: Reconciler): void {
    this.reconcilers.set(prefix, fn);
  }

  enqueue(key: string): void {
    if (this.stopped) return;
    if (!this.queued.has(key)) {
      this.queued.add(key);
      this.queue.push(key);
    }
    if (this.autoDrain) this.drain();
  }

  /** Runs queued work until none is left (re-entrant calls return at once). */
  drain(): void {
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      let budget = 1_000_000;
      while (this.head < this.queue.length) {
        if (--budget === 0) throw new Error('simulator work queue does not settle');
        const key = this.queue[this.head++] as string;
        this.queued.delete(key);
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        const colon = key.indexOf(':');
        this.reconcilers.get(key.slice(0, colon))?.(key.slice(colon + 1));
      }
    } finally {
      this.draining = false;
    }
  }

  /** A timer on the simulated clock; cancelled by stop(); drains the queue after `fn`. */
  after(simMs: number, fn: () => void): () => void {
    if (this.stopped) return () => undefined;
    let cancelled = false;
    const cancelClock = this.clock.setTimeout(() => {
      this.timers.delete(cancel);
      if (cancelled || this.stopped) return;
      fn();
      this.drain();
    }, simMs);
    const cancel = (): void => {
      cancelled = true;
      this.timers.delete(cancel);
      cancelClock();
    };
    this.timers.add(cancel);
    return cancel;
  }

  stop(): void {
    this.stopped = true;
    for (const c of [...this.timers]) c();
    this.queue = [];
    this.head = 0;
    this.queued.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  now(): number {
    return this.clock.now();
  }

  /** A write's result also goes into the index at once (the change stream echoes it later). */
  noteWrite(resource: string, obj: KObject, deleted = false): KObject {
    if (resource === 'pods') {
      if (deleted) this.pods.remove(obj);
      else this.pods.upsert(obj);
    }
    return obj;
  }

  nodeUp(name: string): boolean {
    return this.nodes.get(name)?.state === 'up';
  }

  /** The node's kubelet is shutting down (graceful node shutdown): between a reboot trigger and the pods stopping. */
  nodeShuttingDown(name: string): boolean {
    const rt = this.nodes.get(name);
    return (
      rt !== undefined && rt.state !== 'up' && rt.shutdownUntil !== undefined && this.now() < rt.shutdownUntil
    );
  }
}
