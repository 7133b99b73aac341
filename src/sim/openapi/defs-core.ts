// Schemas of the core/v1 kinds the simulator serves besides pods' insides: Pod, Node, Namespace, Event,
// ConfigMap, ServiceAccount and ResourceQuota.
// May import: ./model.js, ./defs-pod.js.
import {
  bool,
  int,
  kind,
  list,
  obj,
  open,
  ref,
  str,
  stringMap,
  strings,
  time,
  type Definitions,
} from './model.js';
import { CORE, observed } from './defs-pod.js';

const v1 = (k: string): { group: string; version: string; kind: string } => ({
  group: '',
  version: 'v1',
  kind: k,
});

export const CORE_DEFINITIONS: Definitions = {
  [`${CORE}.Pod`]: kind(
    v1('Pod'),
    "Pod is a collection of containers that can run on a host. Clients create it; the scheduler binds it to a node and that node's kubelet runs it.",
    {
      spec: ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
      status: ref(`${CORE}.PodStatus`, 'Most recently observed status of the pod. Read-only.'),
    },
  ),
  [`${CORE}.Node`]: kind(
    v1('Node'),
    'Node is a worker node in Kubernetes. Each node has a unique name; its kubelet posts its status.',
    {
      spec: obj('NodeSpec describes the attributes that a node is created with.', {
        unschedulable: bool(
          'Unschedulable controls node schedulability of new pods. By default, node is schedulable.',
        ),
        taints: list("If specified, the node's taints.", ref(`${CORE}.Taint`, '')),
        podCIDR: str('The pod IP range assigned to the node.'),
        podCIDRs: strings('The IP ranges assigned to the node for usage by pods.'),
        providerID: str('ID of the node assigned by the cloud provider.'),
      }),
      status: observed('NodeStatus is information about the current status of a node.', {
        conditions: list(
          'Conditions is an array of current observed node conditions (Ready, ...).',
          open('A node condition.'),
          'type',
        ),
        addresses: list('List of addresses reachable to the node.', open('An address of a type.'), 'type'),
        nodeInfo: observed('General information about the node: bootID, kubeletVersion, osImage, ...', {
          bootID: str('Boot ID reported by the node; it changes at each boot.'),
          kubeletVersion: str('Kubelet Version reported by the node.'),
          operatingSystem: str('The Operating System reported by the node.'),
          architecture: str('The Architecture reported by the node.'),
        }),
        capacity: stringMap('The total resources of the node.'),
        allocatable: stringMap('The resources of a node that are available for scheduling.'),
      }),
    },
  ),
  [`${CORE}.Taint`]: obj(
    'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
    {
      key: str('The taint key to be applied to a node.'),
      value: str('The taint value corresponding to the taint key.'),
      effect: str(
        'The effect of the taint on pods that do not tolerate it: NoSchedule, PreferNoSchedule or NoExecute.',
      ),
      timeAdded: time('The time at which a NoExecute taint was added.'),
    },
    ['key', 'effect'],
  ),
  [`${CORE}.Namespace`]: kind(v1('Namespace'), 'Namespace provides a scope for Names.', {
    spec: obj('The attributes of a namespace.', {
      finalizers: strings('Must be empty before the namespace is removed.'),
    }),
    status: observed('The current status of a namespace.', { phase: str('Active or Terminating.') }),
  }),
  [`${CORE}.Event`]: kind(v1('Event'), 'Event is a report of an event somewhere in the cluster.', {
    involvedObject: open('The object that this event is about.'),
    reason: str(
      "A short, machine understandable string for the transition into the object's current status.",
    ),
    message: str('A human-readable description of the status of this operation.'),
    type: str('Type of this event (Normal, Warning).'),
    source: open('The component reporting this event.'),
    count: int('The number of times this event has occurred.'),
    firstTimestamp: time('The time at which the event was first recorded.'),
    lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
    eventTime: {
      type: 'string',
      format: 'date-time',
      description: 'Time when this Event was first observed (MicroTime).',
    },
    reportingComponent: str('Name of the controller that emitted this Event.'),
    reportingInstance: str('ID of the controller instance.'),
    action: str('What action was taken/failed regarding to the Regarding object.'),
    related: open('Optional secondary object for more complex actions.'),
    series: open('Data about the Event series this event represents.'),
  }),
  [`${CORE}.ConfigMap`]: kind(v1('ConfigMap'), 'ConfigMap holds configuration data for pods to consume.', {
    data: stringMap('Configuration data: keys and string values.'),
    binaryData: stringMap('Binary configuration data, base64 encoded.'),
    immutable: bool('If true, the data cannot be updated.'),
  }),
  [`${CORE}.ResourceQuota`]: kind(
    v1('ResourceQuota'),
    'ResourceQuota sets aggregate quota restrictions enforced per namespace.',
    {
      spec: obj('ResourceQuotaSpec defines the desired hard limits to enforce for Quota.', {
        hard: stringMap('The set of desired hard limits for each named resource (quantities).'),
        scopes: strings('A collection of filters that must match each object tracked by a quota.'),
        scopeSelector: obj(
          'A collection of filters like scopes that must match each object tracked by a quota.',
          {
            matchExpressions: list(
              'A list of scope selector requirements by scope of the resources.',
              obj('A scope selector requirement.', {
                scopeName: str('The name of the scope that the selector applies to (e.g. PriorityClass).'),
                operator: str(
                  "Represents a scope's relationship to a set of values: In, NotIn, Exists, DoesNotExist.",
                ),
                values: strings('An array of string values.'),
              }),
            ),
          },
        ),
      }),
      status: open('Status defines the actual enforced quota and its current usage. Read-only.'),
    },
  ),
  [`${CORE}.ServiceAccount`]: kind(
    v1('ServiceAccount'),
    'ServiceAccount binds together a name understood by users and by peripheral systems, for an identity, a principal that can be authenticated and authorized, and a set of secrets.',
    {
      secrets: list(
        'Secrets in the same namespace that pods running as this service account may use.',
        open('An object reference.'),
        'name',
      ),
      imagePullSecrets: list(
        'Secrets for pulling container images.',
        ref(`${CORE}.LocalObjectReference`, ''),
      ),
      automountServiceAccountToken: bool(
        'Whether pods running as this service account should have a token mounted.',
      ),
    },
  ),
};
