// The Lease lock record (version 2) and the decisions over it: parsing never trusts, expiry on the server's clock
// with a margin, a hold is dead when expired or its process is certainly gone, the limits count live holds and
// nodes in progress outside the Lease, and only the holding run renews or releases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deadHolds,
  decideAcquire,
  dropHolds,
  emptyLockRecord,
  EXPIRY_MARGIN_MS,
  holdState,
  isExpired,
  LOCK_RECORD_VERSION,
  parseLockRecord,
  release,
  renew,
  serializeLockRecord,
  type AcquireContext,
  type AcquireRequest,
  type AcquireVerdict,
  type HoldLiveness,
  type HolderProcess,
  type InProgressNode,
  type LockHolder,
  type LockRecord,
} from '../../src/core/lock.js';

const T0 = Date.parse('2025-03-01T02:00:00Z');
const TTL = 60_000;
const HOUR = 3_600_000;

const proc = (id: string, o: Partial<HolderProcess> = {}): HolderProcess => ({
  id,
  host: `host-${id}`,
  pid: 42,
  ...o,
});
const ME = proc('me', { pid: 100, bootId: 'b-1', pidNs: 'pid:[4026531836]', startTime: '12345' });

/** A hold of another run (bob's), renewed at `renewedAt`. */
const hold = (node: string, o: Partial<LockHolder> = {}): LockHolder => ({
  node,
  owner: 'bob@ops',
  runId: `run-${node}`,
  proc: proc(`p-${node}`),
  acquiredAt: T0 - 10 * TTL,
  renewedAt: T0,
  ttlMs: TTL,
  ...o,
});
const lock = (holders: LockHolder[], maxHolders = 1): LockRecord => ({
  version: LOCK_RECORD_VERSION,
  maxHolders,
  holders,
});
const req = (node: string, o: Partial<AcquireRequest> = {}): AcquireRequest => ({
  node,
  owner: 'alice@ops',
  runId: 'run-me',
  proc: ME,
  maxHolders: 1,
  ttlMs: TTL,
  ...o,
});
const ctx = (o: Partial<AcquireContext> = {}): AcquireContext => ({
  now: T0,
  liveness: () => 'unknown',
  inProgress: [],
  ...o,
});
const livenessOf =
  (m: Record<string, HoldLiveness>) =>
  (p: HolderProcess): HoldLiveness =>
    m[p.id] ?? 'unknown';
const inProgress = (node: string, o: Partial<InProgressNode> = {}): InProgressNode => ({
  node,
  why: 'cordoned',
  ...o,
});

function acquired(v: AcquireVerdict): Extract<AcquireVerdict, { kind: 'acquire' }> {
  if (v.kind !== 'acquire') assert.fail(`expected a slot, got full: ${v.reason}`);
  return v;
}
function full(v: AcquireVerdict): Extract<AcquireVerdict, { kind: 'full' }> {
  if (v.kind !== 'full') assert.fail(`expected full, got a slot: ${v.reason}`);
  return v;
}
const nodes = (hs: readonly LockHolder[]): string[] => hs.map((h) => h.node);

// --- parsing ------------------------------------------------------------------------------------------------

test('an absent or empty record parses as an empty lock with the default limit', () => {
  for (const text of [undefined, '', '  ']) {
    assert.deepEqual(parseLockRecord(text, 2), { ok: true, record: emptyLockRecord(2) });
  }
  assert.deepEqual(parseLockRecord(undefined), { ok: true, record: emptyLockRecord(1) });
});

test('the record round-trips through its JSON text with RFC3339 times and the full process', () => {
  const rec = lock([hold('a', { zone: 'z1', proc: ME }), hold('b')], 3);
  const text = serializeLockRecord(rec);
  assert.match(text, /"renewedAt":"2025-03-01T02:00:00.000Z"/);
  assert.match(text, /"acquiredAt":"2025-03-01T01:50:00.000Z"/);
  assert.deepEqual(parseLockRecord(text), { ok: true, record: rec });
});

/** A well-formed record with one holder, as JSON, with one holder field changed (undefined deletes it). */
function holderWith(path: string, value: unknown): string {
  const raw = JSON.parse(serializeLockRecord(lock([hold('a', { proc: ME })]))) as {
    holders: Record<string, unknown>[];
  };
  let obj = raw.holders[0]!;
  const keys = path.split('.');
  for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete obj[last];
  else obj[last] = value;
  return JSON.stringify(raw);
}
const GOOD_HOLDER = JSON.parse(holderWith('node', 'a')).holders[0] as Record<string, unknown>;

const UNTRUSTED: readonly [string, string, RegExp][] = [
  ['not JSON', '{not json', /^lock record is not JSON/],
  ['a JSON array', '[]', /^lock record is not an object$/],
  [
    'version 1',
    '{"version":1,"maxHolders":1,"holders":[]}',
    /^lock record version 1 is not 2: written by another/,
  ],
  ['no version', '{"maxHolders":1,"holders":[]}', /^lock record version undefined is not 2/],
  ['maxHolders 0', '{"version":2,"maxHolders":0,"holders":[]}', /bad maxHolders/],
  ['a fractional maxHolders', '{"version":2,"maxHolders":1.5,"holders":[]}', /bad maxHolders/],
  ['no holders list', '{"version":2,"maxHolders":1}', /no holders list/],
  [
    'a holder that is not an object',
    '{"version":2,"maxHolders":1,"holders":[7]}',
    /holder 0 is not an object/,
  ],
  ['a holder without a node', holderWith('node', undefined), /holder 0 has no node/],
  ['a holder with an empty node', holderWith('node', ''), /holder 0 has no node/],
  ['a holder without an owner', holderWith('owner', undefined), /holder a has no owner or runId/],
  ['a holder without a run', holderWith('runId', undefined), /holder a has no owner or runId/],
  ['an acquiredAt that is no time', holderWith('acquiredAt', 'yesterday'), /holder a has bad times/],
  ['a renewedAt in epoch ms', holderWith('renewedAt', T0), /holder a has bad times/],
  ['ttlMs 0', holderWith('ttlMs', 0), /holder a has a bad ttlMs/],
  ['a negative ttlMs', holderWith('ttlMs', -1), /holder a has a bad ttlMs/],
  ['ttlMs as a string', holderWith('ttlMs', '60000'), /holder a has a bad ttlMs/],
  ['a numeric zone', holderWith('zone', 3), /holder a has a bad zone/],
  ['no process', holderWith('proc', undefined), /holder a has no readable process/],
  ['a process that is a string', holderWith('proc', 'me'), /holder a has no readable process/],
  ['a process without an id', holderWith('proc.id', undefined), /holder a has no readable process/],
  ['a process with an empty id', holderWith('proc.id', ''), /holder a has no readable process/],
  ['a process without a host', holderWith('proc.host', undefined), /holder a has no readable process/],
  ['a process with pid 0', holderWith('proc.pid', 0), /holder a has no readable process/],
  ['a process with a negative pid', holderWith('proc.pid', -1), /holder a has no readable process/],
  ['a process with a fractional pid', holderWith('proc.pid', 1.5), /holder a has no readable process/],
  ['a process with a string pid', holderWith('proc.pid', '42'), /holder a has no readable process/],
  ['a process with a numeric boot ID', holderWith('proc.bootId', 1), /holder a has no readable process/],
  [
    'a process with a numeric start time',
    holderWith('proc.startTime', 1),
    /holder a has no readable process/,
  ],
  [
    'the same node held twice',
    JSON.stringify({ version: 2, maxHolders: 2, holders: [GOOD_HOLDER, { ...GOOD_HOLDER, runId: 'r2' }] }),
    /^lock record holds a twice$/,
  ],
];

for (const [what, text, error] of UNTRUSTED) {
  test(`a lock record with ${what} is never trusted`, () => {
    const p = parseLockRecord(text);
    assert.equal(p.ok, false);
    assert.match(p.ok ? '' : p.error, error);
  });
}

// --- expiry and liveness -------------------------------------------------------------------------------------

test('a hold expires only a margin after its TTL, on the server clock', () => {
  assert.equal(EXPIRY_MARGIN_MS, 5_000);
  const h = { renewedAt: T0, ttlMs: TTL };
  const cases: [string, number, boolean][] = [
    ['just renewed', T0, false],
    ['at its TTL', T0 + TTL, false],
    ['inside the margin', T0 + TTL + EXPIRY_MARGIN_MS - 1, false],
    ['at the end of the margin', T0 + TTL + EXPIRY_MARGIN_MS, false],
    ['just past the margin', T0 + TTL + EXPIRY_MARGIN_MS + 1, true],
    ['an hour later', T0 + HOUR, true],
  ];
  for (const [what, now, expired] of cases) assert.equal(isExpired(h, now), expired, what);
});

const FRESH = T0 + 1_000;
const EXPIRED = T0 + TTL + EXPIRY_MARGIN_MS + 1;
const STATES: readonly [string, HoldLiveness, number, boolean, RegExp | undefined][] = [
  ['a dead process is not live even before expiry', 'dead', FRESH, false, /its process \(pid 42\) is gone/],
  [
    'a dead process that also expired is dead for its process',
    'dead',
    EXPIRED,
    false,
    /process \(pid 42\) is gone/,
  ],
  ['an unknown process is live until expiry', 'unknown', FRESH, true, undefined],
  ['an unknown process is dead after expiry', 'unknown', EXPIRED, false, /not renewed for 65s \(TTL 60s\)/],
  ['an alive process is live before expiry', 'alive', FRESH, true, undefined],
  ['an alive process that expired is not live: expiry wins', 'alive', EXPIRED, false, /not renewed for 65s/],
];

for (const [what, liveness, now, live, why] of STATES) {
  test(`hold state: ${what}`, () => {
    const seen: HolderProcess[] = [];
    const s = holdState(hold('a'), now, (p) => (seen.push(p), liveness));
    assert.equal(s.live, live);
    if (!s.live && why) assert.match(s.why, why);
    assert.deepEqual(seen, [hold('a').proc], 'liveness is asked about the holder process');
  });
}

test('dead holds are the expired ones and those whose process is gone', () => {
  const rec = lock([hold('a'), hold('b', { renewedAt: T0 - HOUR }), hold('c')], 3);
  const dead = deadHolds(rec, { now: FRESH, liveness: livenessOf({ 'p-c': 'dead' }) });
  assert.deepEqual(nodes(dead), ['b', 'c']);
});

// --- acquiring ---------------------------------------------------------------------------------------------

test('an empty lock gives the first slot, at server time, with this process recorded', () => {
  const v = acquired(decideAcquire(emptyLockRecord(1), req('n1', { zone: 'z1' }), ctx()));
  const want: LockHolder = {
    node: 'n1',
    owner: 'alice@ops',
    runId: 'run-me',
    proc: ME,
    acquiredAt: T0,
    renewedAt: T0,
    ttlMs: TTL,
    zone: 'z1',
  };
  assert.deepEqual(v.holder, want);
  assert.deepEqual(v.record, lock([want], 1));
  assert.deepEqual(v.dropped, []);
  assert.equal(v.reason, 'slot 1/1');
});

test('N slots admit N nodes and refuse the next', () => {
  let rec = emptyLockRecord(3);
  for (const n of ['a', 'b', 'c'])
    rec = acquired(decideAcquire(rec, req(n, { maxHolders: 3, runId: n }), ctx())).record;
  assert.deepEqual(nodes(rec.holders), ['a', 'b', 'c']);
  const v = full(decideAcquire(rec, req('d', { maxHolders: 3 }), ctx()));
  assert.deepEqual(v.busy, ['a', 'b', 'c']);
});

test('the limit reached by live holds is full, naming every holder', () => {
  const rec = lock([hold('a'), hold('b')], 2);
  const v = full(decideAcquire(rec, req('n1', { maxHolders: 2 }), ctx()));
  assert.equal(v.reason, 'lock full: 2/2 in progress: a (bob@ops, run run-a), b (bob@ops, run run-b)');
  assert.deepEqual(v.busy, ['a', 'b']);
  assert.deepEqual(v.dropped, []);
});

test('nodes in progress without a slot count against the limit, whoever left them and whatever the selector', () => {
  // A dead run's node still cordoned; a node outside this run's selector; an unreadable record.
  const busy = [
    inProgress('x', { why: 'cordoned by a dead run' }),
    inProgress('y', { why: 'rebooting, not selected' }),
    inProgress('z', { why: 'state unreadable' }),
  ];
  const v = full(decideAcquire(emptyLockRecord(3), req('n1', { maxHolders: 3 }), ctx({ inProgress: busy })));
  assert.equal(
    v.reason,
    'lock full: 3/3 in progress: x (cordoned by a dead run), y (rebooting, not selected), z (state unreadable)',
  );
  assert.deepEqual(v.busy, ['x', 'y', 'z']);
  acquired(decideAcquire(emptyLockRecord(3), req('n1', { maxHolders: 4 }), ctx({ inProgress: busy })));
});

test('a dead hold is dropped, but its node still counts while it carries a record', () => {
  const rec = lock([hold('x', { renewedAt: T0 - HOUR })], 1);
  const v = full(
    decideAcquire(rec, req('n1'), ctx({ inProgress: [inProgress('x', { why: 'cordoned by run-x' })] })),
  );
  assert.deepEqual(nodes(v.dropped), ['x']);
  assert.match(
    v.reason,
    /^lock full: 1\/1 in progress: x \(cordoned by run-x\); dead: x \(bob@ops, run run-x\)$/,
  );
});

test('the acquiring node is not counted twice: neither its own record nor its own hold', () => {
  const mine = hold('n1', { runId: 'run-me', owner: 'alice@ops', proc: ME });
  const own = ctx({ inProgress: [inProgress('n1', { why: 'cordoned by this run' })] });
  acquired(decideAcquire(emptyLockRecord(1), req('n1'), own));
  acquired(decideAcquire(lock([mine], 1), req('n1'), own));
  // A node both held and in progress is one node.
  const both = ctx({ inProgress: [inProgress('a')] });
  const v = acquired(decideAcquire(lock([hold('a')], 2), req('n1', { maxHolders: 2 }), both));
  assert.equal(v.reason, 'slot 2/2');
});

test('a live hold on the node by another run is full, naming it, whatever the free slots', () => {
  const rec = lock([hold('n1', { proc: proc('other', { pid: 7, host: 'ci-runner' }) })], 5);
  const v = full(decideAcquire(rec, req('n1', { maxHolders: 5 }), ctx({ liveness: () => 'alive' })));
  assert.equal(v.reason, 'n1 is held by bob@ops (run run-n1, pid 7 on ci-runner)');
  assert.deepEqual(v.busy, ['n1']);
});

test("a dead run's hold on the node is dropped and the node taken over", () => {
  const rec = lock([hold('n1')], 1);
  const v = acquired(decideAcquire(rec, req('n1'), ctx({ liveness: livenessOf({ 'p-n1': 'dead' }) })));
  assert.deepEqual(nodes(v.dropped), ['n1']);
  assert.equal(v.holder.runId, 'run-me');
  assert.equal(v.holder.acquiredAt, T0, 'a new hold, not the dead one continued');
  assert.deepEqual(nodes(v.record.holders), ['n1']);
});

test("our own run's hold is re-acquired: renewed now, acquiredAt kept, this process recorded", () => {
  const mine = hold('n1', {
    runId: 'run-me',
    owner: 'alice@ops',
    proc: proc('me-before'),
    renewedAt: T0 - 1_000,
  });
  const v = acquired(decideAcquire(lock([mine, hold('b')], 2), req('n1', { maxHolders: 2 }), ctx()));
  assert.equal(v.holder.acquiredAt, mine.acquiredAt);
  assert.equal(v.holder.renewedAt, T0);
  assert.deepEqual(v.holder.proc, ME);
  assert.deepEqual(nodes(v.record.holders), ['b', 'n1']);
  assert.equal(v.reason, 'slot 2/2');
});

test('dead holds are dropped, listed, and free their slots', () => {
  const rec = lock([hold('a', { renewedAt: T0 - HOUR }), hold('b'), hold('c')], 3);
  const v = acquired(
    decideAcquire(
      rec,
      req('n1', { maxHolders: 3 }),
      ctx({ liveness: livenessOf({ 'p-b': 'dead', 'p-c': 'alive' }) }),
    ),
  );
  assert.deepEqual(nodes(v.dropped), ['a', 'b']);
  assert.deepEqual(nodes(v.record.holders), ['c', 'n1']);
  assert.equal(v.reason, 'slot 2/3; dead: a (bob@ops, run run-a), b (bob@ops, run run-b)');
});

test('a holder expires a margin after its TTL: before it the lock is full, after it the slot is free', () => {
  const rec = lock([hold('a')], 1);
  full(decideAcquire(rec, req('n1'), ctx({ now: T0 + TTL + EXPIRY_MARGIN_MS })));
  const v = acquired(decideAcquire(rec, req('n1'), ctx({ now: T0 + TTL + EXPIRY_MARGIN_MS + 1 })));
  assert.deepEqual(nodes(v.dropped), ['a']);
});

test('max-per-zone counts live holds and nodes in progress of the zone, and admits another zone', () => {
  const rec = lock([hold('a1', { zone: 'a' }), hold('b1', { zone: 'b' })], 10);
  const busy = [inProgress('a2', { zone: 'a' }), inProgress('c1')];
  const r = (zone: string | undefined, maxPerZone: number | undefined): AcquireVerdict =>
    decideAcquire(rec, req('n1', { maxHolders: 10, zone, maxPerZone }), ctx({ inProgress: busy }));
  const v = full(r('a', 2));
  assert.equal(v.reason, 'zone a already has 2/2 in progress: a1, a2');
  assert.deepEqual(v.busy, ['a1', 'a2']);
  acquired(r('a', 3));
  acquired(r('b', 2));
  assert.match(full(r('b', 1)).reason, /^zone b already has 1\/1 in progress: b1$/);
  acquired(r('c', 1));
  acquired(r('a', 0)); // 0 means no limit
  acquired(r('a', undefined));
  acquired(r(undefined, 1)); // a node without a zone is not limited by zone
});

test('runs with different concurrency share the smaller limit', () => {
  // Alice at --concurrency 1 holds a; bob at 3 is refused.
  const one = acquired(decideAcquire(emptyLockRecord(1), req('a'), ctx())).record;
  const v = full(decideAcquire(one, req('b', { maxHolders: 3, runId: 'run-bob' }), ctx()));
  assert.match(v.reason, /^lock full: 1\/1 /);
  // Bob at 3 holds a; alice at 2 takes b and lowers the limit to 2; bob is then refused c.
  const three = lock([hold('a')], 3);
  const two = acquired(decideAcquire(three, req('b', { maxHolders: 2 }), ctx()));
  assert.equal(two.record.maxHolders, 2);
  assert.match(
    full(decideAcquire(two.record, req('c', { maxHolders: 3, runId: 'run-bob' }), ctx())).reason,
    /2\/2/,
  );
  // With no live hold left, the recorded limit of earlier runs no longer binds.
  const left = lock([hold('a', { renewedAt: T0 - HOUR })], 1);
  const again = acquired(decideAcquire(left, req('b', { maxHolders: 3 }), ctx()));
  assert.equal(again.record.maxHolders, 3);
});

test('decisions judge holds only by ctx.now: given server time, a runner 2 h ahead still sees a hold renewed 1 min ago as live', (t) => {
  const server = T0;
  const local = server + 2 * HOUR; // this runner's own clock
  t.mock.timers.enable({ apis: ['Date'], now: local });
  assert.equal(Date.now(), local);
  const rec = lock([hold('a', { renewedAt: server - 60_000, ttlMs: 2 * 60_000 })], 2);
  // By the local clock the hold is 2 h old; the decision is made on the server's clock and it is live.
  assert.equal(isExpired(rec.holders[0]!, Date.now()), true, 'the local clock would call it expired');
  const v = full(decideAcquire(rec, req('a'), ctx({ now: server })));
  assert.equal(v.reason, 'a is held by bob@ops (run run-a, pid 42 on host-p-a)');
  assert.deepEqual(v.dropped, []);
  assert.deepEqual(deadHolds(rec, { now: server, liveness: () => 'unknown' }), []);
  // And what it writes is on server time too.
  const mine = acquired(decideAcquire(rec, req('n2', { maxHolders: 2 }), ctx({ now: server })));
  assert.equal(mine.holder.acquiredAt, server);
  assert.equal(mine.holder.renewedAt, server);
  // Only a caller that passes its own clock as `now` would take the live hold: the rule is in the caller's hands.
  assert.equal(decideAcquire(rec, req('a'), ctx({ now: Date.now() })).kind, 'acquire');
});

test('deciding never changes the record it was given', () => {
  const rec = lock([hold('a', { renewedAt: T0 - HOUR }), hold('b')], 2);
  const copy = structuredClone(rec);
  decideAcquire(rec, req('n1', { maxHolders: 2 }), ctx());
  renew(rec, { node: 'b', runId: 'run-b' }, T0 + 1);
  release(rec, { node: 'b', runId: 'run-b' });
  dropHolds(rec, [{ node: 'a', runId: 'run-a' }]);
  assert.deepEqual(rec, copy);
});

// --- renew, release, drop ------------------------------------------------------------------------------

test('renew moves renewedAt of our own hold and nothing else', () => {
  const rec = lock([hold('a'), hold('b')], 2);
  const r = renew(rec, { node: 'a', runId: 'run-a' }, T0 + 30_000);
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.deepEqual(r.holder, { ...hold('a'), renewedAt: T0 + 30_000 });
  assert.deepEqual(r.record, lock([r.holder, hold('b')], 2));
});

test('renew is lost when another run holds the node, or nobody does', () => {
  const rec = lock([hold('a')], 1);
  assert.deepEqual(renew(rec, { node: 'a', runId: 'run-me' }, T0), {
    kind: 'lost',
    reason: 'a is now held by bob@ops (run run-a)',
  });
  assert.deepEqual(renew(rec, { node: 'n1', runId: 'run-me' }, T0), {
    kind: 'lost',
    reason: 'n1 is no longer in the lock',
  });
});

test('renew keeps working on a hold that looks expired but is still present', () => {
  const rec = lock([hold('a', { renewedAt: T0 - HOUR })], 1);
  assert.equal(isExpired(rec.holders[0]!, T0), true);
  const r = renew(rec, { node: 'a', runId: 'run-a' }, T0);
  assert.equal(r.kind, 'ok');
  assert.equal(r.kind === 'ok' ? r.holder.renewedAt : 0, T0);
});

test("release removes only this run's hold", () => {
  const rec = lock([hold('a'), hold('b')], 2);
  assert.deepEqual(release(rec, { node: 'a', runId: 'run-me' }), {
    kind: 'not-held',
    reason: 'a is now held by bob@ops (run run-a)',
  });
  assert.deepEqual(release(rec, { node: 'n1', runId: 'run-me' }), {
    kind: 'not-held',
    reason: 'n1 is no longer in the lock',
  });
  assert.deepEqual(release(rec, { node: 'a', runId: 'run-a' }), {
    kind: 'released',
    record: lock([hold('b')], 2),
  });
});

test('dropHolds removes exactly the given holds, by node and run; a hold since taken by another run stays', () => {
  const rec = lock([hold('a'), hold('b'), hold('c')], 3);
  assert.deepEqual(
    dropHolds(rec, [
      { node: 'a', runId: 'run-a' },
      { node: 'c', runId: 'run-c' },
      { node: 'gone', runId: 'run-gone' },
    ]),
    { kind: 'released', record: lock([hold('b')], 3) },
  );
  // b was judged dead under run-b, but another run has taken it since: its new hold stays.
  const retaken = lock([hold('a'), hold('b', { runId: 'run-new' })], 3);
  assert.deepEqual(
    dropHolds(retaken, [
      { node: 'a', runId: 'run-a' },
      { node: 'b', runId: 'run-b' },
    ]),
    { kind: 'released', record: lock([hold('b', { runId: 'run-new' })], 3) },
  );
  assert.deepEqual(dropHolds(retaken, [{ node: 'b', runId: 'run-b' }]), {
    kind: 'not-held',
    reason: 'nothing to drop',
  });
  assert.deepEqual(dropHolds(rec, []), { kind: 'not-held', reason: 'nothing to drop' });
});
