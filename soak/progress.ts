// The soak's progress: what is left before it is done, and one line about each run that ended.
// May import: src/sim (types), soak/*.

import type { Store } from '../src/sim/types.js';
import { checkDeadReported, leaseHolders, STATE_KEY } from './checks.js';
import type { RunInfo } from './lanes.js';
import type { SoakRoles } from './scenario.js';

/**
 * What is left before the soak is done: every node but the dead one rebooted and finished, the dead one
 * reported, and nothing else in the Lease. Empty when done.
 */
export function workLeft(
  store: Store,
  roles: SoakRoles,
  rebooted: ReadonlySet<string>,
  runs: readonly RunInfo[],
): string[] {
  const left: string[] = [];
  const notYet = roles.needing.filter((n) => n !== roles.dead && !rebooted.has(n));
  if (notYet.length > 0) left.push(`not rebooted yet: ${notYet.join(', ')}`);
  const inProgress = store
    .list('nodes')
    .items.filter((n) => n.metadata.name !== roles.dead && n.metadata.annotations?.[STATE_KEY] !== undefined)
    .map((n) => n.metadata.name);
  if (inProgress.length > 0) left.push(`still in progress: ${inProgress.join(', ')}`);
  const holders = leaseHolders(store);
  if (typeof holders === 'string') left.push(`Lease: ${holders}`);
  else {
    const others = holders.filter((h) => h.node !== roles.dead).map((h) => String(h.node));
    if (others.length > 0) left.push(`still held: ${others.join(', ')}`);
  }
  if (checkDeadReported(runs, roles).length > 0) left.push(`${roles.dead} not reported failed yet`);
  return left;
}

/** The first line of a message (API errors carry their whole HTTP answer on later lines). */
const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/** One line about a run that ended: how, and what it did with each node. */
export function describeRun(r: RunInfo): string {
  const how = r.killedBySoak ? 'SIGKILLed' : `exit ${String(r.exitCode ?? r.signal)}`;
  const secs = (((r.endedAt ?? Date.now()) - r.startedAt) / 1000).toFixed(1);
  const nodes = r.nodeResults
    .filter((n) => n.outcome !== 'skipped' || !n.reason.startsWith('lock held'))
    .map((n) => `${n.node} ${n.outcome}${n.outcome === 'rebooted' ? '' : ` (${firstLine(n.reason)})`}`);
  const end = r.endReason ? ` [${firstLine(r.endReason)}]` : '';
  const probes =
    r.unknownProbes.length > 0 ? ` {unknown checks: ${r.unknownProbes.map(firstLine).join('; ')}}` : '';
  return `run ${r.lane}#${r.index} ${how} after ${secs}s${end}${probes}${nodes.length > 0 ? `: ${nodes.join('; ')}` : ''}`;
}
