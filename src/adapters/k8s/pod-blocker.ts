// A Blocker for --blocking-pod-selector (repeatable, ORed): unfinished pods on the node that match any
// selector block its reboot. Selectors are validated by the CLI (core/selector.ts) and sent to the server.
// May import: core and ports.

import type { BlockCheck, Blocker } from '../../ports/blockers.js';
import type { ClusterPort } from '../../ports/cluster.js';

const FINISHED = new Set(['Succeeded', 'Failed']);

export class BlockingPodsBlocker implements Blocker {
  readonly name = 'blocking-pods';

  constructor(
    private readonly cluster: ClusterPort,
    private readonly selectors: readonly string[],
  ) {}

  async check(node?: string): Promise<BlockCheck> {
    if (this.selectors.length === 0) return { blocked: false, reasons: [] };
    if (!node) throw new Error('the blocking-pod check needs a node name');
    const blocking = new Map<string, string>();
    for (const selector of this.selectors) {
      for (const pod of (await this.cluster.listPodsOnNode(node, selector)).items) {
        if (FINISHED.has(pod.phase)) continue;
        const key = `${pod.namespace}/${pod.name}`;
        if (!blocking.has(key)) blocking.set(key, selector);
      }
    }
    const reasons = [...blocking].map(([pod, selector]) => `pod ${pod} matches ${selector}`);
    return { blocked: reasons.length > 0, reasons };
  }
}
