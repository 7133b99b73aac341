// Ready-made scenarios: a sensible small cluster for demos and tests, and a large one for benchmarks.
// May import: ./scenario-types.js.
import { DEFAULT_TIMING, defaultNode } from './scenario-types.js';
import type { Scenario, ScenarioDeployment, ScenarioNode } from './scenario-types.js';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const KERNEL_PKGS = ['linux-image-6.8.0-49-generic', 'linux-modules-6.8.0-49-generic'];

function baseNode(name: string, i: number, over: Partial<ScenarioNode> = {}): ScenarioNode {
  return defaultNode(name, { zone: ZONES[i % ZONES.length], ...over });
}

function deployment(
  name: string,
  namespace: string,
  replicas: number,
  pdb: ScenarioDeployment['pdb'],
): ScenarioDeployment {
  return { name, namespace, replicas, pdb, emptyDir: false, terminationGracePeriodSeconds: 30 };
}

/**
 * N nodes over 3 zones (round-robin); with N ≥ 3 the first is a control plane (tainted, with static pods).
 * Every other worker needs a reboot (the first with a package list). Two Deployments with PDBs when there
 * are at least two workers, and a DaemonSet on every node.
 */
export function defaultScenario(nodeCount = 3): Scenario {
  if (!Number.isInteger(nodeCount) || nodeCount < 1)
    throw new RangeError(`nodeCount must be a positive integer, got ${nodeCount}`);
  const withCp = nodeCount >= 3;
  const nodes: ScenarioNode[] = [];
  for (let i = 0; i < nodeCount; i++) {
    if (withCp && i === 0) {
      nodes.push(baseNode('control-plane-1', i, { controlPlane: true }));
      continue;
    }
    const w = withCp ? i : i + 1;
    const needs = w % 2 === 1;
    nodes.push(
      baseNode(`worker-${w}`, i, {
        rebootRequired: needs,
        rebootRequiredPkgs: needs && w === 1 ? KERNEL_PKGS : [],
        bootSeconds: 30 + (i % 4) * 10,
      }),
    );
  }
  const workers = nodes.filter((n) => !n.controlPlane).length;
  const many = workers >= 2;
  const webReplicas = Math.max(2, Math.min(workers, 4));
  return {
    seed: 1,
    namespaces: [],
    nodes,
    workloads: {
      deployments: [
        deployment('web', 'shop', webReplicas, many ? { minAvailable: webReplicas - 1 } : undefined),
        deployment('api', 'shop', 2, many ? { maxUnavailable: 1 } : undefined),
        deployment('coredns', 'kube-system', 2, many ? { maxUnavailable: 1 } : undefined),
      ],
      daemonSets: [
        { name: 'kube-proxy', namespace: 'kube-system' },
        { name: 'node-exporter', namespace: 'monitoring' },
      ],
      barePods: [],
      orphanedPods: [],
      staticPods: withCp
        ? [
            { name: 'kube-apiserver', namespace: 'kube-system', nodes: 'controlPlane' },
            { name: 'etcd', namespace: 'kube-system', nodes: 'controlPlane' },
          ]
        : [],
    },
    timing: DEFAULT_TIMING,
    faults: { errors: [], watchDropEverySeconds: undefined, latencyMs: undefined },
  };
}

/**
 * A large cluster for benchmarks: `nodeCount` workers (no control plane) and about `podsPerNode` pods per
 * node: one DaemonSet pod each, the rest in Deployments of 50 replicas spread over 20 namespaces, each
 * with a maxUnavailable 10% budget. Every fourth node needs a reboot.
 */
export function scaleScenario(nodeCount: number, podsPerNode: number): Scenario {
  const nodes = Array.from({ length: nodeCount }, (_, i) =>
    baseNode(`node-${String(i + 1).padStart(4, '0')}`, i, { rebootRequired: i % 4 === 0 }),
  );
  const total = Math.max(0, nodeCount * (podsPerNode - 1));
  const deployments: ScenarioDeployment[] = [];
  for (let made = 0, i = 0; made < total; i++) {
    const replicas = Math.min(50, total - made);
    deployments.push(deployment(`app-${i + 1}`, `team-${(i % 20) + 1}`, replicas, { maxUnavailable: '10%' }));
    made += replicas;
  }
  return {
    seed: 1,
    namespaces: [],
    nodes,
    workloads: {
      deployments,
      daemonSets: [{ name: 'node-agent', namespace: 'kube-system' }],
      barePods: [],
      orphanedPods: [],
      staticPods: [],
    },
    timing: DEFAULT_TIMING,
    faults: { errors: [], watchDropEverySeconds: undefined, latencyMs: undefined },
  };
}
