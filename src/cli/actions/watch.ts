// `run --watch`, `watch` and `agent`: validate every flag, open the sinks (notifications, metrics), then run
// the long-running mode through its composition root until SIGINT/SIGTERM. Output is plain lines (or JSON
// lines): a live view makes no sense for a process that runs for weeks. The first signal lets the current
// node's safe step finish and releases what it can; a second one exits at once (main.ts).
// May import: core, ui (facade), cli/*.

import { InputError } from '../../core/errors.js';
import type { RunEvent } from '../../core/events.js';
import type { Clock } from '../../ports/clock.js';
import { colorEnabled } from '../../ui/color.js';
import { createRenderer, type Renderer } from '../../ui/render.js';
import type { ArgvLike } from '../argv-read.js';
import { buildRunConfig, type RunConfig } from '../config.js';
import { buildAgentSettings, buildWatchSettings, type NotifySettings } from '../config-watch.js';
import type { CommandContext } from '../context.js';
import { openSinks, type Sinks } from '../sinks.js';

function longRunningRenderer(config: RunConfig, ctx: CommandContext): Renderer {
  const { out, err, env } = ctx.io;
  return createRenderer({
    mode: config.output.logFormat === 'json' ? 'json' : 'plain',
    color: colorEnabled({ isTTY: out.isTTY === true, noColorFlag: !config.output.color, env }),
    out,
    err,
    verbose: config.output.verbosity > 0,
  });
}

async function withSinks<T>(
  config: RunConfig,
  ctx: CommandContext,
  clock: Clock,
  opts: { readonly notify: NotifySettings; readonly metricsPort?: number },
  body: (emit: (e: RunEvent) => void, sinks: Sinks) => Promise<T>,
): Promise<T> {
  const renderer = longRunningRenderer(config, ctx);
  try {
    const sinks = await openSinks({
      notify: opts.notify,
      ...(opts.metricsPort !== undefined ? { metricsPort: opts.metricsPort } : {}),
      clock,
      log: (level, message) => renderer.event({ type: 'log', at: clock.now(), level, message }),
    });
    try {
      return await body((e) => {
        renderer.event(e);
        sinks.observe(e);
      }, sinks);
    } finally {
      await sinks.close();
    }
  } finally {
    await renderer.done();
  }
}

export async function watchAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const config = buildRunConfig(argv);
  if (config.dryRun) {
    throw new InputError(
      '--watch cannot be combined with --dry-run',
      'use `plan` (or run --dry-run) to see what a pass would do',
    );
  }
  const settings = buildWatchSettings(argv);
  const { executeWatch, clockOf } = await import('../compose-watch.js');
  const clock = clockOf(settings);
  return withSinks(config, ctx, clock, settings, async (emit) => {
    const result = await executeWatch(config, settings, { emit, signal: ctx.signal, env: ctx.io.env, clock });
    return result.exitCode;
  });
}

export async function agentAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const config = buildRunConfig(argv);
  const settings = buildAgentSettings(argv, ctx.io.env);
  const { executeAgent, clockOf } = await import('../compose-watch.js');
  const clock = clockOf(settings);
  return withSinks(config, ctx, clock, settings, async (emit) => {
    const result = await executeAgent(config, settings, { emit, signal: ctx.signal, env: ctx.io.env, clock });
    return result.exitCode;
  });
}

/** `run` (once): notifications only; a one-shot run serves no metrics. */
export async function notifySinks(argv: ArgvLike, ctx: CommandContext): Promise<Sinks> {
  const { buildNotifySettings } = await import('../config-watch.js');
  const { systemClock } = await import('../../adapters/clock.js');
  return openSinks({
    notify: buildNotifySettings(argv),
    clock: systemClock,
    log: (level, message) => {
      if (level === 'warn' || level === 'error') ctx.io.err.write(`${level}: ${message}\n`);
    },
  });
}
