// Entry point of the simulator: starts the HTTPS API server over a store, clock and behaviours (a full
// simulated cluster built from a scenario, one passed in, or a bare store), and produces the kubeconfig
// that points at it.
// May import: anything in src/sim and node built-ins.
import { randomBytes } from 'node:crypto';
import type { KObject, SimClock, Store } from './types.js';
import { createSimCluster, type SimCluster } from './cluster.js';
import { authorizerFromRoles } from './rbac.js';
import { resolveScenario, wantsCluster, type ScenarioChoice } from './start-scenario.js';
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
import { ensureSystemNamespaces } from './behaviours/bootstrap.js';
import type { Scenario } from './scenario-types.js';

export type {
  SimHooks,
  SimServer,
  ServerVersion,
  Authorize,
  RequestStats,
  InjectedFaults,
} from './server.js';
export type { SimFaults } from './faults-types.js';
export type { SimCluster } from './cluster.js';
export type { ScenarioChoice } from './start-scenario.js';
export { authorizerFromRoles } from './rbac.js';

/** What a simulated cluster hands the server: its state, its time and its API behaviours. */
export interface SimClusterParts {
  readonly store: Store;
  readonly clock: SimClock;
  readonly hooks: SimHooks;
  readonly faults?: SimFaults;
  /** Stops the cluster's behaviours (timers, controllers). */
  stop?(): void | Promise<void>;
}

export interface StartSimOptions extends ScenarioChoice {
  /**
   * A full simulated cluster. Otherwise, with `scenario`, `scenarioFile` or `nodes` (and no `store`), one
   * is built here on `clock` (default a real clock at `timeScale`); otherwise `store`/`clock`/`hooks`, or
   * an empty store with basic hooks.
   */
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
  /** Faults for the HTTP front; defaults to the cluster's (a built cluster's come from its scenario). */
  readonly faults?: SimFaults;
  /** Bearer token; random when absent. */
  readonly token?: string;
  readonly authorize?: Authorize;
  /** Enforce the rules of these ClusterRole/Role (and optional binding) objects; ignored with `authorize`. */
  readonly rbacRoles?: readonly KObject[];
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
  /** The simulated cluster (record, hosts, control methods) when one was built or passed in. */
  readonly cluster?: SimCluster;
  /** Stops the server, then the cluster's behaviours and timers. */
  stop(): Promise<void>;
}

/** A started simulator that surely runs a full cluster. */
export interface RunningCluster extends RunningSim {
  readonly cluster: SimCluster;
}

type WithScenario =
  | { readonly scenario: Scenario | string }
  | { readonly scenarioFile: string }
  | { readonly nodes: number }
  | { readonly cluster: SimCluster };

function isSimCluster(c: SimClusterParts | undefined): c is SimCluster {
  return c !== undefined && 'record' in c && 'host' in c;
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

/**
 * Starts the simulated API server. Throws ScenarioError for a scenario file or text that does not parse
 * (and for an unreadable file). Stopping also stops a cluster built here or passed in.
 */
export async function startSim(opts: StartSimOptions & WithScenario): Promise<RunningCluster>;
export async function startSim(opts?: StartSimOptions): Promise<RunningSim>;
export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  let given: SimClusterParts | undefined = opts.cluster;
  let built: SimCluster | undefined;
  if (!given && !opts.store && wantsCluster(opts)) {
    const scenario = await resolveScenario(opts);
    const clk = opts.clock ?? realClock(opts.timeScale ?? 1);
    built = createSimCluster({ scenario, clock: clk });
    given = built;
  }
  try {
    return await serve(opts, given, built ?? (isSimCluster(given) ? given : undefined));
  } catch (e) {
    built?.stop();
    throw e;
  }
}

async function serve(
  opts: StartSimOptions,
  given: SimClusterParts | undefined,
  cluster: SimCluster | undefined,
): Promise<RunningSim> {
  const clock = given?.clock ?? opts.clock ?? realClock(opts.timeScale ?? 1);
  const store = given?.store ?? opts.store ?? createStore(clock);
  const hooks = given?.hooks ?? opts.hooks ?? basicHooks(store);
  ensureSystemNamespaces(store);
  // A built cluster's faults are its scenario's (SimCluster.faults = toSimFaults(scenario)).
  const faults = opts.faults ?? given?.faults;
  const authorize = opts.authorize ?? (opts.rbacRoles ? authorizerFromRoles(opts.rbacRoles) : undefined);
  const token = opts.token ?? randomBytes(24).toString('hex');
  const wanted = cluster?.scenario.kubernetesVersion?.split('.')[1];
  const serverVersion: ServerVersion | undefined =
    opts.serverVersion ?? (wanted ? { major: '1', minor: wanted, gitVersion: `v1.${wanted}.14` } : undefined);
  const pki = await generatePki();
  const server = createSimServer({
    store,
    clock,
    hooks,
    token,
    pki,
    ...(faults ? { faults } : {}),
    ...(serverVersion ? { serverVersion } : {}),
    ...(authorize ? { authorize } : {}),
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
    ...(cluster ? { cluster } : {}),
    async stop(): Promise<void> {
      try {
        await server.close();
      } finally {
        await given?.stop?.();
      }
    },
  };
}
