// The short soak (`npm run soak`): the built CLI in two lanes with different owners against a 50-node simulated
// cluster with API faults, SIGKILLed and restarted at seeded moments;
// it must print its summary with the faults it injected and 0 violations. Also: the soak's checks do catch
// what they are meant to catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { RecordEntry } from '../../src/sim/record.js';
import { createStore } from '../../src/sim/store.js';
import { manualClock } from '../../src/sim/clock.js';
import {
  checkAdminCordons,
  checkDeadReported,
  checkEndState,
  checkReboots,
  HOLDERS_KEY,
  LEASE_NAME,
  LEASE_NAMESPACE,
} from '../../soak/checks.js';
import { ConcurrencyWatch } from '../../soak/concurrency.js';
import type { SoakRoles } from '../../soak/scenario.js';
import { soakCluster } from '../../soak/scenario.js';
import { assertBuilt } from '../support/e2e-cli.js';

const SEED = 1;

const roles: SoakRoles = {
  needing: ['n1', 'n2', 'n3'],
  dead: 'n3',
  flapping: 'n1',
  fast: 'n2',
  rerun: [],
  adminCordoned: ['n2', 'n4'],
};

test('the concurrency check flags a third node cordoned by us, not an admin cordon', () => {
  const w = new ConcurrencyWatch(2, new Set(['n4']));
  const at = 0;
  w.observe({ kind: 'cordon', at, node: 'n4', unschedulable: true });
  w.observe({ kind: 'cordon', at, node: 'n1', unschedulable: true });
  w.observe({ kind: 'rebootTriggered', at, node: 'n2', via: 't', oldBootID: 'b' });
  assert.equal(w.violations.length, 0);
  w.observe({ kind: 'nodeDown', at, node: 'n3', status: 'Unknown' });
  assert.equal(w.violations.length, 1);
  assert.match(w.violations[0]?.detail ?? '', /3 .*n1, n2, n3/);
  assert.equal(w.maxBusy, 3);
});

test('the reboot check wants one boot per needing node, one trigger for the dead one, none elsewhere', () => {
  const t = (node: string): RecordEntry => ({
    kind: 'rebootTriggered',
    at: 0,
    node,
    via: 't',
    oldBootID: 'a',
  });
  const b = (node: string): RecordEntry => ({
    kind: 'reboot',
    at: 0,
    node,
    oldBootID: 'a',
    newBootID: 'b',
    triggeredAt: 0,
  });
  const good = [t('n1'), b('n1'), t('n2'), b('n2'), t('n3')];
  assert.deepEqual(checkReboots(good, ['n1', 'n2', 'n3', 'n4'], roles), []);
  const bad = [...good, t('n1'), b('n1'), t('n4'), b('n4')];
  const found = checkReboots(bad, ['n1', 'n2', 'n3', 'n4'], roles).map((v) => v.detail);
  assert.deepEqual(found, ['n1: 2 triggers, 2 boots', 'n4: 1 triggers, 1 boots']);
});

test('the end-state checks flag an uncordoned admin node, a leftover hold and a missing failure report', () => {
  const store = createStore(manualClock());
  for (const name of ['n1', 'n2', 'n3', 'n4'])
    store.create('nodes', {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name, annotations: name === 'n3' ? { 'reboot-daemon.io/state': '{}' } : {} },
      spec: { unschedulable: name === 'n3' || name === 'n4' },
    });
  const holders = [
    { node: 'n3', ttlMs: 0 },
    { node: 'n1', ttlMs: 30_000 },
  ];
  store.create('namespaces', { kind: 'Namespace', apiVersion: 'v1', metadata: { name: LEASE_NAMESPACE } });
  store.create('leases', {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: {
      name: LEASE_NAME,
      namespace: LEASE_NAMESPACE,
      annotations: { [HOLDERS_KEY]: JSON.stringify({ holders }) },
    },
  });
  const uncordoned: RecordEntry = { kind: 'cordon', at: 0, node: 'n2', unschedulable: false };
  const admin = checkAdminCordons([uncordoned], store, roles).map((v) => v.detail);
  assert.equal(admin.length, 2, admin.join('\n'));
  const end = checkEndState(store, roles).map((v) => v.detail);
  assert.deepEqual(end, [`also held: ${JSON.stringify(holders[1])}`]);
  assert.equal(checkDeadReported([], roles).length, 1);
});

test('the soak cluster: 50 nodes, 20 need a reboot, and the special nodes are distinct', () => {
  const { scenario, roles: r } = soakCluster(SEED, { nodes: 50, needing: 20 });
  assert.equal(scenario.nodes.length, 50);
  assert.equal(scenario.nodes.filter((n) => n.rebootRequired).length, 20);
  const special = [r.dead, r.flapping, r.fast, ...r.rerun, r.adminCordoned[0]];
  assert.equal(new Set(special).size, special.length);
  assert.ok(special.every((n) => r.needing.includes(n)));
  assert.ok(!r.needing.includes(r.adminCordoned[1]));
  assert.deepEqual(soakCluster(SEED, { nodes: 50, needing: 20 }), { scenario, roles: r }, 'replays by seed');
});

async function shortSoak(seed: number, extra: readonly string[], owners: RegExp): Promise<void> {
  await assertBuilt();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'soak/main.ts', '--seed', String(seed), ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.match(out, new RegExp(`^seed: ${seed} `, 'm'), out);
  const faults =
    /^faults: (\d+) error answers .* watch drops (\d+), latency spikes (\d+), SIGKILLs (\d+), restarts (\d+)$/m.exec(
      out,
    );
  assert.ok(faults, `no faults line:\n${out}`);
  const [, errors, drops, spikes, kills, restarts] = faults.map(Number);
  assert.ok((errors ?? 0) > 50, `error answers: ${errors}`);
  assert.ok((drops ?? 0) > 0, `watch drops: ${drops}`);
  assert.ok((spikes ?? 0) > 0, `latency spikes: ${spikes}`);
  assert.equal(kills, 10);
  assert.ok((restarts ?? 0) >= 10);
  assert.match(out, owners, out);
  assert.match(
    out,
    new RegExp(`replay: npm run soak -- --seed ${seed}${extra.map((a) => ` ${a}`).join('')}\\)`),
    out,
  );
  assert.match(out, /^happened: 19 nodes rebooted/m, out);
  assert.match(out, /^violations: 0$/m, out);
  assert.equal(code, 0, out);
}

test(
  `the short soak (seed ${SEED}) injects its faults and ends with 0 violations`,
  { timeout: 8 * 60_000 },
  () => shortSoak(SEED, [], /two lanes with different owners at once/),
);
