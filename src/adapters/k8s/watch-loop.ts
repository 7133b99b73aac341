// A list-then-watch loop on client-node's Watch: lists to get a resourceVersion, watches from it, reconnects
// with backoff after a dropped stream or an error, and lists again when the server answers 410 Gone.
// It can also start from a known resourceVersion (no first list), or watch "from now" and never list.
// May import: sibling k8s adapter files, core and node built-ins.

import { setTimeout as delay } from 'node:timers/promises';
import type { K8sClients } from './client.js';
import type { Listed } from './paging.js';
import { apiCode, apiMessage, rethrow } from './api-errors.js';

export type WatchEventKind = 'ADDED' | 'MODIFIED' | 'DELETED';

interface CommonOptions<T> {
  readonly clients: K8sClients;
  /** API path of the collection, e.g. /api/v1/namespaces/default/pods. */
  readonly path: string;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  /** Called for each change; objects are raw JSON (timestamps are strings). */
  readonly onEvent: (kind: WatchEventKind, obj: T) => void;
  /** For PermissionError on 403: the resource being watched. */
  readonly resource: string;
  readonly signal: AbortSignal;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Told about each failed list or broken watch before the retry, so nothing fails silently. */
  readonly onTrouble?: (message: string) => void;
}

/** Lists first (or starts watching at `start.resourceVersion`), and lists again after a 410 Gone. */
export interface ListedWatchOptions<T> extends CommonOptions<T> {
  /**
   * Where the first watch starts. Absent: list first. A resourceVersion (e.g. of a list or a write just
   * made): watch from it without listing; a 410 Gone lists as usual.
   */
  readonly start?: { readonly resourceVersion: string };
  /** A (paged) list with the same selectors; its items are the full state. */
  readonly list: () => Promise<Listed<T>>;
  /** Called with the full state after every (re)list. */
  readonly onList: (items: T[]) => void;
}

/**
 * Never lists: watches with no resourceVersion, so the server starts at its newest version and first sends
 * an ADDED event for every object that exists. Reconnects resume from the last version seen; after a 410
 * Gone it starts from now again. The synthetic ADDED events carry each object's own version, so resuming
 * from the last one seen suits a watch of one object (or a consumer that tolerates replayed changes).
 */
export interface FromNowWatchOptions<T> extends CommonOptions<T> {
  readonly start: 'now';
  readonly list?: undefined;
  readonly onList?: undefined;
}

export type WatchLoopOptions<T> = ListedWatchOptions<T> | FromNowWatchOptions<T>;

interface Outcome {
  readonly gone: boolean;
  readonly error?: unknown;
  /** The last version seen; undefined when none was (a watch from now that saw nothing). */
  readonly resourceVersion: string | undefined;
  readonly events: number;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: the caller checks the signal
  }
}

/** One watch; without a resourceVersion it starts from the server's newest version. */
function watchOnce<T>(o: WatchLoopOptions<T>, resourceVersion: string | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    let rv = resourceVersion;
    let gone = false;
    let events = 0;
    let streamError: unknown;
    let controller: AbortController | undefined;
    const onAbort = (): void => controller?.abort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (err: unknown): void => {
      o.signal.removeEventListener('abort', onAbort);
      const error = streamError ?? (err === null || err === undefined ? undefined : err);
      resolve({
        gone: gone || apiCode(err) === 410,
        resourceVersion: rv,
        events,
        ...(error ? { error } : {}),
      });
    };
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (rv !== undefined) query['resourceVersion'] = rv;
    if (o.fieldSelector) query['fieldSelector'] = o.fieldSelector;
    if (o.labelSelector) query['labelSelector'] = o.labelSelector;
    const onLine = (type: string, obj: unknown): void => {
      const meta = (obj as { metadata?: { resourceVersion?: string } } | undefined)?.metadata;
      if (type === 'ERROR') {
        const status = obj as { code?: number; message?: string } | undefined;
        if (status?.code === 410) gone = true;
        else
          streamError = Object.assign(new Error(status?.message ?? 'watch error'), {
            statusCode: status?.code,
          });
        controller?.abort();
        return;
      }
      if (meta?.resourceVersion) rv = meta.resourceVersion;
      if (type === 'BOOKMARK') return;
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
        events++;
        o.onEvent(type, obj as T);
      }
    };
    o.clients.watch.watch(o.path, query, onLine, finish).then(
      (c) => {
        controller = c;
        if (o.signal.aborted) c.abort();
      },
      (err: unknown) => finish(err),
    );
  });
}

/**
 * Runs until the signal aborts (then resolves). A 403 rejects with PermissionError. See ListedWatchOptions
 * and FromNowWatchOptions for where each watch starts.
 */
export async function watchLoop<T>(o: WatchLoopOptions<T>): Promise<void> {
  const initial = o.initialBackoffMs ?? 250;
  const max = o.maxBackoffMs ?? 10_000;
  let backoff = initial;
  // Where the next watch starts; undefined means list first, or in 'now' mode watch from now.
  let rv: string | undefined = o.start === 'now' ? undefined : o.start?.resourceVersion || undefined;
  while (!o.signal.aborted) {
    if (rv === undefined && o.start !== 'now') {
      try {
        const listed = await o.list();
        if (o.signal.aborted) return;
        rv = listed.resourceVersion;
        o.onList(listed.items);
        backoff = initial;
      } catch (err) {
        if (o.signal.aborted) return;
        if (apiCode(err) === 403) rethrow(err, 'list', o.resource);
        o.onTrouble?.(`listing ${o.resource} failed (${apiMessage(err)}); retrying in ${backoff} ms`);
        await pause(backoff, o.signal);
        backoff = Math.min(max, backoff * 2);
        continue;
      }
    }
    const started = Date.now();
    const out = await watchOnce(o, rv);
    if (o.signal.aborted) return;
    if (apiCode(out.error) === 403) rethrow(out.error, 'watch', o.resource);
    rv = out.gone ? undefined : out.resourceVersion;
    // Listed mode lists at once; a watch from now goes on below, so a server that keeps answering 410
    // cannot spin it.
    if (out.gone && o.start !== 'now') continue;
    const quick = Date.now() - started < 1000 && out.events === 0;
    if (out.error || quick) {
      if (out.error)
        o.onTrouble?.(`watching ${o.resource} broke (${apiMessage(out.error)}); resuming in ${backoff} ms`);
      await pause(backoff, o.signal);
      backoff = Math.min(max, backoff * 2);
    } else {
      backoff = initial;
    }
  }
}
