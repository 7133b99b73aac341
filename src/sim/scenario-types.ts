// The typed shape of a simulator scenario: nodes, workloads, timing and faults.
// May import: ./host/host.js (types), ./pdb.js (types).
import type { SentinelCommandSpec } from './host/host.js';
import type { IntOrPercent } from './pdb.js';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Resource requests of a workload's pods (quantities as in a pod spec, e.g. 250m, 512Mi). */
export interface ScenarioRequests {
  readonly cpu?: string;
  readonly memory?: string;
}

/** What the kubelet offers to pods: status.allocatable (and capacity). */
export interface ScenarioAllocatable {
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
}

export const DEFAULT_ALLOCATABLE: ScenarioAllocatable = { cpu: '3800m', memory: '15Gi', pods: 110 };

export interface ScenarioNode {
  readonly name: string;
  readonly rebootRequired: boolean;
  readonly rebootRequiredPkgs: readonly string[];
  readonly unschedulable: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly controlPlane: boolean;
  readonly zone: string | undefined;
  readonly bootSeconds: number;
  /** After a reboot the node stays NotReady forever. */
  readonly neverReturns: boolean;
  /** After booting, the node goes NotReady/Ready this many times before settling. */
  readonly flap: number;
  /** Boots so fast it is never seen NotReady. */
  readonly fast: boolean;
  readonly sentinelCommand: SentinelCommandSpec | undefined;
  readonly osImage: string;
  /** The kubernetes.io/os label and status.nodeInfo.operatingSystem. Default linux. */
  readonly os: 'linux' | 'windows';
  readonly kubeletVersion: string;
  /**
   * At-least-once helper pods: a kubelet without graceful shutdown cannot report the pods that were
   * running when the node went down, and runs the not-yet-deleted `restartPolicy: Never` ones again after
   * the boot. With this set, such pods (a reboot pod that triggered the reboot included) stay Running
   * through the reboot and their containers run once more after it. Default false.
   */
  readonly rerunPodsAfterBoot: boolean;
  /** status.allocatable; the kubelet admits pods against it and the scheduler places them by it. */
  readonly allocatable?: ScenarioAllocatable;
  /**
   * Programs the host does not have (e.g. systemctl on a host without systemd, or an immutable OS's
   * missing nsenter or true): run there, they are "not found".
   */
  readonly missingPrograms?: readonly string[];
}

export interface ScenarioPdb {
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
  readonly unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

export interface ScenarioDeployment {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly pdb: ScenarioPdb | undefined;
  readonly emptyDir: boolean;
  readonly terminationGracePeriodSeconds: number;
  /** Default none (BestEffort pods). */
  readonly requests?: ScenarioRequests;
}

export interface ScenarioDaemonSet {
  readonly name: string;
  readonly namespace: string;
  /** Default none (BestEffort pods). */
  readonly requests?: ScenarioRequests;
}

/** A pod's phase as a scenario sets it: running, or finished (its container exited 0, or not). */
export type ScenarioPodPhase = 'Running' | 'Succeeded' | 'Failed';

export interface ScenarioBarePod {
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  readonly emptyDir: boolean;
  /** Default none (BestEffort pods). */
  readonly requests?: ScenarioRequests;
  /** Default Running. */
  readonly phase: ScenarioPodPhase;
}

/**
 * A pod left behind by a DaemonSet that was deleted: its controller reference names a DaemonSet uid that no
 * DaemonSet has (as when the garbage collector has not removed it yet, or is not running). When the scenario
 * also declares a DaemonSet of that name, it is one made again since, with another uid.
 */
export interface ScenarioOrphanedPod extends ScenarioBarePod {
  /** The name of the deleted DaemonSet. */
  readonly daemonSet: string;
}

export interface ScenarioStaticPod {
  readonly name: string;
  readonly namespace: string;
  /** 'controlPlane', 'all', or node names. */
  readonly nodes: 'controlPlane' | 'all' | readonly string[];
}

export interface ScenarioTiming {
  readonly podStartSeconds: number;
  readonly podReadySeconds: number;
  /** How long a helper script "runs" before its pod completes. */
  readonly scriptRunSeconds: number;
  /** From a reboot trigger until the node's pods are stopped. */
  readonly shutdownSeconds: number;
  readonly notReadyAfterSeconds: number;
  readonly heartbeatSeconds: number;
  readonly defaultBootSeconds: number;
  /** Interval of each NotReady/Ready swing of a flapping node. */
  readonly flapSeconds: number;
  /** Each delay varies by ± this fraction (0..1), drawn from the seeded random. */
  readonly jitter: number;
}

export interface ScenarioErrorFault {
  readonly code: 500 | 503 | 429;
  readonly rate: number;
  readonly verbs?: readonly string[];
  readonly resources?: readonly string[];
}

export interface ScenarioFaults {
  readonly errors: readonly ScenarioErrorFault[];
  readonly watchDropEverySeconds: number | undefined;
  readonly latencyMs:
    | { readonly base: number; readonly jitter: number; readonly spikeRate: number; readonly spikeMs: number }
    | undefined;
}

export interface Scenario {
  readonly seed: number;
  /**
   * The Kubernetes version the API server reports ("1.21"), which decides the policy API versions it serves:
   * before 1.22 evictions are policy/v1beta1, before 1.21 PodDisruptionBudgets too. Default 1.32.
   */
  readonly kubernetesVersion?: string;
  readonly namespaces: readonly string[];
  readonly nodes: readonly ScenarioNode[];
  readonly workloads: {
    readonly deployments: readonly ScenarioDeployment[];
    readonly daemonSets: readonly ScenarioDaemonSet[];
    readonly barePods: readonly ScenarioBarePod[];
    readonly orphanedPods: readonly ScenarioOrphanedPod[];
    readonly staticPods: readonly ScenarioStaticPod[];
  };
  readonly timing: ScenarioTiming;
  readonly faults: ScenarioFaults;
}

export const DEFAULT_TIMING: ScenarioTiming = {
  podStartSeconds: 0.3,
  podReadySeconds: 2,
  scriptRunSeconds: 0.2,
  shutdownSeconds: 0.5,
  notReadyAfterSeconds: 2,
  heartbeatSeconds: 10,
  defaultBootSeconds: 30,
  flapSeconds: 5,
  jitter: 0.1,
};

/** A node with every field at its default: not needing a reboot, schedulable, booting in the default time. */
export function defaultNode(name: string, over: Partial<ScenarioNode> = {}): ScenarioNode {
  return {
    name,
    rebootRequired: false,
    rebootRequiredPkgs: [],
    unschedulable: false,
    labels: {},
    taints: [],
    controlPlane: false,
    zone: undefined,
    bootSeconds: DEFAULT_TIMING.defaultBootSeconds,
    neverReturns: false,
    flap: 0,
    fast: false,
    sentinelCommand: undefined,
    osImage: 'Ubuntu 24.04.1 LTS',
    os: 'linux',
    kubeletVersion: 'v1.32.2',
    rerunPodsAfterBoot: false,
    allocatable: DEFAULT_ALLOCATABLE,
    missingPrograms: [],
    ...over,
  };
}
