// `status`: one row per node — Ready, reboot required, what this tool is doing there, the lock, the window.
// Thin: options from cli/options, the work in cli/actions/status.
// May import: cli/options, cli/help, cli/context, yargs types.

import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { nodesPositional, statusOptions } from '../options.js';

export function statusCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'status [nodes..]',
    describe: 'Show each node: Ready, reboot required, progress, lock holders and the window',
    builder: (y: Argv) =>
      statusOptions(nodesPositional(y))
        .option('output', {
          alias: 'o',
          type: 'string',
          choices: ['table', 'wide', 'json', 'yaml'],
          default: 'table',
          describe: 'Output format',
        })
        .epilogue(
          examples([
            { what: 'Show all nodes', cmd: '$0 status' },
            {
              what: 'More columns: zone, roles, kernel, boot ID, last reboot, reasons',
              cmd: '$0 status -o wide',
            },
            {
              what: 'As YAML, for the nodes of one zone',
              cmd: '$0 status -l topology.kubernetes.io/zone=a -o yaml',
            },
          ]),
        ),
    handler: async (argv) => {
      const { statusAction } = await import('../actions/status.js');
      ctx.exitCode = await statusAction(argv, ctx);
    },
  };
}
