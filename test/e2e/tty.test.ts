// On a real terminal (tmux), `run` draws the live view: node rows that progress through their steps to done.
// The screen is read with capture-pane, as a person would see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSim } from '../../src/sim/index.js';

function tmuxPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('tmux is not installed: this test needs it (apt-get install tmux)');
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('run on a terminal shows node rows that progress to done', { timeout: 120_000 }, async () => {
  const tmux = tmuxPath();
  const dir = await mkdtemp(join(tmpdir(), 'rd-tty-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const socket = `rd-tty-${process.pid}`;
  const sim = await startSim({ nodes: 4, timeScale: 10, kubeconfigPath });
  const t = (...args: string[]) => execFileSync(tmux, ['-L', socket, ...args], { encoding: 'utf8' });
  try {
    const cmd =
      `cd ${quote(resolve('.'))} && env -u CI TERM=xterm-256color node bin/reboot-daemon.js run ` +
      `--kubeconfig ${quote(kubeconfigPath)} --ready-stable 1s; echo EXIT=$?; sleep 600`;
    t('new-session', '-d', '-s', 'rd', '-x', '140', '-y', '45', cmd);
    const frames: string[] = [];
    const deadline = Date.now() + 100_000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = t('capture-pane', '-p', '-t', 'rd');
      frames.push(screen);
      if (/EXIT=\d+/.test(screen)) break;
      await sleep(250);
    }
    assert.match(screen, /EXIT=0/, `the run ended with exit 0; last screen:\n${screen}`);

    // Live rows start with one status glyph (plain log lines start with a time). While it ran, a node row showed an intermediate step (not yet done) in the live area.
    const liveRow = (node: string, step: string) => new RegExp(`^\\S ${node}\\s+${step}\\b`, 'mu');
    const midway = frames.some((f) =>
      ['cordon', 'drain', 'reboot', 'back'].some((s) => liveRow('worker-1', s).test(f)),
    );
    assert.ok(midway, 'a frame showed worker-1 on its way (cordon, drain, reboot or back)');

    // At the end both nodes that needed a reboot are done, the others skipped, and the summary is there.
    assert.match(screen, liveRow('worker-1', 'done'));
    assert.match(screen, liveRow('worker-3', 'done'));
    assert.match(screen, liveRow('worker-2', 'skipped'));
    assert.match(screen, /Finished in .*: 2 rebooted, 0 failed, 0 pending \(exit 0\)/);
    // The cluster agrees: the two nodes have new boot IDs recorded by the simulator.
    const rebooted = sim.cluster.record
      .of('reboot')
      .map((r) => r.node)
      .sort();
    assert.deepEqual(rebooted, ['worker-1', 'worker-3']);
  } finally {
    try {
      t('kill-server');
    } catch {
      /* already gone */
    }
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
