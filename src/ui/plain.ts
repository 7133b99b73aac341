// Plain text lines for logs and pipes: one line per RunEvent, "<time> <subject> <what> <detail>".
// Never emits escape codes; text from the cluster is made safe by oneLine().
// May import: core, ui/text.

import type { RunEvent } from '../core/events.js';
import type { SentinelResult } from '../core/types.js';
import { formatDuration, formatWait, isoSeconds, joinLines, listOf, oneLine } from './text.js';

/** The line for one event, without a trailing newline. Example:
 *  2026-11-26T03:00:01Z node-2 drain evicted 3/5 (default/web-x waits on PDB default/web) */
export function formatPlainEvent(e: RunEvent): string {
  return `${isoSeconds(e.at)} ${describeEvent(e)}`;
}

/** The line without its timestamp: subject, what happened, detail. */
export function describeEvent(e: RunEvent): string {
  switch (e.type) {
    case 'run-start':
      return `run start ${oneLine(e.runId)}${e.dryRun ? ' (dry run: nothing will be changed)' : ''}`;
    case 'probe':
      return `${oneLine(e.node)} check ${sentinel(e.result)}`;
    case 'window': {
      const w = e.window;
      const desc = oneLine(w.description);
      if (w.open)
        return `window open (${desc})${w.closesAt === undefined ? '' : `, closes ${isoSeconds(w.closesAt)}`}`;
      return `window closed (${desc})${w.nextOpen === undefined ? '' : `, opens ${isoSeconds(w.nextOpen)}`}`;
    }
    case 'blocked':
      return `${e.node === undefined ? 'cluster' : oneLine(e.node)} blocked: ${e.reasons.map(oneLine).join('; ') || 'no reason given'}`;
    case 'step':
      return `${oneLine(e.node)} ${e.step}${e.message ? ` ${oneLine(e.message)}` : ''}`;
    case 'drain-progress': {
      const waits = e.waiting.length ? ` (${e.waiting.map(formatWait).join('; ')})` : '';
      return `${oneLine(e.node)} drain evicted ${e.evicted}/${e.total}${waits}`;
    }
    case 'reboot-progress':
      return `${oneLine(e.node)} reboot ${rebootStage(e.stage)} after ${formatDuration(e.elapsedMs)}`;
    case 'lock': {
      const who = e.node === undefined ? 'lock' : `${oneLine(e.node)} lock`;
      const msg = e.message ? ` ${oneLine(e.message)}` : '';
      return `${who} ${e.action}${msg} (holders: ${listOf(e.holders)})`;
    }
    case 'log':
      return `${e.node === undefined ? 'run' : oneLine(e.node)} ${e.level}: ${oneLine(e.message)}`;
    case 'node-result':
      return `${oneLine(e.node)} ${e.outcome}: ${oneLine(e.reason)}`;
    case 'run-end':
      return (
        `run end exit=${e.exitCode}: ${e.rebooted.length} rebooted (${listOf(e.rebooted)}), ` +
        `${e.failed.length} failed (${listOf(e.failed)}), ${e.pending.length} pending (${listOf(e.pending)})` +
        (e.reason ? ` - ${oneLine(e.reason)}` : '')
      );
  }
}

export function sentinel(r: SentinelResult): string {
  switch (r.kind) {
    case 'required':
      return `reboot required${r.reason ? `: ${joinLines(r.reason)}` : ''} [${r.source}]`;
    case 'not-required':
      return `no reboot required [${r.source}]`;
    case 'unknown':
      return `unknown, not rebooting: ${oneLine(r.error)} [${r.source}]`;
  }
}

export function rebootStage(stage: 'triggered' | 'down' | 'up' | 'ready'): string {
  switch (stage) {
    case 'triggered':
      return 'triggered';
    case 'down':
      return 'node went down';
    case 'up':
      return 'node up with a new boot ID';
    case 'ready':
      return 'node Ready';
  }
}
