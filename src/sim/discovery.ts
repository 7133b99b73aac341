// Discovery documents: /version, /api, /apis, /apis/G, /api/v1 and /apis/G/V, in plain JSON.
// May import: ./types.js, ./resources.js.
import type { ResourceType } from './types.js';
import { apiVersionOf, SUBRESOURCES, type SubresourceType } from './resources.js';

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion?: string;
}

export function versionDoc(v: ServerVersion): Record<string, string> {
  const minor = v.minor.replace(/\D+$/, '');
  const gitVersion = v.gitVersion ?? `v${v.major}.${minor}.4`;
  return {
    major: v.major,
    minor: v.minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersionsDoc(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(types: readonly ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return groups;
}

function groupDoc(name: string, versions: readonly string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiGroupListDoc(types: readonly ResourceType[]): Record<string, unknown> {
  const groups = [...groupVersions(types)].map(([name, versions]) => groupDoc(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The APIGroup document of /apis/GROUP, or undefined when the group is not served. */
export function apiGroupDoc(
  types: readonly ResourceType[],
  group: string,
): Record<string, unknown> | undefined {
  const versions = groupVersions(types).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) } : undefined;
}

/** The APIResourceList of one group/version, or undefined when nothing is served there. */
export function apiResourceListDoc(
  types: readonly ResourceType[],
  group: string,
  version: string,
  subresources: readonly SubresourceType[] = SUBRESOURCES,
): Record<string, unknown> | undefined {
  const served = types.filter((t) => t.group === group && t.version === version);
  if (served.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of served) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: [...t.verbs],
      ...(t.shortNames.length ? { shortNames: [...t.shortNames] } : {}),
      ...(t.resource === 'pods' || t.resource === 'deployments' || t.resource === 'daemonsets'
        ? { categories: ['all'] }
        : {}),
    });
    for (const s of subresources.filter((x) => x.parent === t.resource)) {
      const foreign = s.group !== t.group || s.version !== t.version;
      resources.push({
        name: s.name,
        singularName: '',
        namespaced: s.namespaced,
        ...(foreign ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: [...s.verbs],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(served[0]!), resources };
}
