// `demo`: a simulated 5-node cluster on a fast clock, and a full `run` against it, every step shown.
// May import: core/errors, cli/context, cli/help, yargs types.

import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';

export function demoCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'demo',
    describe: 'Run a full reboot pass against a simulated 5-node cluster and show every step',
    builder: (y: Argv) =>
      y
        .option('nodes', { type: 'number', default: 5, describe: 'Nodes in the simulated cluster' })
        .option('time-scale', { type: 'number', default: 30, describe: 'Simulated seconds per real second' })
        .option('concurrency', { type: 'number', default: 1, describe: 'How many nodes may reboot at once' })
        .check((argv) => {
          const n = argv['nodes'];
          if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 50)
            throw new InputError(`invalid --nodes ${String(n)} (accepted: 1 to 50)`);
          const s = argv['time-scale'];
          if (typeof s !== 'number' || !(s > 0) || s > 1000)
            throw new InputError(`invalid --time-scale ${String(s)} (accepted: above 0, at most 1000)`);
          return true;
        })
        .epilogue(examples([{ what: 'Watch a rolling reboot of five simulated nodes', cmd: '$0 demo' }])),
    handler: async (argv) => {
      const { demoAction } = await import('../actions/demo.js');
      ctx.exitCode = await demoAction(argv, ctx);
    },
  };
}
