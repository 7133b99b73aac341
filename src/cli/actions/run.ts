// `run` and `plan`: validate every flag first, then one pass through the composition root, rendered by the
// facade (live view on a terminal, plain lines or JSON lines otherwise). Returns the run's exit code.
// May import: core, ui (facade), cli/*.

import type { RunEvent } from '../../core/events.js';
import { chooseMode, createRenderer, type Renderer } from '../../ui/render.js';
import { colorEnabled } from '../../ui/color.js';
import type { ArgvLike } from '../argv-read.js';
import { buildRunConfig, type RunConfig } from '../config.js';
import type { CommandContext } from '../context.js';
import type { ComposeOptions } from '../compose.js';

/** The renderer a command's output settings ask for. */
export function rendererFor(
  config: Pick<RunConfig, 'output'>,
  ctx: CommandContext,
  now?: () => number,
): Renderer {
  const { out, err, env } = ctx.io;
  const mode = chooseMode({ isTTY: out.isTTY === true, ci: env['CI'], logFormat: config.output.logFormat });
  const color = colorEnabled({ isTTY: out.isTTY === true, noColorFlag: !config.output.color, env });
  return createRenderer({
    mode,
    color,
    out,
    err,
    verbose: config.output.verbosity > 0,
    ...(now ? { now } : {}),
  });
}

export async function runAction(
  argv: ArgvLike,
  ctx: CommandContext,
  opts: { readonly dryRun: boolean },
): Promise<number> {
  const { watchAction, notifySinks } = await import('./watch.js');
  if (argv['watch'] === true) return watchAction(argv, ctx);
  const config = buildRunConfig(argv, { dryRun: opts.dryRun });
  const sinks = await notifySinks(argv, ctx);
  try {
    return await runWithConfig(config, ctx, { observe: (e) => sinks.observe(e) });
  } finally {
    await sinks.close();
  }
}

/** Runs once with a built config; the demo calls this too, with its own clock and tuning. */
export async function runWithConfig(
  config: RunConfig,
  ctx: CommandContext,
  extra: Pick<ComposeOptions, 'clock' | 'tuning'> & { readonly observe?: (e: RunEvent) => void } = {},
): Promise<number> {
  const { observe, ...composeExtra } = extra;
  const { executeRun } = await import('../compose.js');
  // The live view's timers read the same clock as the events' times (the simulator's, in the demo).
  const clock = extra.clock;
  const renderer = rendererFor(config, ctx, clock ? () => clock.now() : undefined);
  try {
    const result = await executeRun(config, {
      emit: (e: RunEvent) => {
        renderer.event(e);
        observe?.(e);
      },
      signal: ctx.signal,
      env: ctx.io.env,
      ...composeExtra,
    });
    return result.exitCode;
  } finally {
    await renderer.done();
  }
}
