// The Lease lock record: parsing never trusts, slots, TTL expiry, resume by the same owner, zone limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideAcquire,
  emptyLockRecord,
  forceRelease,
  parseLockRecord,
  release,
  renew,
  serializeLockRecord,
  updateHolder,
  type AcquireRequest,
  type LockRecord,
} from '../../src/core/lock.js';

const T0 = Date.parse('2025-03-01T02:00:00Z');
const req = (node: string, o: Partial<AcquireRequest> = {}): AcquireRequest => ({
  node,
  owner: 'alice@ops',
  runId: 'run-1',
  maxHolders: 1,
  ttlMs: 60_000,
  wasUnschedulable: false,
  bootID: `boot-${node}`,
  ...o,
});

function acquired(record: LockRecord, r: AcquireRequest, now = T0): LockRecord {
  const v = decideAcquire(record, r, now);
  assert.equal(v.kind, 'acquire', v.kind === 'full' ? v.reason : '');
  return v.kind === 'acquire' ? v.record : record;
}

test('an absent record parses as an empty lock', () => {
  const p = parseLockRecord(undefined, 2);
  assert.deepEqual(p, { ok: true, record: emptyLockRecord(2) });
});

test('a record written by someone else is never trusted', () => {
  for (const text of [
    '{not json',
    '[]',
    '{"version":2,"maxHolders":1,"holders":[]}',
    '{"version":1,"maxHolders":0,"holders":[]}',
    '{"version":1,"maxHolders":1,"holders":[{"node":"a"}]}',
    '{"version":1,"maxHolders":1}',
  ]) {
    const p = parseLockRecord(text);
    assert.equal(p.ok, false, text);
  }
});

test('the record round-trips through its JSON text with RFC3339 times', () => {
  const rec = acquired(emptyLockRecord(1), req('n1', { zone: 'a' }));
  const text = serializeLockRecord(rec);
  assert.match(text, /"acquiredAt":"2025-03-01T02:00:00.000Z"/);
  assert.deepEqual(parseLockRecord(text), { ok: true, record: rec });
});

test('with one slot a second node finds the lock full, with the holder named', () => {
  const rec = acquired(emptyLockRecord(1), req('n1'));
  const v = decideAcquire(rec, req('n2', { owner: 'bob@ops', runId: 'run-2' }), T0 + 1000);
  assert.equal(v.kind, 'full');
  assert.match(v.kind === 'full' ? v.reason : '', /lock full: 1\/1 held by n1 \(alice@ops, locked\)/);
});

test('N slots admit N nodes and refuse the next', () => {
  let rec = emptyLockRecord(3);
  for (const n of ['a', 'b', 'c']) rec = acquired(rec, req(n, { maxHolders: 3 }));
  assert.equal(decideAcquire(rec, req('d', { maxHolders: 3 }), T0).kind, 'full');
});

test('runs with different concurrency share the smaller limit', () => {
  const rec = acquired(emptyLockRecord(1), req('a', { maxHolders: 1 }));
  const v = decideAcquire(rec, req('b', { maxHolders: 3, owner: 'bob', runId: 'r2' }), T0);
  assert.equal(v.kind, 'full');
});

test('a dead holder expires after its TTL and is reported as pruned', () => {
  const rec = acquired(emptyLockRecord(1), req('n1'));
  assert.equal(decideAcquire(rec, req('n2', { owner: 'bob', runId: 'r2' }), T0 + 60_000).kind, 'full');
  const v = decideAcquire(rec, req('n2', { owner: 'bob', runId: 'r2' }), T0 + 60_001);
  assert.equal(v.kind, 'acquire');
  assert.deepEqual(
    v.pruned.map((h) => h.node),
    ['n1'],
  );
  assert.deepEqual(v.kind === 'acquire' ? v.record.holders.map((h) => h.node) : [], ['n2']);
});

test('a hold kept with TTL 0 never expires', () => {
  const rec = acquired(emptyLockRecord(1), req('n1', { ttlMs: 0 }));
  assert.equal(
    decideAcquire(rec, req('n2', { owner: 'bob', runId: 'r2' }), T0 + 365 * 86_400_000).kind,
    'full',
  );
});

test('the same owner resumes its own hold and keeps the recorded state', () => {
  const rec = acquired(emptyLockRecord(1), req('n1', { wasUnschedulable: true, phase: 'cordoned' }));
  const v = decideAcquire(
    rec,
    req('n1', { runId: 'run-2', wasUnschedulable: false, bootID: 'other' }),
    T0 + 5000,
  );
  assert.equal(v.kind, 'already-held');
  if (v.kind !== 'already-held') return;
  assert.equal(v.takeover, true);
  assert.equal(v.holder.wasUnschedulable, true);
  assert.equal(v.holder.bootID, 'boot-n1');
  assert.equal(v.holder.phase, 'cordoned');
  assert.equal(v.record.holders[0]?.runId, 'run-2');
  assert.equal(v.record.holders[0]?.renewedAt, T0 + 5000);
});

test('a hold of the same owner: taken over at once unless its run is alive in another process here', () => {
  const proc = (host: string, pid: number, alive: readonly number[]): AcquireRequest['process'] => ({
    host,
    pid,
    isAlive: (p) => alive.includes(p),
  });
  const rec = acquired(
    emptyLockRecord(1),
    req('n1', { phase: 'cordoned', process: proc('laptop', 100, []) }),
  );
  assert.equal(rec.holders[0]?.host, 'laptop');
  assert.equal(rec.holders[0]?.pid, 100);
  const cases: [string, AcquireRequest['process'], 'full' | 'already-held'][] = [
    [
      'pid 100 alive on the same host: another terminal or an overlapping job',
      proc('laptop', 200, [100]),
      'full',
    ],
    ['pid 100 gone: the earlier run crashed', proc('laptop', 200, []), 'already-held'],
    ['the same pid: an earlier run of this very process', proc('laptop', 100, [100]), 'already-held'],
    ['another host: its processes cannot be seen from here', proc('ci-runner', 100, [100]), 'already-held'],
    ['no process known for this run', undefined, 'already-held'],
  ];
  for (const [what, process, kind] of cases) {
    const v = decideAcquire(rec, req('n1', { runId: 'run-2', ...(process ? { process } : {}) }), T0 + 1000);
    assert.equal(v.kind, kind, what);
    if (v.kind === 'full')
      assert.match(v.reason, /held by another live run of alice@ops \(run run-1, pid 100, cordoned\)/);
    if (v.kind === 'already-held' && process) {
      assert.equal(v.record.holders[0]?.pid, process.pid, `${what}: the hold now names this process`);
      assert.equal(v.record.holders[0]?.host, process.host);
    }
  }
  // A hold written without a process (an older record) is taken over as before.
  const old = acquired(emptyLockRecord(1), req('n1'));
  assert.equal(
    decideAcquire(old, req('n1', { runId: 'run-2', process: proc('laptop', 200, [100]) }), T0).kind,
    'already-held',
  );
});

test('host and pid survive the round trip; a bad pid or host makes the record untrusted', () => {
  const rec = acquired(
    emptyLockRecord(1),
    req('n1', { process: { host: 'h', pid: 42, isAlive: () => true } }),
  );
  const back = parseLockRecord(serializeLockRecord(rec));
  assert.ok(back.ok);
  if (back.ok) assert.deepEqual(back.record, rec);
  const text = serializeLockRecord(rec);
  for (const [bad, why] of [
    [text.replace('"pid":42', '"pid":-1'), /bad pid/],
    [text.replace('"pid":42', '"pid":"42"'), /bad pid/],
    [text.replace('"host":"h"', '"host":7'), /bad host/],
  ] as const) {
    const p = parseLockRecord(bad);
    assert.equal(p.ok, false);
    if (!p.ok) assert.match(p.error, why);
  }
});

test('another owner cannot take a live hold on the same node', () => {
  const rec = acquired(emptyLockRecord(2), req('n1', { maxHolders: 2 }));
  const v = decideAcquire(rec, req('n1', { owner: 'bob', runId: 'r2', maxHolders: 2 }), T0);
  assert.equal(v.kind, 'full');
  assert.match(v.kind === 'full' ? v.reason : '', /n1 is held by alice@ops/);
});

test('max-per-zone refuses a second node of the same zone but admits another zone', () => {
  const rec = acquired(emptyLockRecord(3), req('a1', { maxHolders: 3, zone: 'a', maxPerZone: 1 }));
  const same = decideAcquire(rec, req('a2', { maxHolders: 3, zone: 'a', maxPerZone: 1 }), T0);
  assert.equal(same.kind, 'full');
  assert.match(same.kind === 'full' ? same.reason : '', /zone a already has 1\/1/);
  assert.equal(
    decideAcquire(rec, req('b1', { maxHolders: 3, zone: 'b', maxPerZone: 1 }), T0).kind,
    'acquire',
  );
});

test('renew moves renewedAt; a hold taken over by another run is lost', () => {
  const rec = acquired(emptyLockRecord(1), req('n1'));
  const r = renew(rec, { node: 'n1', runId: 'run-1' }, T0 + 30_000);
  assert.equal(r.kind, 'ok');
  assert.equal(r.kind === 'ok' ? r.holder.renewedAt : 0, T0 + 30_000);
  const lost = renew(rec, { node: 'n1', runId: 'run-9' }, T0);
  assert.equal(lost.kind, 'lost');
  assert.equal(renew(emptyLockRecord(1), { node: 'n1', runId: 'run-1' }, T0).kind, 'lost');
});

test('updateHolder records the phase and can keep the hold forever', () => {
  const rec = acquired(emptyLockRecord(1), req('n1'));
  const u = updateHolder(rec, { node: 'n1', runId: 'run-1' }, { phase: 'ready-timeout', ttlMs: 0 }, T0 + 1);
  assert.equal(u.kind, 'ok');
  if (u.kind !== 'ok') return;
  assert.equal(u.holder.phase, 'ready-timeout');
  assert.equal(u.holder.ttlMs, 0);
});

test("release removes only this run's hold", () => {
  const rec = acquired(emptyLockRecord(1), req('n1'));
  assert.equal(release(rec, { node: 'n1', runId: 'other' }).kind, 'not-held');
  const r = release(rec, { node: 'n1', runId: 'run-1' });
  assert.deepEqual(r.kind === 'released' ? r.record.holders : null, []);
  const f = forceRelease(rec, 'n1');
  assert.deepEqual(f.kind === 'released' ? f.record.holders : null, []);
});
