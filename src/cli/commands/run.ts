// `run`: one pass — check the nodes, then lock, cordon, drain, reboot and wait for each node that needs it.
// Thin: options from cli/options, the work in cli/actions/run.
// May import: cli/options, cli/help, cli/context, cli/config, yargs types.

import type { Argv, CommandModule } from 'yargs';
import { checkCrossOptions } from '../config.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { nodesPositional, runOptions } from '../options.js';
import { notifyOptions, watchModeOptions } from '../options-watch.js';

export function runCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'run [nodes..]',
    describe: 'Reboot the nodes that need it, one lock slot at a time, then exit',
    builder: (y: Argv) =>
      watchModeOptions(notifyOptions(runOptions(nodesPositional(y))))
        .option('watch', {
          type: 'boolean',
          default: false,
          describe: 'Keep running and reboot nodes whenever they need it (= the watch command)',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Only explain what would happen (= plan)',
        })
        .option('once', { type: 'boolean', default: true, describe: 'Make one pass and exit' })
        .check(checkCrossOptions)
        .epilogue(
          examples([
            { what: 'Reboot every node that needs it, in the default window (any time)', cmd: '$0 run' },
            {
              what: 'Weekdays 2am to 5am Berlin time, two nodes at a time',
              cmd: '$0 run --window "mon-fri 2am-5am" --time-zone Europe/Berlin --concurrency 2',
            },
            {
              what: 'Only workers, and only two named nodes',
              cmd: '$0 run -l node-role.kubernetes.io/worker node-1 node-2',
            },
            {
              what: 'Hold off while Prometheus has alerts firing, except the Watchdog',
              cmd: '$0 run --prometheus-url http://prometheus:9090 --alert-filter-regexp "^Watchdog$"',
            },
            { what: 'Explain without changing anything', cmd: '$0 run --dry-run' },
          ]),
        ),
    handler: async (argv) => {
      const { runAction } = await import('../actions/run.js');
      ctx.exitCode = await runAction(argv, ctx, { dryRun: argv['dry-run'] === true });
    },
  };
}
