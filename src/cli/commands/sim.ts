// `sim`: serve a simulated cluster over HTTPS until SIGINT/SIGTERM, and write a kubeconfig that points at it.
// May import: cli/context, cli/help, yargs types, core/errors.

import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';

export function simCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'sim',
    describe: 'Serve a simulated cluster (nodes, pods, PDBs, reboots) for trying this tool or kubectl',
    builder: (y: Argv) =>
      y
        .option('scenario', {
          type: 'string',
          describe: 'Scenario file (YAML or JSON) describing the cluster',
        })
        .option('nodes', { type: 'number', describe: 'Generate a cluster with this many nodes (default 3)' })
        .option('write-kubeconfig', {
          type: 'string',
          demandOption: true,
          describe: 'Write the kubeconfig here (mode 0600)',
        })
        .option('port', {
          type: 'number',
          default: 0,
          describe: 'Port to listen on, on 127.0.0.1; 0 picks a free one',
        })
        .option('time-scale', { type: 'number', default: 1, describe: 'Simulated seconds per real second' })
        .conflicts('scenario', 'nodes')
        .check((argv) => {
          const nodes = argv['nodes'];
          if (
            nodes !== undefined &&
            (!Number.isInteger(nodes) || (nodes as number) < 1 || (nodes as number) > 5000)
          ) {
            throw new InputError(
              `invalid --nodes ${String(nodes)} (accepted: a whole number from 1 to 5000)`,
            );
          }
          const port = argv['port'];
          if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535) {
            throw new InputError(`invalid --port ${String(port)} (accepted: 0 to 65535)`);
          }
          const scale = argv['time-scale'];
          if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > 10_000) {
            throw new InputError(
              `invalid --time-scale ${String(scale)} (accepted: a number above 0, at most 10000)`,
            );
          }
          return true;
        })
        .epilogue(
          examples([
            {
              what: 'A 3-node cluster; then point kubectl or this tool at it',
              cmd: '$0 sim --write-kubeconfig /tmp/sim.kubeconfig',
            },
            {
              what: 'A scenario, ten times faster than real time',
              cmd: '$0 sim --scenario pdb-stuck.yaml --time-scale 10 --write-kubeconfig ./kc',
            },
          ]),
        ),
    handler: async (argv) => {
      const { simAction } = await import('../actions/sim.js');
      ctx.exitCode = await simAction(argv, ctx);
    },
  };
}
