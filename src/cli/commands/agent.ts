// `agent`: the DaemonSet mode. Checks this node's sentinel every --period and publishes it on the Node; with
// --reboot, reboots this node itself under the same Lease and safety rules. Thin: work in actions/watch.
// May import: cli/options, cli/options-watch, cli/help, cli/context, cli/config, yargs types.

import type { Argv, CommandModule } from 'yargs';
import { checkCrossOptions } from '../config.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { runOptions } from '../options.js';
import { agentOnlyOptions, notifyOptions, watchModeOptions } from '../options-watch.js';

export function agentCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'agent',
    describe:
      'Run on a node (DaemonSet): publish its reboot sentinel as annotations; with --reboot, reboot it',
    builder: (y: Argv) =>
      agentOnlyOptions(watchModeOptions(notifyOptions(runOptions(y))))
        .check(checkCrossOptions)
        .epilogue(
          examples([
            {
              what: 'Report only (watch mode or status reads the annotations)',
              cmd: '$0 agent --period 10m',
            },
            { what: 'Reboot this node too, at night', cmd: '$0 agent --reboot --window "2am-5am"' },
          ]),
        ),
    handler: async (argv) => {
      const { agentAction } = await import('../actions/watch.js');
      ctx.exitCode = await agentAction(argv, ctx);
    },
  };
}
