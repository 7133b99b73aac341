// The invariants of the interleaving explorer, judged on the world's state (nodes, Lease, host reboots), never on
// the runners' events: one host reboot per need and none without one; never more nodes disrupted than the limits;
// admin cordons kept; nothing cordoned by us without a record; no trigger without passing the gates just before
// it; no eviction or reboot through a PDB; no live hold taken from the Lease; fencing generations never go back;
// every time written on the server's clock. Soft findings (races a gate cannot close) are counted, not failed.
// May import: core, ports, test/support, test/explore.

import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { parseLockRecord, type LockHolder } from '../../src/core/lock.js';
import { countsInProgress, parseNodeRecord } from '../../src/core/machine.js';
import { matchesSpec } from '../../src/core/selector.js';
import type { ProcessIdentity } from '../../src/ports/process.js';
import type { MemNode, MemPod } from '../support/memory-cluster.js';
import { pdbStatus } from '../support/memory-model.js';
import type { World } from '../support/memory-ports.js';
import type { CallOwner, HeldCall } from './scheduler.js';
import { blockedAt, windowAt, type GateSpec } from './world.js';

export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Seconds of server time since the start. */
  readonly at: number;
}

/** What the oracle knows of a runner. */
export interface RunnerInfo {
  readonly name: string;
  readonly runId: string;
  readonly identity: ProcessIdentity;
  readonly gates: GateSpec;
  /** Its --skip-wait-for-delete-timeout, in seconds (0: every pod is waited for). */
  readonly skipWaitS: number;
  /** Server time the runner started. */
  readonly startedAt: number;
}

export interface TriggerRecord {
  readonly node: string;
  readonly bootID: string;
  readonly by: string;
  readonly at: number;
  /** The window and the blocker at the server instant of the trigger. */
  readonly windowOpen: boolean;
  readonly blockerAllowed: boolean;
  readonly excluded: boolean;
}

export interface Stats {
  triggers: number;
  /** Triggers at an instant the window was closed or the blocker said no, after gates that passed just before. */
  racedWindow: number;
  racedBlocker: number;
  excludedAtTrigger: number;
  takeovers: number;
  leaseDrops: number;
}

interface GateTrack {
  /** Event numbers of window evaluations that allowed a start, with their server time. */
  windowOk: { seq: number; at: number }[];
  blockerOk: Map<string, number[]>;
  /** Event numbers of this runner's node writes, per node. */
  writes: Map<string, number[]>;
}

const SLACK_MS = 1_000;

export class Oracle {
  readonly violations: Violation[] = [];
  readonly notes: string[] = [];
  readonly triggers: TriggerRecord[] = [];
  readonly stats: Stats = {
    triggers: 0,
    racedWindow: 0,
    racedBlocker: 0,
    excludedAtTrigger: 0,
    takeovers: 0,
    leaseDrops: 0,
  };
  /** Needs as (node, boot ID): created when the sentinel is set, consumed by the host reboot of that boot. */
  private readonly needs = new Map<string, Set<string>>();
  private readonly consumed = new Set<string>();
  /** Nodes the admin cordoned while they were schedulable (and the ones cordoned before the explorer started). */
  readonly adminCordoned = new Set<string>();
  readonly excluded = new Set<string>();
  private readonly rebooting = new Map<string, boolean>();
  private readonly gates = new Map<string, GateTrack>();
  private seq = 0;
  private seen = new Set<string>();

  constructor(
    private readonly w: World,
    private readonly limits: { readonly concurrency: number; readonly maxPerZone: number },
    private readonly lookup: (owner: CallOwner | undefined) => RunnerInfo | undefined,
    private readonly current: () => CallOwner | undefined,
    private readonly start: number,
    /** Invariants (by name prefix) whose breaches are only noted: to hunt for others while one is known. */
    private readonly allow: readonly string[] = [],
    /** Is the run with this ID still running (alive, not finished)? It may still write what it holds. */
    private readonly running: (runId: string) => boolean = () => true,
  ) {
    for (const n of w.mem.nodes.values()) {
      this.rebooting.set(n.name, n.rebooting);
      if (n.sentinel === 'required') this.addNeed(n.name, n.bootID);
      if (n.unschedulable) this.adminCordoned.add(n.name);
    }
  }

  get failed(): boolean {
    return this.violations.length > 0;
  }

  private now(): number {
    return this.w.clock.now();
  }

  fail(invariant: string, message: string): void {
    const key = `${invariant}|${message}`;
    if (this.seen.has(key) || this.violations.length >= 5) return;
    this.seen.add(key);
    if (this.allow.some((a) => invariant.startsWith(a))) {
      this.notes.push(`(allowed) ${invariant}: ${message}`);
      return;
    }
    this.violations.push({ invariant, message, at: Math.round((this.now() - this.start) / 1000) });
  }

  addNeed(node: string, bootID: string): void {
    const set = this.needs.get(node) ?? new Set<string>();
    set.add(bootID);
    this.needs.set(node, set);
  }

  private track(runner: string): GateTrack {
    let t = this.gates.get(runner);
    if (t === undefined) {
      t = { windowOk: [], blockerOk: new Map(), writes: new Map() };
      this.gates.set(runner, t);
    }
    return t;
  }

  // ---- what the runners evaluate -------------------------------------------------------------------------

  /**
   * A runner judged the window at `now`: a server time (not later than the server's now, not before the runner
   * started; a local clock hours off is neither). A start it allows is remembered, at the instant it judged.
   */
  windowEvaluated(runner: RunnerInfo, now: number, canStart: boolean): void {
    if (now > this.now() + SLACK_MS || now < runner.startedAt - SLACK_MS)
      this.fail(
        'server-time',
        `${runner.name} judged the window at ${new Date(now).toISOString()}, but the server's time is ${new Date(this.now()).toISOString()}`,
      );
    if (canStart) this.track(runner.name).windowOk.push({ seq: ++this.seq, at: now });
  }

  blockerEvaluated(runner: string, node: string | undefined, blocked: boolean): void {
    if (blocked || node === undefined) return;
    const t = this.track(runner);
    const list = t.blockerOk.get(node) ?? [];
    list.push(++this.seq);
    t.blockerOk.set(node, list);
  }

  // ---- the calls, as they run ----------------------------------------------------------------------------

  /** Sees each released call: the world before and after its synchronous part. */
  observe(call: HeldCall, invoke: () => unknown): unknown {
    const madeAt = call.madeAt;
    const key = `${call.port}.${call.method}`;
    if (key === 'cluster.patchNode') {
      const name = call.args[0] as string;
      const n = this.w.mem.nodes.get(name);
      const before = n ? { rv: n.rv, state: n.annotations[STATE_ANNOTATION] } : undefined;
      const out = invoke();
      if (n && before && n.rv !== before.rv) this.nodeWritten(call.owner, n, before.state, madeAt);
      return out;
    }
    if (key === 'cluster.evictPod' || key === 'cluster.deletePod') {
      const ref = call.args[0] as { namespace: string; name: string; uid: string };
      const pod = this.w.mem.pods.get(`${ref.namespace}/${ref.name}`);
      const guarded = pod && pod.uid === ref.uid ? this.pdbGuard(pod) : undefined;
      const wasTerminating = pod?.deletionTimestamp !== undefined;
      const out = invoke();
      if (pod && guarded && !wasTerminating && pod.deletionTimestamp !== undefined && guarded.allowed <= 0)
        this.fail(
          'I6 pdb',
          `${call.owner.name} ${call.method === 'evictPod' ? 'evicted' : 'deleted'} ${ref.namespace}/${ref.name} while PDB ${guarded.pdb} allowed ${guarded.allowed} disruptions`,
        );
      return out;
    }
    if (key === 'lease.update' || key === 'lease.create') {
      const before = this.w.lease.lease;
      const beforeRv = before?.rv;
      const beforeText = before?.record;
      const out = invoke();
      if (this.w.lease.lease?.rv !== beforeRv)
        this.leaseWritten(call.owner, beforeText, this.w.lease.lease?.record, madeAt);
      return out;
    }
    return invoke();
  }

  private pdbGuard(pod: MemPod): { pdb: string; allowed: number } | undefined {
    if (pod.phase !== 'Running') return undefined;
    const pdb = this.w.mem.pdbs.find(
      (b) => b.namespace === pod.namespace && matchesSpec(b.selector, pod.labels),
    );
    if (pdb === undefined) return undefined;
    return {
      pdb: `${pdb.namespace}/${pdb.name}`,
      allowed: pdbStatus(pdb, this.w.mem.pods.values()).disruptionsAllowed,
    };
  }

  private holdLive(h: LockHolder, writer: RunnerInfo | undefined): boolean {
    const live = h.renewedAt + h.ttlMs >= this.now();
    if (!live) return false;
    const liveness = writer ? this.w.procs.infoFor(writer.identity).liveness(h.proc) : 'unknown';
    return liveness !== 'dead';
  }

  private nodeWritten(owner: CallOwner, n: MemNode, beforeText: string | undefined, madeAt: number): void {
    const info = this.lookup(owner);
    if (info === undefined) return;
    const t = this.track(info.name);
    const list = t.writes.get(n.name) ?? [];
    list.push(++this.seq);
    t.writes.set(n.name, list);
    const before = parseNodeRecord(beforeText);
    const after = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
    if (after.kind === 'ok') {
      const r = after.record;
      // A takeover keeps the record's times; only a time this write changed on its own record is judged.
      const own = before.kind !== 'ok' || before.record.token.runId === r.token.runId;
      const changedSince = own && (before.kind !== 'ok' || before.record.since !== r.since);
      if (changedSince && (r.since > madeAt + SLACK_MS || r.since < info.startedAt - SLACK_MS))
        this.fail(
          'server-time',
          `${info.name} wrote ${n.name}'s record with since ${new Date(r.since).toISOString()}, not on the server's clock (${new Date(madeAt).toISOString()})`,
        );
    }
    if (before.kind !== 'ok' || before.record.token.runId === info.runId) return;
    // Someone else's record was replaced or cleared.
    this.stats.takeovers++;
    const old = before.record.token;
    if (after.kind === 'ok' && after.record.token.runId !== old.runId && after.record.token.gen <= old.gen)
      this.fail(
        'fencing',
        `${info.name} wrote ${n.name}'s record at generation ${after.record.token.gen} over ${old.runId}'s generation ${old.gen}`,
      );
    if (after.kind === 'ok' && after.record.token.runId === old.runId && after.record.token.gen === old.gen)
      this.fail('fencing', `${info.name} wrote ${n.name}'s record under ${old.runId}'s token`);
  }

  private leaseWritten(
    owner: CallOwner,
    beforeText: string | undefined,
    afterText: string | undefined,
    madeAt: number,
  ): void {
    const info = this.lookup(owner);
    const before = parseLockRecord(beforeText);
    const after = parseLockRecord(afterText);
    if (!after.ok) {
      this.fail('lease', `${owner.name} wrote an unreadable lock record: ${after.error}`);
      return;
    }
    if (!before.ok) return;
    const taking = after.record.holders
      .filter(
        (x) =>
          x.runId === info?.runId &&
          !before.record.holders.some((y) => y.node === x.node && y.runId === x.runId),
      )
      .map((x) => x.node);
    for (const h of before.record.holders) {
      if (info !== undefined && h.runId === info.runId) continue;
      const kept = after.record.holders.some((x) => x.node === h.node && x.runId === h.runId);
      if (kept) continue;
      this.stats.leaseDrops++;
      // The fence: a dead hold leaves the Lease only once the intent its run left on the node is cleared (what
      // matters while that run still runs: it may go on to cordon the node, with no slot).
      const rec = parseNodeRecord(this.w.mem.nodes.get(h.node)?.annotations[STATE_ANNOTATION]);
      if (
        rec.kind === 'ok' &&
        rec.record.phase === 'locked' &&
        rec.record.token.runId === h.runId &&
        this.running(h.runId)
      )
        this.fail(
          'unfenced-drop',
          `${owner.name} dropped the hold of run ${h.runId} on ${h.node}${taking.length > 0 ? ` (taking a slot for ${taking.join(', ')})` : ''} while that run, still running, has its intent (locked, generation ${rec.record.token.gen}) on ${h.node}`,
        );
      if (this.holdLive(h, info))
        this.fail(
          'live-hold',
          `${owner.name} dropped the live hold of ${h.owner} run ${h.runId} on ${h.node} (renewed ${Math.round((this.now() - h.renewedAt) / 1000)}s ago, TTL ${h.ttlMs / 1000}s, process ${h.proc.id} ${this.w.procs.isAlive(h.proc.id) ? 'alive' : 'dead'})`,
        );
    }
    if (info === undefined) return;
    // A run's own hold goes away only by its release; never by its own write for another node while it still
    // works on this one (its record is on the node), for then the node is in progress with no slot and no fence.
    const adds = after.record.holders.some(
      (h) =>
        h.runId === info.runId &&
        !before.record.holders.some((x) => x.node === h.node && x.runId === h.runId),
    );
    for (const h of before.record.holders) {
      if (h.runId !== info.runId || !adds) continue;
      if (after.record.holders.some((x) => x.node === h.node && x.runId === h.runId)) continue;
      const rec = parseNodeRecord(this.w.mem.nodes.get(h.node)?.annotations[STATE_ANNOTATION]);
      if (rec.kind === 'ok' && rec.record.token.runId === info.runId)
        this.fail(
          'own-hold',
          `${info.name} dropped its own hold on ${h.node} (renewed ${Math.round((this.now() - h.renewedAt) / 1000)}s ago, TTL ${h.ttlMs / 1000}s) while taking another slot, with its ${rec.record.phase} record still on ${h.node}`,
        );
    }
    for (const h of after.record.holders) {
      if (h.runId !== info.runId) continue;
      const prev = before.record.holders.find((x) => x.node === h.node && x.runId === h.runId);
      if (prev && prev.renewedAt === h.renewedAt) continue;
      if (
        h.renewedAt > madeAt + SLACK_MS ||
        h.renewedAt < info.startedAt - SLACK_MS ||
        h.acquiredAt > h.renewedAt
      )
        this.fail(
          'server-time',
          `${info.name} wrote its hold on ${h.node} renewed at ${new Date(h.renewedAt).toISOString()}, not on the server's clock (${new Date(madeAt).toISOString()})`,
        );
    }
  }

  // ---- the world, after every change -----------------------------------------------------------------------

  /** Called synchronously at every change of the cluster: host reboots are seen as they start. */
  onChange(): void {
    for (const n of this.w.mem.nodes.values()) {
      const was = this.rebooting.get(n.name) ?? false;
      if (n.rebooting && !was) this.hostReboot(n);
      this.rebooting.set(n.name, n.rebooting);
    }
    this.checkState();
  }

  private hostReboot(n: MemNode): void {
    const now = this.now();
    const owner = this.current();
    const info = this.lookup(owner);
    const by = info?.name ?? 'the kubelet (re-run)';
    this.stats.triggers++;
    // I1: one reboot per need, none without one.
    const key = `${n.name}@${n.bootID}`;
    if (this.consumed.has(key))
      this.fail('I1 need', `${n.name} rebooted twice on boot ${n.bootID} (by ${by})`);
    else if (!this.needs.get(n.name)?.has(n.bootID))
      this.fail('I1 need', `${n.name} rebooted on boot ${n.bootID} without a need (by ${by})`);
    else this.consumed.add(key);
    // I5: the gates, just before the trigger.
    const windowOpen = info ? windowAt(info.gates, now).open : true;
    const blockerAllowed = info ? !blockedAt(info.gates, n.name, now) : true;
    const excluded = n.labels['reboot-daemon.io/exclude'] === 'true';
    this.triggers.push({ node: n.name, bootID: n.bootID, by, at: now, windowOpen, blockerAllowed, excluded });
    if (excluded) this.stats.excludedAtTrigger++;
    if (info) {
      const t = this.track(info.name);
      const writes = t.writes.get(n.name) ?? [];
      const lo = writes[writes.length - 2];
      const hi = writes[writes.length - 1];
      const inEpoch = (s: number): boolean => lo !== undefined && hi !== undefined && s > lo && s < hi;
      const windowPass = t.windowOk.filter((x) => inEpoch(x.seq)).at(-1);
      const blockerPass = (t.blockerOk.get(n.name) ?? []).some(inEpoch);
      if (windowPass === undefined || !blockerPass)
        this.fail(
          'I5 gates',
          `${info.name} triggered ${n.name} without ${windowPass === undefined ? 'the window' : 'the blocker'} allowing it between its last two writes of the node`,
        );
      else if (!windowOpen) {
        if (now - windowPass.at <= info.gates.marginMs)
          this.fail(
            'I5 gates',
            `${info.name} triggered ${n.name} outside the window, ${Math.round((now - windowPass.at) / 1000)}s after a gate that allowed it`,
          );
        else {
          this.stats.racedWindow++;
          this.notes.push(
            `${info.name} triggered ${n.name} outside the window, ${Math.round((now - windowPass.at) / 1000)}s after its gate passed`,
          );
        }
      }
      if (!blockerAllowed) {
        this.stats.racedBlocker++;
        this.notes.push(
          `${info.name} triggered ${n.name} while the blocker said no (it allowed it just before)`,
        );
      }
    }
    // I6: the drain waited for the pods: none still terminating on the node, unless for longer than --skip-wait.
    if (info)
      for (const p of this.w.mem.pods.values()) {
        if (p.node !== n.name || p.deletionTimestamp === undefined || p.owner?.kind === 'DaemonSet') continue;
        const age = now - p.deletionTimestamp;
        if (info.skipWaitS === 0 || age <= info.skipWaitS * 1000)
          this.fail(
            'I6 drain',
            `${info.name} rebooted ${n.name} while ${p.namespace}/${p.name.replace(/-r\d+$/, '-r*')} was terminating there for ${Math.round(age / 1000)}s${info.skipWaitS ? `, less than --skip-wait-for-delete-timeout=${info.skipWaitS}` : ''}`,
          );
      }
    // I6: a reboot takes down the PDB's pods still on the node.
    for (const pdb of this.w.mem.pdbs) {
      const onNode = [...this.w.mem.pods.values()].filter(
        (p) =>
          p.node === n.name &&
          p.namespace === pdb.namespace &&
          matchesSpec(pdb.selector, p.labels) &&
          p.ready &&
          p.deletionTimestamp === undefined,
      ).length;
      if (onNode === 0) continue;
      const status = pdbStatus(pdb, this.w.mem.pods.values());
      if (status.currentHealthy - onNode < pdb.minAvailable)
        this.fail(
          'I6 pdb',
          `${by} rebooted ${n.name} with ${onNode} Ready pod(s) of ${pdb.namespace}/${pdb.name} on it: ${status.currentHealthy - onNode}/${pdb.minAvailable} left`,
        );
    }
  }

  /** I2, I3, I4 on the nodes as they are now. */
  checkState(): void {
    const disrupted: MemNode[] = [];
    for (const n of this.w.mem.nodes.values()) {
      const record = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
      const ourCordon = n.unschedulable && !this.adminCordoned.has(n.name);
      if (countsInProgress(record) || ourCordon || n.rebooting || n.ready !== 'True') disrupted.push(n);
      if (this.adminCordoned.has(n.name) && !n.unschedulable)
        this.fail('I3 admin cordon', `${n.name} was cordoned by the admin and is schedulable again`);
      if (ourCordon && record.kind === 'none')
        this.fail(
          'I4 cordon without record',
          `${n.name} is cordoned, not by the admin, and carries no state record`,
        );
    }
    if (disrupted.length > this.limits.concurrency)
      this.fail(
        'I2 concurrency',
        `${disrupted.length} nodes disrupted at once (${disrupted.map((n) => this.describe(n)).join(', ')}), concurrency ${this.limits.concurrency}`,
      );
    if (this.limits.maxPerZone > 0) {
      const zones = new Map<string, MemNode[]>();
      for (const n of disrupted) if (n.zone) zones.set(n.zone, [...(zones.get(n.zone) ?? []), n]);
      for (const [zone, list] of zones)
        if (list.length > this.limits.maxPerZone)
          this.fail(
            'I2 zone',
            `${list.length} nodes disrupted in zone ${zone} (${list.map((n) => this.describe(n)).join(', ')}), max-per-zone ${this.limits.maxPerZone}`,
          );
    }
  }

  private describe(n: MemNode): string {
    const r = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
    const bits = [
      r.kind === 'ok'
        ? `${r.record.phase} by ${r.record.token.runId}`
        : r.kind === 'unreadable'
          ? 'unreadable'
          : undefined,
      n.unschedulable ? (this.adminCordoned.has(n.name) ? 'admin-cordoned' : 'cordoned') : undefined,
      n.rebooting ? 'rebooting' : n.ready !== 'True' ? `Ready=${n.ready}` : undefined,
    ].filter(Boolean);
    return `${n.name}[${bits.join(' ')}]`;
  }

  /** I7, after the final clean runner: nothing left cordoned by us without a record; what is still pending. */
  finalCheck(): { pendingNeeds: string[]; leftRecorded: string[] } {
    const pendingNeeds: string[] = [];
    const leftRecorded: string[] = [];
    for (const n of this.w.mem.nodes.values()) {
      const record = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
      if (n.unschedulable && !this.adminCordoned.has(n.name)) {
        if (record.kind === 'none') this.fail('I7 end', `${n.name} is left cordoned by us with no record`);
        else
          leftRecorded.push(
            `${this.describe(n)}${record.kind === 'ok' && record.record.message ? `: ${record.record.message}` : ''}`,
          );
      }
      const need = this.needs.get(n.name)?.has(n.bootID) && !this.consumed.has(`${n.name}@${n.bootID}`);
      if (need && n.labels['reboot-daemon.io/exclude'] !== 'true') pendingNeeds.push(this.describe(n));
    }
    return { pendingNeeds, leftRecorded };
  }
}
