// Which versions of the policy APIs a simulated server serves, decided by its Kubernetes version as on a
// real one: the eviction subresource takes policy/v1 Evictions from 1.22 (policy/v1beta1 before), and
// PodDisruptionBudgets are served as policy/v1 from 1.21 and as policy/v1beta1 before 1.25.
// May import: ./types.js, ./resources.js.
import type { ResourceType } from './types.js';
import { RESOURCES, SUBRESOURCES, type SubresourceType } from './resources.js';
import type { ResourceLookup } from './routes.js';

export interface ApiLevel {
  /** The version of the Eviction kind that pods/eviction accepts, as /api/v1 lists it. */
  readonly eviction: 'v1' | 'v1beta1';
  /** The versions PodDisruptionBudgets are served at, the preferred first. */
  readonly pdb: readonly ('v1' | 'v1beta1')[];
  readonly types: readonly ResourceType[];
  readonly subresources: readonly SubresourceType[];
  readonly lookup: ResourceLookup;
}

/** The API level of a 1.<minor> server. Newer than 1.24, only policy/v1 is served (as by default). */
export function apiLevelOf(minor: number): ApiLevel {
  const eviction = minor >= 22 ? 'v1' : 'v1beta1';
  // policy/v1beta1 PDBs were served until 1.25; from 1.22 the simulator serves only v1, as it always did.
  const pdb: ('v1' | 'v1beta1')[] = minor >= 22 ? ['v1'] : minor === 21 ? ['v1', 'v1beta1'] : ['v1beta1'];
  const types: ResourceType[] = [];
  for (const r of RESOURCES) {
    if (r.resource !== 'poddisruptionbudgets') types.push(r);
    else for (const version of pdb) types.push(Object.freeze({ ...r, version }));
  }
  const subresources = SUBRESOURCES.map((s) =>
    s.name === 'pods/eviction' ? Object.freeze({ ...s, version: eviction }) : s,
  );
  const lookup: ResourceLookup = (group, version, plural) =>
    types.find((t) => t.group === group && t.version === version && t.resource === plural);
  return { eviction, pdb, types, subresources, lookup };
}

/** The minor of a server version's `minor` field ('21', '21+'), or undefined when it is not a number. */
export function minorOf(minor: string): number | undefined {
  const m = /^(\d+)\+?$/.exec(minor);
  return m ? Number(m[1]) : undefined;
}

/** What an old server answers a policy/v1 Eviction with: it cannot decode the kind (400 BadRequest). */
export function unknownEvictionVersionMessage(apiVersion: string): string {
  const version = apiVersion.split('/')[1] ?? apiVersion;
  return `Eviction in version "${version}" cannot be handled as a Eviction: no kind "Eviction" is registered for version "${apiVersion}" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`;
}
