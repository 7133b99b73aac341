// Domain types shared by core, ports, app and ui: nodes, pods and PDBs as the reboot process sees them.
// May import: nothing.

export const ReadyState = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;
export type ReadyState = (typeof ReadyState)[keyof typeof ReadyState];

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface NodeView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly unschedulable: boolean;
  readonly taints: readonly Taint[];
  readonly ready: ReadyState;
  /** Epoch ms of the Ready condition's lastTransitionTime, when known. */
  readonly readySince?: number;
  /** Epoch ms of the Ready condition's lastHeartbeatTime, when known. */
  readonly heartbeat?: number;
  readonly bootID: string;
  readonly kernel?: string;
  /** status.nodeInfo.kubeletVersion; empty when the node reports none (a virtual node). */
  readonly kubeletVersion: string;
  /**
   * The node's operating system: the label kubernetes.io/os (or the older beta.kubernetes.io/os), else
   * status.nodeInfo.operatingSystem; empty when none says.
   */
  readonly os: string;
  readonly roles: readonly string[];
  readonly zone?: string;
  readonly controlPlane: boolean;
  readonly resourceVersion?: string;
}

export interface OwnerRef {
  /** e.g. apps/v1: kubectl counts only an apps/v1 DaemonSet as a DaemonSet. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The owner's uid, when the reference has one: an owner of the same name with another uid is another. */
  readonly uid?: string;
  readonly controller: boolean;
}

export interface PodView {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly nodeName?: string;
  readonly phase: string; // Pending | Running | Succeeded | Failed | Unknown
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly owner?: OwnerRef; // the controller owner reference, if any
  /** Epoch ms, when the pod is terminating. */
  readonly deletionTimestamp?: number;
  readonly hasEmptyDir: boolean;
  readonly ready: boolean;
}

export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

export interface PdbView {
  readonly namespace: string;
  readonly name: string;
  readonly selector: LabelSelectorSpec;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly expectedPods: number;
}

/** Outcome of reading a node's reboot sentinel. Unknown means do not reboot. */
export type SentinelResult =
  | {
      readonly kind: 'required';
      readonly reason: string;
      readonly source: SentinelSource;
      readonly since?: number;
    }
  | { readonly kind: 'not-required'; readonly source: SentinelSource }
  | { readonly kind: 'unknown'; readonly error: string; readonly source: SentinelSource };

export const SentinelSource = { Probe: 'probe', Annotation: 'annotation', Agent: 'agent' } as const;
export type SentinelSource = (typeof SentinelSource)[keyof typeof SentinelSource];

/** A decision with its reason, never a bare boolean. */
export interface Verdict {
  readonly ok: boolean;
  readonly reason: string;
}
