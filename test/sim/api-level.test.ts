// A simulator set to an older Kubernetes serves the policy APIs as that version did: before 1.22 evictions
// are policy/v1beta1 only (a policy/v1 Eviction is a 400, as the server cannot decode it), and before 1.21
// PodDisruptionBudgets are served only as policy/v1beta1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type RunningSim } from '../../src/sim/index.js';
import { manualClock } from '../../src/sim/clock.js';
import { scenarioFromObject, ScenarioError } from '../../src/sim/scenario.js';
import { api, type Target } from '../support/https-client.js';

const sims: RunningSim[] = [];
after(async () => {
  for (const s of sims) await s.stop();
});

async function sim(kubernetesVersion?: string): Promise<{ t: Target; s: RunningSim }> {
  const scenario = scenarioFromObject({
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    nodes: [{ name: 'n1' }, { name: 'n2' }],
    workloads: { deployments: [{ name: 'web', replicas: 2, pdb: { minAvailable: 2 } }] },
  });
  const s = await startSim({ scenario, clock: manualClock(Date.parse('2025-03-01T00:00:00Z')) });
  sims.push(s);
  return { t: { port: s.port, ca: s.ca, token: s.token }, s };
}

const evictionEntry = async (t: Target): Promise<{ group: string; version: string }> => {
  const list = await api(t, 'GET', '/api/v1');
  const e = list.json.resources.find((r: { name: string }) => r.name === 'pods/eviction');
  return { group: e.group, version: e.version };
};

const webPod = (s: RunningSim): string =>
  s.store.list('pods', { namespace: 'default', labelSelector: 'app=web' }).items[0]!.metadata.name;

test('a 1.20 server: /version says 1.20, evictions and PDBs are policy/v1beta1 only', async () => {
  const { t, s } = await sim('1.20');
  assert.equal((await api(t, 'GET', '/version')).json.minor, '20');
  assert.deepEqual(await evictionEntry(t), { group: 'policy', version: 'v1beta1' });
  const policy = await api(t, 'GET', '/apis/policy');
  assert.deepEqual(
    policy.json.versions.map((v: { version: string }) => v.version),
    ['v1beta1'],
  );
  assert.equal((await api(t, 'GET', '/apis/policy/v1/poddisruptionbudgets')).status, 404);
  const pdbs = await api(t, 'GET', '/apis/policy/v1beta1/poddisruptionbudgets');
  assert.equal(pdbs.status, 200);
  assert.equal(pdbs.json.apiVersion, 'policy/v1beta1');
  assert.equal(pdbs.json.items[0].apiVersion, 'policy/v1beta1');
  assert.equal(pdbs.json.items[0].metadata.name, 'web');

  const name = webPod(s);
  const path = `/api/v1/namespaces/default/pods/${name}/eviction`;
  const v1 = await api(t, 'POST', path, {
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } },
  });
  assert.equal(v1.status, 400);
  assert.equal(v1.json.reason, 'BadRequest');
  assert.match(v1.json.message, /no kind "Eviction" is registered for version "policy\/v1"/);
  const beta = await api(t, 'POST', path, {
    body: { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name, namespace: 'default' } },
  });
  // the PDB (minAvailable 2 of 2) is still checked through v1beta1
  assert.equal(beta.status, 429);
  assert.equal(beta.json.details.causes[0].reason, 'DisruptionBudget');
});

test('a 1.21 server serves PDBs as v1 (preferred) and v1beta1, evictions as v1beta1', async () => {
  const { t } = await sim('1.21');
  assert.deepEqual(await evictionEntry(t), { group: 'policy', version: 'v1beta1' });
  const policy = await api(t, 'GET', '/apis/policy');
  assert.deepEqual(
    policy.json.versions.map((v: { version: string }) => v.version),
    ['v1', 'v1beta1'],
  );
  assert.equal(policy.json.preferredVersion.version, 'v1');
  assert.equal((await api(t, 'GET', '/apis/policy/v1/poddisruptionbudgets')).json.apiVersion, 'policy/v1');
});

test('by default the server is 1.32 and takes policy/v1 Evictions', async () => {
  const { t } = await sim();
  assert.deepEqual(await evictionEntry(t), { group: 'policy', version: 'v1' });
  assert.equal((await api(t, 'GET', '/apis/policy/v1beta1/poddisruptionbudgets')).status, 404);
});

test('a scenario kubernetesVersion that is not 1.16 to 1.33 is refused, naming the field', () => {
  for (const bad of ['2.0', '1.15', '1.34', 'v1.21', '1.21.3', 21]) {
    assert.throws(
      () => scenarioFromObject({ kubernetesVersion: bad, nodes: [{ name: 'n1' }] }),
      (e: unknown) =>
        e instanceof ScenarioError && /^kubernetesVersion: expected "1\.<minor>"/.test(e.message),
      String(bad),
    );
  }
  assert.equal(
    scenarioFromObject({ kubernetesVersion: '1.16', nodes: [{ name: 'n1' }] }).kubernetesVersion,
    '1.16',
  );
});
