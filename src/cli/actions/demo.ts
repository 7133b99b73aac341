// `demo`: starts a simulated cluster on a fast clock, writes a temporary kubeconfig, and runs the full `run`
// against it in-process through the same composition root, rendering every step. Exits with run's code.
// The app runs on the simulator's clock too, so every wait (boot, Ready for 30 s, PDB retries) is in
// simulated time and the whole pass takes seconds.
// May import: core, ports, cli/*, sim (through cli/actions/sim), node built-ins.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../ports/clock.js';
import type { SimClock } from '../../sim/types.js';
import type { ArgvLike } from '../argv-read.js';
import { buildRunConfig } from '../config.js';
import type { CommandContext } from '../context.js';
import { runWithConfig } from './run.js';
import { startSimulatedCluster } from './sim.js';

/** The app's clock port over the simulator's clock: now() and sleep() in simulated milliseconds. */
export function clockFromSim(sim: SimClock): Clock {
  return {
    now: () => sim.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          cancel();
          reject(signal?.reason);
        };
        const cancel = sim.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export async function demoAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'reboot-daemon-demo-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const timeScale = Number(argv['time-scale'] ?? 30);
  const started = await startSimulatedCluster({
    nodes: Number(argv['nodes'] ?? 5),
    port: 0,
    timeScale,
    kubeconfigPath,
  });
  try {
    const { sim, scenario } = started;
    const needing = scenario.nodes.filter((n) => n.rebootRequired).map((n) => n.name);
    // Only what the demo needs from the global flags; everything else keeps the run defaults.
    const config = buildRunConfig({
      kubeconfig: kubeconfigPath,
      'request-timeout': '10s',
      concurrency: argv['concurrency'] ?? 1,
      'log-format': argv['log-format'],
      color: argv['color'],
      v: argv['v'],
    });
    // With JSON lines on stdout, the introduction goes to stderr so stdout stays machine-readable.
    const intro = config.output.logFormat === 'json' ? ctx.io.err : ctx.io.out;
    intro.write(
      `Demo: a simulated cluster of ${scenario.nodes.length} nodes at ${sim.url}, clock ×${timeScale}.\n` +
        `${needing.length ? `${needing.join(', ')} need a reboot` : 'No node needs a reboot'}; ` +
        `running \`${ctx.scriptName} run --kubeconfig ${kubeconfigPath}\`.\n\n`,
    );
    return await runWithConfig(config, ctx, { clock: clockFromSim(sim.clock) });
  } finally {
    await started.sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
