// Server-side printing: the meta.k8s.io Table that `kubectl get` asks for, and kubectl-style ages.
// May import: ./types.js, ./table-columns.js.
import type { KObject } from './types.js';
import { genericPrinter, printers, type ColumnDefinition } from './table-columns.js';

export type { ColumnDefinition } from './table-columns.js';

export const IncludeObject = { None: 'None', Metadata: 'Metadata', Object: 'Object' } as const;
export type IncludeObject = (typeof IncludeObject)[keyof typeof IncludeObject];

export interface TableRow {
  cells: (string | number)[];
  object?: KObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
  [key: string]: unknown;
}

export interface TableOptions {
  /** Simulated now, in epoch ms, for the AGE cells. */
  readonly now: number;
  readonly includeObject?: IncludeObject;
  /** meta.k8s.io version the client asked for; v1 unless it only accepts v1beta1. */
  readonly version?: 'v1' | 'v1beta1';
  /** Leave columnDefinitions empty (later events of a watch, as a real server does). */
  readonly noHeaders?: boolean;
  readonly listMeta?: Table['metadata'];
}

/** Formats a duration the way kubectl prints AGE: 45s, 3m20s, 3h, 2d4h, 30d, 2y40d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of a timestamp at `now`, or <unknown> when there is none. */
export function ageOf(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/**
 * Which Table version the Accept header asks for, if any. kubectl get sends
 * `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.
 */
export function wantsTable(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  if (!accept) return undefined;
  const offered = new Set<string>();
  for (const part of accept.split(',')) {
    const params = new Map<string, string>();
    for (const p of part.split(';').slice(1)) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k && v !== undefined) params.set(k, v);
    }
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io')
      offered.add(params.get('v') ?? 'v1');
  }
  if (offered.has('v1')) return 'v1';
  if (offered.has('v1beta1')) return 'v1beta1';
  return undefined;
}

export function parseIncludeObject(v: string | null | undefined): IncludeObject {
  return v === IncludeObject.None || v === IncludeObject.Object ? v : IncludeObject.Metadata;
}

function rowObject(obj: KObject, include: IncludeObject, version: string): KObject | undefined {
  if (include === IncludeObject.None) return undefined;
  if (include === IncludeObject.Object) return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** Converts objects of one resource to a Table. Rows keep the order given. */
export function toTable(resource: string, items: readonly KObject[], opts: TableOptions): Table {
  const printer = printers[resource] ?? genericPrinter;
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? IncludeObject.Metadata;
  const age = (ts: string | undefined): string => ageOf(ts, opts.now);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noHeaders ? [] : printer.columns.map((c) => ({ ...c })),
    rows: items.map((obj) => {
      const row: TableRow = { cells: printer.cells(obj, age) };
      const o = rowObject(obj, include, version);
      if (o) row.object = o;
      return row;
    }),
  };
}
