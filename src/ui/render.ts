// The render facade: commands hand it RunEvents and never see React. Three modes:
//   tty   — the ink live view (loaded lazily, so plain and JSON runs never load React);
//   plain — one timestamped line per event, no escape codes;
//   json  — one RunEvent object per line (schema in ui/json.ts).
// May import: core, ui/*.

import type { RunEvent } from '../core/events.js';
import { formatJsonEvent } from './json.js';
import { formatPlainEvent } from './plain.js';

export const RenderMode = { Tty: 'tty', Plain: 'plain', Json: 'json' } as const;
export type RenderMode = (typeof RenderMode)[keyof typeof RenderMode];

/** The little of a stream the renderer needs; process.stdout fits, and so does a test buffer. */
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface RendererOptions {
  readonly mode: RenderMode;
  readonly color: boolean;
  readonly out: OutStream;
  readonly err: OutStream;
  /** Show debug-level log events in plain and tty modes (JSON always carries every event). */
  readonly verbose?: boolean;
  /** Reads the wall clock for the live view's timers; only tty mode uses it. */
  readonly now?: () => number;
}

export interface Renderer {
  event(e: RunEvent): void;
  /** Flushes and, in tty mode, leaves the final frame on screen. Call once, at the end. */
  done(): Promise<void>;
}

export interface ModeInput {
  readonly isTTY: boolean;
  /** The CI environment variable. */
  readonly ci?: string | undefined;
  /** --log-format: text forces plain lines, json forces JSON lines; undefined or auto decides by terminal. */
  readonly logFormat?: string | undefined;
  /** -o/--output, where a command offers it: json means JSON lines too. */
  readonly output?: string | undefined;
}

/** JSON when asked; plain when not on a terminal or under CI; the live view otherwise. */
export function chooseMode(input: ModeInput): RenderMode {
  if (input.logFormat === 'json' || input.output === 'json') return 'json';
  if (input.logFormat === 'text') return 'plain';
  const ci = input.ci !== undefined && input.ci !== '' && input.ci !== 'false' && input.ci !== '0';
  if (!input.isTTY || ci) return 'plain';
  return 'tty';
}

export function createRenderer(opts: RendererOptions): Renderer {
  switch (opts.mode) {
    case 'json':
      return lineRenderer(opts.out, formatJsonEvent, () => true);
    case 'plain': {
      const repeated = repeatFilter();
      return lineRenderer(
        opts.out,
        formatPlainEvent,
        (e) => (opts.verbose === true || !isDebug(e)) && !repeated(e),
      );
    }
    case 'tty':
      return liveRenderer(opts);
  }
}

/** True for a drain-progress event that says nothing new for its node: plain logs show changes only. */
function repeatFilter(): (e: RunEvent) => boolean {
  const last = new Map<string, string>();
  return (e) => {
    if (e.type !== 'drain-progress') return false;
    const key = JSON.stringify([e.evicted, e.total, e.waiting]);
    if (last.get(e.node) === key) return true;
    last.set(e.node, key);
    return false;
  };
}

function isDebug(e: RunEvent): boolean {
  return e.type === 'log' && e.level === 'debug';
}

function lineRenderer(
  out: OutStream,
  format: (e: RunEvent) => string,
  keep: (e: RunEvent) => boolean,
): Renderer {
  return {
    event(e) {
      if (keep(e)) out.write(`${format(e)}\n`);
    },
    done: () => Promise.resolve(),
  };
}

/** The ink view once loaded; events that arrive before are queued, and a failure to load falls back to plain. */
function liveRenderer(opts: RendererOptions): Renderer {
  const queue: RunEvent[] = [];
  let target: Renderer | undefined;
  const ready = import('./live/mount.js').then(
    (m) =>
      m.mountLive({
        out: opts.out,
        err: opts.err,
        color: opts.color,
        verbose: opts.verbose === true,
        now: opts.now,
      }),
    (err: unknown) => {
      opts.err.write(
        `live view unavailable (${err instanceof Error ? err.message : String(err)}); plain output follows\n`,
      );
      return createRenderer({ ...opts, mode: 'plain' });
    },
  );
  void ready.then((r) => {
    target = r;
    for (const e of queue.splice(0)) r.event(e);
  });
  return {
    event(e) {
      if (target) target.event(e);
      else queue.push(e);
    },
    async done() {
      const r = await ready;
      if (!target) {
        target = r;
        for (const e of queue.splice(0)) r.event(e);
      }
      await r.done();
    },
  };
}
