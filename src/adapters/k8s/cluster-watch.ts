// The watch-based parts of the ClusterPort: waiting for pods to be gone and following one node.
// A pod is gone when it is NotFound or its name now has another uid; a pod seen with a deletionTimestamp
// is reported as terminating (the caller decides how long it still waits for it).
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node types.

import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { NodeView } from '../../core/types.js';
import type { PodRef } from '../../ports/cluster.js';
import type { K8sClients } from './client.js';
import { toMs, toNodeView } from './convert.js';
import { listAll } from './paging.js';
import { watchLoop } from './watch-loop.js';
import type { WatchEventKind } from './watch-loop.js';

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Resolves once every pod is gone, calling onGone for each. Without `from`, one list-then-watch per
 * namespace. With `from` (every pod is bound to from.node, as listed at from.version), one watch of that
 * node's pods in all namespaces, starting at that version; it lists only after a 410 Gone.
 */
export function waitPodsGone(
  clients: K8sClients,
  pods: readonly PodRef[],
  onGone: (pod: PodRef) => void,
  signal: AbortSignal,
  from?: { readonly node: string; readonly version: string },
  onTerminating?: (pod: PodRef, deletionTimestamp: number) => void,
): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const pending = new Map<string, PodRef>(pods.map((p) => [keyOf(p.namespace, p.name), p]));
  if (pending.size === 0) return Promise.resolve();
  const done = new AbortController();
  const inner = AbortSignal.any([signal, done.signal]);

  return new Promise<void>((resolve, reject) => {
    const markGone = (key: string): void => {
      const ref = pending.get(key);
      if (!ref) return;
      pending.delete(key);
      onGone(ref);
      if (pending.size === 0) {
        done.abort();
        resolve();
      }
    };
    const terminating = (key: string, pod: V1Pod): void => {
      const ref = pending.get(key);
      const at = toMs(pod.metadata?.deletionTimestamp as Date | string | undefined);
      if (ref && at !== undefined && onTerminating) onTerminating(ref, at);
    };
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });

    /**
     * After a (re)list of one namespace's pods (or, without one, of all pending pods' node): those absent,
     * or present with another uid, are gone.
     */
    const onList = (items: V1Pod[], namespace?: string): void => {
      const present = new Map(
        items.map((p) => [keyOf(namespace ?? p.metadata?.namespace ?? '', p.metadata?.name ?? ''), p]),
      );
      for (const [key, ref] of [...pending]) {
        if (namespace !== undefined && ref.namespace !== namespace) continue;
        const pod = present.get(key);
        const uid = pod?.metadata?.uid ?? '';
        if (pod === undefined || (ref.uid && uid !== ref.uid)) markGone(key);
        else terminating(key, pod);
      }
    };
    const onEvent = (kind: WatchEventKind, pod: V1Pod, namespace?: string): void => {
      const key = keyOf(namespace ?? pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
      const ref = pending.get(key);
      if (!ref) return;
      const sameUid = !ref.uid || pod.metadata?.uid === ref.uid;
      if ((kind === 'DELETED' && sameUid) || !sameUid) markGone(key);
      else terminating(key, pod);
    };

    let loops: Promise<void>[];
    if (from) {
      const fieldSelector = `spec.nodeName=${from.node}`;
      loops = [
        watchLoop<V1Pod>({
          clients,
          path: '/api/v1/pods',
          fieldSelector,
          resource: 'pods',
          signal: inner,
          start: { resourceVersion: from.version },
          list: () => listAll((page) => clients.core.listPodForAllNamespaces({ ...page, fieldSelector })),
          onList: (items) => onList(items),
          onEvent: (kind, pod) => onEvent(kind, pod),
        }),
      ];
    } else {
      const namespaces = new Set([...pending.values()].map((p) => p.namespace));
      loops = [...namespaces].map((namespace) =>
        watchLoop<V1Pod>({
          clients,
          path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
          resource: 'pods',
          signal: inner,
          list: () => listAll((page) => clients.core.listNamespacedPod({ ...page, namespace })),
          onList: (items) => onList(items, namespace),
          onEvent: (kind, pod) => onEvent(kind, pod, namespace),
        }),
      );
    }
    Promise.all(loops).then(
      () => signal.removeEventListener('abort', onAbort),
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        done.abort();
        reject(err);
      },
    );
  });
}

/**
 * Calls onChange with the node's current view, then at each change (once per resourceVersion). One watch
 * from now, no list: the server sends the node as it is first.
 */
export async function watchNode(
  clients: K8sClients,
  name: string,
  onChange: (node: NodeView) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastVersion: string | undefined;
  const deliver = (node: V1Node): void => {
    if (node.metadata?.name !== name) return;
    const view = toNodeView(node);
    if (view.resourceVersion !== undefined && view.resourceVersion === lastVersion) return;
    lastVersion = view.resourceVersion;
    onChange(view);
  };
  await watchLoop<V1Node>({
    clients,
    path: '/api/v1/nodes',
    fieldSelector: `metadata.name=${name}`,
    resource: 'nodes',
    signal,
    start: 'now',
    onEvent: (kind, node) => {
      if (kind !== 'DELETED') deliver(node);
    },
  });
}
