// The registry of resource types the simulated API server serves, their subresources (for discovery),
// and look-up helpers by plural, kind, short name and group/version.
// May import: ./types.js.

import type { ResourceType } from './types.js';

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;

function rt(
  group: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  shortNames: readonly string[] = [],
): ResourceType {
  return Object.freeze({
    group,
    version: 'v1',
    resource,
    kind,
    listKind: `${kind}List`,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: Object.freeze([...shortNames]),
    verbs: ALL_VERBS,
  });
}

/** Every served resource type, in discovery order. Plurals are unique across groups. */
export const RESOURCES: readonly ResourceType[] = Object.freeze([
  rt('', 'namespaces', 'Namespace', false, ['ns']),
  rt('', 'nodes', 'Node', false, ['no']),
  rt('', 'pods', 'Pod', true, ['po']),
  rt('', 'events', 'Event', true, ['ev']),
  rt('', 'configmaps', 'ConfigMap', true, ['cm']),
  rt('', 'resourcequotas', 'ResourceQuota', true, ['quota']),
  rt('', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  rt('apps', 'daemonsets', 'DaemonSet', true, ['ds']),
  rt('apps', 'deployments', 'Deployment', true, ['deploy']),
  rt('apps', 'replicasets', 'ReplicaSet', true, ['rs']),
  rt('policy', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb']),
  rt('coordination.k8s.io', 'leases', 'Lease', true),
  rt('rbac.authorization.k8s.io', 'clusterroles', 'ClusterRole', false),
  rt('rbac.authorization.k8s.io', 'clusterrolebindings', 'ClusterRoleBinding', false),
  rt('rbac.authorization.k8s.io', 'roles', 'Role', true),
  rt('rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', true),
]);

/** A subresource as discovery lists it, e.g. `pods/eviction` (group policy, kind Eviction, verb create). */
export interface SubresourceType {
  /** 'pods/eviction' */
  readonly name: string;
  /** The parent resource's plural, e.g. 'pods'. */
  readonly parent: string;
  /** The subresource alone, e.g. 'eviction'. */
  readonly subresource: string;
  /** Group and version of the subresource's kind (may differ from the parent, as for evictions). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

function sub(
  parent: string,
  subresource: string,
  kind: string,
  verbs: readonly string[],
  group?: string,
): SubresourceType {
  const p = RESOURCES.find((r) => r.resource === parent);
  if (p === undefined) throw new Error(`unknown parent resource ${parent}`);
  return Object.freeze({
    name: `${parent}/${subresource}`,
    parent,
    subresource,
    group: group ?? p.group,
    version: 'v1',
    kind,
    namespaced: p.namespaced,
    verbs: Object.freeze([...verbs]),
  });
}

const STATUS_VERBS = ['get', 'patch', 'update'] as const;

export const SUBRESOURCES: readonly SubresourceType[] = Object.freeze([
  sub('nodes', 'status', 'Node', STATUS_VERBS),
  sub('pods', 'eviction', 'Eviction', ['create'], 'policy'),
  sub('pods', 'log', 'Pod', ['get']),
  sub('pods', 'status', 'Pod', STATUS_VERBS),
  sub('daemonsets', 'status', 'DaemonSet', STATUS_VERBS),
  sub('deployments', 'scale', 'Scale', STATUS_VERBS, 'autoscaling'),
  sub('deployments', 'status', 'Deployment', STATUS_VERBS),
  sub('replicasets', 'scale', 'Scale', STATUS_VERBS, 'autoscaling'),
  sub('replicasets', 'status', 'ReplicaSet', STATUS_VERBS),
  sub('poddisruptionbudgets', 'status', 'PodDisruptionBudget', STATUS_VERBS),
]);

/** Kinds whose spec changes bump metadata.generation. */
const GENERATION_RESOURCES: ReadonlySet<string> = new Set([
  'daemonsets',
  'deployments',
  'replicasets',
  'poddisruptionbudgets',
]);

const byPlural = new Map(RESOURCES.map((r) => [r.resource, r]));
const byKind = new Map(RESOURCES.map((r) => [r.kind, r]));
const byShortOrSingular = new Map<string, ResourceType>();
for (const r of RESOURCES) {
  byShortOrSingular.set(r.singular, r);
  for (const s of r.shortNames) byShortOrSingular.set(s, r);
}

/** The `apiVersion` of objects of this type: 'v1' or 'apps/v1'. */
export function apiVersionOf(r: ResourceType): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** By plural ('pods'). */
export function resourceByPlural(plural: string): ResourceType | undefined {
  return byPlural.get(plural);
}

/** By Kind ('Pod'). */
export function resourceByKind(kind: string): ResourceType | undefined {
  return byKind.get(kind);
}

/** By any name a user might type: plural, singular or short name ('po', 'pod', 'pods'). */
export function resourceByName(name: string): ResourceType | undefined {
  const n = name.toLowerCase();
  return byPlural.get(n) ?? byShortOrSingular.get(n);
}

/** By URL parts: group ('' for /api), version and plural. */
export function resourceFor(group: string, version: string, plural: string): ResourceType | undefined {
  const r = byPlural.get(plural);
  return r !== undefined && r.group === group && r.version === version ? r : undefined;
}

/** The subresources of a resource, e.g. pods → eviction, log, status. */
export function subresourcesOf(plural: string): SubresourceType[] {
  return SUBRESOURCES.filter((s) => s.parent === plural);
}

/** One subresource, e.g. subresourceFor('pods', 'eviction'). */
export function subresourceFor(plural: string, subresource: string): SubresourceType | undefined {
  return SUBRESOURCES.find((s) => s.parent === plural && s.subresource === subresource);
}

/** True when the resource has a status subresource (so a plain update keeps the old status). */
export function hasStatusSubresource(plural: string): boolean {
  return SUBRESOURCES.some((s) => s.parent === plural && s.subresource === 'status');
}

/** True when spec changes bump metadata.generation. */
export function tracksGeneration(plural: string): boolean {
  return GENERATION_RESOURCES.has(plural);
}

/** Served group names in discovery order, without the core group ('apps', 'policy', ...). */
export function servedGroups(): string[] {
  const groups: string[] = [];
  for (const r of RESOURCES) if (r.group !== '' && !groups.includes(r.group)) groups.push(r.group);
  return groups;
}

/** The resources served in one group/version (core: group ''), for an APIResourceList. */
export function resourcesIn(group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

/**
 * Subresources listed in the APIResourceList of a group/version: those whose parent is served there.
 * (`pods/eviction` appears under /api/v1 even though its kind is in group policy.)
 */
export function subresourcesIn(group: string, version: string): SubresourceType[] {
  const parents = new Set(resourcesIn(group, version).map((r) => r.resource));
  return SUBRESOURCES.filter((s) => parents.has(s.parent));
}
