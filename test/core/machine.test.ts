// The per-node state machine: legal moves only, the boot-ID guard, resume decisions, and a property that
// no sequence of events reboots a node twice for one need or uncordons a node an admin had cordoned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  newNodeRecord,
  parseNodeRecord,
  resumeDecision,
  serializeNodeRecord,
  shouldUncordon,
  transition,
  type NodeEvent,
  type NodeRecord,
} from '../../src/core/machine.js';

const T0 = 1_700_000_000_000;
const fresh = (o: Partial<NodeRecord> = {}): NodeRecord => ({
  ...newNodeRecord({ runId: 'r1', owner: 'alice', wasUnschedulable: false, bootID: 'boot-1', now: T0 }),
  ...o,
});

function run(record: NodeRecord, events: NodeEvent[]): NodeRecord {
  let r = record;
  for (const e of events) {
    const t = transition(r, e, T0);
    assert.equal(t.ok, true, t.ok ? '' : t.error);
    if (t.ok) r = t.record;
  }
  return r;
}

test('the happy path goes locked → cordoned → drained → rebooting → rebooted → uncordoned → done', () => {
  const phases: string[] = [];
  let r = fresh();
  const events: NodeEvent[] = [
    { type: 'cordoned' },
    { type: 'drained', workloads: [{ namespace: 'd', kind: 'ReplicaSet', name: 'web', readyBefore: 2 }] },
    { type: 'reboot-requested', currentBootID: 'boot-1' },
    { type: 'boot-seen', bootID: 'boot-2' },
    { type: 'uncordoned' },
    { type: 'healthy' },
  ];
  for (const e of events) {
    r = run(r, [e]);
    phases.push(r.phase);
  }
  assert.deepEqual(phases, ['cordoned', 'drained', 'rebooting', 'rebooted', 'uncordoned', 'done']);
  assert.equal(r.newBootID, 'boot-2');
  assert.equal(r.workloads?.[0]?.name, 'web');
});

test('illegal moves are rejected with the allowed origins', () => {
  const t = transition(fresh(), { type: 'reboot-requested', currentBootID: 'boot-1' }, T0);
  assert.equal(t.ok, false);
  assert.match(t.ok ? '' : t.error, /cannot go from locked on reboot-requested/);
  assert.equal(transition(fresh({ phase: 'done' }), { type: 'cordoned' }, T0).ok, false);
  assert.equal(transition(fresh({ phase: 'rebooting' }), { type: 'abandon', message: 'x' }, T0).ok, false);
});

test('a reboot request is refused once the boot ID changed: the reboot already happened', () => {
  const t = transition(
    fresh({ phase: 'drained' }),
    { type: 'reboot-requested', currentBootID: 'boot-2' },
    T0,
  );
  assert.equal(t.ok, false);
  assert.match(t.ok ? '' : t.error, /already happened/);
});

test('a boot is proven only by a different boot ID', () => {
  assert.equal(
    transition(fresh({ phase: 'rebooting' }), { type: 'boot-seen', bootID: 'boot-1' }, T0).ok,
    false,
  );
});

test('after a failed drain, a reboot needs --force-reboot', () => {
  const failed = fresh({ phase: 'drain-failed' });
  assert.equal(transition(failed, { type: 'reboot-requested', currentBootID: 'boot-1' }, T0).ok, false);
  assert.equal(
    transition(failed, { type: 'reboot-requested', currentBootID: 'boot-1', force: true }, T0).ok,
    true,
  );
});

test('an admin-cordoned node is never uncordoned by this tool', () => {
  assert.equal(shouldUncordon({ wasUnschedulable: true }).ok, false);
  assert.equal(shouldUncordon({ wasUnschedulable: false }).ok, true);
});

test('the record round-trips; malformed records are unreadable', () => {
  const r = run(fresh(), [{ type: 'cordoned' }]);
  assert.deepEqual(parseNodeRecord(serializeNodeRecord(r)), { kind: 'ok', record: r });
  assert.deepEqual(parseNodeRecord(undefined), { kind: 'none' });
  assert.equal(parseNodeRecord('{oops').kind, 'unreadable');
  assert.equal(parseNodeRecord('{"version":1,"phase":"flying"}').kind, 'unreadable');
  assert.equal(parseNodeRecord(JSON.stringify({ ...r, wasUnschedulable: 'no' })).kind, 'unreadable');
});

test('resume decisions for each recorded phase', () => {
  const same = { bootID: 'boot-1' };
  const changed = { bootID: 'boot-2' };
  const d = (phase: NodeRecord['phase'], node: { bootID: string }, force = false): string =>
    resumeDecision({ kind: 'ok', record: fresh({ phase }) }, node, { forceReboot: force }).action;
  assert.equal(d('locked', same), 'cordon');
  assert.equal(d('cordoned', same), 'drain');
  assert.equal(d('drained', same), 'reboot');
  assert.equal(d('cordoned', changed), 'abort');
  assert.equal(d('drain-failed', same), 'abort');
  assert.equal(d('drain-failed', same, true), 'reboot');
  assert.equal(d('rebooting', same), 'reboot');
  assert.equal(d('rebooting', changed), 'wait-ready');
  assert.equal(d('reboot-timeout', changed), 'wait-ready');
  assert.equal(d('rebooted', changed), 'wait-ready');
  assert.equal(d('rebooted', same), 'manual');
  assert.equal(d('ready-timeout', changed), 'wait-ready');
  assert.equal(d('uncordoned', changed), 'wait-healthy');
  assert.equal(d('done', changed), 'clean');
  assert.equal(d('abandoned', same), 'abort');
  assert.equal(resumeDecision({ kind: 'unreadable', error: 'x' }, same).action, 'manual');
  assert.equal(resumeDecision({ kind: 'none' }, same).action, 'cordon');
  assert.match(
    resumeDecision({ kind: 'ok', record: fresh({ phase: 'rebooting' }) }, same).reason,
    /guarded by boot ID boot-1/,
  );
});

// --- property: a node model driven by random events and random resumes -------------------------------

type Cmd = { kind: 'event'; event: NodeEvent['type'] } | { kind: 'resume' } | { kind: 'spontaneous-reboot' };

const eventTypes: NodeEvent['type'][] = [
  'cordoned',
  'drained',
  'drain-failed',
  'reboot-requested',
  'boot-seen',
  'reboot-timeout',
  'uncordoned',
  'ready-timeout',
  'healthy',
  'health-timeout',
  'abandon',
];

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...eventTypes).map((event) => ({ kind: 'event' as const, event })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'spontaneous-reboot' as const }) },
);

test('no sequence of events reboots twice for one need, or uncordons a node cordoned before us', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.boolean(),
      fc.array(cmdArb, { maxLength: 40 }),
      (adminCordoned, force, cmds) => {
        const env = { bootID: 'boot-1', unschedulable: adminCordoned, ourReboots: 0, boots: 0 };
        let record = fresh({ wasUnschedulable: adminCordoned });
        let sawRebooted = false;
        // the guarded trigger: the host does nothing unless the boot ID still matches
        const trigger = (expected: string): void => {
          if (env.bootID !== expected) return;
          env.ourReboots += 1;
          env.boots += 1;
          env.bootID = `boot-${env.boots + 1}`;
        };
        const apply = (event: NodeEvent): void => {
          const t = transition(record, event, T0);
          if (!t.ok) return;
          if (t.record.phase === 'rebooting') {
            assert.equal(sawRebooted, false, 'entered rebooting after the reboot was seen');
            assert.equal(env.bootID, t.record.bootID, 'requested a reboot after the boot ID changed');
            trigger(t.record.bootID);
          }
          if (event.type === 'cordoned') env.unschedulable = true;
          if (event.type === 'uncordoned' && shouldUncordon(t.record).ok) env.unschedulable = false;
          if (t.record.phase === 'rebooted') sawRebooted = true;
          record = t.record;
        };
        const build = (type: NodeEvent['type']): NodeEvent => {
          switch (type) {
            case 'reboot-requested':
              return { type, currentBootID: env.bootID, force };
            case 'boot-seen':
              return { type, bootID: env.bootID };
            case 'drained':
            case 'cordoned':
            case 'uncordoned':
            case 'healthy':
              return { type } as NodeEvent;
            default:
              return { type, message: 'x' } as NodeEvent;
          }
        };
        for (const cmd of cmds) {
          if (cmd.kind === 'spontaneous-reboot') {
            env.boots += 1;
            env.bootID = `boot-${env.boots + 1}`;
          } else if (cmd.kind === 'event') apply(build(cmd.event));
          else {
            const decision = resumeDecision({ kind: 'ok', record }, env, { forceReboot: force });
            if (decision.action === 'reboot') apply(build('reboot-requested'));
            if (decision.action === 'wait-ready') apply(build('boot-seen'));
            if (decision.action === 'abort') apply({ type: 'abandon', message: decision.reason });
          }
          assert.ok(env.ourReboots <= 1, `rebooted ${env.ourReboots} times for one need`);
          if (adminCordoned) assert.equal(env.unschedulable, true, 'uncordoned a node an admin had cordoned');
          assert.equal(record.wasUnschedulable, adminCordoned);
        }
      },
    ),
    { numRuns: 500 },
  );
});
