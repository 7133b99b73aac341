// RBAC for the simulated API server: turns ClusterRole and Role objects (the rules of one subject) into
// an Authorize function that evaluates PolicyRules as the real authorizer does: apiGroups, resources
// (with the `pods/eviction` subresource form and `*`, `*/sub` wildcards), verbs and resourceNames.
// Without bindings, a ClusterRole applies everywhere and a Role only in its own namespace. With bindings
// in the documents, they decide: a ClusterRoleBinding grants its ClusterRole everywhere, a RoleBinding
// grants its Role or ClusterRole only in the binding's namespace (subjects are not checked).
// May import: ./types.js, ./resources.js, ./server.js (types).
import { RESOURCES } from './resources.js';
import type { Authorize } from './server.js';
import type { KObject } from './types.js';

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export interface RbacOptions {
  /** Namespace of a Role or RoleBinding that names none. Default "default". */
  readonly defaultNamespace?: string;
}

/** Rules granted cluster-wide (namespace undefined) or in one namespace. */
export interface Grant {
  readonly namespace: string | undefined;
  readonly rules: readonly PolicyRule[];
}

export interface RbacRequest {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

const groupOfResource = new Map(RESOURCES.map((r) => [r.resource, r.group]));

const has = (list: readonly string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

function resourceMatches(rule: PolicyRule, resource: string, sub: string | undefined): boolean {
  const wanted = sub ? `${resource}/${sub}` : resource;
  return (rule.resources ?? []).some((r) => r === '*' || r === wanted || (!!sub && r === `*/${sub}`));
}

/** Does one rule allow the request? */
export function ruleAllows(rule: PolicyRule, req: RbacRequest): boolean {
  if (!has(rule.verbs, req.verb)) return false;
  if (!has(rule.apiGroups, req.group)) return false;
  if (!resourceMatches(rule, req.resource, req.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (req.name !== undefined && names.includes(req.name));
}

function rulesOf(doc: KObject): PolicyRule[] {
  const rules = (doc as { rules?: unknown }).rules;
  return Array.isArray(rules) ? (rules as PolicyRule[]) : [];
}

/** The grants a set of role (and optional binding) documents gives one subject. */
export function grantsFromRoles(docs: readonly KObject[], opts: RbacOptions = {}): Grant[] {
  const dflt = opts.defaultNamespace ?? 'default';
  const nsOf = (d: KObject): string => d.metadata.namespace ?? dflt;
  const clusterRoles = new Map<string, KObject>();
  const roles = new Map<string, KObject>();
  for (const d of docs) {
    if (d.kind === 'ClusterRole') clusterRoles.set(d.metadata.name, d);
    if (d.kind === 'Role') roles.set(`${nsOf(d)}/${d.metadata.name}`, d);
  }
  const bindings = docs.filter((d) => d.kind === 'ClusterRoleBinding' || d.kind === 'RoleBinding');
  if (bindings.length === 0) {
    return [
      ...[...clusterRoles.values()].map((d) => ({ namespace: undefined, rules: rulesOf(d) })),
      ...[...roles.values()].map((d) => ({ namespace: nsOf(d), rules: rulesOf(d) })),
    ];
  }
  const grants: Grant[] = [];
  for (const b of bindings) {
    const ref = (b as { roleRef?: { kind?: string; name?: string } }).roleRef;
    if (!ref?.name) continue;
    const namespace = b.kind === 'RoleBinding' ? nsOf(b) : undefined;
    const role =
      ref.kind === 'ClusterRole'
        ? clusterRoles.get(ref.name)
        : b.kind === 'RoleBinding'
          ? roles.get(`${nsOf(b)}/${ref.name}`)
          : undefined;
    if (role) grants.push({ namespace, rules: rulesOf(role) });
  }
  return grants;
}

/** Is the request allowed by any grant? A namespaced grant never covers cluster-scoped requests. */
export function allowedBy(grants: readonly Grant[], req: RbacRequest): boolean {
  return grants.some(
    (g) =>
      (g.namespace === undefined || g.namespace === req.namespace) && g.rules.some((r) => ruleAllows(r, req)),
  );
}

/** An Authorize for `startSim({ authorize })` that enforces the rules of the given roles. */
export function authorizerFromRoles(docs: readonly KObject[], opts: RbacOptions = {}): Authorize {
  const grants = grantsFromRoles(docs, opts);
  return (verb, resource, subresource, namespace, name, group) =>
    allowedBy(grants, {
      verb,
      group: group ?? groupOfResource.get(resource) ?? '',
      resource,
      subresource,
      namespace,
      name,
    });
}
