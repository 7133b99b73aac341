// Which blocking reasons are in force, per scope (one node, or the whole cluster), so that a block is
// notified once per reason rather than at every tick, and so the metrics show only current reasons.
// A scope is cleared by a 'blocked' event with no reasons, by its node moving on (lock, cordon, drain,
// reboot, back, done: this also clears the cluster-wide scope, since a node could proceed) or by its node's
// result. A cleared reason that comes back counts as new again.
// May import: core.

import type { NodeStep, RunEvent } from '../../core/events.js';

const CLUSTER = '';
const progressSteps: ReadonlySet<NodeStep> = new Set<NodeStep>([
  'lock',
  'cordon',
  'drain',
  'reboot',
  'back',
  'done',
]);

export interface BlockChange {
  /** The node, or undefined for a cluster-wide block. */
  readonly node: string | undefined;
  /** Reasons that were not in force in this scope before this event. */
  readonly added: readonly string[];
  /** All reasons now in force in this scope. */
  readonly current: readonly string[];
}

export class BlockTracker {
  private readonly scopes = new Map<string, ReadonlySet<string>>();

  /** Applies any event. For a 'blocked' event returns what changed; otherwise undefined. */
  apply(e: RunEvent): BlockChange | undefined {
    switch (e.type) {
      case 'blocked': {
        const key = e.node ?? CLUSTER;
        const before = this.scopes.get(key) ?? new Set<string>();
        const current = [...new Set(e.reasons)];
        if (current.length === 0) this.scopes.delete(key);
        else this.scopes.set(key, new Set(current));
        return { node: e.node, added: current.filter((r) => !before.has(r)), current };
      }
      case 'step':
        if (progressSteps.has(e.step)) {
          this.scopes.delete(e.node);
          this.scopes.delete(CLUSTER);
        }
        return undefined;
      case 'node-result':
        this.scopes.delete(e.node);
        return undefined;
      default:
        return undefined;
    }
  }

  /** Every reason in force in any scope, sorted and without repeats. */
  activeReasons(): string[] {
    const all = new Set<string>();
    for (const reasons of this.scopes.values()) for (const r of reasons) all.add(r);
    return [...all].sort();
  }
}
