// The protocol issue's cases, each from the exact state it describes: the Lease record and the node's state
// record, labels, cordon and sentinel are written into a simulated cluster, then the built CLI runs against it
// (`run`, and `plan` or `status` where the case names them) and the cluster is read afterwards. A case that
// fails here is a safety bug in the product, not in the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import type { RunningCluster } from '../../src/sim/index.js';
import {
  BIN,
  FAST_TIMING,
  assertBuilt,
  bootIdOf,
  isCordoned,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  waitFor,
  type CliResult,
  type TestCluster,
} from '../support/e2e-cli.js';
import {
  EXCLUDE_KEY,
  evictionsOn,
  expiredAt,
  jsonEvents,
  leaseText,
  localKernel,
  ourOwner,
  podsOn,
  recordOf,
  recordText,
  remoteProc,
  setCordon,
  setLabel,
  setRecord,
  setSentinel,
  utcWindow,
  writeLease,
} from '../support/protocol-states.js';

const SCENARIO = `
seed: 31
nodes:
  - { name: node-1, labels: { group: a } }
  - { name: node-2, labels: { group: a } }
  - { name: node-3, labels: { group: b } }
  - { name: node-4, labels: { group: b } }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 8, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
${FAST_TIMING}`;

const TTL_MS = 60_000;
const HOUR = 3_600_000;

async function withCluster(body: (c: TestCluster, sim: RunningCluster) => Promise<void>): Promise<void> {
  await assertBuilt();
  const c = await startCluster(SCENARIO);
  try {
    // Every deployment pod Ready first: the cases start from a settled cluster.
    await waitFor(
      c.sim,
      () =>
        c.sim.store
          .list('pods', { namespace: 'shop' })
          .items.filter((p) =>
            (p.status?.conditions ?? []).some(
              (k: { type?: string; status?: string }) => k.type === 'Ready' && k.status === 'True',
            ),
          ).length === 8,
      20_000,
      'the deployment to be Ready',
    );
    await body(c, c.sim);
  } finally {
    await c.stop();
  }
}

function baseArgs(verb: string, c: TestCluster, extra: readonly string[] = []): string[] {
  return [verb, '--kubeconfig', c.kubeconfigPath, ...extra];
}

/** Runs the built CLI behind a wrapper command (faketime, unshare), with the same clean environment. */
function runWrapped(
  wrapper: readonly string[],
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'KUBECONFIG' || k.startsWith('REBOOT_DAEMON_') || k.startsWith('KURED_')) continue;
    env[k] = v;
  }
  const [cmd, ...pre] = wrapper;
  const started = Date.now();
  const child = spawn(cmd!, [...pre, process.execPath, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function reboots(sim: RunningCluster, name: string): number {
  return rebootCounts(sim).get(name) ?? 0;
}

function triggers(sim: RunningCluster): string[] {
  return sim.cluster.record.of('rebootTriggered').map((e) => e.node);
}

describe('protocol cases from the issue', () => {
  test('case 1: a node that never needed a reboot is not rebooted', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', false);
      writeLease(sim, [
        {
          node: 'node-1',
          owner: ourOwner(),
          runId: 'dead0001',
          proc: remoteProc('proc-of-a-dead-run'),
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      const boot = bootIdOf(sim, 'node-1');
      const r = await runCli(runArgs(c.kubeconfigPath));
      assert.equal(r.code, 0, show(r));
      assert.deepEqual(triggers(sim), [], show(r));
      assert.equal(bootIdOf(sim, 'node-1'), boot);
      assert.equal(isCordoned(sim, 'node-1'), false);
      assert.equal(recordOf(sim, 'node-1'), undefined, 'no record was left on the node');
      const text = leaseText(sim);
      const held = text === undefined ? [] : (JSON.parse(text) as { holders: { node: string }[] }).holders;
      assert.deepEqual(
        held.map((h) => h.node),
        [],
        'the stale hold is dropped',
      );
    });
  });

  test('case 2: one need, one reboot', async () => {
    await withCluster(async (c, sim) => {
      // The reboot happened (the node is on a new boot, the sentinel is gone), the record was cleared, and the
      // run was killed before it released its hold; the TTL has passed since.
      sim.cluster.rebootNow('node-1');
      await waitFor(sim, () => reboots(sim, 'node-1') === 1, 20_000, 'node-1 to reboot');
      setSentinel(sim, 'node-1', false);
      writeLease(sim, [
        {
          node: 'node-1',
          owner: ourOwner(),
          runId: 'killed01',
          proc: remoteProc('proc-killed'),
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      const before = triggers(sim).length;
      const r = await runCli(runArgs(c.kubeconfigPath));
      assert.equal(r.code, 0, show(r));
      assert.equal(reboots(sim, 'node-1'), 1, `no second reboot\n${show(r)}`);
      assert.deepEqual(triggers(sim).slice(before), [], 'the run asked no host to reboot');
      const s = await runCli(baseArgs('status', c, ['--output', 'json']));
      assert.equal(s.code, 0, show(s));
      const report = JSON.parse(s.stdout) as { nodes: { name: string; rebootRequired: string }[] };
      assert.equal(report.nodes.find((row) => row.name === 'node-1')?.rebootRequired, 'no', show(s));
    });
  });

  test('case 3: the exclude label is honoured for a leftover hold', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', true);
      setLabel(sim, 'node-1', EXCLUDE_KEY, 'true');
      const proc = remoteProc('proc-skipped');
      setRecord(
        sim,
        'node-1',
        recordText(sim, {
          owner: ourOwner(),
          runId: 'skip0001',
          proc: proc.id,
          phase: 'locked',
          wasUnschedulable: false,
          bootID: bootIdOf(sim, 'node-1'),
        }),
      );
      writeLease(sim, [
        {
          node: 'node-1',
          owner: ourOwner(),
          runId: 'skip0001',
          proc,
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      const p = await runCli(baseArgs('plan', c));
      const r = await runCli(runArgs(c.kubeconfigPath));
      assert.deepEqual(triggers(sim), [], `node-1 is not rebooted\n${show(r)}`);
      assert.equal(reboots(sim, 'node-1'), 0);
      assert.equal(isCordoned(sim, 'node-1'), false, show(r));
      // plan agrees with run: the node is excluded, nothing is to be done with it.
      const planLine = p.stdout.split('\n').find((l) => l.includes('node-1')) ?? '';
      const both = `--- plan\n${show(p)}\n--- run\n${show(r)}`;
      assert.match(planLine, /exclu/i, both);
      assert.doesNotMatch(planLine, /would (cordon|drain|reboot)|resume/i, both);
      const result = jsonEvents(r).find((e) => e.type === 'node-result' && e.node === 'node-1');
      assert.notEqual(result?.outcome, 'rebooted', show(r));
      assert.equal(r.code, p.code, `run and plan end alike\n${show(p)}\n${show(r)}`);
    });
  });

  test('case 4: an admin’s cordon survives a leftover hold', async () => {
    await withCluster(async (c, sim) => {
      sim.cluster.rebootNow('node-1');
      await waitFor(sim, () => reboots(sim, 'node-1') === 1, 20_000, 'node-1 to reboot');
      setSentinel(sim, 'node-1', false);
      writeLease(sim, [
        {
          node: 'node-1',
          owner: ourOwner(),
          runId: 'killed02',
          proc: remoteProc('proc-killed'),
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      setCordon(sim, 'node-1', true);
      const r = await runCli(runArgs(c.kubeconfigPath));
      assert.equal(r.code, 0, show(r));
      assert.equal(reboots(sim, 'node-1'), 1, 'no second reboot');
      assert.equal(isCordoned(sim, 'node-1'), true, `the admin's cordon stays\n${show(r)}`);
    });
  });

  test('case 5: a probed node cordoned by another owner meanwhile is not overwritten', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', true);
      const proc = remoteProc('proc-other-owner');
      const original = recordText(sim, {
        owner: 'someone@elsewhere',
        runId: 'other001',
        proc: proc.id,
        phase: 'cordoned',
        wasUnschedulable: false,
        bootID: bootIdOf(sim, 'node-1'),
      });
      setCordon(sim, 'node-1', true);
      setRecord(sim, 'node-1', original);
      writeLease(sim, [
        {
          node: 'node-1',
          owner: 'someone@elsewhere',
          runId: 'other001',
          proc,
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      // Never cordoned without a record, at any moment of our run.
      let cordonedWithoutRecord = false;
      let wasUnschedulableFlipped = false;
      const off = sim.store.onChange(() => {
        const rec = recordOf(sim, 'node-1');
        if (isCordoned(sim, 'node-1') && rec === undefined) cordonedWithoutRecord = true;
        if (
          rec !== undefined &&
          (JSON.parse(rec) as { wasUnschedulable?: boolean }).wasUnschedulable === true
        )
          wasUnschedulableFlipped = true;
      });
      let r: CliResult;
      try {
        r = await runCli(runArgs(c.kubeconfigPath));
      } finally {
        off();
      }
      assert.equal(wasUnschedulableFlipped, false, `wasUnschedulable was overwritten to true\n${show(r)}`);
      assert.equal(cordonedWithoutRecord, false, `node-1 was left cordoned without a record\n${show(r)}`);
      assert.equal(r.code, 0, show(r));
      assert.equal(reboots(sim, 'node-1'), 1, `the takeover finished with one reboot\n${show(r)}`);
      assert.equal(recordOf(sim, 'node-1'), undefined, 'the record is cleared');
      assert.equal(
        isCordoned(sim, 'node-1'),
        false,
        'uncordoned: the original record said it was schedulable',
      );
    });
  });

  test('case 6: a reboot-timeout record is not re-triggered outside the window', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', true);
      const proc = remoteProc('proc-timed-out');
      const now = sim.clock.now();
      const record = recordText(sim, {
        owner: ourOwner(),
        runId: 'timeout1',
        proc: proc.id,
        phase: 'reboot-timeout',
        wasUnschedulable: false,
        bootID: bootIdOf(sim, 'node-1'),
        startedAt: now - 30 * 60_000,
        since: now - 10 * 60_000,
        rebootRequestedAt: now - 25 * 60_000,
      });
      setRecord(sim, 'node-1', record);
      writeLease(sim, [
        {
          node: 'node-1',
          owner: ourOwner(),
          runId: 'timeout1',
          proc,
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      setCordon(sim, 'node-1', false); // the operator uncordoned it
      const pods = podsOn(sim, 'node-1');
      assert.ok(pods.length > 0, 'pods run on node-1 before the case starts');

      const closed = utcWindow(sim.clock.now(), 2 * HOUR, 3 * HOUR);
      const r1 = await runCli(runArgs(c.kubeconfigPath, ['--window', closed, '--time-zone', 'UTC']));
      assert.deepEqual(triggers(sim), [], `no reboot outside the window\n${show(r1)}`);
      assert.equal(isCordoned(sim, 'node-1'), false, `not cordoned outside the window\n${show(r1)}`);
      assert.equal(evictionsOn(sim, 'node-1'), 0, `not drained outside the window\n${show(r1)}`);
      // Left as recorded: only the fencing token (and the process it names) may change (a takeover bumps the generation so the dead run
      // cannot go on); the phase, the boot ID and what was there before are as they were.
      const left = JSON.parse(recordOf(sim, 'node-1') ?? '{}') as Record<string, unknown>;
      const was = JSON.parse(record) as Record<string, unknown>;
      assert.deepEqual(
        { ...left, token: undefined, process: undefined },
        { ...was, token: undefined, process: undefined },
        `left as is\n${show(r1)}`,
      );
      const gen = (t: unknown): number => (t as { gen: number }).gen;
      assert.ok(gen(left['token']) >= gen(was['token']), 'the token is only ever fenced forward');

      const open = utcWindow(sim.clock.now(), -HOUR, 2 * HOUR);
      const r2 = await runCli(runArgs(c.kubeconfigPath, ['--window', open, '--time-zone', 'UTC']));
      assert.equal(r2.code, 0, show(r2));
      assert.equal(reboots(sim, 'node-1'), 1, `one reboot\n${show(r2)}`);
      assert.deepEqual(triggers(sim), ['node-1']);
      const trigger = sim.cluster.record.of('rebootTriggered')[0]!;
      const evictions = sim.cluster.record
        .of('eviction')
        .filter((e) => e.node === 'node-1' && e.outcome === 'evicted');
      assert.ok(evictions.length >= pods.length, `its pods were evicted\n${show(r2)}`);
      assert.ok(
        evictions.every((e) => e.at <= trigger.at),
        'drained before the reboot',
      );
      const cordonedBeforeTrigger = jsonEvents(r2).some(
        (e) => e.node === 'node-1' && JSON.stringify(e).includes('cordon'),
      );
      assert.ok(cordonedBeforeTrigger, `re-cordoned\n${show(r2)}`);
      assert.equal(isCordoned(sim, 'node-1'), false, 'uncordoned after');
      assert.equal(recordOf(sim, 'node-1'), undefined);
    });
  });

  test('case 7: concurrency counts a dead run’s node outside this run’s selector', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', true);
      setSentinel(sim, 'node-2', true);
      const proc = remoteProc('proc-dead-run');
      setCordon(sim, 'node-4', true);
      setRecord(
        sim,
        'node-4',
        recordText(sim, {
          owner: 'someone@elsewhere',
          runId: 'deadrun4',
          proc: proc.id,
          phase: 'cordoned',
          wasUnschedulable: false,
          bootID: bootIdOf(sim, 'node-4'),
        }),
      );
      writeLease(sim, [
        {
          node: 'node-4',
          owner: 'someone@elsewhere',
          runId: 'deadrun4',
          proc,
          renewedAt: expiredAt(sim, TTL_MS),
          ttlMs: TTL_MS,
        },
      ]);
      const r = await runCli(runArgs(c.kubeconfigPath, ['-l', 'group=a', '--concurrency', '1']));
      assert.equal(r.code, 3, `pending\n${show(r)}`);
      assert.deepEqual(triggers(sim), [], 'nothing starts');
      assert.equal(isCordoned(sim, 'node-1'), false);
      assert.equal(isCordoned(sim, 'node-2'), false);
      assert.match(r.stdout, /node-4/, `the reason names the in-progress node\n${show(r)}`);
      const end = jsonEvents(r).find((e) => e.type === 'run-end');
      assert.match(JSON.stringify(end ?? {}), /node-4/, show(r));
    });
  });

  test('case 8: a runner whose clock is hours ahead does not steal a live hold', async () => {
    await withCluster(async (c, sim) => {
      // Another owner's live run works on node-1: its record, its cordon, its hold renewed just now.
      setSentinel(sim, 'node-1', true);
      const proc = remoteProc('proc-live');
      const record = recordText(sim, {
        owner: 'someone@elsewhere',
        runId: 'liverun8',
        proc: proc.id,
        phase: 'cordoned',
        wasUnschedulable: false,
        bootID: bootIdOf(sim, 'node-1'),
      });
      setCordon(sim, 'node-1', true);
      setRecord(sim, 'node-1', record);
      const hold = writeLease(sim, [
        {
          node: 'node-1',
          owner: 'someone@elsewhere',
          runId: 'liverun8',
          proc,
          renewedAt: sim.clock.now(),
          ttlMs: 10 * 60_000,
        },
      ]);
      const r = await runWrapped(['faketime', '-f', '+2h'], runArgs(c.kubeconfigPath));
      assert.equal(leaseText(sim), hold, `the live hold is untouched\n${show(r)}`);
      assert.equal(recordOf(sim, 'node-1'), record, `its record is untouched\n${show(r)}`);
      assert.deepEqual(triggers(sim), [], 'nothing rebooted');
      assert.equal(evictionsOn(sim, 'node-1'), 0, 'nothing drained');
      assert.equal(r.code, 3, show(r));
      assert.match(r.stdout + r.stderr, /clock is \d+s ahead of the API server's/, show(r));
    });
  });

  test('case 9: two containers sharing a host name and pid 1 do not take over each other’s holds', async () => {
    await withCluster(async (c, sim) => {
      setSentinel(sim, 'node-1', true);
      const { bootId } = localKernel();
      const proc = {
        id: 'proc-of-the-other-container',
        host: hostname(),
        pid: 1,
        ...(bootId ? { bootId } : {}),
        pidNs: 'pid:[4026500001]',
      };
      const ttlMs = 4_000;
      const renewedAt = sim.clock.now();
      const hold = writeLease(sim, [
        { node: 'node-1', owner: ourOwner(), runId: 'sibling9', proc, renewedAt, ttlMs },
      ]);
      setRecord(
        sim,
        'node-1',
        recordText(sim, {
          owner: ourOwner(),
          runId: 'sibling9',
          proc: proc.id,
          phase: 'cordoned',
          wasUnschedulable: false,
          bootID: bootIdOf(sim, 'node-1'),
        }),
      );
      setCordon(sim, 'node-1', true);
      // The CLI runs as pid 1 of a pid namespace of its own: same host name, same pid, another namespace.
      const inContainer = ['unshare', '--pid', '--fork', '--mount-proc'];
      const args = runArgs(c.kubeconfigPath);
      const r1 = await runWrapped(inContainer, args);
      assert.equal(r1.code, 3, `pending while the hold is live\n${show(r1)}`);
      assert.equal(leaseText(sim), hold, `the hold is not taken over\n${show(r1)}`);
      assert.deepEqual(triggers(sim), []);

      // Once it expired on the server's clock, the hold is dead and the node is taken over.
      const expiresAt = renewedAt + ttlMs + 5_000;
      const wait = expiresAt - sim.clock.now() + 1_500;
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const r2 = await runWrapped(inContainer, args);
      assert.equal(r2.code, 0, show(r2));
      assert.equal(reboots(sim, 'node-1'), 1, show(r2));
      assert.equal(isCordoned(sim, 'node-1'), false);
      assert.equal(recordOf(sim, 'node-1'), undefined);
    });
  });
});
