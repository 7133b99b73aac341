// `plan`: what `run` would do now, node by node, with the reason for every decision; changes nothing.
// Thin: options from cli/options, the work in cli/actions/run.
// May import: cli/options, cli/help, cli/context, cli/config, yargs types.

import type { Argv, CommandModule } from 'yargs';
import { checkCrossOptions } from '../config.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { nodesPositional, runOptions } from '../options.js';

export function planCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'plan [nodes..]',
    describe: 'Explain what a run would do now, changing nothing (same as run --dry-run)',
    builder: (y: Argv) =>
      runOptions(nodesPositional(y))
        .check(checkCrossOptions)
        .epilogue(
          examples([
            {
              what: 'What would happen in tonight\u2019s window?',
              cmd: '$0 plan --window "22:00-04:00" --time-zone Europe/Berlin',
            },
            { what: 'As JSON lines', cmd: '$0 plan --log-format json' },
          ]),
        ),
    handler: async (argv) => {
      const { runAction } = await import('../actions/run.js');
      ctx.exitCode = await runAction(argv, ctx, { dryRun: true });
    },
  };
}
