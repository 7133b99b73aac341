// The CLI entry: builds the yargs parser from thin command modules, runs one command and returns its exit code.
// Never exits the process; bin/ sets process.exitCode. Errors: InputError -> message and hint, exit 2;
// RebootDaemonError -> its exit code; anything else -> 1.
// May import: core/errors, cli/*, yargs.

import { basename } from 'node:path';
import yargs from 'yargs';
import { ExitCode, InputError, RebootDaemonError, formatError } from '../core/errors.js';
import { agentCommand } from './commands/agent.js';
import { demoCommand } from './commands/demo.js';
import { planCommand } from './commands/plan.js';
import { rbacCommand } from './commands/rbac.js';
import { runCommand } from './commands/run.js';
import { simCommand } from './commands/sim.js';
import { statusCommand } from './commands/status.js';
import { versionCommand } from './commands/version.js';
import { watchCommand } from './commands/watch.js';
import type { CliIO, CommandContext } from './context.js';
import { isAbort } from './context.js';
import { envMiddleware } from './env.js';
import { joinNegativeValues } from './argv-read.js';
import { examples, kubectlHelp } from './help.js';
import { globalOptions } from './options.js';

const DESCRIPTION =
  'Reboot Kubernetes nodes safely, from outside the cluster: read each node\u2019s reboot sentinel, respect\n' +
  'maintenance windows and blockers, hold a Lease lock, drain with PDBs honoured, and prove the reboot by bootID.\n' +
  'Every flag may also be set as REBOOT_DAEMON_<FLAG>, e.g. REBOOT_DAEMON_CONCURRENCY=2.';

/** "kubectl reboot-daemon" when started as the kubectl plugin (kubectl-reboot_daemon), else "reboot-daemon". */
export function scriptNameFor(argv1: string | undefined, args: readonly string[]): string {
  // The completion script names a shell function after the program, which must be one word.
  if (args[0] === 'completion' || args.includes('--get-yargs-completions')) return 'reboot-daemon';
  return argv1 !== undefined && basename(argv1).startsWith('kubectl-')
    ? 'kubectl reboot-daemon'
    : 'reboot-daemon';
}

let pipeGuarded = false;

function processIO(): CliIO {
  // `reboot-daemon rbac | head`: a closed pipe ends the output quietly instead of crashing. A run that is
  // under way keeps going (stopping mid-drain would be worse); only its output is lost.
  if (!pipeGuarded) {
    pipeGuarded = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      });
    }
  }
  return { out: process.stdout, err: process.stderr, env: process.env, argv1: process.argv[1] };
}

/** Aborts on the first SIGINT/SIGTERM; a second one gets Node's default (immediate exit). */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    dispose();
    ac.abort(new DOMException(`interrupted by ${sig}`, 'AbortError'));
  };
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: ac.signal, dispose };
}

const COMMANDS = ['status', 'plan', 'run', 'watch', 'agent', 'sim', 'demo', 'rbac', 'version', 'completion'];

/** Thrown from yargs' fail() for bad usage: unknown flag, missing argument, bad choice. */
class UsageError extends InputError {}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const scriptName = scriptNameFor(io.argv1, argv);
  const interrupt = io.signal ? undefined : interruptSignal();
  const ctx: CommandContext = {
    io,
    scriptName,
    signal: io.signal ?? interrupt!.signal,
    exitCode: ExitCode.Ok,
  };
  const width = Math.min(io.out.columns ?? 100, 120);
  const parser = globalOptions(
    yargs()
      .scriptName(scriptName)
      .usage(`$0 <command> [options]\n\n${DESCRIPTION}`)
      .parserConfiguration({
        'duplicate-arguments-array': true,
        'strip-aliased': true,
        'camel-case-expansion': false,
      })
      .strict()
      .exitProcess(false)
      .version(false)
      .help('help')
      .alias('help', 'h')
      .wrap(width)
      .completion(
        'completion',
        'Print a shell completion script (bash, zsh): reboot-daemon completion >> ~/.bashrc',
      )
      .command(statusCommand(ctx))
      .command(planCommand(ctx))
      .command(runCommand(ctx))
      .command(watchCommand(ctx))
      .command(agentCommand(ctx))
      .command(simCommand(ctx))
      .command(demoCommand(ctx))
      .command(rbacCommand(ctx))
      .command(versionCommand(ctx))
      .middleware(envMiddleware(io.env, argv), true)
      .demandCommand(1, 'name a command')
      .recommendCommands()
      .epilogue(
        examples([
          {
            what: 'Show which nodes need a reboot, and why each would or would not start now',
            cmd: '$0 status',
          },
          {
            what: 'Explain what a run would do, changing nothing',
            cmd: '$0 run --dry-run --window "mon-fri 02:00-05:00"',
          },
          { what: 'Reboot the nodes that need it, two at a time', cmd: '$0 run --concurrency 2' },
          { what: 'Watch a full run against a simulated cluster', cmd: '$0 demo' },
        ]),
      )
      .fail((msg, err) => {
        const command = argv.find((a) => COMMANDS.includes(a));
        throw (
          err ?? new UsageError(msg, `run "${scriptName}${command ? ` ${command}` : ''} --help" for usage`)
        );
      }),
  );
  let helpText = '';
  try {
    await parser.parseAsync(joinNegativeValues(argv), {}, (_err, _args, output) => {
      helpText = output;
    });
    if (helpText) {
      const isHelp = argv.includes('--help') || argv.includes('-h');
      io.out.write(
        isHelp ? kubectlHelp(helpText, scriptName) : helpText.endsWith('\n') ? helpText : `${helpText}\n`,
      );
    }
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, io, ctx.signal);
  } finally {
    interrupt?.dispose();
  }
}

function reportError(err: unknown, io: CliIO, signal: AbortSignal): number {
  if (signal.aborted && isAbort(err)) {
    io.err.write('interrupted\n');
    return 130;
  }
  if (err instanceof RebootDaemonError) {
    io.err.write(`error: ${formatError(err)}\n`);
    return err.exitCode;
  }
  io.err.write(`error: ${formatError(err)}\n`);
  if (err instanceof Error && err.stack && process.env['REBOOT_DAEMON_DEBUG']) io.err.write(`${err.stack}\n`);
  return ExitCode.NodeFailed;
}
