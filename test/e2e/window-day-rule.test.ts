// --window-day-rule end to end, with kured's flags --reboot-days fri --start-time 22:00 --end-time 04:00 and the
// rule set through its environment variable. `status` (at the real time) shows the window, its closing or next
// opening under each rule. `watch`, on a simulated cluster whose clock reads Saturday 01:00 UTC: under the
// default start-day rule that is the end of Friday night's window and the node is taken; under kured's rule it
// is outside, and the watcher sleeps until the following Friday at midnight. `agent --reboot` likewise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFromSim } from '../../src/cli/actions/demo.js';
import { executeAgent } from '../../src/cli/compose-watch.js';
import { buildRunConfig } from '../../src/cli/config.js';
import { buildAgentSettings } from '../../src/cli/config-watch.js';
import type { RunEvent } from '../../src/core/events.js';
import { runCli, show } from '../support/e2e-cli.js';
import { simHostAccess } from '../support/sim-agent-host.js';
import { spawnCli, startScaledSim, type CliProcess } from '../support/watch-e2e.js';

const SCALE = 20;
const START = Date.parse('2025-06-07T01:00:00Z'); // a Saturday
const KURED_FLAGS = ['--reboot-days', 'fri', '--start-time', '22:00', '--end-time', '04:00'];

/** The environment without any REBOOT_DAEMON_* variable of the caller's, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REBOOT_DAEMON_')) env[k] = v;
  return { ...env, ...extra };
}

interface StatusWindow {
  open: boolean;
  description: string;
  closesAt?: string;
  nextOpen?: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** `fri 22:00-04:00` UTC as status shows it at `at`, computed by hand for each rule (not by the code under test). */
function expectedStatus(at: string, rule: 'start' | 'kured'): StatusWindow {
  const t = Date.parse(at);
  const midnight = Math.floor(t / DAY) * DAY;
  const sec = t - midnight; // ms since midnight, whole seconds
  const dow = new Date(t).getUTCDay(); // 5 = Friday
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  const fridayAhead = (5 - dow + 7) % 7; // days to this or the next Friday
  const description = rule === 'kured' ? 'fri 22:00–04:00 UTC (kured day rule)' : 'fri 22:00–04:00 UTC';
  const early = sec <= 4 * HOUR;
  const late = sec >= 22 * HOUR;
  if (rule === 'kured') {
    if (dow === 5 && early) return { open: true, description, closesAt: iso(midnight + 4 * HOUR + 1000) };
    if (dow === 5 && late) return { open: true, description, closesAt: iso(midnight + DAY) };
    if (dow === 5) return { open: false, description, nextOpen: iso(midnight + 22 * HOUR) };
    return { open: false, description, nextOpen: iso(midnight + fridayAhead * DAY) };
  }
  if (dow === 5 && late) return { open: true, description, closesAt: iso(midnight + DAY + 4 * HOUR + 1000) };
  if (dow === 6 && early) return { open: true, description, closesAt: iso(midnight + 4 * HOUR + 1000) };
  return { open: false, description, nextOpen: iso(midnight + fridayAhead * DAY + 22 * HOUR) };
}

test(
  'a window past midnight: Saturday 01:00 is open under the start-day rule, closed under kured\u2019s',
  { timeout: 60_000 },
  async () => {
    await access('dist/cli/main.js').catch(() => assert.fail('dist/ is not built: run `npm run build`'));
    const dir = await mkdtemp(join(tmpdir(), 'rd-day-rule-'));
    const s = await startScaledSim({ dir, nodes: 2, scale: SCALE, start: START });
    s.cluster.host('worker-1').setRebootRequired(['linux-image-6.8.0-51-generic']);
    const procs: CliProcess[] = [];
    const kuredVar = { REBOOT_DAEMON_WINDOW_DAY_RULE: 'kured' };
    try {
      // status judges the window at the real time (it has no simulator clock): compare with a reference for
      // this one window, written out for each rule.
      const statusOf = async (env: Record<string, string>): Promise<{ at: string; window: StatusWindow }> => {
        const r = await runCli(['status', '--kubeconfig', s.kubeconfigPath, '-o', 'json', ...KURED_FLAGS], {
          env,
        });
        assert.equal(r.code, 0, show(r));
        return JSON.parse(r.stdout) as { at: string; window: StatusWindow };
      };
      const start = await statusOf({});
      assert.deepEqual(start.window, expectedStatus(start.at, 'start'), start.at);
      assert.equal(start.window.description, 'fri 22:00–04:00 UTC');
      const kured = await statusOf(kuredVar);
      assert.deepEqual(kured.window, expectedStatus(kured.at, 'kured'), kured.at);
      assert.equal(kured.window.description, 'fri 22:00–04:00 UTC (kured day rule)');

      const watchArgs = [
        'watch',
        '--kubeconfig',
        s.kubeconfigPath,
        ...KURED_FLAGS,
        '--period',
        '1m',
        '--metrics-port',
        '0',
        '--log-format',
        'json',
        '--request-timeout',
        '10s',
        '--sim-clock',
        s.simClockArg,
      ];
      // kured's rule: the watcher sleeps until Friday midnight and touches nothing.
      const p1 = spawnCli(watchArgs, envWith(kuredVar));
      procs.push(p1);
      await p1.waitFor(
        'the sleep until Friday midnight',
        () =>
          p1
            .events()
            .some(
              (e) =>
                e.type === 'log' &&
                e.message.includes('outside the maintenance window (fri 22:00–04:00 UTC (kured day rule))') &&
                e.message.includes('sleeping until 2025-06-13T00:00:00.000Z'),
            ),
        20_000,
      );
      assert.deepEqual(s.cluster.record.of('cordon'), [], 'kured rule: nothing cordoned on Saturday');
      p1.child.kill('SIGTERM');
      assert.equal((await p1.exited()).code, 0, p1.output());

      // The default rule: Saturday 01:00 belongs to Friday night's window, so the node is taken.
      const p2 = spawnCli(watchArgs, envWith({}));
      procs.push(p2);
      await p2.waitFor(
        'the cordon of worker-1',
        () => s.cluster.record.of('cordon').some((c) => c.node === 'worker-1' && c.unschedulable),
        30_000,
      );
      p2.child.kill('SIGTERM');
      await p2.exited();
    } finally {
      for (const p of procs) p.kill();
      await s.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  'agent --reboot on Saturday 01:00: kured\u2019s rule waits for Friday midnight, the start-day rule reboots',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rd-day-rule-agent-'));
    const s = await startScaledSim({ dir, nodes: 2, scale: SCALE, start: START });
    s.cluster.host('worker-1').setRebootRequired(['linux-image-6.8.0-51-generic']);
    const agentOf = (dayRule: string, signal: AbortSignal, events: RunEvent[]) =>
      executeAgent(
        buildRunConfig({
          kubeconfig: s.kubeconfigPath,
          'request-timeout': '10s',
          'reboot-days': 'fri',
          'start-time': '22:00',
          'end-time': '04:00',
          'window-day-rule': dayRule,
        }),
        buildAgentSettings({ 'node-name': 'worker-1', period: '1m', 'metrics-port': -1, reboot: true }, {}),
        {
          emit: (e) => events.push(e),
          signal,
          clock: clockFromSim(s.sim.clock),
          host: simHostAccess(s.cluster.host('worker-1')),
        },
      );
    const waitFor = async (what: string, pred: () => boolean, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const stops: AbortController[] = [];
    try {
      const kuredStop = new AbortController();
      stops.push(kuredStop);
      const kuredEvents: RunEvent[] = [];
      const kured = agentOf('kured', kuredStop.signal, kuredEvents);
      await waitFor(
        'the agent waiting for Friday midnight',
        () =>
          kuredEvents.some(
            (e) =>
              e.type === 'log' &&
              e.message.includes(
                'outside the maintenance window (fri 22:00–04:00 UTC (kured day rule)); it opens 2025-06-13T00:00:00.000Z',
              ),
          ),
        20_000,
      );
      assert.deepEqual(s.cluster.record.of('cordon'), [], 'kured rule: nothing cordoned on Saturday');
      kuredStop.abort();
      await kured;

      const startStop = new AbortController();
      stops.push(startStop);
      const startEvents: RunEvent[] = [];
      const start = agentOf('start', startStop.signal, startEvents);
      await waitFor(
        'the agent cordoning its node',
        () => s.cluster.record.of('cordon').some((c) => c.node === 'worker-1' && c.unschedulable),
        30_000,
      );
      startStop.abort();
      await start.catch(() => undefined);
    } finally {
      for (const c of stops) c.abort();
      await s.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
