// The concurrency invariant, judged while the simulator's record grows: never more than --concurrency nodes
// down (reboot triggered and not booted, or NotReady) or cordoned by us (not by an admin) at once.
// May import: src/sim (types), soak/checks (types).

import type { RecordEntry } from '../src/sim/record.js';
import type { Violation } from './checks.js';

/**
 * Watches the record as it grows: never more than `concurrency` nodes down (reboot triggered and not booted,
 * or NotReady) or cordoned by us (cordoned, and not one an admin cordoned) at once.
 */
export class ConcurrencyWatch {
  private readonly cordoned = new Set<string>();
  private readonly rebooting = new Set<string>();
  private readonly notReady = new Set<string>();
  readonly violations: Violation[] = [];
  maxBusy = 0;

  constructor(
    private readonly concurrency: number,
    private readonly admin: ReadonlySet<string>,
  ) {}

  observe(e: RecordEntry): void {
    switch (e.kind) {
      case 'cordon':
        if (this.admin.has(e.node)) return;
        if (e.unschedulable) this.cordoned.add(e.node);
        else this.cordoned.delete(e.node);
        break;
      case 'rebootTriggered':
        this.rebooting.add(e.node);
        break;
      case 'reboot':
        this.rebooting.delete(e.node);
        break;
      case 'nodeDown':
        this.notReady.add(e.node);
        break;
      case 'nodeUp':
        this.notReady.delete(e.node);
        break;
      default:
        return;
    }
    const busy = new Set([...this.cordoned, ...this.rebooting, ...this.notReady]);
    this.maxBusy = Math.max(this.maxBusy, busy.size);
    if (busy.size > this.concurrency) {
      this.violations.push({
        invariant: `at most ${this.concurrency} nodes down or cordoned by us`,
        detail: `${busy.size} at sim time ${new Date(e.at).toISOString()} after ${e.kind} ${e.node}: ${[...busy].sort().join(', ')}`,
      });
    }
  }
}
