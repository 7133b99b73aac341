// Parsing kured's lock annotation: single and multi holder forms, TTL expiry, malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKuredLock } from '../../src/adapters/k8s/kured-lock.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const NS_PER_MIN = 60e9;

test('absent or empty annotation means kured holds nothing', () => {
  assert.deepEqual(parseKuredLock(undefined, now), []);
  assert.deepEqual(parseKuredLock('', now), []);
  assert.deepEqual(parseKuredLock('{"maxOwners":2,"locks":[]}', now), []);
  assert.deepEqual(parseKuredLock('{"maxOwners":2,"locks":null}', now), []);
});

test('single holder without TTL holds forever', () => {
  const v = JSON.stringify({
    nodeID: 'n1',
    metadata: { unschedulable: false },
    created: '2020-01-01T00:00:00Z',
    TTL: 0,
  });
  assert.deepEqual(parseKuredLock(v, now), ['n1']);
});

test('single holder with an expired TTL is ignored, a live one counts', () => {
  const expired = JSON.stringify({ nodeID: 'n1', created: '2024-05-01T11:00:00Z', TTL: 30 * NS_PER_MIN });
  const live = JSON.stringify({ nodeID: 'n2', created: '2024-05-01T11:50:00Z', TTL: 30 * NS_PER_MIN });
  assert.deepEqual(parseKuredLock(expired, now), []);
  assert.deepEqual(parseKuredLock(live, now), ['n2']);
});

test('manual pause shows up as the holder "manual"', () => {
  assert.deepEqual(parseKuredLock('{"nodeID":"manual"}', now), ['manual']);
});

test('multi-holder form lists the live holders only', () => {
  const v = JSON.stringify({
    maxOwners: 3,
    locks: [
      { nodeID: 'a', created: '2024-05-01T11:59:00Z', TTL: NS_PER_MIN * 5 },
      { nodeID: 'b', created: '2024-05-01T10:00:00Z', TTL: NS_PER_MIN * 5 },
      { nodeID: 'c', created: '2024-05-01T10:00:00Z', TTL: 0 },
    ],
  });
  assert.deepEqual(parseKuredLock(v, now), ['a', 'c']);
});

test('malformed annotations throw, so the lock counts as unknown', () => {
  assert.throws(
    () => parseKuredLock('{not json', now, 'DS kube-system/kured'),
    /kube-system\/kured.*not JSON/,
  );
  assert.throws(() => parseKuredLock('[1,2]', now), /not a JSON object/);
  assert.throws(() => parseKuredLock('{"locks":"x"}', now), /not a list/);
  assert.throws(() => parseKuredLock('{"created":"2024-01-01T00:00:00Z"}', now), /no nodeID/);
  assert.throws(() => parseKuredLock('{"nodeID":"n","TTL":5}', now), /no valid "created"/);
});
