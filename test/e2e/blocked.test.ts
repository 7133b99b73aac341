// `run` held back by Prometheus: a firing alert from a small fake Prometheus blocks every reboot (exit 3,
// nothing cordoned, nothing rebooted); --alert-filter-regexp that matches the alert lets the run proceed;
// a Prometheus that answers 500 also blocks, because unknown means do not reboot.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAST_TIMING,
  assertBuilt,
  bootIds,
  helperPods,
  isCordoned,
  leaseHolders,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  stateAnnotations,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
seed: 3
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2 }
  - { name: node-3 }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 3, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`;

const ALERTS = {
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      {
        metric: {
          __name__: 'ALERTS',
          alertname: 'NodeDiskPressure',
          alertstate: 'firing',
          severity: 'critical',
        },
        value: [1_700_000_000, '1'],
      },
    ],
  },
};

interface FakePrometheus {
  readonly url: string;
  /** The queries received, e.g. "ALERTS". */
  readonly queries: string[];
  status: 200 | 500;
  close(): Promise<void>;
}

async function fakePrometheus(): Promise<FakePrometheus> {
  const queries: string[] = [];
  const fake = { status: 200 as 200 | 500 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404).end();
      return;
    }
    queries.push(url.searchParams.get('query') ?? '');
    if (fake.status === 500) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error: storage unavailable');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ALERTS));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('run blocked by Prometheus alerts', () => {
  let prom: FakePrometheus;

  before(async () => {
    await assertBuilt();
    prom = await fakePrometheus();
  });

  after(async () => {
    await prom?.close();
  });

  /** Runs against a fresh cluster; returns the cluster for checks (the caller stops it). */
  async function runWith(extra: string[]): Promise<{ c: TestCluster; code: number | null; out: string }> {
    const c = await startCluster(SCENARIO);
    const r = await runCli(runArgs(c.kubeconfigPath, ['--prometheus-url', prom.url, ...extra]));
    return { c, code: r.code, out: show(r) };
  }

  function assertUntouched(c: TestCluster, before: Map<string, string>, out: string): void {
    const rec = c.sim.cluster.record;
    assert.deepEqual(bootIds(c.sim), before, out);
    assert.deepEqual(rec.of('rebootTriggered'), []);
    assert.deepEqual(rec.of('cordon'), []);
    assert.deepEqual(rec.of('eviction'), []);
    for (const n of ['node-1', 'node-2', 'node-3']) assert.equal(isCordoned(c.sim, n), false);
    assert.deepEqual(helperPods(c.sim), []);
    assert.deepEqual(leaseHolders(c.sim).holders, []);
    assert.deepEqual(stateAnnotations(c.sim), {});
  }

  test('a firing alert blocks: exit 3, nothing cordoned, no reboot', async () => {
    prom.status = 200;
    const asked = prom.queries.length;
    const c = await startCluster(SCENARIO);
    try {
      const ids = bootIds(c.sim);
      const r = await runCli(runArgs(c.kubeconfigPath, ['--prometheus-url', prom.url]));
      assert.equal(r.code, 3, show(r));
      assert.ok(prom.queries.length > asked, 'Prometheus was asked');
      assert.ok(prom.queries.slice(asked).every((q) => q === 'ALERTS'));
      assert.match(`${r.stdout}${r.stderr}`, /NodeDiskPressure/, 'the output names the blocking alert');
      assertUntouched(c, ids, show(r));
    } finally {
      await c.stop();
    }
  });

  test('--alert-filter-regexp matching the alert lets the run proceed', async () => {
    prom.status = 200;
    const asked = prom.queries.length;
    const { c, code, out } = await runWith(['--alert-filter-regexp', '^NodeDisk']);
    try {
      assert.equal(code, 0, out);
      assert.ok(prom.queries.length > asked, 'Prometheus was still asked');
      assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { 'node-1': 1 });
      assert.equal(isCordoned(c.sim, 'node-1'), false);
      assert.deepEqual(c.sim.cluster.record.of('pdbViolation'), []);
      assert.deepEqual(leaseHolders(c.sim).holders, []);
    } finally {
      await c.stop();
    }
  });

  test('a Prometheus that answers 500 blocks too: unknown means do not reboot', async () => {
    prom.status = 500;
    const asked = prom.queries.length;
    const c = await startCluster(SCENARIO);
    try {
      const ids = bootIds(c.sim);
      const r = await runCli(runArgs(c.kubeconfigPath, ['--prometheus-url', prom.url]));
      assert.equal(r.code, 3, show(r));
      assert.ok(prom.queries.length > asked, 'Prometheus was asked');
      assert.match(`${r.stdout}${r.stderr}`, /500/, 'the output says why');
      assertUntouched(c, ids, show(r));
    } finally {
      await c.stop();
      prom.status = 200;
    }
  });
});
