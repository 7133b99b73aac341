// Schemas of the RBAC kinds (Role, ClusterRole and their bindings) and of autoscaling/v1 Scale.
// May import: ./model.js.
import { int, kind, list, obj, open, ref, str, strings, type Definitions } from './model.js';

const gvk = (group: string, k: string): { group: string; version: string; kind: string } => ({
  group,
  version: 'v1',
  kind: k,
});

const RULE = obj(
  'PolicyRule holds information that describes a policy rule; it does not say who or where it applies.',
  {
    apiGroups: strings('The API groups that contain the resources; "" is the core group, "*" all groups.'),
    resources: strings('Resources this rule applies to, such as pods or pods/eviction; "*" means all.'),
    verbs: strings(
      'Verbs that apply to all the resources of this rule: get, list, watch, create, update, patch, delete; "*" means all.',
    ),
    resourceNames: strings('An optional allow list of object names the rule applies to.'),
    nonResourceURLs: strings('Partial URLs that a user should have access to, in ClusterRoles only.'),
  },
  ['verbs'],
);
const SUBJECT = obj(
  'Subject holds a reference to the object or user identity a role binding applies to.',
  {
    kind: str('Kind of object being referenced: User, Group or ServiceAccount.'),
    apiGroup: str(
      'The API group of the subject: "" for ServiceAccount, rbac.authorization.k8s.io for User and Group.',
    ),
    name: str('Name of the object being referenced.'),
    namespace: str('Namespace of the referenced object; required for a ServiceAccount.'),
  },
  ['kind', 'name'],
);
const ROLE_REF = obj(
  'RoleRef contains information that points to the role being used.',
  {
    apiGroup: str('The group for the resource being referenced.'),
    kind: str('The type of resource being referenced: Role or ClusterRole.'),
    name: str('The name of resource being referenced.'),
  },
  ['apiGroup', 'kind', 'name'],
);
const RBAC = 'io.k8s.api.rbac.v1';

export const RBAC_DEFINITIONS: Definitions = {
  [`${RBAC}.ClusterRole`]: kind(
    gvk('rbac.authorization.k8s.io', 'ClusterRole'),
    'ClusterRole is a cluster level, logical grouping of PolicyRules.',
    {
      rules: list('All the PolicyRules for this ClusterRole.', ref(`${RBAC}.PolicyRule`, '')),
      aggregationRule: open('How to build the rules of this ClusterRole from others.'),
    },
  ),
  [`${RBAC}.Role`]: kind(
    gvk('rbac.authorization.k8s.io', 'Role'),
    'Role is a namespaced, logical grouping of PolicyRules.',
    {
      rules: list('All the PolicyRules for this Role.', ref(`${RBAC}.PolicyRule`, '')),
    },
  ),
  [`${RBAC}.ClusterRoleBinding`]: kind(
    gvk('rbac.authorization.k8s.io', 'ClusterRoleBinding'),
    'ClusterRoleBinding references a ClusterRole, but not contain it.',
    {
      roleRef: ref(`${RBAC}.RoleRef`, 'The ClusterRole in the global namespace. Cannot be updated.'),
      subjects: list('References to the objects the role applies to.', ref(`${RBAC}.Subject`, '')),
    },
  ),
  [`${RBAC}.RoleBinding`]: kind(
    gvk('rbac.authorization.k8s.io', 'RoleBinding'),
    'RoleBinding references a role, but does not contain it; it adds who information via Subjects and namespace information by the namespace it exists in.',
    {
      roleRef: ref(`${RBAC}.RoleRef`, 'A Role in the current namespace or a ClusterRole. Cannot be updated.'),
      subjects: list('References to the objects the role applies to.', ref(`${RBAC}.Subject`, '')),
    },
  ),
  [`${RBAC}.PolicyRule`]: RULE,
  [`${RBAC}.Subject`]: SUBJECT,
  [`${RBAC}.RoleRef`]: ROLE_REF,
  'io.k8s.api.autoscaling.v1.Scale': kind(
    gvk('autoscaling', 'Scale'),
    'Scale represents a scaling request for a resource.',
    {
      spec: obj('The desired state of the scale.', {
        replicas: int('The desired number of instances for the scaled object.'),
      }),
      status: obj(
        'The current status of the scale. Read-only.',
        {
          replicas: int('The actual number of observed instances of the scaled object.'),
          selector: str(
            'The label query over pods that should match the replicas count, in the string form of a label selector.',
          ),
        },
        ['replicas'],
      ),
    },
  ),
};
