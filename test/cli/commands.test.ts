// The commands end to end, in-process: `sim` serves a cluster, `status` and `plan` read it through the
// composition root and the real client-node adapters, and `demo` runs a full pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../src/core/events.js';
import { runCli } from './cli-io.js';

test('sim serves until stopped; status and plan read it through the real adapters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-cli-'));
  const kc = join(dir, 'kubeconfig');
  const stop = new AbortController();
  let ready!: () => void;
  const serving = new Promise<void>((resolve) => (ready = resolve));
  const sim = runCli(['sim', '--nodes', '3', '--time-scale', '50', '--write-kubeconfig', kc], {
    signal: stop.signal,
    onStdout: (text) => {
      if (text.includes('Press Ctrl-C')) ready();
    },
  });
  try {
    await serving;
    assert.equal(statSync(kc).mode & 0o777, 0o600);

    const status = await runCli(['status', '--kubeconfig', kc, '-o', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const doc = JSON.parse(status.stdout) as {
      nodes: { name: string; rebootRequired: string; state: string }[];
    };
    assert.deepEqual(
      doc.nodes.map((n) => [n.name, n.rebootRequired, n.state]),
      [
        ['control-plane-1', 'no', 'idle'],
        ['worker-1', 'yes', 'idle'],
        ['worker-2', 'no', 'idle'],
      ],
    );

    const table = await runCli(['status', '--kubeconfig', kc, 'worker-1', 'worker-2']);
    assert.match(
      table.stdout,
      /^NODE +STATUS +REBOOT +STATE +LOCK\nworker-1 +Ready +yes +idle +-\nworker-2 +Ready +no +idle +-\n/,
    );

    const plan = await runCli([
      'plan',
      '--kubeconfig',
      kc,
      '--log-format',
      'json',
      '--window',
      'mon-fri 02:00-02:01',
    ]);
    const events = plan.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    const end = events.at(-1);
    assert.equal(end?.type, 'run-end');
    assert.equal(plan.code, 3, 'pending: outside the window');
    assert.deepEqual(end?.type === 'run-end' ? end.pending : [], ['worker-1']);

    const unknown = await runCli(['plan', '--kubeconfig', kc, 'worker-9']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stdout, /run end exit=2: .*node not found: worker-9/);
  } finally {
    stop.abort();
    const r = await sim;
    assert.equal(r.code, 0);
    assert.match(r.stdout, /export KUBECONFIG=.*kubeconfig\n[\s\S]*Simulated cluster stopped\./);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo reboots the nodes that need it, in-process, and exits with the run\u2019s code', async () => {
  const r = await runCli(['demo', '--nodes', '3', '--time-scale', '200', '--log-format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^Demo: a simulated cluster of 3 nodes at https:\/\/127\.0\.0\.1:\d+, clock ×200\./);
  const events = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent);
  const end = events.at(-1);
  assert.ok(end?.type === 'run-end');
  assert.deepEqual(end.rebooted, ['worker-1']);
  const steps = events
    .filter((e) => e.type === 'step' && e.node === 'worker-1')
    .map((e) => (e.type === 'step' ? e.step : ''));
  for (const s of ['lock', 'cordon', 'drain', 'reboot', 'back', 'done'])
    assert.ok(steps.includes(s as never), `no ${s} step`);
  assert.ok(events.some((e) => e.type === 'reboot-progress' && e.stage === 'ready'));
});
