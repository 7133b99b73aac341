// Builders of the objects the simulated cluster holds: nodes, namespaces, workload controllers, pods
// (from templates, mirror and bare), PDBs, events, and pod/node status pieces.
// May import: src/sim/* (not the HTTP layer).
import { rfc3339 } from '../store.js';
import { DEFAULT_ALLOCATABLE } from '../scenario-types.js';
import type { ScenarioNode, ScenarioRequests } from '../scenario-types.js';
import type { KObject } from '../types.js';
import { MIRROR_ANNOTATION } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export const CONTROL_PLANE_TAINT = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
} as const;
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** What every workload pod tolerates by default (as the admission plugin adds). */
export const DEFAULT_TOLERATIONS = [
  { key: NOT_READY_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function condition(type: string, status: string, now: number, reason?: string, message?: string): any {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

export function nodeObject(n: ScenarioNode, index: number, bootId: string, now: number): KObject {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': n.os,
    'kubernetes.io/arch': 'amd64',
    ...(n.zone ? { 'topology.kubernetes.io/zone': n.zone } : {}),
    ...(n.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
    ...n.labels,
  };
  const taints = [...(n.controlPlane ? [CONTROL_PLANE_TAINT] : []), ...n.taints];
  const a = n.allocatable ?? DEFAULT_ALLOCATABLE;
  const allocatable = { cpu: a.cpu, memory: a.memory, pods: String(a.pods) };
  const ts = rfc3339(now);
  const hb = (type: string, status: string, reason: string, message: string): any => ({
    type,
    status,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: {
      podCIDR: `10.244.${index % 256}.0/24`,
      ...(n.unschedulable ? { unschedulable: true } : {}),
      ...(taints.length > 0 ? { taints } : {}),
    },
    status: {
      capacity: n.allocatable
        ? { ...allocatable, 'ephemeral-storage': '100Gi' }
        : { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { ...allocatable, 'ephemeral-storage': '95Gi' },
      conditions: [
        hb(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        hb('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        hb('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        hb('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: `10.0.${Math.floor(index / 250) % 256}.${(index % 250) + 2}` },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: bootId.replace(/-/g, ''),
        systemUUID: bootId,
        bootID: bootId,
        kernelVersion: '6.8.0-45-generic',
        osImage: n.osImage,
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: n.kubeletVersion,
        kubeProxyVersion: n.kubeletVersion,
        operatingSystem: n.os,
        architecture: 'amd64',
      },
    },
  };
}

export function namespaceObject(name: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
  };
}

export function podTemplate(
  app: string,
  opts: { emptyDir?: boolean; grace?: number; tolerateAll?: boolean; requests?: ScenarioRequests },
): any {
  return {
    metadata: { labels: { app } },
    spec: {
      containers: [
        {
          name: app,
          image: PAUSE_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          resources:
            opts.requests && Object.keys(opts.requests).length > 0 ? { requests: opts.requests } : {},
          ...(opts.emptyDir ? { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] } : {}),
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: opts.grace ?? 30,
      ...(opts.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
      ...(opts.tolerateAll ? { tolerations: [{ operator: 'Exists' }] } : {}),
    },
  };
}

export function ownerRef(owner: KObject): any {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod made from an owner's template, named `<owner>-<suffix>`, optionally already bound. */
export function podFromTemplate(
  owner: KObject,
  template: any,
  suffix: string,
  extraLabels: Record<string, string>,
  nodeName?: string,
): KObject {
  const spec = structuredClone(template.spec ?? {});
  spec.tolerations = [...(spec.tolerations ?? []), ...DEFAULT_TOLERATIONS];
  spec.schedulerName = 'default-scheduler';
  spec.serviceAccountName = spec.serviceAccountName ?? 'default';
  if (nodeName) spec.nodeName = nodeName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.metadata.name}-${suffix}`,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ownerReferences: [ownerRef(owner)],
    },
    spec,
    status: { phase: 'Pending' },
  };
}

export function mirrorPod(name: string, namespace: string, node: KObject): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${node.metadata.name}`,
      namespace,
      labels: { component: name, tier: 'control-plane' },
      annotations: { [MIRROR_ANNOTATION]: 'mirror', 'kubernetes.io/config.source': 'file' },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: node.metadata.name,
          uid: node.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: node.metadata.name,
      priorityClassName: 'system-node-critical',
      hostNetwork: true,
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name, image: `registry.k8s.io/${name}:v1.32.2` }],
    },
    status: { phase: 'Pending' },
  };
}

export function barePod(
  name: string,
  namespace: string,
  node: string,
  emptyDir: boolean,
  requests?: ScenarioRequests,
): KObject {
  const t = podTemplate(name, { emptyDir, ...(requests ? { requests } : {}) });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { ...t.spec, nodeName: node, tolerations: DEFAULT_TOLERATIONS },
    status: { phase: 'Pending' },
  };
}
