// The soak's invariants, judged from the simulator's own record of events and its store, never from what
// the CLI says about itself (except "the dead node was reported with exit 1", which is about what it says).
// Each broken invariant is a Violation with the details needed to look into it.
// May import: src/sim (types), soak/*.

import type { RecordEntry } from '../src/sim/record.js';
import type { KObject, Store } from '../src/sim/types.js';
import type { RunInfo } from './lanes.js';
import { IN_PROGRESS_KEY, readRecord, STATE_KEY } from './records.js';
import type { SoakRoles } from './scenario.js';

export { IN_PROGRESS_KEY, STATE_KEY };

export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

export const HELPER_SELECTOR = 'app.kubernetes.io/managed-by=reboot-daemon';
export const LEASE_NAMESPACE = 'reboot-daemon';
export const LEASE_NAME = 'reboot-daemon-lock';
export const HOLDERS_KEY = 'reboot-daemon.io/holders';

/** At most this many violations of one kind are listed; the count still counts them all. */
const LIST_LIMIT = 20;

function countBy(entries: readonly { node: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of entries) m.set(e.node, (m.get(e.node) ?? 0) + 1);
  return m;
}

function of<K extends RecordEntry['kind']>(
  entries: readonly RecordEntry[],
  kind: K,
): Extract<RecordEntry, { kind: K }>[] {
  return entries.filter((e): e is Extract<RecordEntry, { kind: K }> => e.kind === kind);
}

/**
 * Budgets: no eviction took a satisfied PodDisruptionBudget below its desired healthy count, and no reboot
 * did either (a reboot only ever follows a full drain). The simulator records both as pdbViolation.
 */
export function checkBudgets(entries: readonly RecordEntry[]): Violation[] {
  return of(entries, 'pdbViolation').map((v) => ({
    invariant: 'no PDB violated',
    detail: `${v.pdb} by ${v.cause}: ${v.currentHealthy}/${v.desiredHealthy} healthy (${v.detail})`,
  }));
}

/** Each node that needed a reboot was rebooted exactly once (the dead one triggered once), no other node. */
export function checkReboots(
  entries: readonly RecordEntry[],
  nodes: readonly string[],
  roles: SoakRoles,
): Violation[] {
  const booted = countBy(of(entries, 'reboot'));
  const triggered = countBy(of(entries, 'rebootTriggered'));
  const needing = new Set(roles.needing);
  const out: Violation[] = [];
  for (const n of nodes) {
    const b = booted.get(n) ?? 0;
    const t = triggered.get(n) ?? 0;
    if (n === roles.dead) {
      if (t !== 1 || b !== 0)
        out.push({
          invariant: 'the dead node triggered exactly once',
          detail: `${n}: ${t} triggers, ${b} boots`,
        });
    } else if (needing.has(n)) {
      if (b !== 1 || t !== 1)
        out.push({
          invariant: 'each node that needed a reboot rebooted exactly once',
          detail: `${n}: ${t} triggers, ${b} boots`,
        });
    } else if (b !== 0 || t !== 0) {
      out.push({
        invariant: 'no node rebooted that did not need it',
        detail: `${n}: ${t} triggers, ${b} boots`,
      });
    }
  }
  return out;
}

/** No node an admin cordoned was ever uncordoned, and both are still cordoned. */
export function checkAdminCordons(
  entries: readonly RecordEntry[],
  store: Store,
  roles: SoakRoles,
): Violation[] {
  const out: Violation[] = [];
  for (const n of roles.adminCordoned) {
    for (const c of of(entries, 'cordon').filter((x) => x.node === n && !x.unschedulable)) {
      out.push({
        invariant: 'an admin-cordoned node is never uncordoned',
        detail: `${n} uncordoned at sim time ${new Date(c.at).toISOString()}`,
      });
    }
    const node = store.tryGet('nodes', undefined, n);
    if (node?.spec?.unschedulable !== true)
      out.push({
        invariant: 'an admin-cordoned node is never uncordoned',
        detail: `${n} is schedulable at the end`,
      });
  }
  return out;
}

/** A Lease hold as the checks read it (the Lease counts slots only: no phase, no boot ID, a TTL above 0). */
interface Holder {
  readonly node?: unknown;
  readonly owner?: unknown;
  readonly runId?: unknown;
  readonly proc?: unknown;
  readonly ttlMs?: unknown;
}

/** The Lease's holders, or an error text. */
export function leaseHolders(store: Store): Holder[] | string {
  const lease = store.tryGet('leases', LEASE_NAMESPACE, LEASE_NAME);
  if (!lease) return 'no Lease';
  const raw = lease.metadata?.annotations?.[HOLDERS_KEY];
  if (raw === undefined) return 'the Lease has no holders record';
  try {
    const rec = JSON.parse(raw) as { holders?: unknown };
    return Array.isArray(rec.holders) ? (rec.holders as Holder[]) : 'the holders record has no holders list';
  } catch {
    return `the holders record is not JSON: ${raw.slice(0, 200)}`;
  }
}

/**
 * The end state: every node we cordoned is uncordoned but the dead one; no record (and no in-progress label) but
 * the dead node's; no helper pods; the Lease holds nothing. The dead node stays cordoned and keeps its record,
 * past the trigger and never booted, and that record counts against --concurrency; its slot was released.
 */
export function checkEndState(store: Store, roles: SoakRoles): Violation[] {
  const out: Violation[] = [];
  const admin = new Set(roles.adminCordoned);
  for (const n of store.list('nodes').items) {
    const name = n.metadata.name;
    const cordoned = n.spec?.unschedulable === true;
    const state = n.metadata.annotations?.[STATE_KEY];
    const label = n.metadata.labels?.[IN_PROGRESS_KEY];
    if (name === roles.dead) {
      if (!cordoned)
        out.push({ invariant: 'the dead node stays cordoned', detail: `${name} is schedulable` });
      out.push(...deadRecord(name, state, label));
      continue;
    }
    if (cordoned && !admin.has(name))
      out.push({
        invariant: 'every node we cordoned is uncordoned at the end',
        detail: `${name} is cordoned`,
      });
    if (state !== undefined)
      out.push({
        invariant: 'no node is left in progress',
        detail: `${name} still has ${STATE_KEY}: ${state}`,
      });
    if (label !== undefined)
      out.push({
        invariant: 'no node is left in progress',
        detail: `${name} still has ${IN_PROGRESS_KEY}=${label}`,
      });
  }
  const helpers = store.list('pods', { labelSelector: HELPER_SELECTOR }).items;
  for (const p of helpers.slice(0, LIST_LIMIT)) {
    out.push({ invariant: 'no helper pods are left', detail: describePod(p) });
  }
  if (helpers.length > LIST_LIMIT)
    out.push({ invariant: 'no helper pods are left', detail: `and ${helpers.length - LIST_LIMIT} more` });
  const holders = leaseHolders(store);
  if (typeof holders === 'string') {
    out.push({ invariant: 'the Lease holds nothing at the end', detail: holders });
  } else {
    for (const h of holders)
      out.push({
        invariant: 'the Lease holds nothing at the end',
        detail: `${h.node === roles.dead ? 'the dead node is still held' : 'held'}: ${JSON.stringify(h)}`,
      });
  }
  return out;
}

/** The dead node's record: readable, past the trigger and never booted (no new boot ID), labelled in progress. */
function deadRecord(name: string, state: string | undefined, label: string | undefined): Violation[] {
  const invariant = 'the dead node keeps its record, triggered and never booted';
  if (state === undefined) return [{ invariant, detail: `${name} has no ${STATE_KEY}` }];
  const out: Violation[] = [];
  const r = readRecord(state);
  if (typeof r === 'string') out.push({ invariant, detail: `${name}: ${r}` });
  else if (
    !['rebooting', 'reboot-timeout'].includes(r.phase) ||
    r.newBootID !== undefined ||
    r.wasUnschedulable
  )
    out.push({ invariant, detail: `${name}: ${state}` });
  if (label !== 'true')
    out.push({ invariant, detail: `${name} has ${IN_PROGRESS_KEY}=${String(label)}, not true` });
  return out;
}

function describePod(p: KObject): string {
  const labels = Object.entries(p.metadata.labels ?? {})
    .filter(([k]) => k.startsWith('reboot-daemon.io/') || k.startsWith('app.kubernetes.io/'))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const phase = (p.status as { phase?: string } | undefined)?.phase ?? '?';
  return `${p.metadata.namespace ?? ''}/${p.metadata.name} on ${String(p.spec?.nodeName ?? '?')} (${phase}; ${labels})`;
}

/** The dead node was reported failed by a run that exited 1. */
/**
 * Did this run report the dead node failed after its trigger, kept cordoned with its record (a failure
 * before the trigger, an injected drain fault say, is undone and does not count: the node is tried again)?
 */
export function reportsDeadKept(r: RunInfo, roles: SoakRoles): boolean {
  return r.nodeResults.some(
    (n) =>
      n.node === roles.dead && n.outcome === 'failed' && n.reason.includes('it stays cordoned, recorded as'),
  );
}

export function checkDeadReported(runs: readonly RunInfo[], roles: SoakRoles): Violation[] {
  const reported = runs.some((r) => r.exitCode === 1 && reportsDeadKept(r, roles));
  return reported
    ? []
    : [
        {
          invariant: 'the dead node is reported with exit code 1 by the run that owned it',
          detail: `no run exited 1 reporting ${roles.dead} failed`,
        },
      ];
}

/** Runs end with a documented exit code (0, 1 or 3) unless the soak killed them. */
export function checkExitCodes(runs: readonly RunInfo[]): Violation[] {
  return runs
    .filter((r) => !r.killedBySoak && r.endedAt !== undefined && ![0, 1, 3].includes(r.exitCode ?? -1))
    .map((r) => ({
      invariant: 'every run ends with exit code 0, 1 or 3',
      detail: `lane ${r.lane} run ${r.index}: exit ${String(r.exitCode)} signal ${String(r.signal)}: ${r.noise.slice(0, 500)}`,
    }));
}

/** Caps each invariant's list (the total is still counted by the caller). */
export function capped(violations: readonly Violation[]): Violation[] {
  const seen = new Map<string, number>();
  const out: Violation[] = [];
  for (const v of violations) {
    const n = (seen.get(v.invariant) ?? 0) + 1;
    seen.set(v.invariant, n);
    if (n <= LIST_LIMIT) out.push(v);
  }
  for (const [inv, n] of seen) {
    if (n > LIST_LIMIT) out.push({ invariant: inv, detail: `and ${n - LIST_LIMIT} more like these` });
  }
  return out;
}
