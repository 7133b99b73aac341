// Which progress events become notifications, and with which template fields:
//   step → drain, step → reboot     once per change of the node's step
//   node-result rebooted            uncordon (the node is back and uncordoned)
//   node-result failed              failed
//   run-end with failed nodes       run-failed
//   blocked                         once per new reason (see blocked.ts)
// Nothing is sent during a dry run (between a run-start with dryRun and its run-end).
// May import: core and notify/*.

import type { RunEvent } from '../../core/events.js';
import { BlockTracker } from './blocked.js';
import type { MessageTemplates, NotificationKind, TemplateFields } from './templates.js';
import { renderTemplate } from './templates.js';

export interface Selected {
  readonly kind: NotificationKind;
  readonly text: string;
  readonly event: RunEvent;
}

/** A stateful filter: feed it every event in order; it returns the notifications due (zero or one). */
export type EventSelector = (e: RunEvent) => Selected | undefined;

const stepKinds: Readonly<Partial<Record<string, NotificationKind>>> = { drain: 'drain', reboot: 'reboot' };

export function createEventSelector(templates: MessageTemplates): EventSelector {
  const lastStep = new Map<string, string>();
  const blocks = new BlockTracker();
  let runId = '';
  let dryRun = false;

  const make = (kind: NotificationKind, e: RunEvent, fields: Partial<TemplateFields>): Selected => {
    const all: Partial<TemplateFields> = { time: new Date(e.at).toISOString(), kind, run: runId, ...fields };
    return { kind, text: renderTemplate(templates[kind], all), event: e };
  };

  return (e) => {
    const change = blocks.apply(e);
    switch (e.type) {
      case 'run-start':
        runId = e.runId;
        dryRun = e.dryRun;
        return undefined;
      case 'run-end': {
        const wasDry = dryRun;
        dryRun = false;
        if (wasDry || e.failed.length === 0) return undefined;
        return make('run-failed', e, {
          reason: e.reason,
          failed: e.failed.join(', '),
          rebooted: e.rebooted.join(', '),
        });
      }
      case 'step': {
        const before = lastStep.get(e.node);
        lastStep.set(e.node, e.step);
        const kind = stepKinds[e.step];
        if (dryRun || kind === undefined || before === e.step) return undefined;
        return make(kind, e, { node: e.node, step: e.step, message: e.message ?? '' });
      }
      case 'node-result':
        lastStep.delete(e.node);
        if (dryRun || e.outcome === 'skipped') return undefined;
        return make(e.outcome === 'rebooted' ? 'uncordon' : 'failed', e, { node: e.node, reason: e.reason });
      case 'blocked':
        if (dryRun || change === undefined || change.added.length === 0) return undefined;
        return make('blocked', e, { node: e.node ?? 'all nodes', reason: change.current.join('; ') });
      default:
        return undefined;
    }
  };
}
