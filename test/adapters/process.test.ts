// localProcess: who this process is, and when another recorded process is certainly dead, over a stand-in
// /proc (other machines, other containers, reused pids) and over this machine's real /proc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { localProcess, parseStat } from '../../src/adapters/process.js';
import type { PidPresence, ProcReader } from '../../src/adapters/process.js';
import type { ProcessIdentity } from '../../src/ports/process.js';

const BOOT = '6f1c1a52-8c1e-4c43-9d0b-3c3c2a1e0b11';
const NS = 'pid:[4026531836]';

const statLine = (pid: number, comm: string, startTime: string): string =>
  `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${startTime} 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;

/** A machine with a boot ID, a pid namespace, and processes by pid with their start times. */
function fakeProc(opts: {
  self: number;
  running: Record<number, string>;
  boot?: string;
  ns?: string;
  signal?: (pid: number) => PidPresence;
}): ProcReader {
  return {
    readText(path) {
      if (path === '/proc/sys/kernel/random/boot_id')
        return opts.boot === undefined ? undefined : `${opts.boot}\n`;
      const m = /^\/proc\/(self|\d+)\/stat$/.exec(path);
      if (!m) return undefined;
      const pid = m[1] === 'self' ? opts.self : Number(m[1]);
      const start = opts.running[pid];
      return start === undefined ? undefined : statLine(pid, 'node', start);
    },
    readLink: (path) => (path === '/proc/self/ns/pid' ? opts.ns : undefined),
    signal: opts.signal ?? ((pid) => (opts.running[pid] === undefined ? 'gone' : 'exists')),
  };
}

const other = (fields: Partial<ProcessIdentity>): ProcessIdentity => ({
  id: 'another-run',
  host: 'laptop',
  bootId: BOOT,
  pidNs: NS,
  pid: 4001,
  startTime: '5000',
  ...fields,
});

test('parseStat reads field 22 after the last parenthesis, whatever the command name holds', () => {
  assert.deepEqual(parseStat(statLine(42, 'node', '123456')), { pid: 42, startTime: '123456' });
  assert.deepEqual(parseStat(statLine(7, 'a) b (c) d', '99')), { pid: 7, startTime: '99' });
  assert.deepEqual(parseStat(statLine(8, 'with spaces  and )) parens', '100')), { pid: 8, startTime: '100' });
  assert.equal(parseStat(''), undefined);
  assert.equal(parseStat('42 (node) S 1 2 3'), undefined, 'too few fields');
  assert.equal(parseStat('42 node S'), undefined, 'no parentheses');
});

test('self records the host, pid, boot ID, pid namespace and start time, and a fresh id per call', () => {
  const proc = fakeProc({ self: 4000, running: { 4000: '4242' }, boot: BOOT, ns: NS });
  const me = localProcess({ proc, pid: 4000, host: 'laptop' });
  assert.match(me.self.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    { ...me.self, id: '' },
    {
      id: '',
      host: 'laptop',
      bootId: BOOT,
      pidNs: NS,
      pid: 4000,
      startTime: '4242',
    },
  );
  assert.notEqual(localProcess({ proc, pid: 4000 }).self.id, me.self.id);
});

test('unreadable fields are left out; a /proc whose self is another pid gives no namespace or start time', () => {
  const none = localProcess({ proc: fakeProc({ self: 4000, running: {} }), pid: 4000 });
  assert.deepEqual(Object.keys(none.self).sort(), ['host', 'id', 'pid']);
  // /proc of another namespace: /proc/self is pid 77 there, while we are 4000.
  const foreign = localProcess({
    proc: fakeProc({ self: 77, running: { 77: '1' }, boot: BOOT, ns: NS }),
    pid: 4000,
  });
  assert.equal(foreign.self.bootId, BOOT);
  assert.equal(foreign.self.pidNs, undefined);
  assert.equal(foreign.self.startTime, undefined);
  assert.equal(foreign.liveness(other({})), 'unknown');
});

test('the same kernel boot and pid namespace: a gone pid is dead, a reused pid is dead, a running one alive', () => {
  const running = { 4000: '4242', 4001: '5000', 4002: '7777' };
  const me = localProcess({ proc: fakeProc({ self: 4000, running, boot: BOOT, ns: NS }), pid: 4000 });
  assert.equal(me.liveness(other({ pid: 4001 })), 'alive');
  assert.equal(me.liveness(other({ pid: 4003 })), 'dead', 'the pid is gone');
  assert.equal(
    me.liveness(other({ pid: 4002, startTime: '5000' })),
    'dead',
    'pid 4002 started at another time',
  );
  const { startTime: _drop, ...noStart } = other({ pid: 4001 });
  assert.equal(me.liveness(noStart), 'alive', 'no recorded start time: running is enough');
  const { startTime: _drop2, ...noStartGone } = other({ pid: 4003 });
  assert.equal(me.liveness(noStartGone), 'dead');
  assert.equal(me.liveness({ ...me.self }), 'alive', 'ourselves');
  assert.equal(
    me.liveness(other({ pid: 4000, startTime: '4242' })),
    'alive',
    'another run in this very process',
  );
});

test('another container (its own pid namespace) is unknown, even when its pid does not run here', () => {
  const me = localProcess({ proc: fakeProc({ self: 1, running: { 1: '10' }, boot: BOOT, ns: NS }), pid: 1 });
  assert.equal(me.liveness(other({ pid: 1, pidNs: 'pid:[4026532999]', startTime: '11' })), 'unknown');
  assert.equal(me.liveness(other({ pid: 4001, pidNs: 'pid:[4026532999]' })), 'unknown');
});

test('another machine (another boot ID) is unknown; so is a record without a boot ID or namespace', () => {
  const me = localProcess({
    proc: fakeProc({ self: 4000, running: { 4000: '1' }, boot: BOOT, ns: NS }),
    pid: 4000,
  });
  assert.equal(me.liveness(other({ bootId: '00000000-0000-0000-0000-000000000000' })), 'unknown');
  const { bootId: _b, ...noBoot } = other({});
  const { pidNs: _n, ...noNs } = other({});
  assert.equal(me.liveness(noBoot), 'unknown');
  assert.equal(me.liveness(noNs), 'unknown');
  assert.equal(me.liveness(other({ pid: 0 })), 'unknown');
  assert.equal(me.liveness(other({ pid: Number.NaN })), 'unknown');
});

test('without a boot ID or namespace of our own, nothing but ourselves is judged', () => {
  const me = localProcess({ proc: fakeProc({ self: 4000, running: { 4000: '1' }, ns: NS }), pid: 4000 });
  assert.equal(me.liveness(other({ pid: 4003 })), 'unknown');
  assert.equal(me.liveness(me.self), 'alive');
});

test('signal 0 without an answer, or a stat that cannot be read, is unknown', () => {
  const running = { 4000: '1' };
  const unsure = localProcess({
    proc: fakeProc({ self: 4000, running, boot: BOOT, ns: NS, signal: () => 'unknown' }),
    pid: 4000,
  });
  assert.equal(unsure.liveness(other({ pid: 4001 })), 'unknown');
  // It exists (say, EPERM) but its stat cannot be read: not certain.
  const hidden = localProcess({
    proc: fakeProc({ self: 4000, running, boot: BOOT, ns: NS, signal: () => 'exists' }),
    pid: 4000,
  });
  assert.equal(hidden.liveness(other({ pid: 4001 })), 'unknown');
});

test(
  'on this machine: this process is alive, an exited child is dead',
  { skip: !existsSync('/proc/self/stat') },
  async () => {
    const me = localProcess();
    assert.equal(me.self.pid, process.pid);
    assert.equal(me.self.host, hostname());
    assert.ok(me.self.bootId, 'a boot ID');
    assert.match(me.self.pidNs ?? '', /^pid:\[\d+\]$/);
    assert.match(me.self.startTime ?? '', /^\d+$/);
    assert.equal(me.liveness({ ...me.self, id: 'a-copy-of-us' }), 'alive');
    assert.equal(
      me.liveness({ ...me.self, id: 'older', startTime: '1' }),
      'dead',
      'our pid, another start time',
    );

    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
    const pid = child.pid ?? 0;
    assert.ok(pid > 0);
    const childStart = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.startTime;
    const record: ProcessIdentity = {
      ...me.self,
      id: 'child',
      pid,
      ...(childStart ? { startTime: childStart } : {}),
    };
    assert.equal(me.liveness(record), 'alive');
    await new Promise((r) => child.once('exit', r));
    assert.equal(me.liveness(record), 'dead');
  },
);
