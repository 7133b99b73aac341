// The drain's plan for one node, from the cluster: its pods (listed, optionally narrowed by --drain-pod-selector)
// and whether the DaemonSets they name still exist, judged by the pure filters of core/filters.
// DaemonSet lookups are cheap: one GET per DaemonSet not yet seen alive in this run. A DaemonSet seen alive is
// not read again (if it is deleted later, the garbage collector deletes its pods, so nothing is lost by leaving
// them); a missing or unreadable one is never cached, so every orphan verdict comes from a fresh read made just
// before the drain that acts on it.
// May import: core, ports.

import { daemonSetToCheck, type DaemonSetFact, type DrainFacts } from '../core/daemonset-owner.js';
import { planDrain, type DrainFilterOptions, type DrainPlan } from '../core/filters.js';
import type { PodView } from '../core/types.js';
import type { ClusterPort, PodsOnNode } from '../ports/cluster.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** One per run (or plan): remembers the DaemonSets seen alive, by namespace/name, with their uid. */
export class DaemonSetLookup {
  private readonly alive = new Map<string, string>();

  constructor(private readonly cluster: Pick<ClusterPort, 'getDaemonSet'>) {}

  /** What is known of each DaemonSet these pods name: from this run's memory when it confirms the owner. */
  async facts(pods: readonly PodView[]): Promise<DrainFacts> {
    const uids = new Map<string, Set<string>>(); // the uids the pods' references name, per DaemonSet
    for (const p of pods) {
      const key = daemonSetToCheck(p);
      if (key === undefined) continue;
      const set = uids.get(key) ?? new Set<string>();
      if (p.owner?.uid) set.add(p.owner.uid);
      uids.set(key, set);
    }
    const daemonSets = new Map<string, DaemonSetFact>();
    await Promise.all(
      [...uids].map(async ([key, refs]) => {
        const known = this.alive.get(key);
        if (known !== undefined && [...refs].every((u) => u === known)) {
          daemonSets.set(key, { kind: 'exists', uid: known });
          return;
        }
        daemonSets.set(key, await this.read(key));
      }),
    );
    return { daemonSets };
  }

  private async read(key: string): Promise<DaemonSetFact> {
    const slash = key.indexOf('/');
    try {
      const found = await this.cluster.getDaemonSet(key.slice(0, slash), key.slice(slash + 1));
      if (found === undefined) {
        this.alive.delete(key);
        return { kind: 'missing' };
      }
      this.alive.set(key, found.uid);
      return { kind: 'exists', uid: found.uid };
    } catch (err) {
      return { kind: 'unreadable', error: errorText(err) };
    }
  }
}

/** Lists the node's pods and plans their drain; `now` is on the API server's clock (deletion timestamps are). */
export async function planNodeDrain(
  cluster: Pick<ClusterPort, 'listPodsOnNode'>,
  lookup: DaemonSetLookup,
  node: string,
  opts: DrainFilterOptions & { readonly podSelector?: string },
  now: () => number,
): Promise<{ readonly listed: PodsOnNode; readonly plan: DrainPlan }> {
  const listed = await cluster.listPodsOnNode(node, opts.podSelector);
  const facts = await lookup.facts(listed.items);
  return { listed, plan: planDrain(listed.items, opts, now(), facts) };
}
