// An in-memory cluster for app tests: nodes that reboot on the fake clock (new boot ID, NotReady, back Ready),
// pods whose controllers recreate them elsewhere, PDBs that refuse evictions with 429, and a ClusterPort over it.
// Objects are copied in and out. The other ports (Lease with CAS, sentinel, rebooter...) are in memory-ports.ts.
// May import: core, ports, test/support.

import { parseSelector, matchesSpec } from '../../src/core/selector.js';
import type { NodeView, PdbView, PodView } from '../../src/core/types.js';
import { ConflictError } from '../../src/core/errors.js';
import type { ClusterPort, EvictResult, NodePatch, PodRef, PodsOnNode } from '../../src/ports/cluster.js';
import type { FakeClock } from './fake-clock.js';
import {
  defaultTiming,
  nodeView,
  pdbStatus,
  podView,
  type MemNode,
  type MemPdb,
  type MemPod,
  type Timing,
} from './memory-model.js';

export type { MemNode, MemPdb, MemPod, NodeBehaviour, Timing } from './memory-model.js';
export { defaultTiming } from './memory-model.js';

let uidSeq = 0;
const copy = <T>(v: T): T => structuredClone(v);

export class MemoryCluster implements ClusterPort {
  readonly nodes = new Map<string, MemNode>();
  readonly pods = new Map<string, MemPod>(); // key namespace/name
  readonly pdbs: MemPdb[] = [];
  /** DaemonSets by namespace/name, with their uid. A DaemonSet pod added registers its DaemonSet. */
  readonly daemonSets = new Map<string, string>();
  /** Hook for tests: throw from it to make a DaemonSet unreadable. */
  daemonSetHook: ((namespace: string, name: string) => void) | undefined;
  readonly timing: Timing;
  /** Counts of writes by verb, for "dry-run writes nothing". */
  readonly writes: string[] = [];
  /** Node writes refused by a stale resourceVersion. */
  conflicts = 0;
  /** Most nodes disrupted (cordoned, rebooting or not Ready) at the same time. */
  maxDisrupted = 0;
  /** The `from` of each waitPodsGone call, in order (undefined when it had none). */
  readonly waitFroms: ({ node: string; version: string } | undefined)[] = [];
  /** Bumped by every change: the version a pod list answers with. */
  private version = 0;
  /** Hook for tests: return a result to override an eviction (e.g. a 500). */
  evictHook: ((pod: MemPod) => EvictResult | undefined) | undefined;
  /** Namespaces being deleted: evictions there are refused (403 NamespaceTerminating), as the API server does. */
  readonly terminatingNamespaces = new Set<string>();
  private listeners = new Set<() => void>();

  constructor(
    readonly clock: FakeClock,
    timing: Partial<Timing> = {},
  ) {
    this.timing = { ...defaultTiming, ...timing };
  }

  addNode(name: string, o: Partial<MemNode> = {}): MemNode {
    const n: MemNode = {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(o.zone ? { 'topology.kubernetes.io/zone': o.zone } : {}),
      },
      annotations: {},
      unschedulable: false,
      ready: 'True',
      readySince: this.clock.now() - 86_400_000,
      bootID: `${name}-boot-1`,
      controlPlane: false,
      sentinel: 'required',
      behaviour: 'normal',
      boots: 0,
      rebooting: false,
      rv: 1,
      ...o,
    };
    if (n.controlPlane) n.labels['node-role.kubernetes.io/control-plane'] = '';
    this.nodes.set(name, n);
    return n;
  }

  addPod(name: string, node: string, o: Partial<MemPod> = {}): MemPod {
    const p: MemPod = {
      namespace: 'default',
      name,
      uid: `uid-${++uidSeq}`,
      node,
      phase: 'Running',
      labels: {},
      annotations: {},
      owner: { kind: 'ReplicaSet', name: 'web' },
      hasEmptyDir: false,
      ready: true,
      ...o,
    };
    if (p.owner?.kind === 'DaemonSet') {
      // As in a cluster: the DaemonSet exists and the pod's reference carries its uid.
      const key = `${p.namespace}/${p.owner.name}`;
      const uid = this.daemonSets.get(key) ?? `ds-uid-${++uidSeq}`;
      this.daemonSets.set(key, uid);
      p.owner = { uid, ...p.owner };
    }
    this.pods.set(`${p.namespace}/${p.name}`, p);
    this.changed();
    return p;
  }

  /** A ReplicaSet's pods spread over nodes, with a PDB minAvailable. */
  addWorkload(name: string, nodes: readonly string[], minAvailable?: number, namespace = 'default'): void {
    nodes.forEach((node, i) =>
      this.addPod(`${name}-${i}`, node, {
        namespace,
        labels: { app: name },
        owner: { kind: 'ReplicaSet', name },
      }),
    );
    if (minAvailable !== undefined)
      this.pdbs.push({ namespace, name, selector: { matchLabels: { app: name } }, minAvailable });
  }

  node(name: string): MemNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw Object.assign(new Error(`nodes "${name}" not found`), { code: 404 });
    return n;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed(): void {
    this.version++;
    const disrupted = [...this.nodes.values()].filter(
      (n) => n.unschedulable || n.rebooting || n.ready !== 'True',
    ).length;
    this.maxDisrupted = Math.max(this.maxDisrupted, disrupted);
    for (const fn of [...this.listeners]) fn();
  }

  async listNodes(labelSelector?: string): Promise<NodeView[]> {
    const sel = labelSelector ? parseSelector(labelSelector) : undefined;
    return [...this.nodes.values()].filter((n) => !sel || sel.matches(n.labels)).map((n) => nodeView(n));
  }

  async getNode(name: string): Promise<NodeView> {
    return nodeView(this.node(name));
  }

  async patchNode(name: string, patch: NodePatch): Promise<NodeView> {
    const n = this.node(name);
    if (patch.ifResourceVersion !== undefined && patch.ifResourceVersion !== String(n.rv)) {
      this.conflicts++;
      throw new ConflictError(
        `Operation cannot be fulfilled on nodes "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    this.writes.push(`patchNode ${name}`);
    for (const [k, v] of Object.entries(patch.labels ?? {})) {
      if (v === null) delete n.labels[k];
      else n.labels[k] = v;
    }
    for (const [k, v] of Object.entries(patch.annotations ?? {})) {
      if (v === null) delete n.annotations[k];
      else n.annotations[k] = v;
    }
    const cordonChanged = patch.unschedulable !== undefined && patch.unschedulable !== n.unschedulable;
    if (patch.unschedulable !== undefined) n.unschedulable = patch.unschedulable;
    n.rv++;
    this.changed();
    if (cordonChanged) this.scheduleReplacements();
    return nodeView(n);
  }

  async listPodsOnNode(nodeName: string, labelSelector?: string): Promise<PodsOnNode> {
    const sel = labelSelector ? parseSelector(labelSelector) : undefined;
    const items = [...this.pods.values()]
      .filter((p) => p.node === nodeName && (!sel || sel.matches(p.labels)))
      .map((p) => podView(p));
    return { items, version: String(this.version) };
  }

  async listPods(opts: { labelSelector?: string; namespace?: string }): Promise<PodView[]> {
    const sel = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
    return [...this.pods.values()]
      .filter(
        (p) =>
          (opts.namespace === undefined || p.namespace === opts.namespace) && (!sel || sel.matches(p.labels)),
      )
      .map((p) => podView(p));
  }

  async listPdbs(): Promise<PdbView[]> {
    return this.pdbs.map((p) => pdbStatus(p, this.pods.values()));
  }

  async getDaemonSet(namespace: string, name: string): Promise<{ readonly uid: string } | undefined> {
    this.daemonSetHook?.(namespace, name);
    const uid = this.daemonSets.get(`${namespace}/${name}`);
    return uid === undefined ? undefined : { uid };
  }

  async evictPod(ref: PodRef, gracePeriodSeconds?: number): Promise<EvictResult> {
    this.writes.push(`evict ${ref.namespace}/${ref.name}`);
    const p = this.pods.get(`${ref.namespace}/${ref.name}`);
    if (p === undefined || p.uid !== ref.uid) return { kind: 'gone' };
    const hooked = this.evictHook?.(p);
    if (hooked !== undefined) return hooked;
    if (this.terminatingNamespaces.has(p.namespace)) {
      return {
        kind: 'namespace-terminating',
        message: `pods "${p.name}" is forbidden: unable to create new content in namespace ${p.namespace} because it is being terminated`,
      };
    }
    const skipPdb = p.phase !== 'Running' || p.deletionTimestamp !== undefined;
    if (!skipPdb) {
      const pdbs = this.pdbs.filter((b) => b.namespace === p.namespace && matchesSpec(b.selector, p.labels));
      if (pdbs.length > 1)
        return { kind: 'error', code: 500, message: 'This pod has more than one PodDisruptionBudget' };
      const pdb = pdbs[0];
      if (pdb !== undefined && pdbStatus(pdb, this.pods.values()).disruptionsAllowed <= 0) {
        return {
          kind: 'refused',
          code: 429,
          message: "Cannot evict pod as it would violate the pod's disruption budget.",
          pdb: `${pdb.namespace}/${pdb.name}`,
        };
      }
    }
    this.terminate(p, gracePeriodSeconds);
    return { kind: 'evicted' };
  }

  async deletePod(ref: PodRef, gracePeriodSeconds?: number): Promise<void> {
    this.writes.push(`delete ${ref.namespace}/${ref.name}`);
    const p = this.pods.get(`${ref.namespace}/${ref.name}`);
    if (p !== undefined && p.uid === ref.uid) this.terminate(p, gracePeriodSeconds);
  }

  async waitPodsGone(
    pods: readonly PodRef[],
    onGone: (pod: PodRef) => void,
    signal: AbortSignal,
    from?: { readonly node: string; readonly version: string },
    onTerminating?: (pod: PodRef, deletionTimestamp: number) => void,
  ): Promise<void> {
    this.waitFroms.push(from === undefined ? undefined : { ...from });
    const left = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        for (const [key, ref] of left) {
          const p = this.pods.get(key);
          if (p === undefined || p.uid !== ref.uid) {
            left.delete(key);
            onGone(ref);
          } else if (p.deletionTimestamp !== undefined) {
            onTerminating?.(ref, p.deletionTimestamp);
          }
        }
        if (left.size === 0) finish();
      };
      const off = this.onChange(check);
      const onAbort = (): void => {
        off();
        reject(signal.reason);
      };
      const finish = (): void => {
        off();
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  async watchNode(name: string, onChange: (node: NodeView) => void, signal: AbortSignal): Promise<void> {
    let last = '';
    const emit = (): void => {
      const n = this.nodes.get(name);
      if (n === undefined) return;
      const v = nodeView(n);
      const text = JSON.stringify(v);
      if (text !== last) {
        last = text;
        onChange(v);
      }
    };
    return new Promise<void>((resolve) => {
      const off = this.onChange(emit);
      const stop = (): void => {
        off();
        resolve();
      };
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      emit();
    });
  }

  // --- behaviour -------------------------------------------------------------------------------------------

  /** Starts the pod's deletion (as an eviction, a DELETE or a namespace's deletion does). */
  terminate(p: MemPod, _grace?: number): void {
    if (p.deletionTimestamp !== undefined) return;
    p.deletionTimestamp = this.clock.now();
    p.ready = false;
    this.changed();
    if (p.stuck) return;
    this.clock.schedule(this.timing.terminateMs, () => {
      const key = `${p.namespace}/${p.name}`;
      if (this.pods.get(key) !== p) return;
      this.pods.delete(key);
      this.changed();
      if (p.owner !== undefined && p.owner.kind !== 'DaemonSet') {
        this.clock.schedule(this.timing.rescheduleMs, () => this.recreate(p));
      }
    });
  }

  private pendingReplacements: MemPod[] = [];

  private recreate(old: MemPod): void {
    const base =
      old.owner?.kind === 'StatefulSet' ? old.name : `${old.name.replace(/-r\d+$/, '')}-r${++uidSeq}`;
    const p: MemPod = { ...copy(old), name: base, uid: `uid-${++uidSeq}`, ready: false, phase: 'Pending' };
    delete p.deletionTimestamp;
    delete p.node;
    this.pods.set(`${p.namespace}/${p.name}`, p);
    this.pendingReplacements.push(p);
    this.scheduleReplacements();
  }

  /** Binds pending replacements to the schedulable Ready node with the fewest pods. */
  scheduleReplacements(): void {
    const still: MemPod[] = [];
    for (const p of this.pendingReplacements) {
      const candidates = [...this.nodes.values()].filter(
        (n) => !n.unschedulable && n.ready === 'True' && !n.rebooting,
      );
      candidates.sort(
        (a, b) => this.podCount(a.name) - this.podCount(b.name) || a.name.localeCompare(b.name),
      );
      const target = candidates[0];
      if (target === undefined || this.pods.get(`${p.namespace}/${p.name}`) !== p) {
        if (target === undefined) still.push(p);
        continue;
      }
      p.node = target.name;
      p.phase = 'Running';
      this.clock.schedule(this.timing.podReadyMs, () => {
        p.ready = true;
        this.changed();
      });
    }
    this.pendingReplacements = still;
    this.changed();
  }

  private podCount(node: string): number {
    return [...this.pods.values()].filter((p) => p.node === node).length;
  }
}
