// Blockers combined as "any blocks"; kured's ALERTS filtering semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertsVerdict, anyBlocks, filterAlerts, type AlertSample } from '../../src/core/blockers.js';

test('nothing blocks when every blocker says free', () => {
  const v = anyBlocks([
    { name: 'prometheus', blocked: false, reasons: [] },
    { name: 'pods', blocked: false, reasons: [] },
  ]);
  assert.equal(v.blocked, false);
  assert.deepEqual(v.reasons, []);
});

test('one blocking blocker blocks, with its reasons prefixed by its name', () => {
  const v = anyBlocks([
    { name: 'prometheus', blocked: false, reasons: [] },
    { name: 'pods', blocked: true, reasons: ['default/backup is running'] },
  ]);
  assert.equal(v.blocked, true);
  assert.deepEqual(v.by, ['pods']);
  assert.deepEqual(v.reasons, ['pods: default/backup is running']);
});

test('an error counts as blocked and keeps its cause', () => {
  const v = anyBlocks([{ name: 'prometheus', error: 'connect ECONNREFUSED' }]);
  assert.equal(v.blocked, true);
  assert.match(v.reasons[0] ?? '', /prometheus: could not check, counted as blocked: connect ECONNREFUSED/);
});

const alerts: AlertSample[] = [
  { labels: { alertname: 'NodeDown', alertstate: 'firing' } },
  { labels: { alertname: 'Watchdog', alertstate: 'firing' } },
  { labels: { alertname: 'DiskSlow', alertstate: 'pending' } },
  { labels: { alertname: 'NodeDown', alertstate: 'firing', instance: 'b' } },
  { labels: { alertname: 'Zero', alertstate: 'firing' }, value: 0 },
];

test('without a filter every active alert counts, deduplicated and sorted', () => {
  assert.deepEqual(filterAlerts(alerts, {}), ['DiskSlow', 'NodeDown', 'Watchdog']);
});

test('the regexp excludes matching alerts', () => {
  assert.deepEqual(filterAlerts(alerts, { filterRegexp: /^(Watchdog|DiskSlow)$/ }), ['NodeDown']);
});

test('with matchOnly only alerts matching the regexp count', () => {
  assert.deepEqual(filterAlerts(alerts, { filterRegexp: /^Node/, matchOnly: true }), ['NodeDown']);
});

test('firingOnly drops pending alerts', () => {
  assert.deepEqual(filterAlerts(alerts, { firingOnly: true }), ['NodeDown', 'Watchdog']);
});

test('a global regexp does not skip alerts through its lastIndex', () => {
  const re = /Node/g;
  assert.deepEqual(filterAlerts(alerts, { filterRegexp: re, matchOnly: true }), ['NodeDown']);
});

test('the verdict for counted alerts names them', () => {
  assert.deepEqual(alertsVerdict([]), { blocked: false, reasons: [] });
  assert.deepEqual(alertsVerdict(['A', 'B']).reasons, ['2 active alert(s): A, B']);
});
