import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatusReport } from '../../src/app/status.js';
import { toStatusView } from '../../src/cli/status-view.js';
import { renderStatus } from '../../src/ui/status-table.js';

const AT = Date.UTC(2026, 10, 26, 3, 0, 0);

const REPORT: StatusReport = {
  at: AT,
  window: { open: false, canStart: false, nextOpen: AT + 3_600_000, description: 'daily 04:00–05:00 UTC' },
  lock: { holders: ['node-b (ops@host, run 1a2b3c4d)'], expired: [] },
  foreignLock: { free: false, reason: 'kured holds its lock for node-z' },
  rows: [
    {
      name: 'node-a',
      roles: ['worker'],
      zone: 'z1',
      ready: 'True',
      schedulable: false,
      rebootRequired: 'yes',
      why: 'linux-image\nlinux-modules',
      source: 'probe',
      blockedBy: ['pod default/backup matches app=backup'],
    },
    {
      name: 'node-b',
      roles: [],
      ready: 'True',
      schedulable: false,
      rebootRequired: 'yes',
      why: 'sentinel present',
      source: 'annotation',
      blockedBy: [],
      lockHolder: 'node-b (ops@host, run 1a2b3c4d)',
      phase: 'drained',
      phaseMessage: '5 pods evicted',
    },
    {
      name: 'node-c',
      roles: [],
      ready: 'False',
      schedulable: true,
      rebootRequired: 'unknown',
      why: 'check failed: timeout',
      source: 'probe',
      blockedBy: [],
    },
    {
      name: 'node-d',
      roles: [],
      ready: 'True',
      schedulable: true,
      rebootRequired: 'unknown',
      why: 'not checked',
      blockedBy: [],
    },
  ],
};

test('our phase is the state; an admin\u2019s cordon is told apart from ours', () => {
  const view = toStatusView(REPORT);
  assert.deepEqual(
    view.nodes.map((n) => [n.name, n.state, n.lockHeld, n.unschedulable]),
    [
      ['node-a', 'cordoned (not by us)', false, true],
      ['node-b', 'drained: 5 pods evicted', true, true],
      ['node-c', 'idle', false, false],
      ['node-d', 'idle', false, false],
    ],
  );
});

test('sentinel answers keep their source and reason; an unchecked node has none', () => {
  const [a, b, c, d] = toStatusView(REPORT).nodes;
  assert.deepEqual(a?.sentinel, { kind: 'required', reason: 'linux-image\nlinux-modules', source: 'probe' });
  assert.deepEqual(b?.sentinel, { kind: 'required', reason: 'sentinel present', source: 'annotation' });
  assert.deepEqual(c?.sentinel, { kind: 'unknown', error: 'check failed: timeout', source: 'probe' });
  assert.equal(d?.sentinel, undefined);
});

test('the footer shows the closed window, the lock holder and kured\u2019s lock', () => {
  const text = renderStatus(toStatusView(REPORT), 'table', false);
  assert.match(text, /^Window: +closed \(daily 04:00–05:00 UTC\), opens in 1h00m$/m);
  assert.match(text, /^Lock: +held by node-b \(ops@host, run 1a2b3c4d\)$/m);
  assert.match(text, /^kured: +kured holds its lock for node-z$/m);
  assert.match(text, /^node-a +Ready,SchedulingDisabled +yes +cordoned \(not by us\) +-$/m);
  const wide = renderStatus(toStatusView(REPORT), 'wide', false);
  assert.match(wide, /linux-image, linux-modules; pod default\/backup matches app=backup$/m);
});

test('a failed node that holds no slot is named in the footer: its record counts against --concurrency', () => {
  const failed: StatusReport = {
    ...REPORT,
    lock: { holders: [], expired: [] },
    rows: [
      ...REPORT.rows.filter((r) => r.name !== 'node-b'),
      {
        name: 'node-e',
        roles: [],
        ready: 'Unknown',
        schedulable: false,
        rebootRequired: 'unknown',
        why: 'not checked',
        blockedBy: [],
        phase: 'reboot-timeout',
        phaseMessage: 'boot ID still b-1 after 10m',
      },
      // An intent holds nothing and counts for nothing; an unreadable record counts.
      {
        name: 'node-f',
        roles: [],
        ready: 'True',
        schedulable: true,
        rebootRequired: 'no',
        why: '',
        blockedBy: [],
        phase: 'locked',
      },
      {
        name: 'node-g',
        roles: [],
        ready: 'True',
        schedulable: true,
        rebootRequired: 'no',
        why: '',
        blockedBy: [],
        phase: 'unreadable',
        phaseMessage: 'not JSON',
      },
    ],
  };
  const view = toStatusView(failed);
  assert.deepEqual(view.lock.unslotted, ['node-e (reboot-timeout)', 'node-g (unreadable)']);
  const text = renderStatus(view, 'table', false);
  assert.match(
    text,
    /^Lock: +free; in progress without a slot, counted against --concurrency: node-e \(reboot-timeout\), node-g \(unreadable\)$/m,
  );
  const json = JSON.parse(renderStatus(view, 'json', false)) as { lock: Record<string, unknown> };
  assert.deepEqual(json.lock['inProgressWithoutSlot'], ['node-e (reboot-timeout)', 'node-g (unreadable)']);
  // A node that holds its slot is not named twice.
  assert.deepEqual(toStatusView(REPORT).lock.unslotted, []);
});
