// Cell helpers for the server-side Table printers: column definitions and the text of common cells.
// May import: ./types.js only.
import type { KObject } from './types.js';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

/** One printer: its columns, and the cells of one object (AGE cells come from `age`). */
export interface Printer {
  readonly columns: readonly ColumnDefinition[];
  cells(obj: KObject, age: (timestamp: string | undefined) => string): (string | number)[];
}

export function col(name: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type: 'string', format, description: name, priority };
}

export const NAME = col('Name', 0, 'name');
export const AGE = col('Age');
export const NONE = '<none>';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

export function str(v: unknown, fallback = '0'): string {
  return v === undefined || v === null || v === '' ? fallback : String(v);
}

export function containers(obj: KObject): Any[] {
  const c = obj.spec?.template?.spec?.containers;
  return Array.isArray(c) ? c : [];
}

export function joined(values: string[]): string {
  return values.length ? values.join(',') : NONE;
}

export function selectorText(sel: Any): string {
  const labels = sel?.matchLabels ?? {};
  const parts = Object.keys(labels).map((k) => `${k}=${labels[k]}`);
  for (const e of sel?.matchExpressions ?? []) parts.push(`${e.key} ${String(e.operator).toLowerCase()}`);
  return joined(parts);
}

export const workloadWide = [col('Containers', 1), col('Images', 1), col('Selector', 1)];
export function workloadWideCells(obj: KObject): string[] {
  return [
    joined(containers(obj).map((c) => String(c.name))),
    joined(containers(obj).map((c) => String(c.image))),
    selectorText(obj.spec?.selector),
  ];
}

export function nodeStatus(node: KObject): string {
  const ready = (node.status?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  let status = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) status += ',SchedulingDisabled';
  return status;
}

export function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : NONE;
}

export function nodeAddress(node: KObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: Any) => x.type === type);
  return a ? String(a.address) : NONE;
}

export function podPhaseText(pod: KObject): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
  for (const cs of pod.status?.containerStatuses ?? []) {
    const waiting = cs.state?.waiting?.reason;
    const terminated = cs.state?.terminated;
    if (waiting) reason = waiting;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated)
      reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function podReady(pod: KObject): string {
  const statuses: Any[] = pod.status?.containerStatuses ?? [];
  const total = Array.isArray(pod.spec?.containers) ? pod.spec.containers.length : statuses.length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

export function podRestarts(pod: KObject): number {
  let n = 0;
  for (const c of pod.status?.containerStatuses ?? []) n += Number(c.restartCount ?? 0);
  return n;
}

export function intOrPercent(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}
