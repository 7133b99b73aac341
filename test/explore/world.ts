// The world one explored schedule runs in, drawn from its Chooser: nodes (pools, zones, sentinels, agents, admin
// cordons), one PDB-guarded workload, the runners' specs (owner, selector, clock skew, machine, window and
// blocker), and the broken variants that prove the invariants have teeth (a cluster without compare-and-swap, a
// rebooter without the boot-ID guard).
// May import: core, ports, test/support, test/explore.

import { agentAnnotations } from '../../src/core/agent-report.js';
import type { SentinelResult } from '../../src/core/types.js';
import type { WindowState } from '../../src/core/window.js';
import type { NodePatch } from '../../src/ports/cluster.js';
import type { RebootGuard } from '../../src/ports/node-exec.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryCluster, type Timing } from '../support/memory-cluster.js';
import { hostReboot } from '../support/memory-host.js';
import {
  MemoryJanitor,
  MemoryKuredLock,
  MemoryLease,
  MemoryRebooter,
  MemorySentinel,
  ProcessTable,
  type World,
} from '../support/memory-ports.js';
import type { Chooser } from './prng.js';

export const START = Date.parse('2025-06-02T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

export const TIMING: Partial<Timing> = {
  downMs: 2_000,
  bootMs: 30_000,
  readyMs: 5_000,
  terminateMs: 1_000,
  rescheduleMs: 1_000,
  podReadyMs: 3_000,
};

/** The agent's --period: a report older than three periods is stale. */
export const AGENT_PERIOD_MS = 2 * MIN;

export type Variant = 'ok' | 'no-cas' | 'no-boot-guard';

export interface NodeSpec {
  readonly name: string;
  readonly zone?: string;
  readonly pool: 'a' | 'b';
  readonly sentinel: 'required' | 'not-required' | 'error';
  readonly agent: boolean;
  /** Cordoned by an admin before the explorer started. */
  readonly cordoned: boolean;
}

/** A machine a runner's process lives on: the same boot and pid namespace make a dead pid certainly dead. */
export interface Machine {
  readonly host: string;
  readonly bootId: string;
  readonly pidNs: string;
  readonly pid?: number;
}

export const MACHINES: readonly Machine[] = [
  { host: 'laptop', bootId: 'laptop-boot', pidNs: 'pid:[4026531836]' },
  { host: 'ci', bootId: 'ci-boot', pidNs: 'pid:[4026532001]', pid: 1 },
  { host: 'ci', bootId: 'ci-boot', pidNs: 'pid:[4026532002]', pid: 1 },
];

/** When the maintenance window is closed and when the blocker says no, in server time from START. */
export interface GateSpec {
  readonly closed?: { readonly from: number; readonly to: number };
  readonly blocked?: { readonly from: number; readonly to: number; readonly nodes?: readonly string[] };
  /** The window "can start" only when it stays open at least this long. */
  readonly marginMs: number;
}

export interface RunnerSpec {
  readonly owner: string;
  readonly selector?: string;
  readonly skewMs: number;
  readonly machine: Machine;
  readonly lockWaitMs: number;
  /** --skip-wait-for-delete-timeout: a pod terminating longer than this (server time) is not waited for. */
  readonly skipWaitS: number;
  readonly gates: GateSpec;
  /** Starts at a step the scheduler picks, not at once. */
  readonly later?: boolean;
}

export interface Config {
  readonly nodes: readonly NodeSpec[];
  readonly workload: { readonly nodes: readonly string[]; readonly minAvailable: number };
  readonly concurrency: number;
  readonly maxPerZone: number;
  readonly ttlMs: number;
  readonly runners: readonly RunnerSpec[];
  /** At most this many crashes, and restarts, in the schedule. */
  readonly crashes: number;
  readonly restarts: number;
  /** The kubelet runs the reboot pod once more after the boot (the boot-ID guard must refuse it). */
  readonly kubeletRerun: boolean;
  /** How long an evicted pod takes to terminate. */
  readonly terminateMs: number;
}

export const OWNERS = ['alice@ops', 'bob@ci'] as const;
const SELECTORS = [undefined, undefined, undefined, 'pool=a', 'pool=b'] as const;

export function drawGates(ch: Chooser): GateSpec {
  const closed = ch.chance(0.35)
    ? (() => {
        const from = ch.range(0, 60) * MIN;
        return { from, to: from + ch.range(5, 45) * MIN };
      })()
    : undefined;
  const blocked = ch.chance(0.3)
    ? (() => {
        const from = ch.range(0, 40) * MIN;
        const to = from + ch.range(1, 20) * MIN;
        return ch.chance(0.5) ? { from, to } : { from, to, nodes: [`n${ch.range(1, 3)}`] };
      })()
    : undefined;
  return { ...(closed ? { closed } : {}), ...(blocked ? { blocked } : {}), marginMs: 2 * MIN };
}

export function drawRunner(ch: Chooser, gates: GateSpec, owner?: string): RunnerSpec {
  const selector = ch.one(SELECTORS);
  return {
    owner: owner ?? ch.one(OWNERS),
    ...(selector === undefined ? {} : { selector }),
    skewMs: ch.chance(0.5) ? 0 : ch.range(-180, 180) * MIN,
    machine: ch.one(MACHINES),
    lockWaitMs: ch.one([0, MIN, 10 * MIN]),
    skipWaitS: ch.chance(0.4) ? 20 : 0,
    gates,
  };
}

export function drawConfig(ch: Chooser): Config {
  const count = ch.range(3, 5);
  const zoned = ch.chance(0.4);
  const maxPerZone = zoned && ch.chance(0.6) ? 1 : 0;
  const concurrency = ch.chance(0.5) ? 1 : 2;
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const sentinel =
      (['required', 'not-required', 'error'] as const)[ch.weighted([6, 2.5, 1.5])] ?? 'required';
    nodes.push({
      name: `n${i + 1}`,
      ...(zoned ? { zone: `z${(i % 2) + 1}` } : {}),
      pool: ch.chance(0.5) ? 'a' : 'b',
      sentinel,
      agent: ch.chance(0.3),
      cordoned: ch.chance(0.12),
    });
  }
  const workloadNodes = nodes.slice(0, 3).map((n) => n.name);
  const ttlMs = ch.one([60_000, 90_000, 3 * MIN]);
  const shared = drawGates(ch);
  const runners: RunnerSpec[] = [];
  const n = ch.chance(0.5) ? 2 : 3;
  for (let i = 0; i < n; i++) {
    const spec = drawRunner(ch, ch.chance(0.75) ? shared : drawGates(ch));
    runners.push(i > 0 && ch.chance(0.3) ? { ...spec, later: true } : spec);
  }
  return {
    nodes,
    workload: { nodes: workloadNodes, minAvailable: ch.chance(0.7) ? 2 : 1 },
    concurrency,
    maxPerZone,
    ttlMs,
    runners,
    crashes: ch.range(0, 2),
    restarts: ch.range(0, 2),
    kubeletRerun: ch.chance(0.7),
    terminateMs: ch.one([1_000, 1_000, 40_000]),
  };
}

export function describeConfig(cfg: Config): string {
  const nodes = cfg.nodes
    .map(
      (n) =>
        `${n.name}(${[
          n.pool,
          n.zone,
          n.sentinel,
          n.agent ? 'agent' : undefined,
          n.cordoned ? 'cordoned' : undefined,
        ]
          .filter(Boolean)
          .join(',')})`,
    )
    .join(' ');
  const runners = cfg.runners.map((r, i) => `${String.fromCharCode(65 + i)}=${describeRunner(r)}`).join(' ');
  return `nodes ${nodes}; concurrency ${cfg.concurrency}${cfg.maxPerZone ? `, max-per-zone ${cfg.maxPerZone}` : ''}; ttl ${cfg.ttlMs / 1000}s; pods terminate in ${cfg.terminateMs / 1000}s; workload on ${cfg.workload.nodes.join(',')} minAvailable ${cfg.workload.minAvailable}; runners ${runners}; crashes<=${cfg.crashes} restarts<=${cfg.restarts}${cfg.kubeletRerun ? '; the kubelet re-runs reboot pods' : ''}`;
}

export function describeRunner(r: RunnerSpec): string {
  const g = r.gates;
  const gate = [
    g.closed ? `closed ${g.closed.from / MIN}-${g.closed.to / MIN}m` : undefined,
    g.blocked
      ? `blocked ${g.blocked.from / MIN}-${g.blocked.to / MIN}m${g.blocked.nodes ? ` on ${g.blocked.nodes.join(',')}` : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return `[${r.later ? 'later ' : ''}${r.owner} ${r.selector ?? 'all'} skew ${Math.round(r.skewMs / MIN)}m ${r.machine.host}/${r.machine.pidNs} wait ${r.lockWaitMs / 1000}s${r.skipWaitS ? ` skip-wait ${r.skipWaitS}s` : ''}${gate ? ` ${gate}` : ''}]`;
}

/** The broken variant "no compare-and-swap": node patches ignore ifResourceVersion. */
class NoCasCluster extends MemoryCluster {
  override patchNode(name: string, patch: NodePatch): ReturnType<MemoryCluster['patchNode']> {
    const { ifResourceVersion: _ignored, ...rest } = patch;
    return super.patchNode(name, rest);
  }
}

/**
 * The broken variant "no boot-ID guard": the host reboots whatever boot it is on (and the kubelet's re-run
 * too), with no deadline and no withdrawal either.
 */
class UnguardedRebooter extends MemoryRebooter {
  constructor(
    private readonly mem: MemoryCluster,
    private readonly clk: FakeClock,
  ) {
    super(mem, clk);
  }

  override async reboot(node: string, guard: RebootGuard): Promise<void> {
    const expectedBootID = guard.bootID;
    const fire = (): string => hostReboot(this.mem, node, this.mem.node(node).bootID);
    this.helperPods.add(`reboot-${node}`);
    const outcome = fire();
    this.triggers.push({ node, expected: expectedBootID, outcome });
    if (outcome === 'rebooting' && this.rerunAfterBoot) {
      this.clk.schedule(this.mem.timing.bootMs + 1, () => {
        if (!this.helperPods.has(`reboot-${node}`)) return;
        this.triggers.push({ node, expected: expectedBootID, outcome: fire() });
      });
    }
  }
}

export function buildWorld(cfg: Config, variant: Variant): World {
  const clock = new FakeClock(START, false);
  const timing = { ...TIMING, terminateMs: cfg.terminateMs };
  const mem = variant === 'no-cas' ? new NoCasCluster(clock, timing) : new MemoryCluster(clock, timing);
  for (const n of cfg.nodes) {
    const node = mem.addNode(n.name, {
      ...(n.zone === undefined ? {} : { zone: n.zone }),
      sentinel: n.sentinel,
      unschedulable: n.cordoned,
    });
    node.labels['pool'] = n.pool;
  }
  mem.addWorkload('web', cfg.workload.nodes, cfg.workload.minAvailable);
  const rebooter =
    variant === 'no-boot-guard' ? new UnguardedRebooter(mem, clock) : new MemoryRebooter(mem, clock);
  return {
    mem,
    lease: new MemoryLease(mem.writes),
    sentinel: new MemorySentinel(mem, clock),
    rebooter,
    janitor: new MemoryJanitor(rebooter, mem.writes),
    kured: new MemoryKuredLock(),
    clock,
    procs: new ProcessTable(),
  };
}

/** The window as a runner sees it at a server time. */
export function windowAt(g: GateSpec, now: number): WindowState {
  const description = g.closed ? `closed ${g.closed.from / MIN}-${g.closed.to / MIN}m` : 'any time';
  if (g.closed) {
    const from = START + g.closed.from;
    const to = START + g.closed.to;
    if (now >= from && now < to) return { open: false, canStart: false, nextOpen: to, description };
    if (now < from) return { open: true, closesAt: from, canStart: from - now > g.marginMs, description };
  }
  return { open: true, canStart: true, description };
}

/** Does the blocker say no for this node at a server time? */
export function blockedAt(g: GateSpec, node: string | undefined, now: number): boolean {
  const b = g.blocked;
  if (b === undefined) return false;
  if (now < START + b.from || now >= START + b.to) return false;
  return b.nodes === undefined || node === undefined || b.nodes.includes(node);
}

/** What a node's agent reports: its sentinel as it is, at server time. */
export function agentPatch(w: World, name: string): NodePatch {
  const n = w.mem.node(name);
  const result: SentinelResult =
    n.sentinel === 'required'
      ? { kind: 'required', reason: 'the agent found /var/run/reboot-required', source: 'agent' }
      : n.sentinel === 'not-required'
        ? { kind: 'not-required', source: 'agent' }
        : { kind: 'unknown', error: 'the agent could not read the sentinel', source: 'agent' };
  return {
    annotations: agentAnnotations(result, {
      now: w.clock.now(),
      periodMs: AGENT_PERIOD_MS,
      bootID: n.bootID,
      previous: n.annotations,
    }),
  };
}

export { HOUR, MIN };
