// `rbac`: the least-privilege RBAC this tool needs, as YAML (or a JSON List) ready for kubectl apply.
// May import: core, adapters' constants, yaml.

import { stringify } from 'yaml';
import { LEASE_NAME } from '../../adapters/k8s/lease.js';
import { POD_SECURITY_LABEL } from '../../adapters/k8s/namespace.js';
import type { ArgvLike } from '../argv-read.js';
import { optionalString, string } from '../argv-read.js';
import type { CommandContext } from '../context.js';
import { InputError } from '../../core/errors.js';

export interface RbacOptions {
  /** The tool's namespace: helper pods and the lock Lease live here. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Also allow creating Events (optional: the tool runs without). */
  readonly events: boolean;
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Manifest = Record<string, unknown>;

const LABELS = { 'app.kubernetes.io/name': 'reboot-daemon', 'app.kubernetes.io/managed-by': 'reboot-daemon' };

/** The rules across the cluster: read and cordon nodes, drain their pods, read PDBs and kured's lock. */
export function clusterRules(events: boolean): Rule[] {
  const rules: Rule[] = [
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
    // Drain: list a node's pods in every namespace, watch them go; delete finished DaemonSet pods.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['list'] },
    // kured's lock annotation on its DaemonSet, and the owners of DaemonSet pods during a drain.
    { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'list'] },
    // The tool's namespace is created, labelled for privileged pods, on first use.
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'create'] },
  ];
  if (events) rules.push({ apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create'] });
  return rules;
}

/** The rules inside the tool's namespace: helper pods, and the lock Lease. */
export function namespaceRules(): Rule[] {
  return [
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['get', 'update'],
      resourceNames: [LEASE_NAME],
    },
  ];
}

export function rbacManifests(opts: RbacOptions): Manifest[] {
  const name = 'reboot-daemon';
  const ns = opts.namespace;
  const subject = { kind: 'ServiceAccount', name: opts.serviceAccount, namespace: ns };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { ...LABELS, [POD_SECURITY_LABEL]: 'privileged' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: opts.serviceAccount, namespace: ns, labels: LABELS },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: LABELS },
      rules: clusterRules(opts.events),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: ns, labels: LABELS },
      rules: namespaceRules(),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: ns, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [subject],
    },
  ];
}

export function renderRbac(opts: RbacOptions, format: 'yaml' | 'json'): string {
  const items = rbacManifests(opts);
  if (format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
  const head =
    `# Least-privilege RBAC for reboot-daemon (namespace ${opts.namespace}).\n` +
    `# Apply: reboot-daemon rbac | kubectl apply -f -\n` +
    `# Use it from outside the cluster with a token of the ServiceAccount, e.g.\n` +
    `#   kubectl -n ${opts.namespace} create token ${opts.serviceAccount}\n`;
  return head + items.map((m) => `---\n${stringify(m)}`).join('');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export async function rbacAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const namespace = string(argv, 'pod-namespace', 'reboot-daemon');
  const serviceAccount = string(argv, 'service-account', 'reboot-daemon');
  for (const [flag, value] of [
    ['--pod-namespace', namespace],
    ['--service-account', serviceAccount],
  ] as const) {
    if (!DNS_LABEL.test(value)) {
      throw new InputError(
        `invalid ${flag} ${JSON.stringify(value)} (accepted: lower-case letters, digits and "-")`,
      );
    }
  }
  const format = optionalString(argv, 'output') === 'json' ? 'json' : 'yaml';
  ctx.io.out.write(renderRbac({ namespace, serviceAccount, events: argv['events'] !== false }, format));
  return 0;
}
