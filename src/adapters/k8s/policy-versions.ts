// The policy API versions a cluster serves, found as kubectl finds them: the Eviction version from the
// `pods/eviction` entry of /api/v1 discovery (policy/v1 from Kubernetes 1.22, policy/v1beta1 before), and
// PodDisruptionBudgets read as policy/v1, or as policy/v1beta1 when v1 is not served (before 1.21).
// May import: core, sibling k8s adapter files and @kubernetes/client-node.

import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { PdbView } from '../../core/types.js';
import type { K8sClients } from './client.js';
import { guarded, isNotFound } from './api-errors.js';
import { toPdbView } from './convert.js';
import { listAll } from './paging.js';

export type EvictionVersion = 'policy/v1' | 'policy/v1beta1';

/**
 * kubectl's CheckEvictionSupport: the group/version of the `pods/eviction` subresource (kind Eviction) as
 * /api/v1 lists it, or undefined when the server lists none.
 */
export async function discoverEvictionVersion(clients: K8sClients): Promise<EvictionVersion | undefined> {
  const list = await clients.core.getAPIResources();
  const sub = list.resources.find(
    (r) => r.name === 'pods/eviction' && r.kind === 'Eviction' && r.group && r.version,
  );
  if (sub === undefined) return undefined;
  // A version this tool does not know is sent as v1beta1, as kubectl falls back to it for anything but v1.
  return sub.group === 'policy' && sub.version === 'v1' ? 'policy/v1' : 'policy/v1beta1';
}

/**
 * In v1beta1 an empty selector selects no pods (in v1 it selects every pod of the namespace). The API server
 * stores it as this never-matching expression; the view does the same.
 */
const V1BETA1_EMPTY_SELECTOR_KEY = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';

function fromV1beta1(pdb: V1PodDisruptionBudget): PdbView {
  const view = toPdbView(pdb);
  const sel = view.selector;
  const empty = (sel.matchExpressions ?? []).length === 0 && Object.keys(sel.matchLabels ?? {}).length === 0;
  if (!empty) return view;
  return {
    ...view,
    selector: { matchExpressions: [{ key: V1BETA1_EMPTY_SELECTOR_KEY, operator: 'Exists' }] },
  };
}

/** Reads every PDB, paged: as policy/v1, or as policy/v1beta1 once v1 answered 404 (remembered in `state`). */
export async function listPdbsServed(
  clients: K8sClients,
  state: { pdbVersion?: 'v1' | 'v1beta1' },
): Promise<PdbView[]> {
  if (state.pdbVersion !== 'v1beta1') {
    try {
      const { items } = await guarded('list', 'poddisruptionbudgets', () =>
        listAll((page) => clients.policy.listPodDisruptionBudgetForAllNamespaces(page)),
      );
      state.pdbVersion = 'v1';
      return items.map(toPdbView);
    } catch (err) {
      if (!isNotFound(err) || state.pdbVersion === 'v1') throw err;
      state.pdbVersion = 'v1beta1';
    }
  }
  const { items } = await guarded('list', 'poddisruptionbudgets', () =>
    listAll(async (page) => {
      const body = (await clients.custom.listClusterCustomObject({
        group: 'policy',
        version: 'v1beta1',
        plural: 'poddisruptionbudgets',
        ...page,
      })) as { items?: V1PodDisruptionBudget[]; metadata?: { continue?: string; resourceVersion?: string } };
      return {
        items: body.items ?? [],
        metadata: {
          ...(body.metadata?.continue ? { _continue: body.metadata.continue } : {}),
          ...(body.metadata?.resourceVersion ? { resourceVersion: body.metadata.resourceVersion } : {}),
        },
      };
    }),
  );
  return items.map(fromV1beta1);
}
