// Running one helper pod: create it, follow it by WATCHING (never polling) until an observer decides, and
// delete it. Reads the exit code and termination message from containerStatuses[0].state.terminated.
// May import: core, sibling k8s adapter files and @kubernetes/client-node types.

import { setTimeout as delay } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import type { K8sClients } from './client.js';
import { RebootDaemonError } from '../../core/errors.js';
import { apiCode, apiMessage, rethrow } from './api-errors.js';
import { listAll } from './paging.js';
import { watchLoop } from './watch-loop.js';

/** Waiting reasons that will not fix themselves within a helper pod's short life. */
const FATAL_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export type PodState =
  | { readonly kind: 'pending'; readonly detail: string }
  | { readonly kind: 'running' }
  | { readonly kind: 'exited'; readonly exitCode: number; readonly message: string; readonly reason?: string }
  /** The pod failed without a readable container exit: image pull error, deadline exceeded, eviction. */
  | { readonly kind: 'failed'; readonly cause: string; readonly started: boolean; readonly reason?: string }
  | { readonly kind: 'deleted' };

/** Reads a helper pod's state from its status. */
export function podState(pod: V1Pod): PodState {
  const status = pod.status;
  const cs = status?.containerStatuses?.[0];
  const terminated = cs?.state?.terminated;
  if (terminated) {
    return {
      kind: 'exited',
      exitCode: terminated.exitCode,
      message: (terminated.message ?? '').trim(),
      ...(terminated.reason ? { reason: terminated.reason } : {}),
    };
  }
  const started = cs?.state?.running !== undefined && cs?.state?.running !== null;
  if (status?.phase === 'Failed' || status?.phase === 'Succeeded') {
    const why =
      [status.reason, status.message].filter(Boolean).join(': ') ||
      `pod ${status.phase} without a container status`;
    return {
      kind: 'failed',
      cause: why,
      started: started || cs?.lastState?.terminated !== undefined,
      ...(status.reason ? { reason: status.reason } : {}),
    };
  }
  const waiting = cs?.state?.waiting;
  if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
    return {
      kind: 'failed',
      cause: [waiting.reason, waiting.message].filter(Boolean).join(': '),
      started: false,
    };
  }
  if (started) return { kind: 'running' };
  const detail = waiting?.reason ?? status?.phase ?? 'not yet scheduled';
  return { kind: 'pending', detail };
}

const CREATE_ATTEMPTS = 4;
const CREATE_RETRY_CODES = new Set([429, 500, 502, 503, 504]);
const CREATE_RETRY_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED']);

/**
 * Creates the pod in its namespace; the namespace is ensured first by the caller. A 429 or 5xx answer, or a
 * broken connection, is retried with the same body (at most 4 attempts, 250 ms doubling): a helper pod's name
 * is unique to it, so a 409 AlreadyExists on a retry means an earlier attempt went through, and that pod
 * (checked by its labels) is the one created.
 */
export async function createPod(clients: K8sClients, pod: V1Pod, signal?: AbortSignal): Promise<V1Pod> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  for (let attempt = 1; ; attempt++) {
    try {
      return await clients.core.createNamespacedPod({ namespace, body: pod });
    } catch (err) {
      const code = apiCode(err);
      if (code === 409 && attempt > 1) return adopt(clients, pod, err);
      const errno = (err as { code?: unknown } | undefined)?.code;
      const transient =
        code !== undefined
          ? CREATE_RETRY_CODES.has(code)
          : typeof errno === 'string' && CREATE_RETRY_ERRORS.has(errno);
      if (!transient || attempt >= CREATE_ATTEMPTS || signal?.aborted || !name) {
        quotaRefusal(pod, err);
        return rethrow(err, 'create', 'pods');
      }
      try {
        await delay(250 * 2 ** (attempt - 1), undefined, signal ? { signal } : undefined);
      } catch {
        return rethrow(err, 'create', 'pods');
      }
    }
  }
}

/**
 * A cluster that limits critical priority classes (the ResourceQuota plugin's limitedResources, as GKE sets
 * it) refuses such a pod outside kube-system unless a ResourceQuota in its namespace covers the class.
 */
function quotaRefusal(pod: V1Pod, err: unknown): void {
  const cls = pod.spec?.priorityClassName;
  const message = apiMessage(err);
  if (!cls || apiCode(err) !== 403 || !message.includes('insufficient quota to match these scopes')) return;
  const ns = pod.metadata?.namespace ?? '';
  throw new RebootDaemonError(`helper pod refused in namespace ${ns}: ${message}`, {
    hint: `this cluster admits priority class ${cls} only where a ResourceQuota allows it: apply deploy/critical-pods-quota.yaml in ${ns}, or pass --pod-priority-class ""`,
    cause: err,
  });
}

/** The pod an earlier attempt created, if it carries every label of ours; otherwise the 409 stands. */
async function adopt(clients: K8sClients, pod: V1Pod, conflict: unknown): Promise<V1Pod> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  let found: V1Pod;
  try {
    found = await clients.core.readNamespacedPod({ name, namespace });
  } catch (err) {
    return rethrow(err, 'get', 'pods');
  }
  const want = Object.entries(pod.metadata?.labels ?? {});
  const have = found.metadata?.labels ?? {};
  if (want.every(([k, v]) => have[k] === v)) return found;
  return rethrow(conflict, 'create', 'pods');
}

/** Deletes at once (grace 0); an already-gone pod is fine. Never throws. */
export async function deletePodQuietly(
  clients: K8sClients,
  namespace: string,
  name: string,
): Promise<boolean> {
  try {
    await clients.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
    return true;
  } catch (err) {
    return apiCode(err) === 404;
  }
}

/**
 * Watches one pod and calls observe with each state; resolves with observe's first non-undefined answer.
 * Rejects with the signal's reason when it aborts first, or with PermissionError on a 403.
 * `since` (the resourceVersion of the pod as just created) starts the watch there with no list first: every
 * change after the creation is seen, but not the created state itself. Without it, the pod is listed first.
 */
export function followPod<R>(
  clients: K8sClients,
  namespace: string,
  name: string,
  observe: (state: PodState) => R | undefined,
  signal: AbortSignal,
  since?: string,
): Promise<R> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const done = new AbortController();
  const inner = AbortSignal.any([signal, done.signal]);
  const fieldSelector = `metadata.name=${name}`;
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const settle = (state: PodState): void => {
      if (settled) return;
      const answer = observe(state);
      if (answer === undefined) return;
      settled = true;
      done.abort();
      resolve(answer);
    };
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    watchLoop<V1Pod>({
      clients,
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      fieldSelector,
      resource: 'pods',
      signal: inner,
      ...(since ? { start: { resourceVersion: since } } : {}),
      list: () => listAll((page) => clients.core.listNamespacedPod({ ...page, namespace, fieldSelector })),
      onList: (items) => {
        const pod = items.find((p) => p.metadata?.name === name);
        settle(pod ? podState(pod) : { kind: 'deleted' });
      },
      onEvent: (kind, pod) => {
        if (pod.metadata?.name !== name) return;
        settle(kind === 'DELETED' ? { kind: 'deleted' } : podState(pod));
      },
    }).then(
      () => signal.removeEventListener('abort', onAbort),
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        done.abort();
        reject(err);
      },
    );
  });
}

export function describeState(state: PodState | undefined): string {
  if (!state) return 'no status seen';
  switch (state.kind) {
    case 'pending':
      return `pending (${state.detail})`;
    case 'running':
      return 'running';
    case 'exited':
      return `exited ${state.exitCode}${state.message ? `: ${state.message}` : ''}`;
    case 'failed':
      return state.cause;
    case 'deleted':
      return 'deleted';
  }
}
