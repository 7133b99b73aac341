// The ClusterPort on the Kubernetes API through client-node: paged lists, cordon patches as kubectl sends them,
// evictions in the version the server takes (policy/v1, or policy/v1beta1 before 1.22, found through
// discovery as kubectl does), and watch-based waits. A 403 becomes PermissionError naming the verb and resource
// (except an eviction refused in a namespace being deleted); a node patch with a stale resourceVersion
// becomes ConflictError.
// May import: core, ports, sibling k8s adapter files and @kubernetes/client-node.

import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Eviction } from '@kubernetes/client-node';
import { ConflictError } from '../../core/errors.js';
import type { NodeView, PdbView, PodView } from '../../core/types.js';
import type { ClusterPort, EvictResult, NodePatch, PodRef, PodsOnNode } from '../../ports/cluster.js';
import type { K8sClients } from './client.js';
import {
  apiCode,
  apiMessage,
  firstContactError,
  guarded,
  isConflict,
  isNamespaceTerminating,
  isNotFound,
  rethrow,
  statusBody,
} from './api-errors.js';
import { toNodeView, toPodView } from './convert.js';
import { discoverEvictionVersion, listPdbsServed, type EvictionVersion } from './policy-versions.js';
import { listAll } from './paging.js';
import { waitPodsGone, watchNode } from './cluster-watch.js';

const strategicMerge = (): ReturnType<typeof setHeaderOptions> =>
  setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const mergePatch = (): ReturnType<typeof setHeaderOptions> =>
  setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The PDB named in a 429 refusal: details.causes first, then the message text. */
export function pdbFromRefusal(status: ReturnType<typeof statusBody>): string | undefined {
  const texts = [
    ...(status?.details?.causes ?? [])
      .filter((c) => c.reason === 'DisruptionBudget')
      .map((c) => c.message ?? ''),
    status?.message ?? '',
  ];
  for (const text of texts) {
    const m = /disruption budget "?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)"?/i.exec(text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

export class KubernetesCluster implements ClusterPort {
  /** Whether a node list has succeeded: until then an unreachable server or a 401 is a kubeconfig problem. */
  private contacted = false;

  constructor(private readonly clients: K8sClients) {}

  async listNodes(labelSelector?: string): Promise<NodeView[]> {
    let items;
    try {
      ({ items } = await guarded('list', 'nodes', () =>
        listAll((page) =>
          this.clients.core.listNode({ ...page, ...(labelSelector ? { labelSelector } : {}) }),
        ),
      ));
    } catch (err) {
      const server = this.clients.kc.getCurrentCluster()?.server ?? 'in the kubeconfig';
      throw (this.contacted ? undefined : firstContactError(err, server)) ?? err;
    }
    this.contacted = true;
    return items.map(toNodeView);
  }

  async getNode(name: string): Promise<NodeView> {
    return toNodeView(await guarded('get', 'nodes', () => this.clients.core.readNode({ name })));
  }

  /**
   * With ifResourceVersion the patch carries metadata.resourceVersion, which the API server compares with
   * the node's (for merge and strategic merge patches alike): a stale one is a 409, here a ConflictError,
   * and nothing is written. A compare-and-swap with nothing else to write still checks the version.
   */
  async patchNode(name: string, patch: NodePatch): Promise<NodeView> {
    const metadata: Record<string, unknown> = {};
    if (patch.labels && Object.keys(patch.labels).length > 0) metadata['labels'] = patch.labels;
    if (patch.annotations && Object.keys(patch.annotations).length > 0)
      metadata['annotations'] = patch.annotations;
    const rv = patch.ifResourceVersion;
    // An empty version would make the server skip the check: unknown is unsafe, so read the node again.
    if (rv === '') throw new ConflictError(`node ${name}: no resourceVersion to compare with; read it again`);
    if (rv !== undefined) metadata['resourceVersion'] = rv;
    const body: Record<string, unknown> = {};
    if (Object.keys(metadata).length > 0) body['metadata'] = metadata;
    // Cordon as kubectl sends it: a strategic merge patch of spec.unschedulable, null to uncordon.
    if (patch.unschedulable !== undefined)
      body['spec'] = { unschedulable: patch.unschedulable ? true : null };
    if (Object.keys(body).length === 0) return this.getNode(name);
    const options = patch.unschedulable !== undefined ? strategicMerge() : mergePatch();
    try {
      return toNodeView(await this.clients.core.patchNode({ name, body }, options));
    } catch (err) {
      if (isConflict(err)) throw new ConflictError(apiMessage(err));
      return rethrow(err, 'patch', 'nodes');
    }
  }

  async listPodsOnNode(nodeName: string, labelSelector?: string): Promise<PodsOnNode> {
    const fieldSelector = `spec.nodeName=${nodeName}`;
    const { items, resourceVersion } = await guarded('list', 'pods', () =>
      listAll((page) =>
        this.clients.core.listPodForAllNamespaces({
          ...page,
          fieldSelector,
          ...(labelSelector ? { labelSelector } : {}),
        }),
      ),
    );
    return { items: items.map(toPodView), ...(resourceVersion ? { version: resourceVersion } : {}) };
  }

  async listPods(opts: { labelSelector?: string; namespace?: string }): Promise<PodView[]> {
    const sel = opts.labelSelector ? { labelSelector: opts.labelSelector } : {};
    const ns = opts.namespace;
    const { items } = await guarded('list', 'pods', () =>
      listAll((page) =>
        ns
          ? this.clients.core.listNamespacedPod({ ...page, ...sel, namespace: ns })
          : this.clients.core.listPodForAllNamespaces({ ...page, ...sel }),
      ),
    );
    return items.map(toPodView);
  }

  async listPdbs(): Promise<PdbView[]> {
    return listPdbsServed(this.clients, this.policyState);
  }

  async getDaemonSet(namespace: string, name: string): Promise<{ readonly uid: string } | undefined> {
    try {
      const ds = await this.clients.apps.readNamespacedDaemonSet({ name, namespace });
      return { uid: ds.metadata?.uid ?? '' };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      return rethrow(err, 'get', 'daemonsets');
    }
  }

  /** What the server serves under policy, learnt once per process: PDB versions and the Eviction version. */
  private readonly policyState: { pdbVersion?: 'v1' | 'v1beta1' } = {};
  /** Set once a policy/v1 Eviction was answered 400: what discovery says pods/eviction takes. */
  private evictionVersion: Promise<EvictionVersion | undefined> | undefined;

  /**
   * Sends policy/v1 Evictions, which every server since 1.22 takes, so a current cluster costs no discovery.
   * An older server cannot decode one (400 BadRequest): then /api/v1 discovery says which version it takes,
   * as kubectl's CheckEvictionSupport does, and that version is sent from then on.
   */
  async evictPod(pod: PodRef, gracePeriodSeconds?: number): Promise<EvictResult> {
    for (;;) {
      const known = this.evictionVersion === undefined ? 'policy/v1' : await this.evictionVersion;
      if (known === undefined) {
        // kubectl would delete the pods instead, bypassing every PodDisruptionBudget: unknown is unsafe.
        return {
          kind: 'error',
          code: 0,
          message:
            'the API server lists no pods/eviction subresource in /api/v1, so PodDisruptionBudgets cannot be honoured; not deleting pods instead',
        };
      }
      const body: V1Eviction = {
        apiVersion: known,
        kind: 'Eviction',
        metadata: { name: pod.name, namespace: pod.namespace },
        deleteOptions: {
          ...(gracePeriodSeconds === undefined || gracePeriodSeconds < 0 ? {} : { gracePeriodSeconds }),
          ...(pod.uid ? { preconditions: { uid: pod.uid } } : {}),
        },
      };
      try {
        await this.clients.core.createNamespacedPodEviction({
          name: pod.name,
          namespace: pod.namespace,
          body,
        });
        return { kind: 'evicted' };
      } catch (err) {
        const code = apiCode(err);
        if (code === 400) {
          // Parallel evictions share one look-up; a failed one is tried again next time.
          if (this.evictionVersion === undefined) {
            const found = guarded('get', 'discovery /api/v1', () => discoverEvictionVersion(this.clients));
            this.evictionVersion = found;
            found.catch(() => (this.evictionVersion = undefined));
          }
          if ((await this.evictionVersion) !== known) continue;
        }
        // 404: already gone. 409 on our uid precondition: the pod we meant was replaced, so it is gone too.
        if (code === 404 || (code === 409 && pod.uid)) return { kind: 'gone' };
        if (isNamespaceTerminating(err)) return { kind: 'namespace-terminating', message: apiMessage(err) };
        if (code === 403) rethrow(err, 'create', 'pods/eviction');
        if (code === 429) {
          const pdb = pdbFromRefusal(statusBody(err));
          return { kind: 'refused', code: 429, message: apiMessage(err), ...(pdb ? { pdb } : {}) };
        }
        if (code === undefined) throw err;
        return { kind: 'error', code, message: apiMessage(err) };
      }
    }
  }

  async deletePod(pod: PodRef, gracePeriodSeconds?: number): Promise<void> {
    try {
      await this.clients.core.deleteNamespacedPod({
        name: pod.name,
        namespace: pod.namespace,
        ...(gracePeriodSeconds === undefined || gracePeriodSeconds < 0 ? {} : { gracePeriodSeconds }),
        ...(pod.uid ? { body: { preconditions: { uid: pod.uid } } } : {}),
      });
    } catch (err) {
      if (isNotFound(err) || (isConflict(err) && pod.uid)) return;
      rethrow(err, 'delete', 'pods');
    }
  }

  waitPodsGone(
    pods: readonly PodRef[],
    onGone: (pod: PodRef) => void,
    signal: AbortSignal,
    from?: { readonly node: string; readonly version: string },
    onTerminating?: (pod: PodRef, deletionTimestamp: number) => void,
  ): Promise<void> {
    return waitPodsGone(this.clients, pods, onGone, signal, from, onTerminating);
  }

  watchNode(name: string, onChange: (node: NodeView) => void, signal: AbortSignal): Promise<void> {
    return watchNode(this.clients, name, onChange, signal);
  }
}
