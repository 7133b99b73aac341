// Entry point of the simulator: starts the HTTPS API server over a store, clock and behaviours, and
// produces the kubeconfig that points at it.
// May import: anything in src/sim and node built-ins.
import { randomBytes } from 'node:crypto';
import type { KObject, SimClock, Store } from './types.js';
import type { SimFaults } from './faults-types.js';
import {
  createSimServer,
  type Authorize,
  type ServerVersion,
  type SimHooks,
  type SimServer,
} from './server.js';
import { buildKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { generatePki } from './pki.js';
import { realClock } from './clock.js';
import { createStore } from './store.js';

export type { SimHooks, SimServer, ServerVersion, Authorize, RequestStats } from './server.js';
export type { SimFaults } from './faults-types.js';

/** What a simulated cluster hands the server: its state, its time and its API behaviours. */
export interface SimClusterParts {
  readonly store: Store;
  readonly clock: SimClock;
  readonly hooks: SimHooks;
  readonly faults?: SimFaults;
  /** Stops the cluster's behaviours (timers, controllers). */
  stop?(): void | Promise<void>;
}

export interface StartSimOptions {
  /** A full simulated cluster; otherwise `store`/`clock`/`hooks`, or an empty store with basic hooks. */
  readonly cluster?: SimClusterParts;
  readonly store?: Store;
  readonly clock?: SimClock;
  readonly hooks?: SimHooks;
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  /** Speed of the real clock made when no clock is given. Default 1. */
  readonly timeScale?: number;
  readonly serverVersion?: ServerVersion;
  /** Also write the kubeconfig here, mode 0600. */
  readonly kubeconfigPath?: string;
  /** Faults for the HTTP front; defaults to the cluster's. */
  readonly faults?: SimFaults;
  /** Bearer token; random when absent. */
  readonly token?: string;
  readonly authorize?: Authorize;
  readonly user?: string;
  readonly bookmarkIntervalMs?: number;
}

export interface RunningSim {
  readonly url: string;
  readonly port: number;
  /** kubeconfig YAML text. */
  readonly kubeconfig: string;
  readonly kubeconfigPath?: string;
  /** PEM of the CA. */
  readonly ca: string;
  readonly token: string;
  readonly store: Store;
  readonly clock: SimClock;
  readonly server: SimServer;
  stop(): Promise<void>;
}

/**
 * Hooks for a store without behaviours: an eviction deletes the pod (no PodDisruptionBudget check) and
 * logs are empty. A full cluster brings its own.
 */
export function basicHooks(store: Store): SimHooks {
  return {
    evict(namespace, name, body): KObject {
      const opts = (
        body as { deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[] } } | undefined
      )?.deleteOptions;
      if (opts?.dryRun?.length) store.get('pods', namespace, name);
      else {
        const grace = opts?.gracePeriodSeconds;
        store.delete('pods', namespace, name, grace !== undefined ? { gracePeriodSeconds: grace } : {});
      }
      return {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: { name: '' },
        status: 'Success',
        code: 201,
      } as unknown as KObject;
    },
    podLog(namespace, name): string {
      store.get('pods', namespace, name);
      return '';
    },
  };
}

export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  const clock = opts.cluster?.clock ?? opts.clock ?? realClock(opts.timeScale ?? 1);
  const store = opts.cluster?.store ?? opts.store ?? createStore(clock);
  const hooks = opts.cluster?.hooks ?? opts.hooks ?? basicHooks(store);
  const faults = opts.faults ?? opts.cluster?.faults;
  const token = opts.token ?? randomBytes(24).toString('hex');
  const pki = await generatePki();
  const server = createSimServer({
    store,
    clock,
    hooks,
    token,
    pki,
    ...(faults ? { faults } : {}),
    ...(opts.serverVersion ? { serverVersion: opts.serverVersion } : {}),
    ...(opts.authorize ? { authorize: opts.authorize } : {}),
    ...(opts.user ? { user: opts.user } : {}),
    ...(opts.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  const { port, url } = await server.listen(opts.port ?? 0);
  const kubeconfig = buildKubeconfig({ server: url, caCert: pki.caCert, token });
  if (opts.kubeconfigPath) await writeKubeconfig(opts.kubeconfigPath, kubeconfig);
  return {
    url,
    port,
    kubeconfig,
    ...(opts.kubeconfigPath ? { kubeconfigPath: opts.kubeconfigPath } : {}),
    ca: pki.caCert,
    token,
    store,
    clock,
    server,
    async stop(): Promise<void> {
      await server.close();
      await opts.cluster?.stop?.();
    },
  };
}
