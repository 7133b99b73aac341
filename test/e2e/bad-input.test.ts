// Bad input to the built CLI: each case exits 2 with a message on stderr that names the problem, and — for
// the cases pointed at a running simulated cluster — no write request reaches it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FAST_TIMING,
  assertBuilt,
  bootIds,
  isCordoned,
  runCli,
  show,
  startCluster,
  writeRequests,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2 }
${FAST_TIMING}`;

describe('bad input exits 2 with a clear message and writes nothing', () => {
  let c: TestCluster;
  let ids: Map<string, string>;

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
    ids = bootIds(c.sim);
  });

  after(async () => {
    await c?.stop();
  });

  /** Runs `run` with the sim's kubeconfig (unless args bring their own) and checks exit 2 and stderr. */
  async function rejects(args: string[], message: RegExp): Promise<void> {
    const r = await runCli(args, { timeoutMs: 20_000 });
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /^error: /, 'the message starts with "error:"');
    assert.match(r.stderr, message, show(r));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }

  function assertNoWrites(): void {
    assert.deepEqual(writeRequests(c.sim), {});
    assert.deepEqual(c.sim.cluster.record.of('cordon'), []);
    assert.deepEqual(c.sim.cluster.record.of('rebootTriggered'), []);
    assert.deepEqual(bootIds(c.sim), ids);
    assert.equal(isCordoned(c.sim, 'node-1'), false);
  }

  const run = (...extra: string[]): string[] => ['run', '--kubeconfig', c.kubeconfigPath, ...extra];

  test('--reboot-days "": kured reads it as no day; refused, never every day', async () => {
    await rejects(run('--reboot-days', ''), /--reboot-days: the value is empty/);
    await rejects(run('--reboot-days', 'mon,,fri'), /--reboot-days "mon,,fri": empty day/);
    assertNoWrites();
  });

  test('--window 25:00-1am: the hour is out of range', async () => {
    await rejects(run('--window', '25:00-1am'), /--window.*25:00/);
    assertNoWrites();
  });

  test('--window-day-rule end: not a day rule, on the command line or from the environment', async () => {
    await rejects(
      run('--window-day-rule', 'end'),
      /window-day-rule, Given: "end", Choices: "start", "kured"/,
    );
    await rejects(run('--window-day-rule='), /window-day-rule, Given: "", Choices: "start", "kured"/);
    const fromEnv = await runCli(run(), {
      env: { REBOOT_DAEMON_WINDOW_DAY_RULE: 'Kured' },
      timeoutMs: 20_000,
    });
    assert.equal(fromEnv.code, 2, show(fromEnv));
    assert.match(fromEnv.stderr, /window-day-rule, Given: "Kured"/, show(fromEnv));
    assertNoWrites();
  });

  test('--drain-timeout -5s: a negative duration, as a separate argument or after =', async () => {
    await rejects(run('--drain-timeout', '-5s'), /--drain-timeout.*negative/);
    await rejects(run('--drain-timeout=-5s'), /--drain-timeout.*negative/);
    assertNoWrites();
  });

  test("--node-selector 'a=b;rm -rf /': not a label selector", async () => {
    await rejects(run('--node-selector', 'a=b;rm -rf /'), /--node-selector.*";"/);
    assertNoWrites();
  });

  test('a corrupt kubeconfig file', async () => {
    const bad = join(c.dir, 'corrupt.kubeconfig');
    const good = await readFile(c.kubeconfigPath, 'utf8');
    // The real file, cut off in the middle: it still names the running server.
    await writeFile(bad, `${good.slice(0, Math.floor(good.length / 2))}\n  - [unclosed: {`);
    await rejects(['run', '--kubeconfig', bad], /kubeconfig .*corrupt\.kubeconfig.* not valid/);
    assertNoWrites();
  });

  test('an unknown --context', async () => {
    await rejects(run('--context', 'no-such-context'), /context "no-such-context" not found/);
    assertNoWrites();
  });

  test('sim with a scenario whose orphaned pod names an unknown node', async () => {
    const file = join(c.dir, 'bad-orphan.yaml');
    const kc = join(c.dir, 'sim-bad.kubeconfig');
    await writeFile(
      file,
      'nodes: [{name: a}]\nworkloads: {orphanedPods: [{name: p, node: b, daemonSet: d}]}\n',
    );
    await rejects(
      ['sim', '--scenario', file, '--write-kubeconfig', kc],
      /workloads\.orphanedPods\[0\]\.node: no node named "b"/,
    );
    await assert.rejects(access(kc), 'no kubeconfig was written for a simulator that never started');
  });

  test('sim with an unreadable scenario file (missing, or a directory)', async () => {
    const missing = join(c.dir, 'missing.yaml');
    const kc = join(c.dir, 'sim-out.kubeconfig');
    await rejects(
      ['sim', '--scenario', missing, '--write-kubeconfig', kc],
      /cannot read --scenario .*missing\.yaml.*ENOENT/,
    );
    const dir = join(c.dir, 'a-directory.yaml');
    await mkdir(dir);
    await rejects(['sim', '--scenario', dir, '--write-kubeconfig', kc], /cannot read --scenario .*EISDIR/);
    await assert.rejects(access(kc), 'no kubeconfig was written for a simulator that never started');
  });
});
