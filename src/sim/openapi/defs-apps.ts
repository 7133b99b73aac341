// Schemas of the workload, policy, coordination, RBAC and autoscaling kinds the simulator serves:
// Deployment, DaemonSet, ReplicaSet, PodDisruptionBudget, Eviction, Lease, Role(Binding),
// (RBAC and Scale are in ./defs-rbac.ts).
// May import: ./model.js, ./defs-pod.js, ./defs-meta.js.
import {
  int,
  intOrString,
  kind,
  list,
  obj,
  open,
  ref,
  str,
  time,
  type Definitions,
  type Schema,
} from './model.js';
import { CORE, observed } from './defs-pod.js';
import { META } from './defs-meta.js';

const gvk = (group: string, k: string): { group: string; version: string; kind: string } => ({
  group,
  version: 'v1',
  kind: k,
});
const SELECTOR = `${META}.LabelSelector`;
const TEMPLATE = ref(`${CORE}.PodTemplateSpec`, 'The pods this controller creates, and their spec.');
const workloadStatus = (what: string): Schema =>
  observed(`The most recently observed status of the ${what}.`, {
    observedGeneration: int('The generation observed by the controller.', 'int64'),
    replicas: int('Total number of pods targeted by this controller.'),
    readyReplicas: int('Pods targeted by this controller with a Ready condition.'),
    availableReplicas: int(
      'Pods targeted by this controller that have been ready for at least minReadySeconds.',
    ),
    updatedReplicas: int('Pods targeted by this controller that have the desired template.'),
    conditions: list('The latest available observations of the current state.', open('A condition.'), 'type'),
  });

export const APPS_DEFINITIONS: Definitions = {
  'io.k8s.api.apps.v1.Deployment': kind(
    gvk('apps', 'Deployment'),
    'Deployment enables declarative updates for Pods and ReplicaSets.',
    {
      spec: obj(
        'The desired behavior of the Deployment.',
        {
          replicas: int('Number of desired pods. Defaults to 1.'),
          selector: ref(SELECTOR, "Label selector for pods; it must match the pod template's labels."),
          template: TEMPLATE,
          strategy: obj('The deployment strategy used to replace existing pods with new ones.', {
            type: str('Type of deployment: Recreate or RollingUpdate. Default RollingUpdate.'),
            rollingUpdate: obj('Rolling update config params.', {
              maxUnavailable: intOrString(
                'The maximum number of pods that can be unavailable during the update.',
              ),
              maxSurge: intOrString(
                'The maximum number of pods that can be scheduled above the desired number.',
              ),
            }),
          }),
          minReadySeconds: int(
            'Minimum seconds a new pod must be ready without crashing to count as available.',
          ),
          revisionHistoryLimit: int('The number of old ReplicaSets to retain to allow rollback.'),
          progressDeadlineSeconds: int('The maximum time in seconds for a deployment to make progress.'),
          paused: { type: 'boolean', description: 'Indicates that the deployment is paused.' },
        },
        ['selector', 'template'],
      ),
      status: workloadStatus('Deployment'),
    },
  ),
  'io.k8s.api.apps.v1.DaemonSet': kind(
    gvk('apps', 'DaemonSet'),
    'DaemonSet represents the configuration of a daemon set: one pod on each eligible node.',
    {
      spec: obj(
        'The desired behavior of this daemon set.',
        {
          selector: ref(
            SELECTOR,
            "A label query over pods that are managed by the daemon set; it must match the template's labels.",
          ),
          template: TEMPLATE,
          updateStrategy: obj('An update strategy to replace existing DaemonSet pods with new pods.', {
            type: str('Type of daemon set update: RollingUpdate or OnDelete. Default RollingUpdate.'),
            rollingUpdate: obj('Rolling update config params.', {
              maxUnavailable: intOrString(
                'The maximum number of DaemonSet pods that can be unavailable during the update.',
              ),
              maxSurge: intOrString(
                'The maximum number of nodes with an updated pod that can have one more pod during the update.',
              ),
            }),
          }),
          minReadySeconds: int('Minimum seconds a new pod must be ready to count as available.'),
          revisionHistoryLimit: int('The number of old history to retain to allow rollback.'),
        },
        ['selector', 'template'],
      ),
      status: observed('The current status of this daemon set.', {
        currentNumberScheduled: int('The number of nodes running at least one daemon pod that should.'),
        desiredNumberScheduled: int('The total number of nodes that should be running the daemon pod.'),
        numberReady: int('Nodes that should run the daemon pod and have one or more of it Ready.'),
        numberAvailable: int('Nodes whose daemon pod has been ready for at least minReadySeconds.'),
        numberMisscheduled: int('Nodes running the daemon pod that are not supposed to.'),
        updatedNumberScheduled: int('Nodes running the updated daemon pod.'),
        observedGeneration: int('The most recent generation observed by the controller.', 'int64'),
      }),
    },
  ),
  'io.k8s.api.apps.v1.ReplicaSet': kind(
    gvk('apps', 'ReplicaSet'),
    'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    {
      spec: obj(
        'The desired behavior of the ReplicaSet.',
        {
          replicas: int('Number of desired pods. Defaults to 1.'),
          selector: ref(SELECTOR, 'A label query over pods that should match the replica count.'),
          template: TEMPLATE,
          minReadySeconds: int('Minimum seconds a new pod must be ready to count as available.'),
        },
        ['selector'],
      ),
      status: workloadStatus('ReplicaSet'),
    },
  ),
  'io.k8s.api.policy.v1.PodDisruptionBudget': kind(
    gvk('policy', 'PodDisruptionBudget'),
    'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods.',
    {
      spec: obj('The desired behavior of the PodDisruptionBudget.', {
        minAvailable: intOrString(
          'An eviction is allowed if at least this many selected pods are available after it.',
        ),
        maxUnavailable: intOrString(
          'An eviction is allowed if at most this many selected pods are unavailable after it.',
        ),
        selector: ref(
          SELECTOR,
          'Label query over pods whose evictions are managed by the disruption budget.',
        ),
        unhealthyPodEvictionPolicy: str(
          'When unhealthy running pods may be evicted: IfHealthyBudget or AlwaysAllow.',
        ),
      }),
      status: observed('The most recently observed status of the PodDisruptionBudget.', {
        disruptionsAllowed: int('Number of pod disruptions that are currently allowed.'),
        currentHealthy: int('Current number of healthy pods.'),
        desiredHealthy: int('Minimum desired number of healthy pods.'),
        expectedPods: int('Total number of pods counted by this disruption budget.'),
        observedGeneration: int(
          'The most recent generation observed when updating this PDB status.',
          'int64',
        ),
        conditions: list('The latest available observations.', open('A condition.'), 'type'),
      }),
    },
  ),
  'io.k8s.api.policy.v1.Eviction': kind(
    gvk('policy', 'Eviction'),
    'Eviction evicts a pod from its node subject to certain policies and safety constraints. Created by POSTing to .../pods/<pod name>/eviction.',
    {
      deleteOptions: ref(`${META}.DeleteOptions`, 'DeleteOptions may be provided.'),
    },
  ),
  'io.k8s.api.coordination.v1.Lease': kind(
    gvk('coordination.k8s.io', 'Lease'),
    'Lease defines a lease concept: a holder, a duration and its renewals.',
    {
      spec: obj('The specification of the Lease.', {
        holderIdentity: str('The identity of the holder of a current lease.'),
        leaseDurationSeconds: int(
          'Duration that candidates for a lease need to wait to force acquire it, measured against the time of last observed renewTime.',
        ),
        acquireTime: { ...time('The time the current lease was acquired (MicroTime).') },
        renewTime: { ...time('The time the current holder of a lease last updated it (MicroTime).') },
        leaseTransitions: int('The number of transitions of a lease between holders.'),
        strategy: str('The strategy for picking the leader for coordinated leader election.'),
        preferredHolder: str('The holder the strategy prefers.'),
      }),
    },
  ),
};
