// README's first command: `npm start` on a machine with no cluster runs the demo, a full rollout on a
// simulated 5-node cluster that shows every step and exits 0. Spawned as a newcomer would run it (after build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function runStart(home: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CI: 'true' };
  delete env['KUBECONFIG'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test(
  'npm start without a cluster runs the demo: 5 nodes, every step shown, exit 0',
  { timeout: 120_000 },
  async () => {
    const home = await mkdtemp(join(tmpdir(), 'rd-demo-home-'));
    try {
      const { code, out } = await runStart(home);
      assert.equal(code, 0, out);
      assert.match(out, /a simulated cluster of 5 nodes/);
      const ended = /run end exit=0: (\d+) rebooted \(([^)]*)\)/.exec(out);
      assert.ok(ended, `the run ended with exit 0:\n${out}`);
      const rebooted = (ended[2] ?? '').split(', ').filter(Boolean);
      assert.ok(rebooted.length >= 1 && Number(ended[1]) === rebooted.length, out);
      for (const node of rebooted) {
        // Every step of the process shows, in order, for each rebooted node.
        const steps = ['check', 'lock', 'cordon', 'drain', 'reboot', 'back', 'done'];
        let at = -1;
        for (const step of steps) {
          const re = new RegExp(`^\\S+ ${node} ${step}\\b`, 'gm');
          re.lastIndex = at + 1;
          const m = re.exec(out);
          assert.ok(m, `${node}: step "${step}" shown after the previous one`);
          at = m.index;
        }
      }
      // Nodes that needed nothing were checked and left alone.
      assert.match(out, /check no reboot required/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
);
