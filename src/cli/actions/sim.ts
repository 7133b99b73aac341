// `sim`: a simulated cluster served over HTTPS until SIGINT/SIGTERM, with a kubeconfig written for it.
// May import: core, sim (its public entry points), cli/*, node built-ins.

import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { ArgvLike } from '../argv-read.js';
import { optionalString } from '../argv-read.js';
import type { CommandContext } from '../context.js';
import type { Scenario } from '../../sim/scenario.js';
import type { RunningSim } from '../../sim/index.js';

export interface StartedSim {
  readonly sim: RunningSim;
  readonly scenario: Scenario;
  readonly kubeconfigPath: string;
  readonly timeScale: number;
}

/** Builds the scenario (file or generated), the cluster on a clock `timeScale` times faster, and serves it. */
export async function startSimulatedCluster(opts: {
  readonly scenarioFile?: string;
  readonly nodes?: number;
  readonly port: number;
  readonly timeScale: number;
  readonly kubeconfigPath: string;
}): Promise<StartedSim> {
  const [{ startSim }, { createSimCluster }, scenarios, { realClock }] = await Promise.all([
    import('../../sim/index.js'),
    import('../../sim/cluster.js'),
    import('../../sim/scenario.js'),
    import('../../sim/clock.js'),
  ]);
  let scenario: Scenario;
  if (opts.scenarioFile !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.scenarioFile, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read --scenario ${opts.scenarioFile}: ${(err as Error).message}`);
    }
    try {
      scenario = scenarios.parseScenario(text);
    } catch (err) {
      if (err instanceof scenarios.ScenarioError) {
        throw new InputError(
          `invalid scenario ${opts.scenarioFile}: ${err.message}`,
          'see the scenario examples in the README',
        );
      }
      throw err;
    }
  } else {
    scenario = scenarios.defaultScenario(opts.nodes ?? 3);
  }
  const kubeconfigPath = resolve(opts.kubeconfigPath);
  // Checked before the server starts, so a bad path fails fast and leaves nothing listening.
  try {
    await access(dirname(kubeconfigPath), constants.W_OK);
  } catch (err) {
    throw new InputError(
      `cannot write --write-kubeconfig ${kubeconfigPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'name a file in an existing, writable directory',
    );
  }
  const clock = realClock(opts.timeScale);
  const cluster = createSimCluster({ scenario, clock });
  try {
    const sim = await startSim({ cluster, port: opts.port, kubeconfigPath });
    return { sim, scenario, kubeconfigPath, timeScale: opts.timeScale };
  } catch (err) {
    cluster.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new InputError(
        `cannot listen on port ${opts.port}: ${code}`,
        'pick another --port, or 0 for a free one',
      );
    }
    throw err;
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolveWait) => signal.addEventListener('abort', () => resolveWait(), { once: true }));
}

export async function simAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const scenarioFile = optionalString(argv, 'scenario');
  const nodes = typeof argv['nodes'] === 'number' ? argv['nodes'] : undefined;
  const started = await startSimulatedCluster({
    ...(scenarioFile !== undefined ? { scenarioFile } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
    port: Number(argv['port'] ?? 0),
    timeScale: Number(argv['time-scale'] ?? 1),
    kubeconfigPath: String(argv['write-kubeconfig']),
  });
  const { sim, scenario, kubeconfigPath, timeScale } = started;
  const out = ctx.io.out;
  const needing = scenario.nodes.filter((n) => n.rebootRequired).map((n) => n.name);
  out.write(
    `Simulated cluster: ${scenario.nodes.length} nodes${needing.length ? ` (${needing.join(', ')} need a reboot)` : ''}` +
      `${timeScale !== 1 ? `, clock ×${timeScale}` : ''}\n` +
      `Serving at ${sim.url}\n` +
      `Kubeconfig written to ${kubeconfigPath}\n\n` +
      `  export KUBECONFIG=${kubeconfigPath}\n\n` +
      `Then try: kubectl get nodes; ${ctx.scriptName} status\n` +
      `Press Ctrl-C to stop.\n`,
  );
  await untilAborted(ctx.signal);
  await sim.stop();
  out.write('Simulated cluster stopped.\n');
  return 0;
}
