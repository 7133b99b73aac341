// Schemas of a pod's spec and status: containers (merged by name), volumes, tolerations, scheduling and
// security fields, as far as the simulator's kubelet and scheduler read them; rarer subtrees stay open.
// May import: ./model.js.
import {
  bool,
  int,
  list,
  obj,
  open,
  quantity,
  ref,
  str,
  stringMap,
  strings,
  time,
  type Definitions,
  type Schema,
} from './model.js';

export const CORE = 'io.k8s.api.core.v1';

/** A status the simulator's controllers write: its fields are described, and nothing in it is unknown. */
export function observed(description: string, properties: Record<string, Schema>): Schema {
  return { ...obj(description, properties), open: true };
}

export const POD_DEFINITIONS: Definitions = {
  [`${CORE}.PodSpec`]: obj('PodSpec is a description of a pod.', {
    containers: list(
      'List of containers belonging to the pod. There must be at least one.',
      ref(`${CORE}.Container`, ''),
      'name',
    ),
    initContainers: list(
      'Containers run in order before the app containers start.',
      ref(`${CORE}.Container`, ''),
      'name',
    ),
    volumes: {
      ...list(
        'Volumes that can be mounted by containers belonging to the pod.',
        ref(`${CORE}.Volume`, ''),
        'name',
      ),
      patchStrategy: 'merge,retainKeys',
    },
    nodeName: str('A request to schedule this pod onto a specific node, bypassing the scheduler.'),
    nodeSelector: stringMap('Labels a node must have for the pod to fit on it.'),
    affinity: ref(`${CORE}.Affinity`, "If specified, the pod's scheduling constraints."),
    tolerations: list("If specified, the pod's tolerations.", ref(`${CORE}.Toleration`, '')),
    restartPolicy: str(
      'Restart policy for all containers within the pod: Always, OnFailure or Never. Default Always.',
    ),
    terminationGracePeriodSeconds: int('Seconds the pod needs to terminate gracefully. Default 30.', 'int64'),
    activeDeadlineSeconds: int(
      'Seconds the pod may be active on the node, relative to its start time, before it is failed.',
      'int64',
    ),
    dnsPolicy: str('DNS policy for the pod: ClusterFirst, ClusterFirstWithHostNet, Default or None.'),
    serviceAccountName: str('Name of the ServiceAccount to use to run this pod.'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether a service account token should be automatically mounted.'),
    hostNetwork: bool("Host networking requested for this pod: it uses the host's network namespace."),
    hostPID: bool("Use the host's pid namespace. Default false."),
    hostIPC: bool("Use the host's ipc namespace. Default false."),
    securityContext: open('Pod-level security attributes and common container settings.'),
    imagePullSecrets: list(
      'References to secrets for pulling the images of this pod.',
      ref(`${CORE}.LocalObjectReference`, ''),
      'name',
    ),
    hostname: str('The hostname of the pod.'),
    subdomain: str('The subdomain of the pod.'),
    schedulerName: str('The scheduler that dispatches this pod.'),
    priorityClassName: str("The pod's priority class, e.g. system-node-critical."),
    priority: int('The priority value, from the priority class.'),
    preemptionPolicy: str('Policy for preempting pods with lower priority.'),
    enableServiceLinks: bool('Whether information about services is injected into environment variables.'),
    topologySpreadConstraints: list(
      'How the pods ought to spread across topology domains.',
      open('A spread constraint.'),
    ),
    shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod.'),
    runtimeClassName: str('The RuntimeClass to run this pod with.'),
    os: open('The OS of the containers in the pod.'),
  }),
  [`${CORE}.Volume`]: obj(
    'A named volume in a pod that may be accessed by any container in the pod.',
    {
      name: str('Name of the volume, unique within the pod.'),
      hostPath: obj(
        'A pre-existing file or directory on the host machine, exposed to the container.',
        {
          path: str('Path of the directory on the host; a symlink is followed to the real path.'),
          type: str(
            'Type for HostPath volume: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.',
          ),
        },
        ['path'],
      ),
      emptyDir: obj("A temporary directory that shares a pod's lifetime.", {
        medium: str('What type of storage medium should back this directory.'),
        sizeLimit: quantity('Total amount of local storage required for this EmptyDir volume.'),
      }),
      configMap: open('A ConfigMap that should populate this volume.'),
      secret: open('A Secret that should populate this volume.'),
      projected: open('Items for all in one resources secrets, configmaps, and downward API.'),
      downwardAPI: open('Downward API about the pod that should populate this volume.'),
      persistentVolumeClaim: open('A reference to a PersistentVolumeClaim in the same namespace.'),
    },
    ['name'],
  ),
  [`${CORE}.Toleration`]: obj(
    'The pod this is attached to tolerates any taint that matches the triple <key,value,effect>.',
    {
      key: str('The taint key that the toleration applies to. Empty means match all taint keys.'),
      operator: str("A key's relationship to the value: Exists or Equal. Defaults to Equal."),
      value: str('The taint value the toleration matches to.'),
      effect: str('The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty means all.'),
      tolerationSeconds: int('How long a NoExecute toleration tolerates the taint.', 'int64'),
    },
  ),
  [`${CORE}.LocalObjectReference`]: obj('A reference to an object in the same namespace.', {
    name: str('Name of the referent.'),
  }),
  [`${CORE}.Affinity`]: obj('A group of affinity scheduling rules.', {
    nodeAffinity: obj('Node affinity scheduling rules for the pod.', {
      requiredDuringSchedulingIgnoredDuringExecution: obj(
        'Requirements a node must meet for the pod to be scheduled onto it.',
        {
          nodeSelectorTerms: list(
            'A list of node selector terms. The terms are ORed.',
            ref(`${CORE}.NodeSelectorTerm`, ''),
          ),
        },
        ['nodeSelectorTerms'],
      ),
      preferredDuringSchedulingIgnoredDuringExecution: list(
        'Weighted preferences for nodes.',
        open('A weight and a preference.'),
      ),
    }),
    podAffinity: open('Inter-pod affinity scheduling rules.'),
    podAntiAffinity: open('Inter-pod anti-affinity scheduling rules.'),
  }),
  [`${CORE}.NodeSelectorTerm`]: obj('A null or empty term matches no objects; its requirements are ANDed.', {
    matchExpressions: list(
      "Node selector requirements by node's labels.",
      ref(`${CORE}.NodeSelectorRequirement`, ''),
    ),
    matchFields: list(
      "Node selector requirements by node's fields.",
      ref(`${CORE}.NodeSelectorRequirement`, ''),
    ),
  }),
  [`${CORE}.NodeSelectorRequirement`]: obj(
    'A selector that contains values, a key, and an operator.',
    {
      key: str('The label key that the selector applies to.'),
      operator: str('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
      values: strings('An array of string values.'),
    },
    ['key', 'operator'],
  ),
  [`${CORE}.PodTemplateSpec`]: obj('Describes the data a pod should have when created from a template.', {
    metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', "Standard object's metadata."),
    spec: ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
  }),
  [`${CORE}.PodStatus`]: observed('The most recently observed status of the pod. Written by the kubelet.', {
    phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
    conditions: list('Current service state of pod.', open('A pod condition.'), 'type'),
    message: str('A human readable message indicating details about why the pod is in this condition.'),
    reason: str('A brief CamelCase message indicating details about why the pod is in this state.'),
    hostIP: str('The IP address of the host to which the pod is assigned.'),
    hostIPs: list('The IP addresses of the host.', open('A host IP.')),
    podIP: str('The IP address allocated to the pod.'),
    podIPs: list('The IP addresses allocated to the pod.', open('A pod IP.')),
    startTime: time('When the object was acknowledged by the kubelet.'),
    containerStatuses: list(
      'The status of each container: state, restartCount, ready.',
      open('A container status.'),
    ),
    initContainerStatuses: list('The status of each init container.', open('A container status.')),
    qosClass: str('The Quality of Service class assigned to the pod.'),
    nominatedNodeName: str('Set when the pod preempts pods on the node.'),
  }),
};
