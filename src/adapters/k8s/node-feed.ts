// The NodeFeed port over a list-then-watch of all nodes (optionally narrowed by a label selector): watch
// mode follows the agents' annotations with it. Reconnects with backoff; each problem goes to onTrouble.
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node types.

import type { V1Node } from '@kubernetes/client-node';
import type { NodeView } from '../../core/types.js';
import type { NodeFeed } from '../../ports/node-watch.js';
import type { K8sClients } from './client.js';
import { toNodeView } from './convert.js';
import { listAll } from './paging.js';
import { watchLoop } from './watch-loop.js';

export class KubernetesNodeFeed implements NodeFeed {
  constructor(
    private readonly clients: K8sClients,
    private readonly opts: { readonly labelSelector?: string; readonly maxBackoffMs?: number } = {},
  ) {}

  follow(
    onNode: (node: NodeView) => void,
    onTrouble: (message: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const labelSelector = this.opts.labelSelector;
    const deliver = (node: V1Node): void => {
      try {
        onNode(toNodeView(node));
      } catch (err) {
        onTrouble(`a node could not be read: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    return watchLoop<V1Node>({
      clients: this.clients,
      path: '/api/v1/nodes',
      ...(labelSelector ? { labelSelector } : {}),
      resource: 'nodes',
      signal,
      list: () =>
        listAll((page) =>
          this.clients.core.listNode({ ...page, ...(labelSelector ? { labelSelector } : {}) }),
        ),
      onList: (items) => items.forEach(deliver),
      onEvent: (kind, node) => {
        if (kind !== 'DELETED') deliver(node);
      },
      onTrouble,
      maxBackoffMs: this.opts.maxBackoffMs ?? 30_000,
    });
  }
}
