// `watch` (= `run --watch`): keep running, and reboot the nodes that need it whenever the window, the
// blockers and the Lease allow. Thin: options from cli/options and cli/options-watch, work in actions/watch.
// May import: cli/options, cli/options-watch, cli/help, cli/context, cli/config, yargs types.

import type { Argv, CommandModule } from 'yargs';
import { checkCrossOptions } from '../config.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { nodesPositional, runOptions } from '../options.js';
import { notifyOptions, watchModeOptions } from '../options-watch.js';

export function watchCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'watch [nodes..]',
    describe: 'Keep running: reboot nodes whenever they need it and the window, blockers and lock allow',
    builder: (y: Argv) =>
      watchModeOptions(notifyOptions(runOptions(nodesPositional(y))))
        .check(checkCrossOptions)
        .epilogue(
          examples([
            { what: 'Weeknights 2am-5am, checking every hour', cmd: '$0 watch --window "mon-fri 2am-5am"' },
            {
              what: 'Tell Slack, and hold off while alerts fire',
              cmd: '$0 watch --notify-url slack://hook:T-B-X@webhook --prometheus-url http://prometheus:9090',
            },
          ]),
        ),
    handler: async (argv) => {
      const { watchAction } = await import('../actions/watch.js');
      ctx.exitCode = await watchAction(argv, ctx);
    },
  };
}
