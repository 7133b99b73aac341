// Small text helpers shared by every output mode: timestamps, durations, safe one-line strings.
// May import: core.

import type { DrainWait } from '../core/events.js';

/** RFC 3339 in UTC with whole seconds: 2026-11-26T03:00:01Z. */
export function isoSeconds(at: number): string {
  if (!Number.isFinite(at)) return 'invalid-time';
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Clock time of day in UTC, HH:MM:SS, for compact live logs. */
export function clockTime(at: number): string {
  return isoSeconds(at).slice(11, 19);
}

// C0 and C1 control characters (ESC, CSI, BEL, newlines, ...) never reach the output raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Makes text from the cluster safe for one line of output: control characters become visible escapes
 * (\n, \t, \x1b), so a pod's termination message can neither break lines nor inject terminal codes.
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** 950ms, 45s, 2m05s, 1h02m, 3d04h: short and unambiguous. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const neg = ms < 0;
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 1000) text = `${Math.round(abs)}ms`;
  else {
    const s = Math.floor(abs / 1000);
    if (s < 60) text = `${s}s`;
    else if (s < 3600) text = `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
    else if (s < 86400) text = `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m`;
    else text = `${Math.floor(s / 86400)}d${pad2(Math.floor((s % 86400) / 3600))}h`;
  }
  return neg ? `-${text}` : text;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "default/web-x waits on PDB default/web" or "default/a waits: <message>". */
export function formatWait(w: DrainWait): string {
  if (w.pdb) return `${oneLine(w.pod)} waits on PDB ${oneLine(w.pdb)}`;
  return w.message ? `${oneLine(w.pod)} waits: ${oneLine(w.message)}` : `${oneLine(w.pod)} waits`;
}

/** Joins a list for a message, eliding after `max` items: "a, b, c, … (+4 more)". */
export function listOf(items: readonly string[], max = 5): string {
  if (items.length === 0) return '-';
  const shown = items.slice(0, max).map(oneLine).join(', ');
  return items.length > max ? `${shown}, … (+${items.length - max} more)` : shown;
}

/** A list written one item per line (a package list) as one line: "a, b, c". */
export function joinLines(text: string): string {
  return oneLine(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(', '),
  );
}
