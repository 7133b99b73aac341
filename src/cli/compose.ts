// The composition root: turns a validated RunConfig into adapters (client-node, helper pods, Lease, blockers)
// and app options, then calls the app. The one place that knows every layer; commands call it lazily.
// May import: core, ports, app, adapters, cli/config-types.

import { localProcess } from '../adapters/process.js';
import { hostname, userInfo } from 'node:os';
import { loadKubeConfig } from '../adapters/k8s/kubeconfig.js';
import { makeClients, type K8sClients } from '../adapters/k8s/client.js';
import { KubernetesCluster } from '../adapters/k8s/cluster.js';
import { HelperPodLeftovers, HelperPodSentinelChecker } from '../adapters/k8s/helper-pods.js';
import { HelperPodRebooter } from '../adapters/k8s/helper-pod-reboot.js';
import { KuredLockReader } from '../adapters/k8s/kured-lock.js';
import { KubernetesLeaseStore } from '../adapters/k8s/lease.js';
import { BlockingPodsBlocker } from '../adapters/k8s/pod-blocker.js';
import { PrometheusAlertBlocker } from '../adapters/prometheus/alerts.js';
import { systemClock } from '../adapters/clock.js';
import { newRunId, runOnce } from '../app/run.js';
import { status, type StatusReport } from '../app/status.js';
import { resolveRunOptions, type RunDeps, type RunOptions, type RunResult } from '../app/types.js';
import { InputError } from '../core/errors.js';
import { IN_PROGRESS_LABEL } from '../core/keys.js';
import type { EmitFn } from '../core/events.js';
import { windowState } from '../core/window.js';
import type { Blocker } from '../ports/blockers.js';
import type { Clock } from '../ports/clock.js';
import type { ClusterPort } from '../ports/cluster.js';
import type { RunConfig } from './config-types.js';

export interface ComposeOptions {
  readonly emit: EmitFn;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The app's clock; the real one unless a simulated cluster runs on a faster clock. */
  readonly clock?: Clock;
  /** Options the flags do not reach (the demo shortens waits that are meant for real clusters). */
  readonly tuning?: Partial<Pick<RunOptions, 'readyStableMs' | 'healthPollMs' | 'healthTimeoutMs'>>;
}

/** Who runs the tool: the same owner may resume its own interrupted work. */
export function ownerIdentity(env: Readonly<Record<string, string | undefined>> = process.env): string {
  let user = env['USER'] ?? '';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `${user || 'unknown'}@${hostname()}`;
}

/** The API clients; `clock` is the local clock the API server's clock is measured against (clients.serverTime). */
export function connect(
  config: RunConfig,
  env?: Readonly<Record<string, string | undefined>>,
  clock: Clock = systemClock,
): K8sClients {
  const kc = loadKubeConfig({
    ...(config.kube.kubeconfig ? { kubeconfig: config.kube.kubeconfig } : {}),
    ...(config.kube.context ? { context: config.kube.context } : {}),
    ...(env ? { env } : {}),
  });
  return makeClients(kc, { requestTimeoutMs: config.kube.requestTimeoutMs, clock });
}

/**
 * Only the named nodes, when names were given; an unknown name is an input error. The list of nodes in
 * progress (the in-progress label) is not narrowed: every node in progress counts against the limits, named
 * or not.
 */
export function restrictToNodes(cluster: ClusterPort, names: readonly string[]): ClusterPort {
  if (names.length === 0) return cluster;
  const wanted = new Set(names);
  const listNodes: ClusterPort['listNodes'] = async (selector) => {
    if (selector === IN_PROGRESS_LABEL) return cluster.listNodes(selector);
    const all = await cluster.listNodes(selector);
    const found = new Set(all.map((n) => n.name));
    const missing = names.filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw new InputError(
        `node${missing.length > 1 ? 's' : ''} not found${selector ? ` among nodes matching ${selector}` : ''}: ${missing.join(', ')}`,
        '`kubectl get nodes` lists the names',
      );
    }
    return all.filter((n) => wanted.has(n.name));
  };
  return new Proxy(cluster, {
    get: (target, prop, receiver) =>
      prop === 'listNodes' ? listNodes : (Reflect.get(target, prop, receiver) as unknown),
  });
}

export function blockersOf(config: RunConfig, cluster: ClusterPort): Blocker[] {
  const out: Blocker[] = [];
  const b = config.blockers;
  if (b.prometheusUrl) {
    out.push(
      new PrometheusAlertBlocker({
        url: b.prometheusUrl,
        ...(b.alertFilterRegexp ? { filterRegexp: new RegExp(b.alertFilterRegexp) } : {}),
        matchOnly: b.alertFilterMatchOnly,
        firingOnly: b.alertFiringOnly,
      }),
    );
  }
  if (b.blockingPodSelectors.length > 0) out.push(new BlockingPodsBlocker(cluster, b.blockingPodSelectors));
  return out;
}

export function buildRunDeps(
  config: RunConfig,
  clients: K8sClients,
  opts: { readonly runId: string; readonly emit: EmitFn; readonly clock: Clock; readonly owner: string },
): RunDeps {
  const proc = localProcess();
  const serverTime = clients.serverTime;
  const pods = {
    runId: opts.runId,
    ...(opts.owner === undefined ? {} : { owner: opts.owner }),
    process: proc.self,
    namespace: config.pods.namespace,
    image: config.pods.image,
    imagePullSecrets: config.pods.imagePullSecrets,
    priorityClass: config.pods.priorityClass,
  };
  const cluster = restrictToNodes(new KubernetesCluster(clients), config.nodes);
  return {
    cluster,
    sentinel: new HelperPodSentinelChecker(clients, {
      ...pods,
      sentinel: config.sentinel,
      timeoutMs: config.timeouts.probeMs,
    }),
    rebooter: new HelperPodRebooter(clients, {
      ...pods,
      method: config.reboot.method,
      command: config.reboot.command,
    }),
    janitor: new HelperPodLeftovers(clients, {
      runId: opts.runId,
      namespace: config.pods.namespace,
      process: proc,
      // Pods' creation times are on the API server's clock.
      now: () => serverTime.now(),
    }),
    lease: new KubernetesLeaseStore(clients, { namespace: config.pods.namespace, clock: serverTime }),
    foreignLock: new KuredLockReader(clients, { clock: serverTime }),
    blockers: blockersOf(config, cluster),
    clock: opts.clock,
    serverTime,
    process: proc,
    emit: opts.emit,
    windowState: (now) => windowState(config.schedule, now, config.windowMarginMs),
  };
}

export function runOptionsOf(
  config: RunConfig,
  opts: {
    readonly owner: string;
    readonly runId: string;
    readonly signal?: AbortSignal;
    readonly tuning?: ComposeOptions['tuning'];
  },
): RunOptions {
  const d = config.drain;
  return resolveRunOptions({
    owner: opts.owner,
    runId: opts.runId,
    dryRun: config.dryRun,
    concurrency: config.lock.concurrency,
    probeConcurrency: config.timeouts.probeConcurrency,
    ...(config.nodeSelector ? { nodeSelector: config.nodeSelector } : {}),
    maxPerZone: config.maxPerZone ?? 0,
    drain: {
      force: d.force,
      ignoreDaemonsets: d.ignoreDaemonsets,
      deleteEmptydirData: d.deleteEmptyDirData,
      skipWaitForDeleteTimeoutSeconds: d.skipWaitForDeleteTimeoutSeconds,
      gracePeriodSeconds: d.gracePeriodSeconds,
      timeoutMs: d.timeoutMs,
      ...(d.podSelector ? { podSelector: d.podSelector } : {}),
    },
    forceReboot: d.forceReboot,
    rebootTimeoutMs: config.timeouts.rebootMs,
    readyTimeoutMs: config.timeouts.readyMs,
    readyStableMs: config.timeouts.readyStableMs,
    lockTtlMs: config.lock.ttlMs,
    lockReleaseDelayMs: config.lock.releaseDelayMs,
    annotateNodes: config.marking.annotateNodes,
    preRebootNodeLabels: config.marking.preRebootLabels,
    postRebootNodeLabels: config.marking.postRebootLabels,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.tuning ?? {}),
  });
}

/** `run` and `plan`: one pass over the cluster the config points at. */
export async function executeRun(config: RunConfig, opts: ComposeOptions): Promise<RunResult> {
  const clock = opts.clock ?? systemClock;
  const clients = connect(config, opts.env, clock);
  const runId = newRunId();
  const owner = ownerIdentity(opts.env);
  const deps = buildRunDeps(config, clients, { runId, emit: opts.emit, clock, owner });
  const options = runOptionsOf(config, {
    owner,
    runId,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
  });
  return runOnce(deps, options);
}

/** `status`: one read-only report of the cluster the config points at. */
export async function executeStatus(config: RunConfig, opts: ComposeOptions): Promise<StatusReport> {
  const clock = opts.clock ?? systemClock;
  const clients = connect(config, opts.env, clock);
  const deps = buildRunDeps(config, clients, {
    runId: newRunId(),
    emit: opts.emit,
    clock,
    owner: ownerIdentity(opts.env),
  });
  return status(deps, {
    ...(config.nodeSelector ? { nodeSelector: config.nodeSelector } : {}),
    probeConcurrency: config.timeouts.probeConcurrency,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
