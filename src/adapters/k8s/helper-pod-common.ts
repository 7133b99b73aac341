// What the helper pod adapters share: their options, settings with defaults, the namespace ensurer (once
// per process, shared with the Lease store: see namespace.ts), aborting a wait early, and deleting pods by label.
// May import: ports (types) and sibling k8s adapter files.

import type { V1Pod } from '@kubernetes/client-node';
import type { ProcessIdentity } from '../../ports/process.js';
import type { K8sClients } from './client.js';
import { isNotFound, rethrow } from './api-errors.js';
import { deletePodQuietly } from './helper-pod-run.js';
import { DEFAULT_HELPER_IMAGE } from './helper-pod-spec.js';
import type { HelperPodSettings } from './helper-pod-spec.js';
import { DEFAULT_NAMESPACE, ensureNamespaceOnce } from './namespace.js';
import { listAll } from './paging.js';

export interface HelperPodsOptions {
  /** This run's id: labels our pods, and leftovers are pods of other runs. */
  readonly runId: string;
  /** Who runs the tool; labelled (as a hash) on our pods, for people and selectors. */
  readonly owner?: string;
  /** This process, recorded on our pods so another run can tell whether we are certainly gone. */
  readonly process?: ProcessIdentity;
  /** Default reboot-daemon. */
  readonly namespace?: string;
  /** Default DEFAULT_HELPER_IMAGE (busybox pinned by digest). */
  readonly image?: string;
  readonly imagePullSecrets?: readonly string[];
  /** priorityClassName of the helper pods; default DEFAULT_HELPER_PRIORITY_CLASS, "" for none. */
  readonly priorityClass?: string;
  /** Create the namespace when missing (labelled pod-security enforce=privileged). Default true. */
  readonly createNamespace?: boolean;
}

export function settingsOf(opts: HelperPodsOptions): HelperPodSettings {
  return {
    namespace: opts.namespace ?? DEFAULT_NAMESPACE,
    runId: opts.runId,
    ...(opts.owner === undefined ? {} : { owner: opts.owner }),
    ...(opts.process === undefined ? {} : { process: opts.process }),
    image: opts.image ?? DEFAULT_HELPER_IMAGE,
    imagePullSecrets: opts.imagePullSecrets ?? [],
    ...(opts.priorityClass === undefined ? {} : { priorityClass: opts.priorityClass }),
  };
}

export function ensurer(
  clients: K8sClients,
  opts: HelperPodsOptions,
  namespace: string,
): () => Promise<void> {
  return opts.createNamespace === false
    ? () => Promise.resolve()
    : () => ensureNamespaceOnce(clients, namespace);
}

/** Rejects with the signal's reason as soon as it aborts, even if work is still in flight. */
export function raced<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Deletes (grace 0) the pods matching the selector for which pick() says yes; returns how many. */
export async function deleteMatching(
  clients: K8sClients,
  namespace: string,
  labelSelector: string,
  pick: (pod: V1Pod) => boolean,
): Promise<number> {
  let items;
  try {
    ({ items } = await listAll((page) =>
      clients.core.listNamespacedPod({ ...page, namespace, labelSelector }),
    ));
  } catch (err) {
    if (isNotFound(err)) return 0;
    return rethrow(err, 'list', 'pods');
  }
  let deleted = 0;
  for (const pod of items) {
    const name = pod.metadata?.name;
    if (!name || !pick(pod)) continue;
    if (await deletePodQuietly(clients, namespace, name)) deleted++;
  }
  return deleted;
}
