// `rbac`: print the ServiceAccount, ClusterRole, Role and bindings this tool needs.
// May import: cli/context, cli/help, cli/options, yargs types.

import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { DEFAULTS } from '../options.js';

export function rbacCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'rbac',
    describe: 'Print the least-privilege RBAC (ServiceAccount, ClusterRole, Role, bindings) this tool needs',
    builder: (y: Argv) =>
      y
        .option('pod-namespace', {
          type: 'string',
          default: DEFAULTS.podNamespace,
          describe: 'The tool\u2019s namespace',
        })
        .option('service-account', {
          type: 'string',
          default: 'reboot-daemon',
          describe: 'ServiceAccount to bind',
        })
        .option('events', { type: 'boolean', default: true, describe: 'Allow creating Events (optional)' })
        .option('output', {
          alias: 'o',
          type: 'string',
          choices: ['yaml', 'json'],
          default: 'yaml',
          describe: 'Output format',
        })
        .epilogue(examples([{ what: 'Install the RBAC', cmd: '$0 rbac | kubectl apply -f -' }])),
    handler: async (argv) => {
      const { rbacAction } = await import('../actions/rbac.js');
      ctx.exitCode = await rbacAction(argv, ctx);
    },
  };
}
