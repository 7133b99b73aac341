// Seeds a simulator store with a small cluster: namespaces, three nodes, a few pods and a PDB.
import type { KObject, Store } from '../../src/sim/types.js';

export interface SeedOptions {
  /** Creation time of the seeded objects, epoch ms. */
  readonly createdAt?: number;
}

function node(name: string, ip: string, role?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(role ? { [`node-role.kubernetes.io/${role}`]: '' } : {}),
      },
    },
    spec: {},
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        bootID: `boot-${name}-1`,
        kubeletVersion: 'v1.32.4',
        osImage: 'Ubuntu 24.04.2 LTS',
        kernelVersion: '6.8.0-60-generic',
        containerRuntimeVersion: 'containerd://1.7.27',
      },
    },
  };
}

function pod(namespace: string, name: string, nodeName: string, ip: string, owner?: KObject): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: name.split('-')[0] ?? name },
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.apiVersion,
                kind: owner.kind,
                name: owner.metadata.name,
                uid: owner.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: { nodeName, containers: [{ name: 'main', image: 'nginx:1.27' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
}

/** Creates the objects; returns them as the store stored them. */
export function seedSmallCluster(store: Store): KObject[] {
  const out: KObject[] = [];
  const add = (resource: string, obj: KObject): void => {
    out.push(store.create(resource, obj));
  };
  // A running simulator already has the system namespaces, as every API server does.
  for (const ns of ['default', 'kube-system', 'shop']) {
    const have = store.tryGet('namespaces', undefined, ns);
    if (have) out.push(have);
    else add('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  add('nodes', node('cp-1', '10.0.0.10', 'control-plane'));
  add('nodes', node('worker-1', '10.0.0.11'));
  add('nodes', node('worker-2', '10.0.0.12'));
  const template = { metadata: {}, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } };
  const rs = store.create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7d9f', namespace: 'shop' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
  });
  const ds = store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'proxy', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'proxy' } }, template },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3 },
  });
  out.push(rs, ds);
  add('pods', pod('shop', 'web-7d9f-abcde', 'worker-1', '10.244.1.5', rs));
  add('pods', pod('shop', 'web-7d9f-fghij', 'worker-2', '10.244.2.7', rs));
  add('pods', pod('kube-system', 'proxy-x1', 'worker-1', '10.0.0.11', ds));
  add('poddisruptionbudgets', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
  });
  return out;
}
