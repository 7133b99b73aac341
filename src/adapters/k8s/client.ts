// The typed API clients the adapters share, built from one KubeConfig with a per-request timeout, and the
// API server's clock as estimated from their responses (see server-time.ts).
// May import: ports, adapters/clock, @kubernetes/client-node, sibling k8s adapter files.

import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PolicyV1Api,
  ServerConfiguration,
  Watch,
  createConfiguration,
} from '@kubernetes/client-node';
import type { KubeConfig, Middleware, RequestContext, ResponseContext } from '@kubernetes/client-node';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../clock.js';
import { retryingHttpLibrary } from './retry.js';
import { ObservedServerTime, observingHttpLibrary } from './server-time.js';

export interface K8sClients {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly policy: PolicyV1Api;
  /** Generic group/version access: policy/v1beta1 on clusters older than 1.21. */
  readonly custom: CustomObjectsApi;
  readonly coordination: CoordinationV1Api;
  readonly watch: Watch;
  /** The API server's clock, estimated from every response's Date header (watches excepted). */
  readonly serverTime: ObservedServerTime;
}

export interface ClientOptions {
  /** Abort any single request (not watches) that takes longer than this. Default 30 s; 0 disables. */
  readonly requestTimeoutMs?: number;
  /** The local clock the server's clock is measured against. Default the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function timeoutMiddleware(ms: number): Middleware {
  return {
    pre: async (ctx: RequestContext) => {
      const own = ctx.getSignal();
      const timeout = AbortSignal.timeout(ms);
      ctx.setSignal(own ? AbortSignal.any([own, timeout]) : timeout);
      return ctx;
    },
    post: async (res: ResponseContext) => res,
  };
}

/** Builds the API clients. Throws when the current context has no cluster (loadKubeConfig checks that). */
export function makeClients(kc: KubeConfig, opts: ClientOptions = {}): K8sClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the current kubeconfig context has no cluster');
  const ms = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const baseServer = new ServerConfiguration(cluster.server, {});
  const serverTime = new ObservedServerTime(opts.clock ?? systemClock);
  // Each attempt on the wire is timed for the server's clock: client-node's middleware cannot pair a
  // response with its request, and timing the attempt, not the retries around it, bounds the clock tighter.
  const wire = observingHttpLibrary(createConfiguration({ baseServer }).httpApi, serverTime);
  const config = createConfiguration({
    baseServer,
    authMethods: { default: kc },
    // Transient 5xx, 429 and dropped connections are retried below the typed clients (see retry.ts).
    httpApi: retryingHttpLibrary(wire),
    promiseMiddleware: ms > 0 ? [timeoutMiddleware(ms)] : [],
  });
  return {
    kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    policy: new PolicyV1Api(config),
    custom: new CustomObjectsApi(config),
    coordination: new CoordinationV1Api(config),
    watch: new Watch(kc),
    serverTime,
  };
}
