// A fixed, realistic sequence of RunEvents covering every event type; the golden UI tests render it.
import type { RunEvent } from '../../src/core/events.js';

const T0 = Date.UTC(2026, 10, 26, 3, 0, 0); // 2026-11-26T03:00:00Z
const at = (s: number): number => T0 + s * 1000;

export const FIXTURE_EVENTS: readonly RunEvent[] = [
  { type: 'run-start', at: at(0), runId: 'r-7f3a', dryRun: false },
  {
    type: 'window',
    at: at(0),
    window: { open: true, closesAt: at(7200), description: 'mon-fri 03:00–05:00 UTC' },
  },
  {
    type: 'probe',
    at: at(1),
    node: 'node-1',
    result: { kind: 'required', reason: 'linux-image-6.8.0-49', source: 'probe' },
  },
  { type: 'probe', at: at(1), node: 'node-2', result: { kind: 'required', reason: '', source: 'probe' } },
  { type: 'probe', at: at(1), node: 'node-3', result: { kind: 'not-required', source: 'probe' } },
  {
    type: 'probe',
    at: at(2),
    node: 'node-4',
    result: { kind: 'unknown', error: 'check pod exited 2:\nnsenter: permission denied', source: 'probe' },
  },
  { type: 'step', at: at(2), node: 'node-1', step: 'lock' },
  { type: 'lock', at: at(2), node: 'node-1', action: 'acquired', holders: ['node-1'] },
  { type: 'step', at: at(2), node: 'node-2', step: 'wait', message: 'lock held by node-1' },
  { type: 'step', at: at(3), node: 'node-1', step: 'cordon' },
  { type: 'step', at: at(3), node: 'node-1', step: 'drain' },
  {
    type: 'drain-progress',
    at: at(5),
    node: 'node-1',
    evicted: 3,
    total: 5,
    waiting: [
      {
        pod: 'default/web-x',
        pdb: 'default/web',
        message: 'Cannot evict pod as it would violate the pod\u2019s disruption budget.',
      },
      { pod: 'kube-system/coredns-1', message: 'terminating' },
    ],
  },
  {
    type: 'log',
    at: at(6),
    level: 'debug',
    node: 'node-1',
    message: 'retrying eviction of default/web-x in 5s',
  },
  { type: 'drain-progress', at: at(12), node: 'node-1', evicted: 5, total: 5, waiting: [] },
  { type: 'step', at: at(12), node: 'node-1', step: 'reboot', message: 'boot ID 4f1c…' },
  { type: 'reboot-progress', at: at(13), node: 'node-1', stage: 'triggered', elapsedMs: 800 },
  { type: 'reboot-progress', at: at(40), node: 'node-1', stage: 'down', elapsedMs: 27_400 },
  { type: 'step', at: at(95), node: 'node-1', step: 'back' },
  { type: 'reboot-progress', at: at(95), node: 'node-1', stage: 'up', elapsedMs: 82_000 },
  { type: 'reboot-progress', at: at(125), node: 'node-1', stage: 'ready', elapsedMs: 112_000 },
  { type: 'log', at: at(126), level: 'warn', message: 'alert text with \u001b[31mcolour\u001b[0m codes' },
  { type: 'step', at: at(126), node: 'node-1', step: 'done', message: 'uncordoned' },
  {
    type: 'node-result',
    at: at(126),
    node: 'node-1',
    outcome: 'rebooted',
    reason: 'new boot ID, Ready for 30s',
  },
  { type: 'lock', at: at(127), node: 'node-1', action: 'released', holders: [] },
  {
    type: 'blocked',
    at: at(128),
    reasons: ['alert KubeNodeNotReady firing', 'pod default/batch-1 matches --blocking-pod-selector'],
  },
  { type: 'step', at: at(128), node: 'node-2', step: 'blocked', message: 'alert KubeNodeNotReady firing' },
  { type: 'node-result', at: at(129), node: 'node-4', outcome: 'skipped', reason: 'sentinel unknown' },
  {
    type: 'run-end',
    at: at(130),
    exitCode: 3,
    rebooted: ['node-1'],
    failed: [],
    pending: ['node-2'],
    reason: 'blocked by alerts',
  },
];
