// The deterministic scheduler of the interleaving explorer. Every port call of every runner is held here until the
// explorer picks it; then it runs (its synchronous part at once, under an observer that sees the world before and
// after it). The fake clock's timers are tracked, so time can jump to the next one. A killed runner's held calls
// vanish and its later calls hang, like a dead process's.
// May import: test/support.

import type { FakeClock } from '../support/fake-clock.js';

/** Whoever makes calls: a runner (one process). */
export interface CallOwner {
  readonly name: string;
  readonly dead: boolean;
}

export interface HeldCall {
  readonly id: number;
  readonly owner: CallOwner;
  readonly port: string;
  readonly method: string;
  readonly label: string;
  /** Server time when the call was made (the fake clock is the server's). */
  readonly madeAt: number;
  readonly args: readonly unknown[];
  readonly invoke: () => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** Sees each call as it runs: `invoke` performs it (its synchronous part happens inside). */
export type CallObserver = (call: HeldCall, invoke: () => unknown) => unknown;

const hang = (): Promise<never> => new Promise<never>(() => undefined);

/** Lets every microtask run: nothing in the world uses real timers, so one turn of the event loop settles it. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Scheduler {
  private seq = 0;
  private held: HeldCall[] = [];
  private readonly timers = new Set<{ readonly at: number }>();
  /** The owner of the call running now (synchronously), for what the world does inside it. */
  current: CallOwner | undefined;
  observer: CallObserver = (_c, invoke) => invoke();

  constructor(readonly clock: FakeClock) {
    // Track the clock's timers (their deadlines), so "jump to the next timer" needs no private access.
    const schedule = clock.schedule.bind(clock);
    const cancel = clock.cancel.bind(clock);
    clock.schedule = (ms: number, fn: () => void): object => {
      const box: { handle?: { at: number } } = {};
      const handle = schedule(ms, () => {
        if (box.handle) this.timers.delete(box.handle);
        fn();
      }) as { at: number };
      box.handle = handle;
      this.timers.add(handle);
      return handle;
    };
    clock.cancel = (handle: object): void => {
      this.timers.delete(handle as { at: number });
      cancel(handle);
    };
  }

  /** Held calls of live owners, in the order they were made. */
  calls(): readonly HeldCall[] {
    return this.held.filter((c) => !c.owner.dead);
  }

  nextTimerAt(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers) if (min === undefined || t.at < min) min = t.at;
    return min;
  }

  /** Holds a call until release(). */
  hold<T>(
    owner: CallOwner,
    port: string,
    method: string,
    args: readonly unknown[],
    invoke: () => T,
  ): Promise<Awaited<T>> {
    if (owner.dead) return hang();
    return new Promise<Awaited<T>>((resolve, reject) => {
      this.held.push({
        id: ++this.seq,
        owner,
        port,
        method,
        args,
        label: `${owner.name} ${port}.${method}(${describeArgs(port, method, args)})`,
        madeAt: this.clock.now(),
        invoke,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
    });
  }

  /** Runs a held call now; its synchronous effects on the world happen before this returns. */
  release(call: HeldCall): void {
    this.held = this.held.filter((c) => c !== call);
    this.current = call.owner;
    try {
      const out = this.observer(call, call.invoke);
      Promise.resolve(out).then(call.resolve, call.reject);
    } catch (err) {
      call.reject(err);
    } finally {
      this.current = undefined;
    }
  }

  /** A killed owner: its held calls never run. */
  drop(owner: CallOwner): void {
    this.held = this.held.filter((c) => c.owner !== owner);
  }

  /** Wraps a port object: every method call becomes a held call of `owner`. */
  wrap<T extends object>(owner: CallOwner, port: string, target: T): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        const method = String(prop);
        return (...args: unknown[]) =>
          this.hold(owner, port, method, args, () => (v as (...a: unknown[]) => unknown).apply(t, args));
      },
    });
  }
}

function describeArgs(port: string, method: string, args: readonly unknown[]): string {
  const first = args[0];
  if (port === 'lease') return method === 'update' || method === 'create' ? String(args[1]) : '';
  if (typeof first === 'string') {
    if (port === 'cluster' && method === 'patchNode') {
      const p = args[1] as { annotations?: Record<string, unknown>; unschedulable?: boolean } | undefined;
      const parts: string[] = [];
      const state = p?.annotations?.['reboot-daemon.io/state'];
      if (state === null) parts.push('clear');
      else if (typeof state === 'string') {
        const phase = /"phase":"([a-z-]+)"/.exec(state)?.[1];
        parts.push(phase ?? 'record');
      }
      if (p?.unschedulable !== undefined) parts.push(p.unschedulable ? 'cordon' : 'uncordon');
      return `${first}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
    }
    return first;
  }
  if (typeof first === 'object' && first !== null) {
    const o = first as { name?: unknown; node?: unknown; labelSelector?: unknown };
    if (typeof o.name === 'string') return o.name.replace(/-r\d+$/, '-r*');
    if (typeof o.node === 'string') return o.node;
    if (typeof o.labelSelector === 'string') return o.labelSelector;
  }
  return '';
}
