// A full simulated cluster (behaviours, PDBs, hosts) served over loopback, with real client-node clients.
import { createSimCluster } from '../../src/sim/cluster.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { realClock } from '../../src/sim/clock.js';
import { defaultScenario } from '../../src/sim/scenario-presets.js';
import type { Scenario } from '../../src/sim/scenario-types.js';
import { startFixture } from './sim-fixture.js';
import type { Fixture } from './sim-fixture.js';

export interface ClusterFixture extends Fixture {
  readonly cluster: SimCluster;
}

/** Starts defaultScenario(nodes), edited by `edit`, on a real clock running `timeScale` times faster. */
export async function startClusterFixture(
  nodes: number,
  edit: (s: Scenario) => Scenario = (s) => s,
  timeScale = 20,
): Promise<ClusterFixture> {
  const clock = realClock(timeScale);
  const cluster = createSimCluster({ scenario: edit(defaultScenario(nodes)), clock });
  const fx = await startFixture({ cluster });
  return { ...fx, cluster };
}
