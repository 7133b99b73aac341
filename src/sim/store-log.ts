// The store's change log: a bounded history ring per resource (for watch replay and continue-token
// expiry), the live watchers with selector-transition semantics like the real watch cache, and the
// in-process change listeners, called in write order.
// May import: ./copy.js, ./status.js, ./types.js, ./selectors.js.

import { deepCopy } from './copy.js';
import type { FieldSelector, LabelSelector } from './selectors.js';
import { gone } from './status.js';
import { WatchEventType, type ChangeListener, type KObject, type WatchEvent } from './types.js';

/** One write as recorded. `obj` and `old` are stored objects: never modified, copied on the way out. */
export interface Change {
  readonly rv: number;
  readonly resource: string;
  readonly type: WatchEventType;
  readonly obj: KObject;
  readonly old: KObject | undefined;
}

class Ring {
  private readonly items: (Change | undefined)[];
  private head = 0; // index of the oldest
  private size = 0;
  /** The resourceVersion of the newest change pushed out of the ring (0 when none was). */
  compactedRv = 0;
  constructor(private readonly capacity: number) {
    this.items = new Array<Change | undefined>(capacity);
  }
  push(c: Change): void {
    if (this.size === this.capacity) {
      this.compactedRv = (this.items[this.head] as Change).rv;
      this.items[this.head] = c;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.items[(this.head + this.size) % this.capacity] = c;
      this.size++;
    }
  }
  oldestRv(): number | undefined {
    return this.size === 0 ? undefined : (this.items[this.head] as Change).rv;
  }
  since(rv: number): Change[] {
    const out: Change[] = [];
    for (let i = 0; i < this.size; i++) {
      const c = this.items[(this.head + i) % this.capacity] as Change;
      if (c.rv > rv) out.push(c);
    }
    return out;
  }
}

export interface WatchFilter {
  readonly namespace: string | undefined;
  readonly label: LabelSelector;
  readonly field: FieldSelector;
}

interface Watcher {
  readonly filter: WatchFilter;
  readonly onEvent: (e: WatchEvent) => void;
  buffer: Change[] | undefined; // set while replaying
}

function passes(f: WatchFilter, o: KObject | undefined): boolean {
  if (o === undefined) return false;
  if (f.namespace !== undefined && o.metadata.namespace !== f.namespace) return false;
  return f.field.matches(o) && f.label.matches(o.metadata.labels);
}

/** The event a watcher with this filter sees for a change, or undefined (like the watch cache). */
export function eventFor(f: WatchFilter, c: Change): WatchEvent | undefined {
  const cur = passes(f, c.obj);
  if (c.type === WatchEventType.Added) return cur ? { type: c.type, object: deepCopy(c.obj) } : undefined;
  if (c.type === WatchEventType.Deleted) return cur ? { type: c.type, object: deepCopy(c.obj) } : undefined;
  const was = passes(f, c.old);
  if (cur && was) return { type: WatchEventType.Modified, object: deepCopy(c.obj) };
  if (cur) return { type: WatchEventType.Added, object: deepCopy(c.obj) };
  if (was && c.old !== undefined) {
    const object = deepCopy(c.old);
    object.metadata.resourceVersion = String(c.rv);
    return { type: WatchEventType.Deleted, object };
  }
  return undefined;
}

export class ChangeLog {
  private readonly rings = new Map<string, Ring>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly queue: Change[] = [];
  private dispatching = false;

  constructor(
    private readonly historySize: number,
    private readonly onListenerError: ((err: unknown) => void) | undefined,
    private readonly keepInHistory: ((resource: string) => boolean) | undefined = undefined,
  ) {}

  private ring(resource: string): Ring {
    let r = this.rings.get(resource);
    if (r === undefined) this.rings.set(resource, (r = new Ring(this.historySize)));
    return r;
  }

  /** The newest resourceVersion this resource's history no longer holds (0 when nothing was dropped). */
  compactedRv(resource: string): number {
    return this.rings.get(resource)?.compactedRv ?? 0;
  }

  /**
   * Records a write (in the replay history unless `keepInHistory` says no), sends it to watchers, then to
   * listeners (in write order, even for nested writes).
   */
  record(c: Change): void {
    if (this.keepInHistory === undefined || this.keepInHistory(c.resource)) this.ring(c.resource).push(c);
    for (const w of [...(this.watchers.get(c.resource) ?? [])]) {
      if (w.buffer !== undefined) w.buffer.push(c);
      else this.send(c.resource, w, c);
    }
    if (this.listeners.size === 0) return;
    this.queue.push(c);
    if (this.dispatching) return;
    this.dispatching = true;
    let firstError: unknown;
    let failed = false;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        for (const l of [...this.listeners]) {
          try {
            l(next.resource, next.type, deepCopy(next.obj), next.old && deepCopy(next.old));
          } catch (err) {
            if (this.onListenerError !== undefined) this.onListenerError(err);
            else if (!failed) [failed, firstError] = [true, err];
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
    if (failed) throw firstError;
  }

  /**
   * Adds a watcher. With `fromRv`, first replays the retained changes after it (410 Gone when the
   * history no longer reaches back that far). Returns the unsubscribe function.
   */
  watch(
    resource: string,
    filter: WatchFilter,
    fromRv: number | undefined,
    onEvent: (e: WatchEvent) => void,
  ): () => void {
    const ring = this.ring(resource);
    if (fromRv !== undefined && fromRv < ring.compactedRv) {
      throw gone(fromRv, ring.oldestRv() ?? ring.compactedRv + 1);
    }
    const w: Watcher = { filter, onEvent, buffer: fromRv === undefined ? undefined : [] };
    let set = this.watchers.get(resource);
    if (set === undefined) this.watchers.set(resource, (set = new Set()));
    set.add(w);
    const unsubscribe = (): void => {
      this.watchers.get(resource)?.delete(w);
    };
    if (w.buffer !== undefined) {
      try {
        for (const c of ring.since(fromRv as number)) this.send(resource, w, c);
        for (let i = 0; i < w.buffer.length; i++) this.send(resource, w, w.buffer[i] as Change);
      } finally {
        w.buffer = undefined;
      }
    }
    return unsubscribe;
  }

  private send(resource: string, w: Watcher, c: Change): void {
    const e = eventFor(w.filter, c);
    if (e === undefined) return;
    try {
      w.onEvent(e);
    } catch {
      // A watcher that throws (a closed connection, say) is dropped; the write itself succeeded.
      this.watchers.get(resource)?.delete(w);
    }
  }

  onChange(listener: ChangeListener): () => void {
    // Wrap so the same function can be registered twice and removed independently.
    const l: ChangeListener = (...args) => listener(...args);
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }
}
