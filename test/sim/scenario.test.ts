// Scenario files are checked field by field, with defaults filled in; presets build working clusters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import {
  defaultScenario,
  parseScenario,
  scaleScenario,
  ScenarioError,
  toSimFaults,
} from '../../src/sim/scenario.js';

const VALID = `
seed: 42
nodes:
  - name: cp-1
    controlPlane: true
  - name: worker-1
    rebootRequiredPkgs: [linux-image-6.8]
    zone: zone-a
    bootSeconds: 45
    sentinelCommand: { command: needs-restarting -r, exitCode: 0 }
  - name: worker-2
    fast: true
    flap: true
    taints: [{ key: gpu, value: "yes", effect: NoSchedule }]
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 3, pdb: { minAvailable: "50%" } }
  daemonSets:
    - { name: agent, namespace: kube-system }
  barePods:
    - { name: debug, node: worker-1, emptyDir: true }
timing:
  podReadySeconds: 1
faults:
  errors: [{ code: 503, rate: 0.1, verbs: [list] }]
  latencyMs: { base: 5, jitter: 10 }
`;

describe('scenario files', () => {
  it('a valid file parses with its values and defaults', () => {
    const s = parseScenario(VALID);
    assert.equal(s.seed, 42);
    assert.equal(s.nodes.length, 3);
    const w1 = s.nodes[1];
    assert.equal(w1?.rebootRequired, true, 'a package list implies rebootRequired');
    assert.deepEqual(w1?.rebootRequiredPkgs, ['linux-image-6.8']);
    assert.equal(w1?.bootSeconds, 45);
    assert.deepEqual(w1?.sentinelCommand, { command: 'needs-restarting -r', exitCode: 0 });
    assert.equal(s.nodes[0]?.bootSeconds, 30, 'defaultBootSeconds');
    assert.equal(s.nodes[2]?.flap, 3, 'flap: true means 3 swings');
    assert.deepEqual(s.nodes[2]?.taints, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]);
    assert.deepEqual(s.workloads.deployments[0]?.pdb, { minAvailable: '50%' });
    assert.equal(s.workloads.barePods[0]?.namespace, 'default');
    assert.equal(s.timing.podReadySeconds, 1);
    assert.equal(s.timing.heartbeatSeconds, 10);
    const f = toSimFaults(s);
    assert.deepEqual(f.errorRate, [{ code: 503, rate: 0.1, verbs: ['list'] }]);
    assert.deepEqual(f.latencyMs, { base: 5, jitter: 10, spikeRate: 0, spikeMs: 0 });
    assert.equal(typeof f.random(), 'number');
  });

  const bad: [string, string, RegExp][] = [
    [
      'a negative boot time',
      'nodes: [{name: a}, {name: b}, {name: c, bootSeconds: -3}]',
      /^nodes\[2\]\.bootSeconds: expected a positive number$/,
    ],
    ['a missing node name', 'nodes: [{zone: x}]', /^nodes\[0\]\.name: required$/],
    ['an unknown field', 'nodes: [{name: a, bootSecs: 3}]', /^nodes\[0\]\.bootSecs: unknown field/],
    ['no nodes', 'nodes: []', /^nodes: expected at least one node$/],
    ['a duplicate node', 'nodes: [{name: a}, {name: a}]', /^nodes\[1\]\.name: duplicate name "a"$/],
    [
      'both PDB fields',
      'nodes: [{name: a}]\nworkloads: {deployments: [{name: w, pdb: {minAvailable: 1, maxUnavailable: 1}}]}',
      /^workloads\.deployments\[0\]\.pdb: set exactly one/,
    ],
    [
      'a bad percentage',
      'nodes: [{name: a}]\nworkloads: {deployments: [{name: w, pdb: {maxUnavailable: "half"}}]}',
      /^workloads\.deployments\[0\]\.pdb\.maxUnavailable: expected a non-negative integer or a percentage/,
    ],
    [
      'a bare pod on an unknown node',
      'nodes: [{name: a}]\nworkloads: {barePods: [{name: p, node: b}]}',
      /^workloads\.barePods\[0\]\.node: no node named "b"$/,
    ],
    [
      'a bare pod in a phase a scenario cannot set',
      'nodes: [{name: a}]\nworkloads: {barePods: [{name: p, node: a, phase: Pending}]}',
      /^workloads\.barePods\[0\]\.phase: expected Running, Succeeded or Failed, got "Pending"$/,
    ],
    [
      'an orphaned pod without the name of its DaemonSet',
      'nodes: [{name: a}]\nworkloads: {orphanedPods: [{name: p, node: a}]}',
      /^workloads\.orphanedPods\[0\]\.daemonSet: /,
    ],
    [
      'an orphaned pod with the name of a bare pod',
      'nodes: [{name: a}]\nworkloads: {barePods: [{name: p, node: a}], orphanedPods: [{name: p, node: a, daemonSet: d}]}',
      /^workloads\.orphanedPods\[0\]\.name: "p" is also a bare pod in default$/,
    ],
    [
      'an unsupported fault code',
      'nodes: [{name: a}]\nfaults: {errors: [{code: 404, rate: 0.5}]}',
      /^faults\.errors\[0\]\.code: expected 500, 503 or 429$/,
    ],
    [
      'a rate above one',
      'nodes: [{name: a}]\nfaults: {errors: [{code: 500, rate: 2}]}',
      /^faults\.errors\[0\]\.rate: expected at most 1$/,
    ],
    ['an upper-case node name', 'nodes: [{name: Worker}]', /^nodes\[0\]\.name: "Worker" is not a valid name/],
    [
      'replicas that are not a number',
      'nodes: [{name: a}]\nworkloads: {deployments: [{name: w, replicas: three}]}',
      /^workloads\.deployments\[0\]\.replicas: expected a non-negative integer$/,
    ],
    [
      'an operating system the simulator has no node for',
      'nodes: [{name: a, os: macos}]',
      /^nodes\[0\]\.os: must be linux or windows, not "macos"$/,
    ],
    [
      'an allocatable cpu that is not a quantity',
      'nodes: [{name: a, allocatable: {cpu: lots}}]',
      /^nodes\[0\]\.allocatable\.cpu: "lots" is not a quantity/,
    ],
    [
      'an allocatable pod count of 0',
      'nodes: [{name: a, allocatable: {pods: 0}}]',
      /^nodes\[0\]\.allocatable\.pods: /,
    ],
    [
      'an unknown allocatable resource',
      'nodes: [{name: a, allocatable: {gpu: 1}}]',
      /^nodes\[0\]\.allocatable\.gpu: unknown field/,
    ],
    [
      'a request that is not a quantity',
      'nodes: [{name: a}]\nworkloads: {daemonSets: [{name: d, requests: {memory: 1GB}}]}',
      /^workloads\.daemonSets\[0\]\.requests\.memory: "1GB" is not a quantity/,
    ],
    [
      'a missing program given as a path',
      'nodes: [{name: a, missingPrograms: [/bin/systemctl]}]',
      /^nodes\[0\]\.missingPrograms\[0\]: "\/bin\/systemctl" is not a program name/,
    ],
    ['broken YAML', 'nodes: [', /^not valid YAML/],
  ];
  for (const [what, text, re] of bad) {
    it(`${what} is refused with a message naming the field`, () => {
      assert.throws(
        () => parseScenario(text),
        (e: unknown) => e instanceof ScenarioError && re.test(e.message),
      );
    });
  }
});

describe('preset scenarios', () => {
  it('the default scenario has a control plane, three zones, nodes needing a reboot and budgets', () => {
    const s = defaultScenario(5);
    assert.equal(s.nodes.filter((n) => n.controlPlane).length, 1);
    assert.deepEqual([...new Set(s.nodes.map((n) => n.zone))].sort(), ['zone-a', 'zone-b', 'zone-c']);
    assert.ok(s.nodes.some((n) => n.rebootRequired));
    assert.ok(s.workloads.deployments.some((d) => d.pdb !== undefined));
    const clock = manualClock(0);
    const c = createSimCluster({ scenario: s, clock });
    const pods = c.store.list('pods').items;
    assert.ok(pods.every((p) => p.status?.phase === 'Running'));
    assert.ok(
      pods.filter((p) => p.metadata.namespace === 'shop').every((p) => p.spec.nodeName !== 'control-plane-1'),
    );
    c.stop();
    assert.equal(clock.pending(), 0);
  });

  it('a single-node default scenario has no control plane and no budgets that could block forever', () => {
    const s = defaultScenario(1);
    assert.equal(s.nodes.length, 1);
    assert.equal(s.nodes[0]?.controlPlane, false);
    assert.ok(s.workloads.deployments.every((d) => d.pdb === undefined));
  });

  it('a scale scenario of 1,000 nodes with 30 pods each builds in seconds', () => {
    const started = performance.now();
    const c = createSimCluster({ scenario: scaleScenario(1000, 30), clock: manualClock(0) });
    const elapsed = performance.now() - started;
    assert.equal(c.store.list('nodes', { limit: 1 }).remainingItemCount, 999);
    const pods = c.store.list('pods').items.length;
    assert.equal(pods, 30_000);
    assert.ok(elapsed < 20_000, `built in ${Math.round(elapsed)} ms`);
    c.stop();
  });
});
