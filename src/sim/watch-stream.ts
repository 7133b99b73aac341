// A watch over HTTP: newline-delimited {"type","object"} events, as plain objects or one-row Tables.
// May import: ./types.js, ./status.js, ./tables.js, ./resources.js and node built-ins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ResourceType, Store, WatchEvent, WatchEventType } from './types.js';
import { statusOf } from './status.js';
import { toTable, type IncludeObject } from './tables.js';
import { apiVersionOf } from './resources.js';

export interface WatchTableOptions {
  readonly version: 'v1' | 'v1beta1';
  readonly includeObject: IncludeObject;
  /** Simulated now, for AGE cells. */
  readonly now: () => number;
}

export interface WatchRequest {
  readonly store: Store;
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  /** Send the current objects as ADDED first, then a BOOKMARK marking the end of them. */
  readonly sendInitialEvents?: boolean;
  /** Close after this many real seconds. */
  readonly timeoutSeconds?: number;
  /** Send BOOKMARK events every `bookmarkIntervalMs` real ms. */
  readonly allowBookmarks?: boolean;
  readonly bookmarkIntervalMs?: number;
  /** Fault: close the stream after this many real seconds. */
  readonly dropAfterSec?: number;
  /** Called when the fault above closes a stream that was still open. */
  readonly onDrop?: () => void;
  readonly table?: WatchTableOptions;
}

/** Adds kind and apiVersion when the object lacks them. */
/** The object as served at this type's version (one stored object may be served at several versions). */
export function withKind(obj: KObject, type: ResourceType): KObject {
  const apiVersion = apiVersionOf(type);
  if (obj.kind === type.kind && obj.apiVersion === apiVersion) return obj;
  return { ...obj, kind: type.kind, apiVersion };
}

function bookmark(type: ResourceType, rv: string, annotations?: Record<string, string>): KObject {
  return {
    kind: type.kind,
    apiVersion: apiVersionOf(type),
    metadata: { name: '', resourceVersion: rv, ...(annotations ? { annotations } : {}) },
  };
}

/** Serves one watch until the client goes, a timeout or fault ends it, or an ERROR event is sent. */
export function serveWatch(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let headersSent = false;
  const cleanups: (() => void)[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const c of cleanups.splice(0)) c();
    res.end();
  };
  // The response closes when the client goes away (or we end it); the request's own 'close' is no signal.
  res.on('close', close);
  req.socket.on('close', close);
  cleanups.push(() => req.socket.off('close', close));

  const encode = (type: WatchEventType, obj: KObject): KObject => {
    if (!w.table || type === 'ERROR' || type === 'BOOKMARK')
      return type === 'ERROR' ? obj : withKind(obj, w.type);
    const table = toTable(w.type.resource, [withKind(obj, w.type)], {
      now: w.table.now(),
      includeObject: w.table.includeObject,
      version: w.table.version,
      noHeaders: headersSent,
      listMeta: { resourceVersion: obj.metadata?.resourceVersion ?? '' },
    });
    headersSent = true;
    return table as unknown as KObject;
  };
  const send = (e: WatchEvent): void => {
    if (closed) return;
    res.write(JSON.stringify({ type: e.type, object: encode(e.type, e.object) }) + '\n');
    if (e.type === 'ERROR') close();
  };
  const sendError = (err: unknown): void => {
    send({ type: 'ERROR', object: statusOf(err) as unknown as KObject });
  };

  const selection = {
    ...(w.namespace !== undefined ? { namespace: w.namespace } : {}),
    ...(w.labelSelector ? { labelSelector: w.labelSelector } : {}),
    ...(w.fieldSelector ? { fieldSelector: w.fieldSelector } : {}),
  };
  try {
    let from = w.resourceVersion;
    // A watch from "now" (no or zero resourceVersion) starts, like a real server, with the current objects.
    const fromNow = from === undefined || from === '' || from === '0';
    if (fromNow || w.sendInitialEvents) {
      const list = w.store.list(w.type.resource, selection);
      for (const obj of list.items) send({ type: 'ADDED', object: obj });
      if (w.sendInitialEvents) {
        send({
          type: 'BOOKMARK',
          object: bookmark(w.type, list.resourceVersion, { 'k8s.io/initial-events-end': 'true' }),
        });
      }
      from = list.resourceVersion;
    }
    const cancel = w.store.watch(w.type.resource, { ...selection, resourceVersion: from }, send);
    cleanups.push(cancel);
  } catch (err) {
    sendError(err);
    return;
  }
  if (closed) return;

  const timer = (ms: number, fn: () => void): void => {
    const t = setTimeout(fn, ms);
    cleanups.push(() => clearTimeout(t));
  };
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timer(w.timeoutSeconds * 1000, close);
  if (w.dropAfterSec !== undefined && w.dropAfterSec > 0)
    timer(w.dropAfterSec * 1000, () => {
      if (!closed) w.onDrop?.();
      close();
    });
  if (w.allowBookmarks) {
    const t = setInterval(
      () => send({ type: 'BOOKMARK', object: bookmark(w.type, String(w.store.currentResourceVersion())) }),
      w.bookmarkIntervalMs ?? 30_000,
    );
    cleanups.push(() => clearInterval(t));
  }
}
