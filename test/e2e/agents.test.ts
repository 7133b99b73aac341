// Agent mode end to end: one agent per node, run in-process through the composition root against each node's
// simulated host (the node-local host access), on the simulator's clock ×5. `status` then starts no check
// pod and names the agent as its source; watch mode follows the annotations and starts a reboot within 5
// simulated seconds of a sentinel appearing; `agent --reboot` reboots its own node under the Lease.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFromSim } from '../../src/cli/actions/demo.js';
import { executeAgent, executeWatch } from '../../src/cli/compose-watch.js';
import { buildRunConfig } from '../../src/cli/config.js';
import { buildAgentSettings, buildWatchSettings } from '../../src/cli/config-watch.js';
import type { RunEvent } from '../../src/core/events.js';
import { runCli } from '../cli/cli-io.js';
import { simHostAccess } from '../support/sim-agent-host.js';
import { leaseHolders, rebootsByNode, startScaledSim, type ScaledSim } from '../support/watch-e2e.js';

const NODES = ['control-plane-1', 'worker-1', 'worker-2', 'worker-3'];

function startAgents(s: ScaledSim, signal: AbortSignal, opts: { reboot?: string[]; period?: string } = {}) {
  const events: RunEvent[] = [];
  const clock = clockFromSim(s.sim.clock);
  const config = buildRunConfig({ kubeconfig: s.kubeconfigPath, 'request-timeout': '10s' });
  const running = NODES.map((node) => {
    const settings = buildAgentSettings(
      {
        'node-name': node,
        period: opts.period ?? '2s',
        'metrics-port': -1,
        reboot: opts.reboot?.includes(node) ?? false,
      },
      {},
    );
    return executeAgent(config, settings, {
      emit: (e) => events.push(e),
      signal,
      clock,
      host: simHostAccess(s.cluster.host(node)),
    });
  });
  return { events, done: Promise.all(running) };
}

async function until(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const reported = (s: ScaledSim) =>
  s.sim.store
    .list('nodes')
    .items.every((n) => n.metadata.annotations?.['reboot-daemon.io/agent-checked-at'] !== undefined);

test(
  'with agents, status makes no check pods and names the agent; watch reacts within 5 s',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rd-agents-'));
    const s = await startScaledSim({ dir, nodes: 4, scale: 5, start: Date.now() });
    const stop = new AbortController();
    const agents = startAgents(s, stop.signal);
    try {
      await until('every agent reported', () => reported(s), 10_000);
      s.cluster.host('worker-2').setRebootRequired(['linux-image-6.8.0-51-generic']);
      await until(
        'the agent reported worker-2',
        () =>
          s.sim.store.get('nodes', undefined, 'worker-2').metadata.annotations?.[
            'reboot-daemon.io/reboot-required'
          ] === 'true',
        10_000,
      );

      const before = s.sim.server.stats().byKey['create pods'] ?? 0;
      const status = await runCli(['status', '--kubeconfig', s.kubeconfigPath, '-o', 'json']);
      assert.equal(status.code, 0, status.stderr);
      assert.equal(s.sim.server.stats().byKey['create pods'] ?? 0, before, 'no check pod was created');
      const rows = (
        JSON.parse(status.stdout) as {
          nodes: { name: string; sentinel?: { kind: string; source: string; reason?: string } }[];
        }
      ).nodes;
      assert.deepEqual(
        rows.map((r) => r.sentinel?.source),
        NODES.map(() => 'agent'),
      );
      const w2 = rows.find((r) => r.name === 'worker-2');
      assert.equal(w2?.sentinel?.kind, 'required');
      assert.match(w2?.sentinel?.reason ?? '', /linux-image-6\.8\.0-51-generic/);

      // Watch mode: a period of an hour, so only the agents' annotations can wake it.
      const wEvents: RunEvent[] = [];
      const config = buildRunConfig({ kubeconfig: s.kubeconfigPath, 'request-timeout': '10s' });
      const watching = executeWatch(config, buildWatchSettings({ period: '1h', 'metrics-port': -1 }), {
        emit: (e) => wEvents.push(e),
        signal: stop.signal,
        clock: clockFromSim(s.sim.clock),
      });
      await until(
        'worker-2 rebooted by the first pass',
        () =>
          wEvents.some((e) => e.type === 'node-result' && e.node === 'worker-2' && e.outcome === 'rebooted'),
        40_000,
      );
      const podsBefore = s.sim.server.stats().byKey['create pods'] ?? 0;
      await new Promise((r) => setTimeout(r, 300));
      const appearedAt = s.sim.clock.now();
      s.cluster.host('worker-3').setRebootRequired(['openssl']);
      await until(
        'worker-3 cordoned',
        () => s.cluster.record.of('cordon').some((c) => c.node === 'worker-3' && c.unschedulable),
        20_000,
      );
      const cordonAt = s.cluster.record
        .of('cordon')
        .find((c) => c.node === 'worker-3' && c.unschedulable)!.at;
      assert.ok(
        cordonAt - appearedAt <= 5_000,
        `the reboot started ${cordonAt - appearedAt} simulated ms after the sentinel`,
      );
      await until(
        'worker-3 rebooted',
        () =>
          wEvents.some((e) => e.type === 'node-result' && e.node === 'worker-3' && e.outcome === 'rebooted'),
        40_000,
      );
      const checkPods = (s.sim.server.stats().byKey['create pods'] ?? 0) - podsBefore;
      assert.equal(checkPods, 1, 'only the reboot pod of worker-3: no check pods');
      assert.deepEqual(rebootsByNode(s.cluster), { 'worker-2': 1, 'worker-3': 1 });
      const probes = wEvents.filter((e) => e.type === 'probe');
      assert.ok(probes.length > 0 && probes.every((e) => e.type === 'probe' && e.result.source === 'agent'));
      stop.abort();
      await watching;
    } finally {
      stop.abort();
      await agents.done.catch(() => undefined);
      await s.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  'agent --reboot reboots its own node once, under the Lease, without any pod',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rd-agent-reboot-'));
    const s = await startScaledSim({ dir, nodes: 4, scale: 5, start: Date.now() });
    const stop = new AbortController();
    const agents = startAgents(s, stop.signal, { reboot: ['worker-1'] });
    try {
      await until('every agent reported', () => reported(s), 10_000);
      const pods = s.sim.server.stats().byKey['create pods'] ?? 0;
      s.cluster.host('worker-1').setRebootRequired(['linux-image-6.8.0-51-generic']);
      await until(
        'worker-1 rebooted by its agent',
        () =>
          agents.events.some(
            (e) => e.type === 'node-result' && e.node === 'worker-1' && e.outcome === 'rebooted',
          ),
        45_000,
      );
      assert.deepEqual(rebootsByNode(s.cluster), { 'worker-1': 1 });
      assert.equal(s.cluster.record.of('rebootTriggered')[0]?.via, 'systemctl reboot');
      assert.equal(s.sim.store.get('nodes', undefined, 'worker-1').spec?.unschedulable ?? false, false);
      assert.deepEqual(leaseHolders(s.sim), []);
      assert.equal((s.sim.server.stats().byKey['create pods'] ?? 0) - pods, 0, 'no helper pod');
      assert.ok(
        s.cluster.record.of('cordon').some((c) => c.node === 'worker-1' && c.unschedulable),
        'cordoned first',
      );
    } finally {
      stop.abort();
      await agents.done.catch(() => undefined);
      await s.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
