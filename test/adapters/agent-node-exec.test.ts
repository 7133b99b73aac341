// The agent's node-local checker and rebooter against a simulated host: the sentinel file and its packages,
// a sentinel command, the boot-ID guard and the trigger's deadline, and a node that is not the agent's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalRebooter, LocalSentinelChecker } from '../../src/adapters/agent/node-exec.js';
import { RebootCancelledError } from '../../src/core/errors.js';
import { SimHost } from '../../src/sim/host/host.js';
import { simHostAccess } from '../support/sim-agent-host.js';

const host = (): SimHost => new SimHost({ node: 'n1', bootId: 'boot-1' });

test('the file sentinel through /var/run is found, with its packages as the reason', async () => {
  const h = host();
  const checker = new LocalSentinelChecker(simHostAccess(h), {
    node: 'n1',
    sentinel: { kind: 'file', path: '/var/run/reboot-required' },
    timeoutMs: 1000,
  });
  assert.deepEqual(await checker.check('n1'), { kind: 'not-required', source: 'agent' });
  h.setRebootRequired(['linux-image-6.8.0-51', 'libc6']);
  assert.deepEqual(await checker.check('n1'), {
    kind: 'required',
    source: 'agent',
    reason: 'linux-image-6.8.0-51, libc6',
  });
  assert.equal((await checker.check('n2')).kind, 'unknown', 'only its own node');
});

test('a sentinel command runs on the host: exit 0 means required, 127 means unknown', async () => {
  const h = new SimHost({ node: 'n1', bootId: 'b', sentinelCommand: { command: 'needs-restarting -r' } });
  const check = (argv: string[]) =>
    new LocalSentinelChecker(simHostAccess(h), {
      node: 'n1',
      sentinel: { kind: 'command', argv },
      timeoutMs: 1000,
    }).check('n1');
  assert.equal((await check(['needs-restarting', '-r'])).kind, 'not-required');
  h.setRebootRequired();
  const r = await check(['needs-restarting', '-r']);
  assert.equal(r.kind, 'required');
  assert.equal((await check(['no-such-program'])).kind, 'unknown');
});

test('the reboot runs on the host only while the boot ID is the expected one', async () => {
  const h = host();
  const reboots: string[] = [];
  h.onReboot = (via) => reboots.push(via);
  const access = simHostAccess(h);
  const rebooter = new LocalRebooter(access, {
    node: 'n1',
    method: { kind: 'command', argv: ['/bin/systemctl', 'reboot'] },
  });
  await rebooter.reboot('n1', { bootID: 'boot-1', notAfter: Date.now() + 60_000 });
  assert.deepEqual(reboots, ['systemctl reboot']);
  h.bootId = 'boot-2';
  await rebooter.reboot('n1', { bootID: 'boot-1', notAfter: Date.now() + 60_000 }); // run again after the boot: must do nothing
  assert.deepEqual(reboots, ['systemctl reboot']);
  assert.deepEqual(
    rebooter.history.map((x) => x.outcome),
    ['triggered', 'already-rebooted'],
  );
  await assert.rejects(
    rebooter.reboot('n2', { bootID: 'boot-2', notAfter: Date.now() + 60_000 }),
    /cannot reboot n2/,
  );
});

test('the agent does not reboot past the trigger deadline, by the host clock', async () => {
  const h = new SimHost({ node: 'n1', bootId: 'boot-1', now: () => Date.parse('2026-01-01T03:02:01Z') });
  const reboots: string[] = [];
  h.onReboot = (via) => reboots.push(via);
  const rebooter = new LocalRebooter(simHostAccess(h), {
    node: 'n1',
    method: { kind: 'command', argv: ['/bin/systemctl', 'reboot'] },
  });
  const err = await rebooter
    .reboot('n1', { bootID: 'boot-1', notAfter: Date.parse('2026-01-01T03:02:00Z') })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof RebootCancelledError, String(err));
  assert.equal(err.reason, 'too-late');
  assert.match(err.message, /2026-01-01T03:02:01.000Z, past the deadline 2026-01-01T03:02:00.000Z/);
  assert.deepEqual(reboots, []);
  // the same second is still in time
  await rebooter.reboot('n1', { bootID: 'boot-1', notAfter: Date.parse('2026-01-01T03:02:01Z') });
  assert.deepEqual(reboots, ['systemctl reboot']);
  assert.deepEqual(
    rebooter.history.map((x) => x.outcome),
    ['too-late', 'triggered'],
  );
});
