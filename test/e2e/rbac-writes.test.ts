// The RBAC that `reboot-daemon rbac` prints is enough, and nothing in it is dead weight for evictions: the
// simulator enforces exactly the printed ClusterRole, Role and bindings (403 for anything else) while the
// built CLI runs `status`, `plan` and a full `run` that drains (evictions), runs helper pods, creates the
// namespace and takes the Lease on two nodes. Then, with the pods/eviction rule removed, a run fails loudly
// and names what is missing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { authorizerFromRoles, startSim, type RunningCluster } from '../../src/sim/index.js';
import type { Authorize } from '../../src/sim/server.js';
import type { KObject } from '../../src/sim/types.js';
import {
  FAST_TIMING,
  assertBuilt,
  bootIds,
  isCordoned,
  rebootCounts,
  runArgs,
  runCli,
  show,
  writeRequests,
  type CliResult,
} from '../support/e2e-cli.js';

const SCENARIO = `
seed: 3
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2, rebootRequired: true }
  - { name: node-3 }
  - { name: node-4 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 4, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`;

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

type Denied = Parameters<Authorize>;

describe('the printed RBAC allows every request the tool makes, and only it is needed', () => {
  let sim: RunningCluster;
  let dir: string;
  let kubeconfigPath: string;
  let roles: KObject[];
  let authorize: Authorize;
  const denied: Denied[] = [];
  let runResult: CliResult;
  let ids: Map<string, string>;

  before(async () => {
    await assertBuilt();
    const printed = await runCli(['rbac']);
    assert.equal(printed.code, 0, show(printed));
    roles = parseAllDocuments(printed.stdout)
      .map((d) => d.toJS() as KObject | null)
      .filter((d): d is KObject => d !== null && typeof d === 'object' && 'kind' in d);
    dir = await mkdtemp(join(tmpdir(), 'rd-rbac-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    authorize = authorizerFromRoles(roles);
    sim = await startSim({
      scenario: SCENARIO,
      kubeconfigPath,
      user: 'system:serviceaccount:reboot-daemon:reboot-daemon',
      // The authorizer can be swapped between runs (the negative control below).
      authorize: (...args) => {
        const ok = authorize(...args);
        if (!ok) denied.push(args);
        return ok;
      },
    });
    ids = bootIds(sim);
    runResult = await runCli(
      runArgs(kubeconfigPath, [
        '--annotate-nodes',
        '--pre-reboot-node-labels',
        'example.com/rebooting=true',
        '--post-reboot-node-labels',
        'example.com/rebooting=false',
      ]),
      { timeoutMs: 90_000 },
    );
  });

  after(async () => {
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the printed documents hold a ClusterRole, a Role and their bindings', () => {
    const kinds = roles.map((r) => r.kind).sort();
    for (const k of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'])
      assert.ok(kinds.includes(k), k);
  });

  test('a full run reboots both nodes with no request refused', () => {
    assert.equal(runResult.code, 0, show(runResult));
    assert.deepEqual(denied, [], `refused: ${JSON.stringify(denied)}`);
    const counts = rebootCounts(sim);
    assert.equal(counts.get('node-1'), 1, show(runResult));
    assert.equal(counts.get('node-2'), 1, show(runResult));
    assert.notEqual(bootIds(sim).get('node-1'), ids.get('node-1'));
    assert.equal(isCordoned(sim, 'node-1'), false);
    assert.equal(isCordoned(sim, 'node-2'), false);
  });

  test('the run really made every kind of write the RBAC is meant for', () => {
    const writes = writeRequests(sim);
    for (const key of [
      'create namespaces',
      'create pods',
      'delete pods',
      'create pods/eviction',
      'patch nodes',
      'create leases',
      'update leases',
    ]) {
      assert.ok((writes[key] ?? 0) > 0, `${key} in ${JSON.stringify(writes)}`);
    }
    const evicted = sim.cluster.record.of('eviction').filter((e) => e.outcome === 'evicted');
    assert.ok(evicted.length >= 2, `evictions: ${evicted.length}`);
  });

  test('status and plan also run with nothing refused', async () => {
    sim.cluster.host('node-3').setRebootRequired(['linux-image']);
    const st = await runCli(['status', '--kubeconfig', kubeconfigPath]);
    assert.equal(st.code, 0, show(st));
    assert.match(st.stdout, /node-3/);
    const plan = await runCli(['plan', '--kubeconfig', kubeconfigPath, '--log-format', 'json']);
    assert.equal(plan.code, 0, show(plan));
    assert.match(plan.stdout, /would reboot/);
    assert.deepEqual(denied, [], `refused: ${JSON.stringify(denied)}`);
  });

  test('without the pods/eviction rule a run fails loudly, naming the permission and the fix', async () => {
    const cut = roles.map((doc) =>
      doc.kind !== 'ClusterRole'
        ? doc
        : {
            ...doc,
            rules: (doc['rules'] as Rule[]).filter((r) => !(r.resources ?? []).includes('pods/eviction')),
          },
    );
    assert.notDeepEqual(cut, roles, 'a rule was removed');
    authorize = authorizerFromRoles(cut);
    const before_ = bootIds(sim).get('node-3');
    const r = await runCli(runArgs(kubeconfigPath, ['node-3']), { timeoutMs: 60_000 });
    assert.notEqual(r.code, 0, show(r));
    const text = r.stdout + r.stderr;
    assert.match(text, /pods\/eviction|evict/, show(r));
    assert.match(text, /reboot-daemon rbac/, show(r));
    assert.ok(
      denied.some(([verb, resource, sub]) => verb === 'create' && resource === 'pods' && sub === 'eviction'),
      `the server refused an eviction: ${JSON.stringify(denied)}`,
    );
    assert.equal(bootIds(sim).get('node-3'), before_, 'node-3 was not rebooted without a drain');
  });
});
