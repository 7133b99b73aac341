// The soak's cluster, drawn from a seed: 50 nodes, most needing a reboot, Deployments with PDBs (one with
// emptyDir volumes), DaemonSets, bare pods (some with emptyDir), two admin-cordoned nodes, one node that never
// comes back, one that flaps, one too fast to be seen NotReady, two whose kubelet re-runs helper pods after
// the boot; and the API faults (5xx/429 answers, dropped watches, latency spikes).
// May import: src/sim (types and the seeded random).

import { seededRandom, type Random } from '../src/sim/random.js';
import type {
  Scenario,
  ScenarioBarePod,
  ScenarioDeployment,
  ScenarioNode,
  ScenarioPdb,
} from '../src/sim/scenario-types.js';

export interface SoakSize {
  readonly nodes: number;
  /** How many of them need a reboot (the dead node included). */
  readonly needing: number;
}

/** Which node plays which part: the checks read this. */
export interface SoakRoles {
  readonly needing: readonly string[];
  readonly dead: string;
  readonly flapping: string;
  readonly fast: string;
  readonly rerun: readonly string[];
  /** Cordoned by an admin before the run: the first needs a reboot, the second does not. */
  readonly adminCordoned: readonly [string, string];
}

export interface SoakCluster {
  readonly scenario: Scenario;
  readonly roles: SoakRoles;
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** Scenario timing in simulated seconds; the soak runs the simulator's clock faster than real time. */
export const SOAK_TIMING = {
  podStartSeconds: 0.3,
  podReadySeconds: 8,
  scriptRunSeconds: 0.2,
  shutdownSeconds: 1,
  notReadyAfterSeconds: 2,
  heartbeatSeconds: 20,
  defaultBootSeconds: 30,
  flapSeconds: 4,
  jitter: 0.1,
} as const;

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function nodeName(i: number): string {
  return `node-${String(i + 1).padStart(2, '0')}`;
}

const PDBS: readonly ((replicas: number) => ScenarioPdb)[] = [
  (r) => ({ minAvailable: r - 1 }),
  () => ({ maxUnavailable: 1 }),
  () => ({ maxUnavailable: '25%' }),
  () => ({ minAvailable: '60%' }),
];

function deployments(random: Random): ScenarioDeployment[] {
  const teams = ['shop', 'payments', 'search', 'media'];
  const out: ScenarioDeployment[] = [];
  for (let i = 0; i < 8; i++) {
    const replicas = 8 + Math.floor(random() * 13);
    out.push({
      name: `app-${i + 1}`,
      namespace: teams[i % teams.length] ?? 'default',
      replicas,
      pdb: pick(random, PDBS)(replicas),
      emptyDir: false,
      terminationGracePeriodSeconds: 1 + Math.floor(random() * 5),
    });
  }
  out.push({
    name: 'cache',
    namespace: 'media',
    replicas: 6,
    pdb: { maxUnavailable: 1 },
    emptyDir: true,
    terminationGracePeriodSeconds: 2,
  });
  out.push({
    name: 'batch',
    namespace: 'search',
    replicas: 5,
    pdb: undefined,
    emptyDir: false,
    terminationGracePeriodSeconds: 3,
  });
  return out;
}

function barePods(random: Random, names: readonly string[], needing: readonly string[]): ScenarioBarePod[] {
  // StatefulSet-like pods with no controller (evicted only with --force), half of them on nodes that reboot.
  const out: ScenarioBarePod[] = [];
  for (let i = 0; i < 6; i++) {
    out.push({
      name: `db-${i}`,
      namespace: 'data',
      node: pick(random, i % 2 === 0 ? needing : names),
      emptyDir: i % 3 === 0,
      phase: 'Running',
    });
  }
  return out;
}

/**
 * The cluster for a seed. The dead node is drawn from the last third of the needing nodes in name order
 * (the order runs take them in), so the rest of the rollout mostly runs with both lock slots.
 */
export function soakCluster(seed: number, size: SoakSize): SoakCluster {
  const random = seededRandom(seed);
  const names = Array.from({ length: size.nodes }, (_, i) => nodeName(i));
  const needing = shuffled(random, names).slice(0, size.needing).sort();
  const late = needing.slice(Math.floor((needing.length * 2) / 3));
  const dead = pick(random, late);
  const others = shuffled(
    random,
    needing.filter((n) => n !== dead),
  );
  const [flapping, fast, adminNeeding, rerunA, rerunB] = others;
  const notNeeding = names.filter((n) => !needing.includes(n));
  const adminOther = pick(random, notNeeding);
  if (!flapping || !fast || !adminNeeding || !rerunA || !rerunB)
    throw new Error(`too few nodes need a reboot (${size.needing}); at least 6 are needed`);
  const roles: SoakRoles = {
    needing,
    dead,
    flapping,
    fast,
    rerun: [rerunA, rerunB],
    adminCordoned: [adminNeeding, adminOther],
  };
  const nodes: ScenarioNode[] = names.map((name, i) => ({
    name,
    rebootRequired: needing.includes(name),
    rebootRequiredPkgs: needing.includes(name) && i % 5 === 0 ? ['linux-image-6.8.0-49-generic'] : [],
    unschedulable: roles.adminCordoned.includes(name),
    labels: {},
    taints: [],
    controlPlane: false,
    zone: ZONES[i % ZONES.length],
    bootSeconds: 20 + Math.floor(random() * 21),
    neverReturns: name === dead,
    flap: name === flapping ? 3 : 0,
    fast: name === fast,
    sentinelCommand: undefined,
    osImage: 'Ubuntu 24.04.1 LTS',
    os: 'linux',
    kubeletVersion: 'v1.32.2',
    rerunPodsAfterBoot: roles.rerun.includes(name),
  }));
  const scenario: Scenario = {
    seed,
    namespaces: [],
    nodes,
    workloads: {
      deployments: deployments(random),
      orphanedPods: [],
      daemonSets: [
        { name: 'kube-proxy', namespace: 'kube-system' },
        { name: 'node-exporter', namespace: 'monitoring' },
      ],
      barePods: barePods(random, names, needing),
      staticPods: [],
    },
    timing: SOAK_TIMING,
    faults: {
      // About 5% of API calls fail: 500 and 503 (retried by the client), 429 (also on POSTs, which are not).
      errors: [
        { code: 500, rate: 0.02 },
        { code: 503, rate: 0.015 },
        { code: 429, rate: 0.015 },
      ],
      watchDropEverySeconds: 2,
      latencyMs: { base: 1, jitter: 6, spikeRate: 0.01, spikeMs: 400 },
    },
  };
  return { scenario, roles };
}
