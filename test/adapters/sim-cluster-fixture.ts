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

/** The namespace helper pods go to by default, and the label every one of them carries. */
export const HELPER_NS = 'reboot-daemon';
export const HELPER_MANAGED = 'app.kubernetes.io/managed-by=reboot-daemon';

/** How many helper pods exist now (on one node, when given). */
export function helperPodCount(fx: ClusterFixture, node?: string): number {
  const labelSelector =
    node === undefined ? HELPER_MANAGED : `${HELPER_MANAGED},reboot-daemon.io/node=${node}`;
  return fx.sim.store.list('pods', { namespace: HELPER_NS, labelSelector }).items.length;
}

/** The guard a run gives a trigger: the boot ID, and a deadline `ms` from now on the cluster's clock. */
export function guardFor(
  fx: ClusterFixture,
  bootID: string,
  ms = 60_000,
): { bootID: string; notAfter: number } {
  return { bootID, notAfter: fx.cluster.clock.now() + ms };
}
