// A simulated cluster: the store plus every behaviour (pod stages, node lifecycle, scheduler, workload
// and budget controllers), the API hooks the server calls (eviction, pod logs), the safety record, the
// hosts behind the nodes, and control methods for tests. Random choices come from one seeded source,
// so a run on a manual clock replays exactly.
// May import: src/sim/* (not the HTTP layer's server; the SimHooks type only).
import { SimContext } from './behaviours/context.js';
import { buildCluster } from './behaviours/bootstrap.js';
import { setNodeReady, triggerReboot } from './behaviours/node-lifecycle.js';
import { installPdbController } from './behaviours/pdb-controller.js';
import { installScheduler } from './behaviours/scheduler.js';
import { installStageEngine } from './behaviours/stage-engine.js';
import { installWiring } from './behaviours/wiring.js';
import { installWorkloadControllers } from './behaviours/workloads.js';
import { evictPod, podLog } from './eviction.js';
import type { SimFaults } from './faults-types.js';
import type { SimHooks } from './handlers.js';
import type { SimHost } from './host/host.js';
import { seededRandom } from './random.js';
import type { Random } from './random.js';
import { createRecord } from './record.js';
import type { SimRecord } from './record.js';
import { toSimFaults } from './scenario.js';
import type { Scenario } from './scenario-types.js';
import { createStore } from './store.js';
import type { KObject, SimClock, Store } from './types.js';

export interface SimClusterOptions {
  readonly scenario: Scenario;
  readonly clock: SimClock;
  /** An empty store to fill; a new one by default. */
  readonly store?: Store;
  /** The behaviours' random source; seeded from the scenario by default. */
  readonly random?: Random;
}

export type NodeRunState = 'up' | 'down' | 'gone';

export interface SimCluster {
  readonly store: Store;
  readonly clock: SimClock;
  readonly hooks: SimHooks;
  readonly faults: SimFaults;
  readonly record: SimRecord;
  readonly scenario: Scenario;
  /** The simulated machine behind a node (files, boot ID, sentinel). Throws for an unknown node. */
  host(node: string): SimHost;
  /** The kubelet's state: up, down (rebooting or set NotReady) or gone (never returns). */
  nodeState(node: string): NodeRunState;
  /** Reboots the node as if `systemctl reboot` ran on it. */
  rebootNow(node: string, via?: string): void;
  /** The kubelet reports (not) Ready, without a reboot; NotReady also stops its pods from progressing. */
  setReady(node: string, ready: boolean): void;
  /** Creates a pod through the store (bound or not); behaviours then run it. */
  addPod(pod: KObject): KObject;
  /** Combined stdout/stderr of a script pod ('' for other pods). Throws a 404 StatusError for no pod. */
  podLog(namespace: string, name: string): string;
  /** Runs queued reactions now (they also run on their own after every write and timer). */
  flush(): void;
  /** Cancels every timer; the store keeps its objects. */
  stop(): void;
}

export function createSimCluster(opts: SimClusterOptions): SimCluster {
  const { scenario, clock } = opts;
  // Heartbeats written through ctx.quietly stay out of the replay history of a store made here.
  let quiet = false;
  const store = opts.store ?? createStore(clock, { keepInHistory: () => !quiet });
  const random = opts.random ?? seededRandom(scenario.seed);
  const record = createRecord();
  const ctx = new SimContext(store, clock, random, record, scenario.timing);
  if (!opts.store) {
    ctx.quietly = (fn) => {
      const [was, auto] = [quiet, ctx.autoDrain];
      // Work that the writes queue runs afterwards, as ordinary (recorded) writes.
      [quiet, ctx.autoDrain] = [true, false];
      try {
        fn();
      } finally {
        [quiet, ctx.autoDrain] = [was, auto];
      }
    };
  }

  installStageEngine(ctx);
  installScheduler(ctx);
  installWorkloadControllers(ctx);
  installPdbController(ctx);
  const unsubscribe = installWiring(ctx);

  ctx.autoDrain = false;
  try {
    buildCluster(ctx, scenario);
  } finally {
    ctx.autoDrain = true;
  }
  ctx.drain();

  const known = (node: string): void => {
    if (!ctx.nodes.has(node)) throw new Error(`no simulated node named "${node}"`);
  };
  return {
    store,
    clock,
    record,
    scenario,
    faults: toSimFaults(scenario),
    hooks: {
      evict: (namespace, name, body) => evictPod(ctx, namespace, name, body),
      podLog: (namespace, name) => podLog(ctx, namespace, name),
    },
    host(node) {
      known(node);
      return ctx.hosts.get(node) as SimHost;
    },
    nodeState(node) {
      known(node);
      return ctx.nodes.get(node)?.state ?? 'gone';
    },
    rebootNow(node, via = 'test') {
      known(node);
      triggerReboot(ctx, node, via);
      ctx.drain();
    },
    setReady(node, ready) {
      known(node);
      setNodeReady(ctx, node, ready);
      ctx.drain();
    },
    addPod(pod) {
      const created = ctx.noteWrite('pods', store.create('pods', pod));
      ctx.drain();
      return created;
    },
    podLog: (namespace, name) => podLog(ctx, namespace, name),
    flush: () => ctx.drain(),
    stop() {
      ctx.stop();
      unsubscribe();
    },
  };
}
