// The watch-based parts of the ClusterPort: waiting for pods to be gone and following one node.
// A pod is gone when it is NotFound or its name now has another uid.
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node types.

import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { NodeView } from '../../core/types.js';
import type { PodRef } from '../../ports/cluster.js';
import type { K8sClients } from './client.js';
import { toNodeView } from './convert.js';
import { listAll } from './paging.js';
import { watchLoop } from './watch-loop.js';

export function waitPodsGone(
  clients: K8sClients,
  pods: readonly PodRef[],
  onGone: (pod: PodRef) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const pending = new Map<string, PodRef>(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
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
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });

    const namespaces = new Set([...pending.values()].map((p) => p.namespace));
    const loops = [...namespaces].map((namespace) =>
      watchLoop<V1Pod>({
        clients,
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        resource: 'pods',
        signal: inner,
        list: () => listAll((page) => clients.core.listNamespacedPod({ ...page, namespace })),
        onList: (items) => {
          const present = new Map(items.map((p) => [p.metadata?.name ?? '', p.metadata?.uid ?? '']));
          for (const [key, ref] of [...pending]) {
            if (ref.namespace !== namespace) continue;
            const uid = present.get(ref.name);
            if (uid === undefined || (ref.uid && uid !== ref.uid)) markGone(key);
          }
        },
        onEvent: (kind, pod) => {
          const key = `${namespace}/${pod.metadata?.name ?? ''}`;
          const ref = pending.get(key);
          if (!ref) return;
          const sameUid = !ref.uid || pod.metadata?.uid === ref.uid;
          if ((kind === 'DELETED' && sameUid) || !sameUid) markGone(key);
        },
      }),
    );
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
  const fieldSelector = `metadata.name=${name}`;
  await watchLoop<V1Node>({
    clients,
    path: '/api/v1/nodes',
    fieldSelector,
    resource: 'nodes',
    signal,
    list: () => listAll((page) => clients.core.listNode({ ...page, fieldSelector })),
    onList: (items) => items.forEach(deliver),
    onEvent: (kind, node) => {
      if (kind !== 'DELETED') deliver(node);
    },
  });
}
