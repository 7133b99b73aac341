import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { renderStatus, type StatusView } from '../../src/ui/status-table.js';
import { colorEnabled } from '../../src/ui/color.js';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);

const VIEW: StatusView = {
  at: NOW,
  window: { open: true, closesAt: NOW + 90 * 60_000, description: 'mon-fri 03:00–05:00 UTC' },
  lock: { holders: ['node-2'], expired: [] },
  blockers: { blocked: false, reasons: [] },
  nodes: [
    {
      name: 'node-1',
      ready: 'True',
      unschedulable: false,
      sentinel: { kind: 'required', reason: 'linux-image-6.8', source: 'probe' },
      state: 'idle',
      lockHeld: false,
      zone: 'zone-a',
      roles: ['worker'],
      kernel: '6.8.0-48',
      readySince: NOW - 3 * 86_400_000,
    },
    {
      name: 'node-2',
      ready: 'False',
      unschedulable: true,
      sentinel: { kind: 'required', reason: '', source: 'annotation' },
      state: 'rebooting',
      lockHeld: true,
      zone: 'zone-b',
      roles: [],
      readySince: NOW - 60_000,
    },
    {
      name: 'control-plane-1',
      ready: 'True',
      unschedulable: false,
      sentinel: { kind: 'unknown', error: 'check pod timed out', source: 'probe' },
      state: 'failed: drain timed out',
      lockHeld: false,
      roles: ['control-plane'],
      reasons: ['excluded by label'],
    },
    { name: 'node-4', ready: 'Unknown', unschedulable: false, state: 'idle', lockHeld: false, roles: [] },
  ],
};

test('the table has kubectl-style columns, aligned, and a footer with window, lock and blockers', () => {
  assert.equal(
    renderStatus(VIEW, 'table', false),
    [
      'NODE              STATUS                        REBOOT    STATE                     LOCK',
      'node-1            Ready                         yes       idle                      -',
      'node-2            NotReady,SchedulingDisabled   yes       rebooting                 held',
      'control-plane-1   Ready                         unknown   failed: drain timed out   -',
      'node-4            Unknown                       -         idle                      -',
      '',
      'Window:   open (mon-fri 03:00–05:00 UTC), closes in 1h30m',
      'Lock:     held by node-2',
      'Blockers: none',
      '',
    ].join('\n'),
  );
});

test('-o wide adds zone, roles, kernel, time Ready and reasons', () => {
  const lines = renderStatus(VIEW, 'wide', false).split('\n');
  assert.match(lines[0] ?? '', /^NODE +STATUS +REBOOT +STATE +LOCK +ZONE +ROLES +KERNEL +READY-FOR +REASON$/);
  assert.match(lines[1] ?? '', /node-1 .* zone-a +worker +6\.8\.0-48 +3d00h +linux-image-6\.8$/);
  // NotReady: no time Ready, whatever readySince says.
  assert.match(lines[2] ?? '', /node-2 .* zone-b +<none> +- +- +-$/);
  assert.match(
    lines[3] ?? '',
    /^control-plane-1 .* - +control-plane +- +- +check pod timed out; excluded by label$/,
  );
  assert.match(lines[4] ?? '', /^node-4 .* - +<none> +- +- +-$/);
});

test('colour marks states but the text underneath is the same table', () => {
  const colored = renderStatus(VIEW, 'table', true);
  assert.ok(colored.includes('\u001b[31m'), 'NotReady in red');
  assert.ok(colored.includes('\u001b[33m'), 'reboot required in yellow');
  // eslint-disable-next-line no-control-regex
  assert.equal(colored.replace(/\u001b\[[0-9;]*m/g, ''), renderStatus(VIEW, 'table', false));
});

test('json and yaml carry the same document, with times in RFC 3339', () => {
  const json = JSON.parse(renderStatus(VIEW, 'json', false)) as Record<string, unknown>;
  const yaml = parseYaml(renderStatus(VIEW, 'yaml', false)) as Record<string, unknown>;
  assert.deepEqual(yaml, json);
  assert.equal(json['at'], '2026-11-26T03:00:00Z');
  const nodes = json['nodes'] as Record<string, unknown>[];
  assert.equal(nodes[0]?.['rebootRequired'], 'yes');
  assert.equal(nodes[0]?.['readySince'], '2026-11-23T03:00:00Z');
  assert.equal(nodes[3]?.['rebootRequired'], 'unchecked');
  assert.deepEqual(json['window'], {
    open: true,
    description: 'mon-fri 03:00–05:00 UTC',
    closesAt: '2026-11-26T04:30:00Z',
  });
  assert.equal(renderStatus(VIEW, 'json', true).includes('\u001b'), false);
});

test('an empty cluster says so instead of printing a bare header', () => {
  const text = renderStatus({ ...VIEW, nodes: [], window: undefined, blockers: undefined }, 'table', false);
  assert.equal(text, 'No nodes matched.\n\nLock:     held by node-2\n');
});

test('colour is off without a terminal, with --no-color, with NO_COLOR, and for TERM=dumb', () => {
  assert.equal(colorEnabled({ isTTY: true, env: {} }), true);
  assert.equal(colorEnabled({ isTTY: false, env: {} }), false);
  assert.equal(colorEnabled({ isTTY: true, noColorFlag: true, env: {} }), false);
  assert.equal(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } }), false);
  assert.equal(colorEnabled({ isTTY: true, env: { NO_COLOR: '' } }), true);
  assert.equal(colorEnabled({ isTTY: true, env: { TERM: 'dumb' } }), false);
});

test('an unreadable lock, expired holds and kured\u2019s lock are spelled out in the footer', () => {
  const text = renderStatus(
    {
      ...VIEW,
      nodes: [],
      lock: {
        holders: [],
        expired: ['node-9 (ci@runner, run 5e6f7a8b)'],
        error: 'record is not JSON',
        foreign: 'kured lock held by node-7',
      },
    },
    'table',
    false,
  );
  assert.match(
    text,
    /^Lock: +unreadable, nothing will start: record is not JSON \(expired: node-9 \(ci@runner, run 5e6f7a8b\)\)$/m,
  );
  assert.match(text, /^kured: +kured lock held by node-7$/m);
});
