// The metrics endpoint: feed progress events, scrape /metrics over HTTP and read the series back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { register as globalRegistry } from 'prom-client';
import { startMetricsServer } from '../../src/adapters/metrics/metrics.js';
import type { MetricsServer } from '../../src/adapters/metrics/metrics.js';
import { InputError } from '../../src/core/errors.js';
import type { NodeStep, RunEvent } from '../../src/core/events.js';
import { FakeClock } from '../support/fake-clock.js';

const t0 = Date.parse('2025-06-02T02:00:00Z');
const clock = new FakeClock(t0, false);
const server = await startMetricsServer({ port: 0, host: '127.0.0.1', clock });
after(() => server.close());
const base = `http://127.0.0.1:${server.port}`;

/** Scrapes /metrics and returns each sample line as "name{labels}" → value. */
async function scrape(s: MetricsServer = server): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${s.port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const step = (node: string, s: NodeStep, secs: number): RunEvent => ({
  type: 'step',
  at: t0 + secs * 1000,
  node,
  step: s,
});

test('reboot_required follows the probes; an unknown answer counts as a probe error', async () => {
  server.observe({
    type: 'probe',
    at: t0,
    node: 'n1',
    result: { kind: 'required', reason: 'x', source: 'probe' },
  });
  server.observe({ type: 'probe', at: t0, node: 'n2', result: { kind: 'not-required', source: 'probe' } });
  server.observe({
    type: 'probe',
    at: t0,
    node: 'n3',
    result: { kind: 'unknown', error: 'boom', source: 'probe' },
  });
  const m = await scrape();
  assert.equal(m.get('reboot_daemon_reboot_required{node="n1"}'), 1);
  assert.equal(m.get('reboot_daemon_reboot_required{node="n2"}'), 0);
  assert.equal(m.has('reboot_daemon_reboot_required{node="n3"}'), false);
  assert.equal(m.get('reboot_daemon_probe_errors_total{node="n3"}'), 1);
});

test('blocked{reason} shows the reasons in force and drops them when the block ends', async () => {
  server.observe({ type: 'blocked', at: t0, reasons: ['alert DiskFull firing'] });
  server.observe({ type: 'blocked', at: t0, reasons: ['pod db-0 blocks'], node: 'n2' });
  let m = await scrape();
  assert.equal(m.get('reboot_daemon_blocked{reason="alert DiskFull firing"}'), 1);
  assert.equal(m.get('reboot_daemon_blocked{reason="pod db-0 blocks"}'), 1);
  server.observe({ type: 'blocked', at: t0, reasons: [] }); // the cluster-wide block is over
  m = await scrape();
  assert.equal(m.has('reboot_daemon_blocked{reason="alert DiskFull firing"}'), false);
  assert.equal(m.get('reboot_daemon_blocked{reason="pod db-0 blocks"}'), 1);
  server.observe(step('n2', 'lock', 0)); // n2 moved on
  m = await scrape();
  assert.equal([...m.keys()].filter((k) => k.startsWith('reboot_daemon_blocked{')).length, 0);
  server.observe({ type: 'node-result', at: t0, node: 'n2', outcome: 'skipped', reason: 'x' });
});

test('phase durations come from consecutive steps; results count reboots done and failed', async () => {
  const before = await scrape();
  assert.equal(before.get('reboot_daemon_reboots_total{result="success"}'), 0);
  assert.equal(before.get('reboot_daemon_reboots_total{result="failure"}'), 0);
  for (const e of [
    step('n1', 'check', 0),
    step('n1', 'lock', 2),
    step('n1', 'lock', 2.5), // the same step again is not a new phase
    step('n1', 'cordon', 3),
    step('n1', 'drain', 4),
    step('n1', 'reboot', 64),
    step('n1', 'back', 124),
    step('n1', 'done', 134),
  ]) {
    server.observe(e);
  }
  server.observe({ type: 'node-result', at: t0 + 135_000, node: 'n1', outcome: 'rebooted', reason: 'back' });
  server.observe(step('n4', 'drain', 0));
  server.observe({ type: 'node-result', at: t0 + 700_000, node: 'n4', outcome: 'failed', reason: 'PDB' });
  const m = await scrape();
  const sum = (phase: string) => m.get(`reboot_daemon_phase_duration_seconds_sum{phase="${phase}"}`);
  const count = (phase: string) => m.get(`reboot_daemon_phase_duration_seconds_count{phase="${phase}"}`);
  assert.equal(sum('check'), 2);
  assert.equal(sum('lock'), 1);
  assert.equal(sum('cordon'), 1);
  assert.equal(sum('drain'), 760); // n1's 60 s and n4's 700 s until its failure
  assert.equal(count('drain'), 2);
  assert.equal(sum('reboot'), 60);
  assert.equal(sum('back'), 10);
  assert.equal(m.get('reboot_daemon_phase_duration_seconds_bucket{le="60",phase="drain"}'), 1);
  assert.equal(m.get('reboot_daemon_phase_duration_seconds_bucket{le="1200",phase="drain"}'), 2);
  assert.equal(m.has('reboot_daemon_phase_duration_seconds_count{phase="done"}'), false);
  assert.equal(m.get('reboot_daemon_reboots_total{result="success"}'), 1);
  assert.equal(m.get('reboot_daemon_reboots_total{result="failure"}'), 1);
  assert.equal(m.get('reboot_daemon_reboot_required{node="n1"}'), 0, 'a rebooted node no longer needs it');
});

test('lock_holder follows acquire, the holders seen while waiting, and release', async () => {
  server.observe({
    type: 'lock',
    at: t0,
    node: 'n5',
    action: 'acquired',
    holders: ['n5 (ops@laptop, run 1a2b3c4d)'],
  });
  let m = await scrape();
  assert.equal(m.get('reboot_daemon_lock_holder{node="n5"}'), 1);
  server.observe({
    type: 'lock',
    at: t0,
    node: 'n6',
    action: 'waiting',
    holders: ['n5 (ops@laptop, run 1a2b3c4d)', 'n7 (ci@runner, run 5e6f7a8b)'],
  });
  m = await scrape();
  assert.equal(m.get('reboot_daemon_lock_holder{node="n5"}'), 1);
  assert.equal(m.get('reboot_daemon_lock_holder{node="n7"}'), 1);
  assert.equal(m.has('reboot_daemon_lock_holder{node="n6"}'), false);
  server.observe({ type: 'lock', at: t0, node: 'n5', action: 'released', holders: [] });
  server.observe({ type: 'lock', at: t0, node: 'n7', action: 'released', holders: [] });
  m = await scrape();
  assert.equal([...m.keys()].filter((k) => k.startsWith('reboot_daemon_lock_holder{')).length, 0);
});

test('window_open and the seconds until it closes or opens, counted from the clock at scrape time', async () => {
  const now = clock.now();
  server.observe({
    type: 'window',
    at: now,
    window: { open: true, closesAt: now + 3600_000, description: '2am-3am' },
  });
  let m = await scrape();
  assert.equal(m.get('reboot_daemon_window_open'), 1);
  assert.equal(m.get('reboot_daemon_window_seconds_until_close'), 3600);
  assert.equal(m.get('reboot_daemon_window_seconds_until_open'), 0);
  await clock.advance(600_000);
  m = await scrape();
  assert.equal(m.get('reboot_daemon_window_seconds_until_close'), 3000);
  const later = clock.now();
  server.observe({
    type: 'window',
    at: later,
    window: { open: false, nextOpen: later + 90_000, description: '2am-3am' },
  });
  m = await scrape();
  assert.equal(m.get('reboot_daemon_window_open'), 0);
  assert.equal(m.get('reboot_daemon_window_seconds_until_close'), 0);
  assert.equal(m.get('reboot_daemon_window_seconds_until_open'), 90);
});

test('/healthz answers 200; other paths 404; writes 405', async () => {
  const ok = await fetch(`${base}/healthz`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'ok\n');
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
});

test('each server has its own registry; nothing lands in the global one', async () => {
  const other = await startMetricsServer({ port: 0, host: '127.0.0.1', clock });
  try {
    other.observe({ type: 'node-result', at: t0, node: 'x', outcome: 'failed', reason: 'r' });
    assert.equal((await scrape(other)).get('reboot_daemon_reboots_total{result="failure"}'), 1);
    assert.equal(
      (await scrape()).get('reboot_daemon_reboots_total{result="failure"}'),
      1,
      'the first server is untouched',
    );
    assert.doesNotMatch(await globalRegistry.metrics(), /reboot_daemon_/);
  } finally {
    await other.close();
  }
});

test('a port in use is an InputError naming --metrics-port', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    await assert.rejects(startMetricsServer({ port, host: '127.0.0.1' }), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.message, new RegExp(`^--metrics-port ${port}: cannot listen .*EADDRINUSE`));
      return true;
    });
    await assert.rejects(startMetricsServer({ port: 70000 }), /--metrics-port 70000: not a port number/);
  } finally {
    blocker.close();
  }
});
