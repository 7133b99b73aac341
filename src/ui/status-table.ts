// `status` output: a kubectl-style table (colour-coded when colour is on; wide adds columns), or JSON/YAML.
// The view types here are what the composition root maps the app's status report into.
// May import: core, ui/*, yaml.

import { stringify as toYaml } from 'yaml';
import type { WindowStateView } from '../core/events.js';
import type { ReadyState, SentinelResult } from '../core/types.js';
import { painter, visibleLength, type Paint, type Tone } from './color.js';
import { formatDuration, isoSeconds, joinLines, listOf, oneLine } from './text.js';

export interface NodeStatusView {
  readonly name: string;
  readonly ready: ReadyState;
  readonly unschedulable: boolean;
  /** undefined when the sentinel was not checked. */
  readonly sentinel?: SentinelResult;
  /** What this tool is doing or did on the node, in a few words: idle, drain, rebooting, cordoned by admin. */
  readonly state: string;
  /** This node holds (one slot of) the reboot lock. */
  readonly lockHeld: boolean;
  readonly zone?: string;
  readonly roles: readonly string[];
  readonly kernel?: string;
  /** Epoch ms since which the node has been Ready (its last Ready transition). */
  readonly readySince?: number;
  /** Why the node would not be rebooted now (blockers, opt-out, window), if anything. */
  readonly reasons?: readonly string[];
}

export interface StatusView {
  /** Epoch ms the report describes; relative times are measured from it. */
  readonly at: number;
  readonly window?: WindowStateView;
  readonly lock: {
    readonly holders: readonly string[];
    /** Holds past their TTL, which the next run will clear. */
    readonly expired?: readonly string[];
    /**
     * Nodes in progress that hold no slot, e.g. "node-5 (reboot-timeout)": their record counts against
     * --concurrency all the same (a node that failed and waits for a person, or one whose run died).
     */
    readonly unslotted?: readonly string[];
    /** Why the lock could not be read, if it could not. */
    readonly error?: string;
    /** kured's lock, when it is held: nothing starts while it is. */
    readonly foreign?: string;
  };
  readonly blockers?: { readonly blocked: boolean; readonly reasons: readonly string[] };
  readonly nodes: readonly NodeStatusView[];
}

export const StatusFormat = { Table: 'table', Wide: 'wide', Json: 'json', Yaml: 'yaml' } as const;
export type StatusFormat = (typeof StatusFormat)[keyof typeof StatusFormat];

/** The whole output for `status -o <format>`, ending with a newline. */
export function renderStatus(view: StatusView, format: StatusFormat, color: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(statusDocument(view), null, 2)}\n`;
    case 'yaml':
      return toYaml(statusDocument(view));
    case 'table':
    case 'wide':
      return renderTable(view, format === 'wide', painter(color));
  }
}

/** The machine-readable form: the view with times as RFC 3339 strings. */
export function statusDocument(view: StatusView): Record<string, unknown> {
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : isoSeconds(ms));
  return {
    at: isoSeconds(view.at),
    ...(view.window
      ? {
          window: {
            open: view.window.open,
            description: view.window.description,
            ...(view.window.closesAt === undefined ? {} : { closesAt: iso(view.window.closesAt) }),
            ...(view.window.nextOpen === undefined ? {} : { nextOpen: iso(view.window.nextOpen) }),
          },
        }
      : {}),
    lock: {
      holders: [...view.lock.holders],
      ...(view.lock.expired?.length ? { expired: [...view.lock.expired] } : {}),
      ...(view.lock.unslotted?.length ? { inProgressWithoutSlot: [...view.lock.unslotted] } : {}),
      ...(view.lock.error ? { error: view.lock.error } : {}),
      ...(view.lock.foreign ? { foreign: view.lock.foreign } : {}),
    },
    ...(view.blockers
      ? { blockers: { blocked: view.blockers.blocked, reasons: [...view.blockers.reasons] } }
      : {}),
    nodes: view.nodes.map((n) => ({
      name: n.name,
      ready: n.ready,
      unschedulable: n.unschedulable,
      rebootRequired: rebootWord(n.sentinel),
      ...(n.sentinel ? { sentinel: sentinelDocument(n.sentinel) } : {}),
      state: n.state,
      lockHeld: n.lockHeld,
      ...(n.zone === undefined ? {} : { zone: n.zone }),
      roles: [...n.roles],
      ...(n.kernel === undefined ? {} : { kernel: n.kernel }),
      ...(n.readySince === undefined ? {} : { readySince: iso(n.readySince) }),
      ...(n.reasons && n.reasons.length ? { reasons: [...n.reasons] } : {}),
    })),
  };
}

function sentinelDocument(s: SentinelResult): Record<string, unknown> {
  switch (s.kind) {
    case 'required':
      return {
        kind: s.kind,
        source: s.source,
        reason: s.reason,
        ...(s.since === undefined ? {} : { since: isoSeconds(s.since) }),
      };
    case 'not-required':
      return { kind: s.kind, source: s.source };
    case 'unknown':
      return { kind: s.kind, source: s.source, error: s.error };
  }
}

function rebootWord(s: SentinelResult | undefined): 'yes' | 'no' | 'unknown' | 'unchecked' {
  if (!s) return 'unchecked';
  return s.kind === 'required' ? 'yes' : s.kind === 'not-required' ? 'no' : 'unknown';
}

interface Cell {
  readonly text: string;
  readonly tone: Tone;
}

function renderTable(view: StatusView, wide: boolean, paint: Paint): string {
  const head = ['NODE', 'STATUS', 'REBOOT', 'STATE', 'LOCK'];
  if (wide) head.push('ZONE', 'ROLES', 'KERNEL', 'READY-FOR', 'REASON');
  const rows: Cell[][] = view.nodes.map((n) => {
    const cells: Cell[] = [
      { text: oneLine(n.name), tone: 'none' },
      statusCell(n),
      rebootCell(n.sentinel),
      { text: oneLine(n.state), tone: stateTone(n.state) },
      { text: n.lockHeld ? 'held' : '-', tone: n.lockHeld ? 'info' : 'dim' },
    ];
    if (wide) {
      cells.push(
        { text: oneLine(n.zone ?? '-'), tone: 'none' },
        { text: n.roles.length ? oneLine(n.roles.join(',')) : '<none>', tone: 'none' },
        { text: oneLine(n.kernel ?? '-'), tone: 'none' },
        {
          text:
            n.readySince === undefined || n.ready !== 'True' ? '-' : formatDuration(view.at - n.readySince),
          tone: 'none',
        },
        { text: reasonText(n), tone: 'none' },
      );
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i]?.text ?? ''))));
  const line = (cells: readonly Cell[]): string =>
    cells
      .map((c, i) => {
        const last = i === cells.length - 1;
        const pad = last ? '' : ' '.repeat((widths[i] ?? 0) - visibleLength(c.text) + 3);
        return paint(c.tone, c.text) + pad;
      })
      .join('')
      .trimEnd();
  const out: string[] = [];
  if (view.nodes.length === 0) out.push('No nodes matched.');
  else out.push(line(head.map((text) => ({ text, tone: 'bold' as const }))), ...rows.map(line));
  out.push('', ...footer(view, paint));
  return `${out.join('\n')}\n`;
}

function statusCell(n: NodeStatusView): Cell {
  const ready = n.ready === 'True' ? 'Ready' : n.ready === 'False' ? 'NotReady' : 'Unknown';
  const text = n.unschedulable ? `${ready},SchedulingDisabled` : ready;
  return { text, tone: n.ready !== 'True' ? 'bad' : n.unschedulable ? 'warn' : 'good' };
}

function rebootCell(s: SentinelResult | undefined): Cell {
  const word = rebootWord(s);
  const tone: Tone = word === 'yes' ? 'warn' : word === 'unknown' ? 'bad' : word === 'no' ? 'good' : 'dim';
  return { text: word === 'unchecked' ? '-' : word, tone };
}

function stateTone(state: string): Tone {
  if (/fail|error|stuck/i.test(state)) return 'bad';
  if (/idle|done|rebooted/i.test(state)) return 'none';
  return 'info';
}

function reasonText(n: NodeStatusView): string {
  const parts: string[] = [];
  if (n.sentinel?.kind === 'required' && n.sentinel.reason) parts.push(joinLines(n.sentinel.reason));
  if (n.sentinel?.kind === 'unknown') parts.push(n.sentinel.error);
  if (n.reasons) parts.push(...n.reasons);
  return parts.length ? oneLine(parts.join('; ')) : '-';
}

function footer(view: StatusView, paint: Paint): string[] {
  const lines: string[] = [];
  const w = view.window;
  if (w) {
    const when = w.open
      ? w.closesAt === undefined
        ? ''
        : `, closes in ${formatDuration(w.closesAt - view.at)}`
      : w.nextOpen === undefined
        ? ''
        : `, opens in ${formatDuration(w.nextOpen - view.at)}`;
    lines.push(
      `Window:   ${paint(w.open ? 'good' : 'warn', w.open ? 'open' : 'closed')} (${oneLine(w.description)})${when}`,
    );
  }
  const { holders, error, expired, unslotted } = view.lock;
  const lockText = error
    ? paint('bad', `unreadable, nothing will start: ${oneLine(error)}`)
    : holders.length
      ? paint('info', `held by ${listOf(holders)}`)
      : 'free';
  const counted = unslotted?.length
    ? paint('warn', `; in progress without a slot, counted against --concurrency: ${listOf(unslotted)}`)
    : '';
  lines.push(
    `Lock:     ${lockText}${counted}${expired?.length ? paint('dim', ` (expired: ${listOf(expired)})`) : ''}`,
  );
  if (view.lock.foreign) lines.push(`kured:    ${paint('warn', oneLine(view.lock.foreign))}`);
  const b = view.blockers;
  if (b)
    lines.push(
      `Blockers: ${b.blocked ? paint('bad', `blocked: ${b.reasons.map(oneLine).join('; ')}`) : 'none'}`,
    );
  return lines;
}
