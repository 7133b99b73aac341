// Scenario files: YAML parsed and checked into a typed Scenario (errors name the field and throw
// ScenarioError, which the CLI maps to exit 2), and the faults the HTTP front injects (SimFaults).
// Presets (defaultScenario, scaleScenario) live in ./scenario-presets.ts and are re-exported here.
// May import: yaml, ./scenario-*.js, ./faults-types.js, ./random.js.
import { parse as parseYaml } from 'yaml';
import { faults } from './scenario-faults.js';
import {
  ScenarioError,
  arr,
  bool,
  dnsName,
  fail,
  intOrPercent,
  kubernetesVersion,
  num,
  obj,
  only,
  optStr,
  str,
  strMap,
  unique,
} from './scenario-check.js';
import type { Obj } from './scenario-check.js';
import { allocatable, program, requests } from './scenario-resources.js';
import { DEFAULT_TIMING } from './scenario-types.js';
import type {
  Scenario,
  ScenarioBarePod,
  ScenarioNode,
  ScenarioPdb,
  ScenarioTiming,
  Taint,
} from './scenario-types.js';

export { ScenarioError } from './scenario-check.js';
export { toSimFaults } from './scenario-faults.js';
export { defaultScenario, scaleScenario } from './scenario-presets.js';
export * from './scenario-types.js';

/** Parses YAML text into a checked Scenario. Throws ScenarioError. */
export function parseScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ScenarioError(`not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return scenarioFromObject(doc);
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

function taints(v: unknown, path: string): Taint[] {
  return arr(v, path).map((t, i) => {
    const p = `${path}[${i}]`;
    const o = obj(t, p);
    only(o, p, ['key', 'value', 'effect']);
    const effect = str(o.effect, `${p}.effect`, 'NoSchedule');
    if (!(EFFECTS as readonly string[]).includes(effect))
      fail(`${p}.effect`, `expected one of ${EFFECTS.join(', ')}`);
    const value = optStr(o.value, `${p}.value`);
    return {
      key: str(o.key, `${p}.key`),
      ...(value !== undefined ? { value } : {}),
      effect: effect as Taint['effect'],
    };
  });
}

function node(v: unknown, i: number, timing: ScenarioTiming): ScenarioNode {
  const p = `nodes[${i}]`;
  const o = obj(v, p);
  only(o, p, [
    'name',
    'rebootRequired',
    'rebootRequiredPkgs',
    'unschedulable',
    'labels',
    'taints',
    'controlPlane',
    'zone',
    'bootSeconds',
    'neverReturns',
    'flap',
    'fast',
    'sentinelCommand',
    'osImage',
    'os',
    'kubeletVersion',
    'rerunPodsAfterBoot',
    'allocatable',
    'missingPrograms',
  ]);
  const pkgs = arr(o.rebootRequiredPkgs, `${p}.rebootRequiredPkgs`).map((x, j) =>
    str(x, `${p}.rebootRequiredPkgs[${j}]`),
  );
  let sentinelCommand: ScenarioNode['sentinelCommand'];
  if (o.sentinelCommand !== undefined && o.sentinelCommand !== null) {
    const sp = `${p}.sentinelCommand`;
    const s =
      typeof o.sentinelCommand === 'string' ? { command: o.sentinelCommand } : obj(o.sentinelCommand, sp);
    only(s, sp, ['command', 'exitCode', 'notRequiredExitCode']);
    sentinelCommand = {
      command: str(s.command, `${sp}.command`),
      ...(s.exitCode !== undefined
        ? { exitCode: num(s.exitCode, `${sp}.exitCode`, { integer: true, min: 0, max: 255 }) }
        : {}),
      ...(s.notRequiredExitCode !== undefined
        ? {
            notRequiredExitCode: num(s.notRequiredExitCode, `${sp}.notRequiredExitCode`, {
              integer: true,
              min: 0,
              max: 255,
            }),
          }
        : {}),
    };
  }
  const flap =
    o.flap === true ? 3 : o.flap === false ? 0 : num(o.flap, `${p}.flap`, { dflt: 0, integer: true, min: 0 });
  return {
    name: dnsName(o.name, `${p}.name`),
    rebootRequired: bool(o.rebootRequired, `${p}.rebootRequired`, pkgs.length > 0),
    rebootRequiredPkgs: pkgs,
    unschedulable: bool(o.unschedulable, `${p}.unschedulable`),
    labels: strMap(o.labels, `${p}.labels`),
    taints: taints(o.taints, `${p}.taints`),
    controlPlane: bool(o.controlPlane, `${p}.controlPlane`),
    zone: optStr(o.zone, `${p}.zone`),
    bootSeconds: num(o.bootSeconds, `${p}.bootSeconds`, { dflt: timing.defaultBootSeconds, positive: true }),
    neverReturns: bool(o.neverReturns, `${p}.neverReturns`),
    flap,
    fast: bool(o.fast, `${p}.fast`),
    sentinelCommand,
    osImage: str(o.osImage, `${p}.osImage`, 'Ubuntu 24.04.1 LTS'),
    os: nodeOs(o.os, `${p}.os`),
    kubeletVersion: str(o.kubeletVersion, `${p}.kubeletVersion`, 'v1.32.2'),
    rerunPodsAfterBoot: bool(o.rerunPodsAfterBoot, `${p}.rerunPodsAfterBoot`),
    allocatable: allocatable(o.allocatable, `${p}.allocatable`),
    missingPrograms: arr(o.missingPrograms, `${p}.missingPrograms`).map((x, j) =>
      program(x, `${p}.missingPrograms[${j}]`),
    ),
  };
}

function nodeOs(v: unknown, path: string): ScenarioNode['os'] {
  const os = str(v, path, 'linux');
  if (os !== 'linux' && os !== 'windows')
    throw new ScenarioError(`${path}: must be linux or windows, not ${JSON.stringify(os)}`);
  return os;
}

function pdb(v: unknown, path: string): ScenarioPdb | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, path);
  only(o, path, ['minAvailable', 'maxUnavailable', 'unhealthyPodEvictionPolicy']);
  const hasMin = o.minAvailable !== undefined;
  const hasMax = o.maxUnavailable !== undefined;
  if (hasMin === hasMax) fail(path, 'set exactly one of minAvailable or maxUnavailable');
  const policy = optStr(o.unhealthyPodEvictionPolicy, `${path}.unhealthyPodEvictionPolicy`);
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    fail(`${path}.unhealthyPodEvictionPolicy`, 'expected IfHealthyBudget or AlwaysAllow');
  }
  return {
    ...(hasMin ? { minAvailable: intOrPercent(o.minAvailable, `${path}.minAvailable`) } : {}),
    ...(hasMax ? { maxUnavailable: intOrPercent(o.maxUnavailable, `${path}.maxUnavailable`) } : {}),
    ...(policy ? { unhealthyPodEvictionPolicy: policy } : {}),
  };
}

function timing(v: unknown): ScenarioTiming {
  const o = obj(v, 'timing');
  const keys = Object.keys(DEFAULT_TIMING) as (keyof ScenarioTiming)[];
  only(o, 'timing', keys);
  const out: Record<string, number> = {};
  for (const k of keys) {
    const positive = k === 'heartbeatSeconds' || k === 'defaultBootSeconds' || k === 'flapSeconds';
    out[k] = num(o[k], `timing.${k}`, {
      dflt: DEFAULT_TIMING[k],
      ...(positive ? { positive: true } : { min: 0 }),
    });
  }
  if ((out.jitter ?? 0) >= 1) fail('timing.jitter', 'expected a fraction below 1');
  return out as unknown as ScenarioTiming;
}

/** Checks an already-parsed document (e.g. from JSON). Throws ScenarioError. */
export function scenarioFromObject(doc: unknown): Scenario {
  const root: Obj = obj(doc, '(document)');
  only(root, '', ['seed', 'kubernetesVersion', 'namespaces', 'nodes', 'workloads', 'timing', 'faults']);
  const version = kubernetesVersion(root.kubernetesVersion, 'kubernetesVersion');
  const t = timing(root.timing);
  const nodesRaw = arr(root.nodes, 'nodes');
  if (nodesRaw.length === 0) fail('nodes', 'expected at least one node');
  const nodes = nodesRaw.map((n, i) => node(n, i, t));
  unique(
    nodes.map((n) => n.name),
    'nodes',
  );
  const nodeNames = new Set(nodes.map((n) => n.name));

  const w = obj(root.workloads, 'workloads');
  only(w, 'workloads', ['deployments', 'daemonSets', 'barePods', 'orphanedPods', 'staticPods']);
  const deployments = arr(w.deployments, 'workloads.deployments').map((d, i) => {
    const p = `workloads.deployments[${i}]`;
    const o = obj(d, p);
    only(o, p, [
      'name',
      'namespace',
      'replicas',
      'pdb',
      'emptyDir',
      'terminationGracePeriodSeconds',
      'requests',
    ]);
    return {
      name: dnsName(o.name, `${p}.name`, undefined, true),
      namespace: dnsName(o.namespace, `${p}.namespace`, 'default', true),
      replicas: num(o.replicas, `${p}.replicas`, { dflt: 1, integer: true, min: 0 }),
      pdb: pdb(o.pdb, `${p}.pdb`),
      emptyDir: bool(o.emptyDir, `${p}.emptyDir`),
      terminationGracePeriodSeconds: num(
        o.terminationGracePeriodSeconds,
        `${p}.terminationGracePeriodSeconds`,
        { dflt: 30, integer: true, min: 0 },
      ),
      requests: requests(o.requests, `${p}.requests`),
    };
  });
  const daemonSets = arr(w.daemonSets, 'workloads.daemonSets').map((d, i) => {
    const p = `workloads.daemonSets[${i}]`;
    const o = obj(d, p);
    only(o, p, ['name', 'namespace', 'requests']);
    return {
      name: dnsName(o.name, `${p}.name`, undefined, true),
      namespace: dnsName(o.namespace, `${p}.namespace`, 'default', true),
      requests: requests(o.requests, `${p}.requests`),
    };
  });
  const singlePod = (o: Obj, p: string): ScenarioBarePod => {
    const nodeName = str(o.node, `${p}.node`);
    if (!nodeNames.has(nodeName)) fail(`${p}.node`, `no node named "${nodeName}"`);
    const phase = o.phase ?? 'Running';
    if (phase !== 'Running' && phase !== 'Succeeded' && phase !== 'Failed')
      fail(`${p}.phase`, `expected Running, Succeeded or Failed, got ${JSON.stringify(phase)}`);
    return {
      name: dnsName(o.name, `${p}.name`),
      namespace: dnsName(o.namespace, `${p}.namespace`, 'default', true),
      node: nodeName,
      emptyDir: bool(o.emptyDir, `${p}.emptyDir`),
      phase,
      requests: requests(o.requests, `${p}.requests`),
    };
  };
  const barePods = arr(w.barePods, 'workloads.barePods').map((d, i) => {
    const p = `workloads.barePods[${i}]`;
    const o = obj(d, p);
    only(o, p, ['name', 'namespace', 'node', 'emptyDir', 'phase', 'requests']);
    return singlePod(o, p);
  });
  const orphanedPods = arr(w.orphanedPods, 'workloads.orphanedPods').map((d, i) => {
    const p = `workloads.orphanedPods[${i}]`;
    const o = obj(d, p);
    only(o, p, ['name', 'namespace', 'node', 'emptyDir', 'phase', 'requests', 'daemonSet']);
    return { ...singlePod(o, p), daemonSet: dnsName(o.daemonSet, `${p}.daemonSet`, undefined, true) };
  });
  const staticPods = arr(w.staticPods, 'workloads.staticPods').map((d, i) => {
    const p = `workloads.staticPods[${i}]`;
    const o = obj(d, p);
    only(o, p, ['name', 'namespace', 'nodes']);
    let on: 'controlPlane' | 'all' | string[];
    if (o.nodes === undefined || o.nodes === 'controlPlane' || o.nodes === 'all')
      on = (o.nodes as 'all' | undefined) ?? 'controlPlane';
    else {
      on = arr(o.nodes, `${p}.nodes`).map((x, j) => str(x, `${p}.nodes[${j}]`));
      on.forEach((n, j) => nodeNames.has(n) || fail(`${p}.nodes[${j}]`, `no node named "${n}"`));
    }
    return {
      name: dnsName(o.name, `${p}.name`),
      namespace: dnsName(o.namespace, `${p}.namespace`, 'kube-system', true),
      nodes: on,
    };
  });
  for (const [list, path] of [
    [deployments, 'workloads.deployments'],
    [daemonSets, 'workloads.daemonSets'],
    [barePods, 'workloads.barePods'],
    [orphanedPods, 'workloads.orphanedPods'],
  ] as const) {
    const keys = list.map((x) => `${x.namespace}/${x.name}`);
    unique(keys, path);
  }
  const bare = new Set(barePods.map((x) => `${x.namespace}/${x.name}`));
  orphanedPods.forEach((o, i) => {
    if (bare.has(`${o.namespace}/${o.name}`))
      fail(`workloads.orphanedPods[${i}].name`, `"${o.name}" is also a bare pod in ${o.namespace}`);
  });
  const namespaces = arr(root.namespaces, 'namespaces').map((n, i) =>
    dnsName(n, `namespaces[${i}]`, undefined, true),
  );
  return {
    seed: num(root.seed, 'seed', { dflt: 1, integer: true, min: 0 }),
    ...(version === undefined ? {} : { kubernetesVersion: version }),
    namespaces,
    nodes,
    workloads: { deployments, daemonSets, barePods, orphanedPods, staticPods },
    timing: t,
    faults: faults(root.faults),
  };
}
