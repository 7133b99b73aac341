// `version`: print the client version, and the server's when a kubeconfig reaches one quickly.
// May import: cli/context, yargs types.

import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';

export function versionCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'version',
    describe: 'Print the version of this tool, and of the server when reachable',
    builder: (y: Argv) =>
      y
        .option('client', { type: 'boolean', default: false, describe: 'Do not contact the server' })
        .option('output', {
          alias: 'o',
          type: 'string',
          choices: ['text', 'json'],
          default: 'text',
          describe: 'Output format',
        }),
    handler: async (argv) => {
      const { versionAction } = await import('../actions/version.js');
      ctx.exitCode = await versionAction(argv, ctx);
    },
  };
}
