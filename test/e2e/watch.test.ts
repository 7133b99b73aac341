// Watch mode end to end: the built CLI (`watch`) against a simulated cluster with faults (5% of requests
// answer 503, watches drop every 2 s), following the simulator's clock ×20 through the hidden --sim-clock.
// Sentinels appear on three nodes over time, the window opens, an alert blocks and then clears, the nodes
// are rebooted one at a time, SIGTERM stops the watcher mid-reboot and a restart finishes the work. A
// notification receiver and a metrics scrape see what happened.
// The stop keeps the node's record and releases its Lease slot: the restart resumes the node from the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  leaseHolders,
  maxDownAtOnce,
  metricsPortOf,
  rebootsByNode,
  rebootsTotal,
  spawnCli,
  startFakePrometheus,
  startReceiver,
  startScaledSim,
  type CliProcess,
} from '../support/watch-e2e.js';

const SCALE = 20;
const START = Date.parse('2025-06-02T01:57:00Z'); // a Monday; the window opens at 02:00, 3 simulated minutes in
const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const STATE_KEY = 'reboot-daemon.io/state';
const TRIGGERED = ['rebooting', 'reboot-timeout', 'rebooted', 'ready-timeout', 'uncordoned'];

test(
  'watch mode reboots each node once, one at a time, through faults, an alert and a restart',
  { timeout: 90_000 },
  async () => {
    await access('dist/cli/main.js').catch(() => assert.fail('dist/ is not built: run `npm run build`'));
    const dir = await mkdtemp(join(tmpdir(), 'rd-watch-'));
    const s = await startScaledSim({
      dir,
      nodes: 4,
      scale: SCALE,
      start: START,
      faults: { errors: [{ code: 503, rate: 0.05 }], watchDropEverySeconds: 2 },
    });
    const prom = await startFakePrometheus();
    const hooks = await startReceiver();
    const procs: CliProcess[] = [];
    const args = [
      'watch',
      '--kubeconfig',
      s.kubeconfigPath,
      '--window',
      '02:00-05:00',
      '--period',
      '1m',
      '--prometheus-url',
      prom.url,
      '--notify-url',
      hooks.url,
      '--metrics-port',
      '0',
      '--log-format',
      'json',
      '--request-timeout',
      '10s',
      '--sim-clock',
      s.simClockArg,
    ];
    const host = (n: string) => s.cluster.host(n);
    const cordoned = () =>
      s.sim.store.list('nodes').items.filter((n) => n.spec?.unschedulable === true).length;
    try {
      const p1 = spawnCli(args);
      procs.push(p1);
      // 1) sentinels appear over time: one now, one a simulated minute later, one once reboots have begun.
      host('worker-1').setRebootRequired(['linux-image-6.8.0-51-generic']);
      await new Promise((r) => setTimeout(r, 60_000 / SCALE));
      host('worker-2').setRebootRequired(['libc6']);

      // 2) outside the window: the watcher says when it opens and sleeps until then.
      await p1.waitFor(
        'the sleep until the window opens',
        () =>
          p1
            .events()
            .some((e) => e.type === 'log' && e.message.includes('sleeping until 2025-06-02T02:00:00.000Z')),
        20_000,
      );
      assert.equal(rebootsByNode(s.cluster)['worker-1'], undefined, 'nothing rebooted before the window');

      // 4) the window opens; the alert blocks; then it clears.
      await p1.waitFor(
        'a block by the alert',
        () =>
          p1.events().some((e) => e.type === 'blocked' && e.reasons.some((r) => r.includes('NodeDiskFull'))),
        30_000,
      );
      assert.equal(cordoned(), 0, 'blocked: nothing cordoned');
      prom.firing = false;
      await p1.waitFor(
        'the first cordon',
        () => s.cluster.record.of('cordon').some((c) => c.unschedulable),
        30_000,
      );
      host('worker-3').setRebootRequired(['openssl']);

      await p1.waitFor(
        'the first node back',
        () => p1.events().some((e) => e.type === 'node-result' && e.outcome === 'rebooted'),
        40_000,
      );
      const port1 = metricsPortOf(p1.events());
      assert.ok(port1 !== undefined, 'the metrics port is announced');
      assert.equal(await rebootsTotal(port1, 'success'), 1);

      // 5) SIGTERM while the second node reboots: the safe step ends, the node keeps its record (which
      // counts against --concurrency) for the restart, its slot is released, the process exits.
      await p1.waitFor(
        'the second reboot trigger',
        () => s.cluster.record.of('rebootTriggered').length >= 2,
        40_000,
      );
      p1.child.kill('SIGTERM');
      const exit1 = await p1.exited();
      assert.equal(exit1.code, 0, p1.output());
      const recorded = s.sim.store
        .list('nodes')
        .items.map((n) => n.metadata.annotations?.[STATE_KEY])
        .filter((a): a is string => a !== undefined)
        .map((a) => (JSON.parse(a) as { phase?: string }).phase);
      assert.equal(recorded.length, 1, 'the node under reboot keeps its record for the restart');
      assert.ok(TRIGGERED.includes(String(recorded[0])), `recorded as ${String(recorded[0])}`);
      assert.equal(leaseHolders(s.sim).length, 0, 'its slot is released: the record counts instead');

      const p2 = spawnCli(args);
      procs.push(p2);
      await p2.waitFor(
        'all three rebooted, none cordoned, the Lease free',
        () => {
          const r = rebootsByNode(s.cluster);
          return (
            WORKERS.every((n) => r[n] === 1) &&
            cordoned() === 0 &&
            leaseHolders(s.sim).length === 0 &&
            p2.events().filter((e) => e.type === 'node-result' && e.outcome === 'rebooted').length >= 2
          );
        },
        60_000,
      );

      // 3) one at a time, each rebooted exactly once (the control plane not at all).
      assert.equal(maxDownAtOnce(s.cluster), 1);
      assert.deepEqual(rebootsByNode(s.cluster), { 'worker-1': 1, 'worker-2': 1, 'worker-3': 1 });
      assert.equal(s.cluster.record.of('pdbViolation').length, 0);

      const port2 = metricsPortOf(p2.events());
      assert.ok(port2 !== undefined);
      const done2 = p2.events().filter((e) => e.type === 'node-result' && e.outcome === 'rebooted').length;
      assert.equal(await rebootsTotal(port2, 'success'), done2);
      assert.equal(await rebootsTotal(port2, 'failure'), 0);

      p2.child.kill('SIGTERM');
      assert.equal((await p2.exited()).code, 0, p2.output());

      // Notifications: for each node drain, then reboot, then uncordon (once), whichever process sent them.
      for (const node of WORKERS) {
        const kinds = hooks.messages.filter((m) => m['node'] === node).map((m) => String(m['notification']));
        const drain = kinds.indexOf('drain');
        const reboot = kinds.indexOf('reboot');
        const uncordon = kinds.indexOf('uncordon');
        assert.ok(drain >= 0 && drain < reboot && reboot < uncordon, `${node}: ${kinds.join(', ')}`);
        assert.equal(kinds.filter((k) => k === 'uncordon').length, 1, `${node}: ${kinds.join(', ')}`);
      }
      const blocked = hooks.messages.find((m) => m['notification'] === 'blocked');
      assert.match(String(blocked?.['message']), /NodeDiskFull/);
    } finally {
      for (const p of procs) p.kill();
      await Promise.all([prom.close(), hooks.close()]);
      await s.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
