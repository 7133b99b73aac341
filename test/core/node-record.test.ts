// The node state record (version 2): a new record is an intent, the text round-trips, anything malformed or of
// another version is unreadable with a message that says why, and fence tokens compare every field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeToken,
  newNodeRecord,
  NODE_RECORD_VERSION,
  parseNodeRecord,
  sameToken,
  serializeNodeRecord,
  type FenceToken,
  type NodeRecord,
} from '../../src/core/node-record.js';

const T0 = 1_700_000_000_000;
const TOKEN: FenceToken = { owner: 'alice@ops', runId: 'run-1', proc: 'proc-1', gen: 3 };

const FULL: NodeRecord = {
  ...newNodeRecord({ token: TOKEN, wasUnschedulable: true, bootID: 'boot-1', now: T0 }),
  phase: 'health-timeout',
  need: { source: 'probe', reason: '/var/run/reboot-required exists', at: T0 + 1 },
  since: T0 + 5,
  rebootRequestedAt: T0 + 2,
  newBootID: 'boot-2',
  message: 'web 1/2 ready',
  workloads: [{ namespace: 'd', kind: 'ReplicaSet', name: 'web', readyBefore: 2 }],
  pdbs: ['d/web'],
};

/** The full record as plain JSON, with one field changed (undefined deletes it). */
function withField(path: string, value: unknown): string {
  const raw = JSON.parse(serializeNodeRecord(FULL)) as Record<string, unknown>;
  const keys = path.split('.');
  let obj = raw;
  for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete obj[last];
  else obj[last] = value;
  return JSON.stringify(raw);
}

test('a new record is an intent: locked, version 2, started and changed now, no need seen yet', () => {
  const r = newNodeRecord({ token: TOKEN, wasUnschedulable: false, bootID: 'boot-1', now: T0 });
  assert.deepEqual(r, {
    version: NODE_RECORD_VERSION,
    token: TOKEN,
    phase: 'locked',
    wasUnschedulable: false,
    bootID: 'boot-1',
    startedAt: T0,
    since: T0,
  });
  assert.equal(NODE_RECORD_VERSION, 2);
});

test('the record round-trips through its text, every optional field included', () => {
  assert.deepEqual(parseNodeRecord(serializeNodeRecord(FULL)), { kind: 'ok', record: FULL });
  const bare = newNodeRecord({ token: TOKEN, wasUnschedulable: false, bootID: 'b', now: T0 });
  assert.deepEqual(parseNodeRecord(serializeNodeRecord(bare)), { kind: 'ok', record: bare });
});

test('no annotation, or an empty one, is no record', () => {
  for (const text of [undefined, '', '   ']) assert.deepEqual(parseNodeRecord(text), { kind: 'none' });
});

const UNREADABLE: readonly [string, string, RegExp][] = [
  ['not JSON', '{oops', /^not JSON: /],
  ['a JSON array', '[]', /^not a state record$/],
  ['JSON null', 'null', /^not a state record$/],
  ['version 1', withField('version', 1), /^state record version 1 is not 2: written by another version/],
  ['version 3', withField('version', 3), /^state record version 3 is not 2/],
  ['the version as a string', withField('version', '2'), /^state record version .* is not 2/],
  ['no version', withField('version', undefined), /^state record version undefined is not 2/],
  ['an unknown phase', withField('phase', 'done'), /^unknown phase done$/],
  ['no phase', withField('phase', undefined), /^unknown phase undefined$/],
  ['no token', withField('token', undefined), /missing or mistyped/],
  ['a token that is a string', withField('token', 'run-1'), /missing or mistyped/],
  ['a negative generation', withField('token.gen', -1), /missing or mistyped/],
  ['a fractional generation', withField('token.gen', 1.5), /missing or mistyped/],
  ['a generation as a string', withField('token.gen', '3'), /missing or mistyped/],
  ['a generation beyond safe integers', withField('token.gen', 2 ** 53), /missing or mistyped/],
  ['no generation', withField('token.gen', undefined), /missing or mistyped/],
  ['no process in the token', withField('token.proc', undefined), /missing or mistyped/],
  ['a numeric process in the token', withField('token.proc', 42), /missing or mistyped/],
  ['no run in the token', withField('token.runId', undefined), /missing or mistyped/],
  ['no owner in the token', withField('token.owner', undefined), /missing or mistyped/],
  ['wasUnschedulable as a string', withField('wasUnschedulable', 'no'), /missing or mistyped/],
  ['no wasUnschedulable', withField('wasUnschedulable', undefined), /missing or mistyped/],
  ['no boot ID', withField('bootID', undefined), /missing or mistyped/],
  ['startedAt as a date string', withField('startedAt', '2025-01-01T00:00:00Z'), /missing or mistyped/],
  ['no since', withField('since', undefined), /missing or mistyped/],
  ['a need without a reason', withField('need.reason', undefined), /missing or mistyped/],
  ['a need with a string time', withField('need.at', 'now'), /missing or mistyped/],
  ['a need that is a string', withField('need', 'probe'), /missing or mistyped/],
  ['rebootRequestedAt as a string', withField('rebootRequestedAt', 'soon'), /missing or mistyped/],
  ['a numeric newBootID', withField('newBootID', 2), /missing or mistyped/],
  ['a numeric message', withField('message', 1), /missing or mistyped/],
  ['a PDB that is not a string', withField('pdbs', [1]), /missing or mistyped/],
  ['pdbs that are not a list', withField('pdbs', 'd/web'), /missing or mistyped/],
  [
    'a workload without readyBefore',
    withField('workloads', [{ namespace: 'd', kind: 'K', name: 'n' }]),
    /missing or mistyped/,
  ],
  ['workloads that are not a list', withField('workloads', {}), /missing or mistyped/],
];

for (const [what, text, error] of UNREADABLE) {
  test(`a record with ${what} is unreadable`, () => {
    const p = parseNodeRecord(text);
    assert.equal(p.kind, 'unreadable');
    assert.match(p.kind === 'unreadable' ? p.error : '', error);
  });
}

test('a version 1 record, from before fence tokens, is unreadable even when otherwise well formed', () => {
  const v1 = JSON.stringify({
    version: 1,
    runId: 'r1',
    owner: 'alice',
    phase: 'cordoned',
    wasUnschedulable: false,
    bootID: 'boot-1',
    startedAt: T0,
    since: T0,
  });
  const p = parseNodeRecord(v1);
  assert.equal(p.kind, 'unreadable');
  assert.match(p.kind === 'unreadable' ? p.error : '', /version 1/);
});

test('tokens are the same only when run, process, generation and owner all match', () => {
  const cases: [string, Partial<FenceToken>, boolean][] = [
    ['identical', {}, true],
    ['another run', { runId: 'run-2' }, false],
    ['another process of the same run', { proc: 'proc-2' }, false],
    ['a later generation (a takeover)', { gen: 4 }, false],
    ['another owner', { owner: 'bob@ops' }, false],
  ];
  for (const [what, change, same] of cases) {
    assert.equal(sameToken(TOKEN, { ...TOKEN, ...change }), same, what);
    assert.equal(sameToken({ ...TOKEN, ...change }, TOKEN), same, `${what}, reversed`);
  }
});

test('a token is described by owner, run and generation', () => {
  assert.equal(describeToken(TOKEN), 'alice@ops, run run-1, generation 3');
});
