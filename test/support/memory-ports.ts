// The other in-memory ports over a MemoryCluster: a Lease with resourceVersion compare-and-swap, a sentinel
// checker, a guarded rebooter that leaves a helper pod behind until cleanup, a janitor, kured's lock, and
// sessions that "crash": after the Nth write every call of that session hangs forever, like a killed process.
// May import: core, ports, app (types only), test/support.

import type { SentinelResult } from '../../src/core/types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ClusterPort } from '../../src/ports/cluster.js';
import type { CasResult, ForeignLockReader, LeaseSnapshot, LeaseStore } from '../../src/ports/lock.js';
import { RebootCancelledError } from '../../src/core/errors.js';
import type { HelperPodJanitor, RebootGuard, Rebooter, SentinelChecker } from '../../src/ports/node-exec.js';
import type { Liveness, ProcessIdentity, ProcessInfo } from '../../src/ports/process.js';
import type { ServerTime } from '../../src/ports/server-time.js';
import type { FakeClock } from './fake-clock.js';
import type { MemoryCluster } from './memory-cluster.js';
import { hostReboot } from './memory-host.js';

export class MemoryLease implements LeaseStore {
  lease: { record: string | undefined; rv: number; holderIdentity: string } | undefined;
  /** Set to make every read throw (an unreadable lock). */
  readError: string | undefined;
  conflicts = 0;
  private rvSeq = 0;

  constructor(private readonly writes: string[]) {}

  async read(): Promise<LeaseSnapshot | undefined> {
    if (this.readError !== undefined) throw new Error(this.readError);
    return this.lease === undefined
      ? undefined
      : { record: this.lease.record, resourceVersion: String(this.lease.rv) };
  }

  async create(record: string, holderIdentity: string): Promise<CasResult> {
    if (this.lease !== undefined) {
      this.conflicts++;
      return { ok: false, conflict: true };
    }
    this.writes.push('lease create');
    this.lease = { record, rv: ++this.rvSeq, holderIdentity };
    return { ok: true, resourceVersion: String(this.lease.rv) };
  }

  async update(
    record: string,
    holderIdentity: string,
    _ttl: number,
    resourceVersion: string,
  ): Promise<CasResult> {
    if (this.lease === undefined || String(this.lease.rv) !== resourceVersion) {
      this.conflicts++;
      return { ok: false, conflict: true };
    }
    this.writes.push('lease update');
    this.lease = { record, rv: ++this.rvSeq, holderIdentity };
    return { ok: true, resourceVersion: String(this.lease.rv) };
  }

  holders(): { node: string; owner: string; phase: string; ttlMs: number }[] {
    if (this.lease?.record === undefined) return [];
    return (
      JSON.parse(this.lease.record) as {
        holders: { node: string; owner: string; phase: string; ttlMs: number }[];
      }
    ).holders;
  }
}

export class MemorySentinel implements SentinelChecker {
  probes = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** How long each check takes on the fake clock. */
  probeMs = 1_500;
  constructor(
    private readonly cluster: MemoryCluster,
    private readonly clock: FakeClock,
    private readonly timeoutMs = 30_000,
  ) {}

  async check(node: string, signal?: AbortSignal): Promise<SentinelResult> {
    this.probes++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      await this.clock.sleep(this.probeMs, signal).catch(() => undefined);
      return this.answer(node, signal);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(node: string, signal?: AbortSignal): Promise<SentinelResult> {
    const n = this.cluster.nodes.get(node);
    if (n === undefined) return { kind: 'unknown', error: `node ${node} not found`, source: 'probe' };
    if (n.sentinel === 'error')
      return { kind: 'unknown', error: 'helper pod failed: ImagePullBackOff', source: 'probe' };
    if (n.sentinel === 'hang') {
      await this.clock.sleep(this.timeoutMs, signal).catch(() => undefined);
      return { kind: 'unknown', error: `timed out after ${this.timeoutMs / 1000}s`, source: 'probe' };
    }
    if (n.sentinel === 'not-required') return { kind: 'not-required', source: 'probe' };
    return { kind: 'required', reason: '/run/reboot-required exists', source: 'probe' };
  }
}

export class MemoryRebooter implements Rebooter {
  /** Helper pods that exist now, by node. */
  readonly helperPods = new Set<string>();
  readonly triggers: { node: string; expected: string; outcome: string }[] = [];
  /** Like the kubelet after the boot: run the reboot container once more (the guard must refuse it). */
  rerunAfterBoot = true;
  /** The next trigger throws this (a string becomes an Error). */
  failNext: string | Error | undefined;
  /** Runs as the trigger arrives, before its checks: what happens between the trigger's write and the pod's start. */
  beforeReboot: ((node: string) => void) | undefined;

  constructor(
    private readonly cluster: MemoryCluster,
    private readonly clock: FakeClock,
  ) {}

  async reboot(node: string, guard: RebootGuard): Promise<void> {
    const expectedBootID = guard.bootID;
    if (this.failNext !== undefined) {
      const failure = this.failNext;
      this.failNext = undefined;
      throw typeof failure === 'string' ? new Error(failure) : failure;
    }
    this.beforeReboot?.(node);
    this.cluster.writes.push(`reboot ${node}`);
    // As the reboot pod does: withdrawn when the node is schedulable before it starts; on the host, the boot
    // ID first (a later run does nothing), then the deadline.
    if (!this.cluster.node(node).unschedulable) {
      this.triggers.push({ node, expected: expectedBootID, outcome: 'withdrawn' });
      throw new RebootCancelledError('schedulable', 'the node was uncordoned before the reboot pod started');
    }
    this.helperPods.add(`reboot-${node}`);
    if (this.cluster.node(node).bootID === expectedBootID && this.clock.now() > guard.notAfter) {
      this.triggers.push({ node, expected: expectedBootID, outcome: 'too-late' });
      throw new RebootCancelledError('too-late', 'too late: past the deadline; not rebooting');
    }
    const outcome = hostReboot(this.cluster, node, expectedBootID);
    this.triggers.push({ node, expected: expectedBootID, outcome });
    if (outcome === 'rebooting' && this.rerunAfterBoot) {
      this.clock.schedule(this.cluster.timing.bootMs + 1, () => {
        if (!this.helperPods.has(`reboot-${node}`)) return;
        this.triggers.push({
          node,
          expected: expectedBootID,
          outcome: hostReboot(this.cluster, node, expectedBootID),
        });
      });
    }
  }

  async cleanup(node: string): Promise<void> {
    this.cluster.writes.push(`cleanup ${node}`);
    this.helperPods.delete(`reboot-${node}`);
  }
}

export class MemoryJanitor implements HelperPodJanitor {
  constructor(
    private readonly rebooter: MemoryRebooter,
    private readonly writes: string[],
  ) {}

  async collectLeftovers(): Promise<number> {
    const n = this.rebooter.helperPods.size;
    if (n > 0) this.writes.push(`collect ${n}`);
    this.rebooter.helperPods.clear();
    return n;
  }
}

export class MemoryKuredLock implements ForeignLockReader {
  held: string[] = [];
  error: string | undefined;
  async holders(): Promise<string[]> {
    if (this.error !== undefined) throw new Error(this.error);
    return [...this.held];
  }
}

/**
 * The processes of a test world, on its machines: a process is alive until its session dies. Liveness is
 * answered as the real adapter does: certain only inside one kernel boot and one pid namespace.
 */
export class ProcessTable {
  private readonly alive = new Set<string>();
  private seq = 0;

  spawn(o: { host?: string; bootId?: string; pidNs?: string; pid?: number } = {}): ProcessIdentity {
    const n = ++this.seq;
    const id = `proc-${n}`;
    this.alive.add(id);
    return {
      id,
      host: o.host ?? 'laptop',
      pid: o.pid ?? 1000 + n,
      ...(o.bootId === undefined ? { bootId: 'laptop-boot' } : o.bootId === '' ? {} : { bootId: o.bootId }),
      ...(o.pidNs === undefined ? { pidNs: 'pid:[4026531836]' } : o.pidNs === '' ? {} : { pidNs: o.pidNs }),
      startTime: String(n),
    };
  }

  kill(id: string): void {
    this.alive.delete(id);
  }

  isAlive(id: string): boolean {
    return this.alive.has(id);
  }

  infoFor(self: ProcessIdentity): ProcessInfo {
    return {
      self,
      liveness: (other: ProcessIdentity): Liveness => {
        if (other.id === self.id) return 'alive';
        const comparable =
          self.bootId !== undefined &&
          self.pidNs !== undefined &&
          other.bootId === self.bootId &&
          other.pidNs === self.pidNs;
        if (!comparable) return 'unknown';
        return this.alive.has(other.id) ? 'alive' : 'dead';
      },
    };
  }
}

export interface PortSet {
  cluster: ClusterPort;
  lease: LeaseStore;
  sentinel: SentinelChecker;
  rebooter: Rebooter;
  janitor: HelperPodJanitor;
  foreignLock: ForeignLockReader;
  clock: Clock;
  serverTime: ServerTime;
  process: ProcessInfo;
}

export interface World {
  mem: MemoryCluster;
  lease: MemoryLease;
  sentinel: MemorySentinel;
  rebooter: MemoryRebooter;
  janitor: MemoryJanitor;
  kured: MemoryKuredLock;
  clock: FakeClock;
  procs: ProcessTable;
}

export function makeWorld(mem: MemoryCluster): World {
  const rebooter = new MemoryRebooter(mem, mem.clock);
  return {
    mem,
    lease: new MemoryLease(mem.writes),
    sentinel: new MemorySentinel(mem, mem.clock),
    rebooter,
    janitor: new MemoryJanitor(rebooter, mem.writes),
    kured: new MemoryKuredLock(),
    clock: mem.clock,
    procs: new ProcessTable(),
  };
}

const WRITE_METHODS = new Set([
  'patchNode',
  'evictPod',
  'deletePod',
  'create',
  'update',
  'reboot',
  'cleanup',
]);

/**
 * Ports of one process. With crashAfterWrites = N, the process dies right after its Nth write: from then on
 * every call (and every sleep) of this session hangs forever, and nothing more is written by it.
 */
export class Session {
  dead = false;
  writes = 0;
  readonly ports: PortSet;

  readonly identity: ProcessIdentity;

  constructor(
    private readonly w: World,
    private readonly crashAfterWrites = Infinity,
    o: { skewMs?: number; identity?: ProcessIdentity } = {},
  ) {
    const skew = o.skewMs ?? 0;
    this.identity = o.identity ?? w.procs.spawn();
    this.ports = {
      serverTime: { now: () => w.clock.now(), skewMs: () => skew },
      process: w.procs.infoFor(this.identity),
      cluster: this.wrap(w.mem),
      lease: this.wrap(w.lease),
      sentinel: this.wrap(w.sentinel),
      rebooter: this.wrap(w.rebooter),
      janitor: this.wrap(w.janitor),
      foreignLock: this.wrap(w.kured),
      clock: {
        // This runner's own clock, off by its skew: only the server's clock decides anything.
        now: () => w.clock.now() + skew,
        sleep: (ms, signal) =>
          this.dead ? hang() : w.clock.sleep(ms, signal).then(() => (this.dead ? hang() : undefined)),
      },
    };
  }

  /** The process dies: every call of it hangs from now on, and its pid is gone. */
  kill(): void {
    this.dead = true;
    this.w.procs.kill(this.identity.id);
  }

  private wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (this.dead) return hang();
          const out = (v as (...a: unknown[]) => unknown).apply(t, args);
          if (!WRITE_METHODS.has(String(prop))) return out;
          return Promise.resolve(out).then((res) => {
            if (++this.writes >= this.crashAfterWrites) this.kill();
            return res;
          });
        };
      },
    });
  }
}

function hang(): Promise<never> {
  return new Promise<never>(() => undefined);
}
