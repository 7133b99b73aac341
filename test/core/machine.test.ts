// The per-node state machine as tables: every phase rule exactly as written, every resume decision, every
// legal move and the refusal of all others, the boot-ID guard, what a cordon records, and a property that no
// sequence of events and resumes reboots a node twice for one need or uncordons a node an admin had cordoned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  countsInProgress,
  FAILURE_PHASES,
  newNodeRecord,
  NodePhase,
  PHASES,
  resumeDecision,
  shouldUncordon,
  STEPS,
  transition,
  TRIGGERED_PHASES,
  withEvidence,
  type NodeEvent,
  type NodeRecord,
  type PhaseRule,
  type ResumeDecision,
} from '../../src/core/machine.js';

const T0 = 1_700_000_000_000;
const T1 = T0 + 60_000;
const TOKEN = { owner: 'alice@ops', runId: 'run-1', proc: 'proc-1', gen: 0 };
const ALL_PHASES = Object.values(NodePhase);

const rec = (o: Partial<NodeRecord> = {}): NodeRecord => ({
  ...newNodeRecord({ token: TOKEN, wasUnschedulable: false, bootID: 'boot-1', now: T0 }),
  ...o,
});

function step(record: NodeRecord, event: NodeEvent, now = T1): NodeRecord {
  const t = transition(record, event, now);
  assert.equal(t.ok, true, t.ok ? '' : t.error);
  return t.ok ? t.record : record;
}

// --- the phase rules ------------------------------------------------------------------------------------

const rule = (
  triggered: boolean,
  counts: boolean,
  needsEvidence: boolean,
  sameBoot: PhaseRule['sameBoot'],
  newBoot: PhaseRule['newBoot'],
  whenGateClosed: PhaseRule['whenGateClosed'],
): PhaseRule => ({ triggered, counts, needsEvidence, sameBoot, newBoot, whenGateClosed });

// prettier-ignore
const RULES: readonly [NodePhase, PhaseRule][] = [
  //                     triggered counts  evidence  same boot           new boot        closed gate
  ['locked',         rule(false,    false,  true,     'cordon',           'cordon',       'undo')],
  ['cordoned',       rule(false,    true,   true,     'cordon',           'undo',         'undo')],
  ['drained',        rule(false,    true,   true,     'cordon',           'undo',         'undo')],
  ['drain-failed',   rule(false,    true,   true,     'cordon-if-forced', 'undo',         'undo')],
  ['rebooting',      rule(true,     true,   false,    'cordon',           'wait-boot',    'wait')],
  ['reboot-timeout', rule(true,     true,   false,    'cordon',           'wait-boot',    'wait')],
  ['rebooted',       rule(true,     true,   false,    'manual',           'wait-ready',   'wait')],
  ['ready-timeout',  rule(true,     true,   false,    'manual',           'wait-ready',   'wait')],
  ['uncordoned',     rule(true,     true,   false,    'manual',           'wait-healthy', 'wait')],
  ['health-timeout', rule(true,     true,   false,    'manual',           'wait-healthy', 'wait')],
];

test('the phase table has one rule for every phase and no other', () => {
  assert.deepEqual(Object.keys(PHASES).sort(), [...ALL_PHASES].sort());
  assert.deepEqual(RULES.map(([p]) => p).sort(), [...ALL_PHASES].sort());
});

for (const [phase, want] of RULES) {
  test(`phase rule for ${phase}: triggered ${want.triggered}, counts ${want.counts}, evidence ${want.needsEvidence}, resumes at ${want.sameBoot} / ${want.newBoot}, closed gate ${want.whenGateClosed}`, () => {
    assert.deepEqual(PHASES[phase], want);
  });
}

test('the triggered and failure phase sets follow the table', () => {
  assert.deepEqual([...TRIGGERED_PHASES].sort(), [
    'health-timeout',
    'ready-timeout',
    'reboot-timeout',
    'rebooted',
    'rebooting',
    'uncordoned',
  ]);
  assert.deepEqual([...FAILURE_PHASES].sort(), [
    'drain-failed',
    'health-timeout',
    'ready-timeout',
    'reboot-timeout',
  ]);
});

test('the steps of one node run check, cordon, drain, gate, trigger, wait-boot, wait-ready, uncordon, wait-healthy, finish', () => {
  assert.deepEqual(
    [...STEPS],
    [
      'check',
      'cordon',
      'drain',
      'gate',
      'trigger',
      'wait-boot',
      'wait-ready',
      'uncordon',
      'wait-healthy',
      'finish',
    ],
  );
  // Every resume start that is a step is one of STEPS.
  for (const [, want] of RULES) {
    for (const s of [want.sameBoot, want.newBoot]) {
      if (s !== 'undo' && s !== 'manual' && s !== 'cordon-if-forced') assert.ok(STEPS.includes(s), s);
    }
  }
});

// --- resume decisions -------------------------------------------------------------------------------------

type Expect = Omit<ResumeDecision, 'reason'>;
const cordon = (gate: 'undo' | 'wait', needsEvidence: boolean): Expect => ({
  start: 'cordon',
  gate,
  needsEvidence,
});
const only = (start: Expect['start']): Expect => ({ start, needsEvidence: false });

// phase, same boot (force off), same boot (force on), new boot (force off), new boot (force on)
const RESUMES: readonly [NodePhase, Expect, Expect, Expect, Expect][] = [
  ['locked', cordon('undo', true), cordon('undo', true), cordon('undo', true), cordon('undo', true)],
  ['cordoned', cordon('undo', true), cordon('undo', true), only('undo'), only('undo')],
  ['drained', cordon('undo', true), cordon('undo', true), only('undo'), only('undo')],
  ['drain-failed', only('undo'), cordon('undo', true), only('undo'), only('undo')],
  ['rebooting', cordon('wait', false), cordon('wait', false), only('wait-boot'), only('wait-boot')],
  ['reboot-timeout', cordon('wait', false), cordon('wait', false), only('wait-boot'), only('wait-boot')],
  ['rebooted', only('manual'), only('manual'), only('wait-ready'), only('wait-ready')],
  ['ready-timeout', only('manual'), only('manual'), only('wait-ready'), only('wait-ready')],
  ['uncordoned', only('manual'), only('manual'), only('wait-healthy'), only('wait-healthy')],
  ['health-timeout', only('manual'), only('manual'), only('wait-healthy'), only('wait-healthy')],
];

test('the resume table covers every phase', () => {
  assert.deepEqual(RESUMES.map(([p]) => p).sort(), [...ALL_PHASES].sort());
});

for (const [phase, ...cells] of RESUMES) {
  const cases = [
    ['same boot', 'boot-1', false],
    ['same boot, --force-reboot', 'boot-1', true],
    ['new boot', 'boot-2', false],
    ['new boot, --force-reboot', 'boot-2', true],
  ] as const;
  for (const [i, [what, bootID, forceReboot]] of cases.entries()) {
    const want = cells[i]!;
    const gate = want.gate === undefined ? 'no gate' : `gate ${want.gate}`;
    test(`resume ${phase} on the ${what}: ${want.start}, ${gate}, evidence ${want.needsEvidence}`, () => {
      const d = resumeDecision({ kind: 'ok', record: rec({ phase }) }, { bootID }, { forceReboot });
      const { reason, ...rest } = d;
      assert.deepEqual(rest, want);
      assert.ok(reason.includes(phase), reason);
    });
  }
}

test('an unreadable record is left to a person, naming the error', () => {
  const d = resumeDecision({ kind: 'unreadable', error: 'not JSON: oops' }, { bootID: 'boot-1' });
  assert.equal(d.start, 'manual');
  assert.equal(d.needsEvidence, false);
  assert.equal(d.gate, undefined);
  assert.match(d.reason, /unreadable \(not JSON: oops\).*remove the annotation/);
});

test('no record starts at cordon behind the gates and must see the need', () => {
  for (const forceReboot of [false, true]) {
    const { reason, ...rest } = resumeDecision({ kind: 'none' }, { bootID: 'boot-1' }, { forceReboot });
    assert.deepEqual(rest, { start: 'cordon', gate: 'undo', needsEvidence: true });
    assert.match(reason, /no state recorded/);
  }
});

test('resume reasons say why: the boot-ID guard, a reboot on its own, the recorded message, an inconsistency', () => {
  const r = (phase: NodePhase, bootID: string, o: Partial<NodeRecord> = {}): string =>
    resumeDecision({ kind: 'ok', record: rec({ phase, ...o }) }, { bootID }).reason;
  assert.match(
    r('rebooting', 'boot-1'),
    /re-cordon, re-drain and pass the gates .*guarded by boot ID boot-1/,
  );
  assert.match(r('cordoned', 'boot-2'), /rebooted on its own since: boot ID boot-2 \(was boot-1\); undo/);
  assert.match(
    r('drain-failed', 'boot-1', { message: 'pdb web blocks' }),
    /\(pdb web blocks\): undo the cordon/,
  );
  assert.match(
    r('rebooted', 'boot-1'),
    /recorded as rebooted but boot ID boot-1 \(unchanged\): inconsistent/,
  );
  assert.match(r('uncordoned', 'boot-2'), /resume at wait-healthy/);
});

// --- transitions --------------------------------------------------------------------------------------------

/** Events that pass every guard on a record made on boot-1. */
const EVENTS: Readonly<Record<NodeEvent['type'], NodeEvent>> = {
  cordoned: { type: 'cordoned', wasUnschedulable: true, bootID: 'boot-1' },
  drained: { type: 'drained' },
  'drain-failed': { type: 'drain-failed', message: 'pdb web blocks' },
  'reboot-requested': { type: 'reboot-requested', currentBootID: 'boot-1', force: true },
  'boot-seen': { type: 'boot-seen', bootID: 'boot-2' },
  'reboot-timeout': { type: 'reboot-timeout', message: 'no new boot in 10m' },
  'ready-timeout': { type: 'ready-timeout', message: 'not Ready in 10m' },
  uncordoned: { type: 'uncordoned' },
  'health-timeout': { type: 'health-timeout', message: 'web 1/2 ready' },
};

/** Every legal move: event, from, to. Anything not listed is refused. */
const MOVES: readonly [NodeEvent['type'], NodePhase, NodePhase][] = [
  ['cordoned', 'locked', 'cordoned'],
  ['cordoned', 'cordoned', 'cordoned'],
  ['cordoned', 'drained', 'cordoned'],
  ['cordoned', 'drain-failed', 'cordoned'],
  ['cordoned', 'rebooting', 'rebooting'],
  ['cordoned', 'reboot-timeout', 'reboot-timeout'],
  ['drained', 'cordoned', 'drained'],
  ['drained', 'drained', 'drained'], // drained again after an uncordon seen during the drain
  ['drained', 'rebooting', 'rebooting'],
  ['drained', 'reboot-timeout', 'reboot-timeout'],
  ['drain-failed', 'cordoned', 'drain-failed'],
  ['drain-failed', 'drained', 'drain-failed'],
  ['drain-failed', 'rebooting', 'reboot-timeout'],
  ['drain-failed', 'reboot-timeout', 'reboot-timeout'],
  ['reboot-requested', 'drained', 'rebooting'],
  ['reboot-requested', 'drain-failed', 'rebooting'],
  ['reboot-requested', 'rebooting', 'rebooting'],
  ['reboot-requested', 'reboot-timeout', 'rebooting'],
  ['boot-seen', 'rebooting', 'rebooted'],
  ['boot-seen', 'reboot-timeout', 'rebooted'],
  ['reboot-timeout', 'rebooting', 'reboot-timeout'],
  ['ready-timeout', 'rebooted', 'ready-timeout'],
  ['ready-timeout', 'ready-timeout', 'ready-timeout'], // a resume that times out again records it again
  ['uncordoned', 'rebooted', 'uncordoned'],
  ['uncordoned', 'ready-timeout', 'uncordoned'],
  ['health-timeout', 'uncordoned', 'health-timeout'],
  ['health-timeout', 'health-timeout', 'health-timeout'],
];

for (const [type, from, to] of MOVES) {
  test(`${type} moves ${from} to ${to}`, () => {
    const t = transition(rec({ phase: from, message: 'earlier' }), EVENTS[type], T1);
    assert.equal(t.ok, true, t.ok ? '' : t.error);
    if (!t.ok) return;
    assert.equal(t.record.phase, to);
    assert.equal(t.record.since, T1);
    assert.equal(t.record.startedAt, T0);
    assert.deepEqual(t.record.token, TOKEN);
    const message = 'message' in EVENTS[type] ? EVENTS[type].message : undefined;
    assert.equal(t.record.message, message, 'the previous message is dropped; a failure records its own');
  });
}

test('every other event and phase pair is refused, naming the phase, the event and where it is allowed from', () => {
  let refused = 0;
  for (const type of Object.keys(EVENTS) as NodeEvent['type'][]) {
    const allowed = MOVES.filter(([t]) => t === type).map(([, from]) => from);
    for (const from of ALL_PHASES.filter((p) => !allowed.includes(p))) {
      const t = transition(rec({ phase: from }), EVENTS[type], T1);
      assert.equal(t.ok, false, `${type} from ${from}`);
      if (t.ok) continue;
      assert.equal(t.error, `cannot go from ${from} on ${type} (allowed from ${allowed.join(', ')})`);
      refused += 1;
    }
  }
  assert.equal(refused, Object.keys(EVENTS).length * ALL_PHASES.length - MOVES.length);
});

const ILLEGAL: readonly [string, NodePhase, NodeEvent['type']][] = [
  ['a reboot is never requested before the drain', 'cordoned', 'reboot-requested'],
  ['a reboot is never requested from an intent', 'locked', 'reboot-requested'],
  ['an intent is never drained before it is cordoned', 'locked', 'drained'],
  ['a rebooted node is not cordoned again', 'rebooted', 'cordoned'],
  ['a rebooted node is not asked to reboot again', 'rebooted', 'reboot-requested'],
  ['an uncordoned node is not re-cordoned', 'uncordoned', 'cordoned'],
  ['a boot is not seen on a node never asked to reboot', 'drained', 'boot-seen'],
  ['a failed drain does not become drained', 'drain-failed', 'drained'],
  ['a health timeout is final', 'health-timeout', 'uncordoned'],
];

for (const [what, from, type] of ILLEGAL) {
  test(`${what} (${type} from ${from} is refused)`, () => {
    const t = transition(rec({ phase: from }), EVENTS[type], T1);
    assert.equal(t.ok, false);
    assert.match(t.ok ? '' : t.error, new RegExp(`^cannot go from ${from} on ${type} \\(allowed from `));
  });
}

test('the happy path goes locked → cordoned → drained → rebooting → rebooted → uncordoned', () => {
  const phases: string[] = [];
  let r = rec();
  const events: NodeEvent[] = [
    { type: 'cordoned', wasUnschedulable: false, bootID: 'boot-1' },
    { type: 'drained', workloads: [{ namespace: 'd', kind: 'ReplicaSet', name: 'web', readyBefore: 2 }] },
    { type: 'reboot-requested', currentBootID: 'boot-1' },
    { type: 'boot-seen', bootID: 'boot-2' },
    { type: 'uncordoned' },
  ];
  for (const e of events) {
    r = step(r, e);
    phases.push(r.phase);
  }
  assert.deepEqual(phases, ['cordoned', 'drained', 'rebooting', 'rebooted', 'uncordoned']);
  assert.equal(r.newBootID, 'boot-2');
  assert.equal(r.rebootRequestedAt, T1);
  assert.equal(r.workloads?.[0]?.name, 'web');
});

test('the first cordon, from locked, records what was there before: wasUnschedulable and the boot ID', () => {
  const r = step(rec({ bootID: 'boot-old' }), { type: 'cordoned', wasUnschedulable: true, bootID: 'boot-1' });
  assert.equal(r.wasUnschedulable, true);
  assert.equal(r.bootID, 'boot-1');
});

for (const from of ['cordoned', 'drained', 'drain-failed', 'rebooting', 'reboot-timeout'] as const) {
  test(`a re-cordon from ${from} keeps the recorded wasUnschedulable and boot ID while the node is still cordoned: an admin's cordon is never overwritten`, () => {
    for (const wasUnschedulable of [true, false]) {
      const r = step(rec({ phase: from, wasUnschedulable }), {
        type: 'cordoned',
        // By now the node is unschedulable because we cordoned it, and may report another boot.
        wasUnschedulable: true,
        bootID: 'boot-9',
      });
      assert.equal(r.wasUnschedulable, wasUnschedulable);
      assert.equal(r.bootID, 'boot-1');
    }
  });
}

test('a triggered phase stays triggered while it is re-cordoned and re-drained', () => {
  const cases: [NodePhase, NodeEvent, NodePhase][] = [
    ['rebooting', EVENTS.cordoned, 'rebooting'],
    ['rebooting', EVENTS.drained, 'rebooting'],
    ['rebooting', EVENTS['drain-failed'], 'reboot-timeout'],
    ['reboot-timeout', EVENTS.cordoned, 'reboot-timeout'],
    ['reboot-timeout', EVENTS.drained, 'reboot-timeout'],
    ['reboot-timeout', EVENTS['drain-failed'], 'reboot-timeout'],
  ];
  for (const [from, event, to] of cases) {
    const r = step(rec({ phase: from, rebootRequestedAt: T0 }), event);
    assert.equal(r.phase, to, `${from} + ${event.type}`);
    assert.ok(PHASES[r.phase].triggered);
    assert.equal(r.rebootRequestedAt, T0, 'the earlier request is remembered');
  }
});

test('a reboot request is refused once the boot ID changed: the reboot already happened', () => {
  for (const from of ['drained', 'drain-failed', 'rebooting', 'reboot-timeout'] as const) {
    const t = transition(
      rec({ phase: from }),
      { type: 'reboot-requested', currentBootID: 'boot-2', force: true },
      T1,
    );
    assert.equal(t.ok, false, from);
    assert.equal(
      t.ok ? '' : t.error,
      'boot ID is boot-2, not the recorded boot-1: the reboot already happened',
    );
  }
});

test('after a failed drain, a reboot needs --force-reboot', () => {
  const failed = rec({ phase: 'drain-failed', message: 'pdb web blocks' });
  for (const force of [undefined, false]) {
    const t = transition(failed, { type: 'reboot-requested', currentBootID: 'boot-1', force }, T1);
    assert.equal(t.ok, false);
    assert.match(t.ok ? '' : t.error, /needs --force-reboot/);
  }
  const forced = step(failed, { type: 'reboot-requested', currentBootID: 'boot-1', force: true });
  assert.equal(forced.phase, 'rebooting');
  assert.equal(forced.rebootRequestedAt, T1);
  assert.equal(forced.message, undefined);
});

test('a boot is proven only by a different boot ID', () => {
  for (const from of ['rebooting', 'reboot-timeout'] as const) {
    const t = transition(rec({ phase: from }), { type: 'boot-seen', bootID: 'boot-1' }, T1);
    assert.equal(t.ok, false);
    assert.match(t.ok ? '' : t.error, /boot ID boot-1 is still the pre-reboot one/);
    assert.equal(step(rec({ phase: from }), EVENTS['boot-seen']).newBootID, 'boot-2');
  }
});

test('a drain records its workloads and PDBs; a drain without them keeps the earlier ones', () => {
  const workloads = [{ namespace: 'd', kind: 'StatefulSet', name: 'db', readyBefore: 3 }];
  const r = step(rec({ phase: 'cordoned' }), { type: 'drained', workloads, pdbs: ['d/db'] });
  assert.deepEqual(r.workloads, workloads);
  assert.deepEqual(r.pdbs, ['d/db']);
  const again = step({ ...r, phase: 'rebooting' }, { type: 'drained' });
  assert.deepEqual(again.workloads, workloads);
  assert.deepEqual(again.pdbs, ['d/db']);
});

test('a transition never changes the input record', () => {
  const r = rec({ phase: 'drained', message: 'x' });
  const copy = structuredClone(r);
  step(r, { type: 'reboot-requested', currentBootID: 'boot-1' });
  assert.deepEqual(r, copy);
});

test('evidence of the need is recorded on the record', () => {
  const need = { source: 'probe', reason: '/var/run/reboot-required exists', at: T1 };
  const r = withEvidence(rec({ phase: 'cordoned' }), need);
  assert.deepEqual(r.need, need);
  assert.equal(r.phase, 'cordoned');
  assert.deepEqual(step(r, EVENTS.drained).need, need, 'kept across moves');
});

// --- counting and uncordoning ----------------------------------------------------------------------------

test('in progress for the limits: no record no, an unreadable one yes, locked no, every later phase yes', () => {
  assert.equal(countsInProgress({ kind: 'none' }), false);
  assert.equal(countsInProgress({ kind: 'unreadable', error: 'x' }), true);
  const want: Record<NodePhase, boolean> = {
    locked: false,
    cordoned: true,
    drained: true,
    'drain-failed': true,
    rebooting: true,
    'reboot-timeout': true,
    rebooted: true,
    'ready-timeout': true,
    uncordoned: true,
    'health-timeout': true,
  };
  for (const phase of ALL_PHASES) {
    assert.equal(countsInProgress({ kind: 'ok', record: rec({ phase }) }), want[phase], phase);
  }
});

test('an admin-cordoned node is never uncordoned by this tool', () => {
  const admin = shouldUncordon({ wasUnschedulable: true });
  assert.equal(admin.ok, false);
  assert.match(admin.reason, /cordoned before this tool/);
  assert.deepEqual(shouldUncordon({ wasUnschedulable: false }), {
    ok: true,
    reason: 'this tool cordoned it',
  });
});

// --- property: a node model driven by random events and random resumes -------------------------------

type Cmd = { kind: 'event'; event: NodeEvent['type'] } | { kind: 'resume' } | { kind: 'spontaneous-reboot' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...(Object.keys(EVENTS) as NodeEvent['type'][]))
      .map((event) => ({ kind: 'event' as const, event })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'spontaneous-reboot' as const }) },
);

test('no sequence of events and resumes reboots twice for one need, or uncordons a node cordoned before us', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.boolean(),
      fc.array(cmdArb, { maxLength: 40 }),
      (adminCordoned, force, cmds) => {
        const env = { bootID: 'boot-1', unschedulable: adminCordoned, ourReboots: 0, boots: 1 };
        let record: NodeRecord | undefined = rec({ wasUnschedulable: adminCordoned });
        let wasTriggered = false;
        // The guarded trigger: the host does nothing unless the boot ID still matches.
        const trigger = (expected: string): void => {
          if (env.bootID !== expected) return;
          env.ourReboots += 1;
          env.boots += 1;
          env.bootID = `boot-${env.boots}`;
        };
        const build = (type: NodeEvent['type']): NodeEvent => {
          switch (type) {
            case 'cordoned':
              return { type, wasUnschedulable: env.unschedulable, bootID: env.bootID };
            case 'reboot-requested':
              return { type, currentBootID: env.bootID, force };
            case 'boot-seen':
              return { type, bootID: env.bootID };
            default:
              return EVENTS[type];
          }
        };
        const apply = (event: NodeEvent): void => {
          if (record === undefined) return;
          const t = transition(record, event, T1);
          if (!t.ok) return;
          if (event.type === 'reboot-requested') {
            assert.equal(env.bootID, t.record.bootID, 'requested a reboot after the boot ID changed');
            if (record.phase === 'drain-failed')
              assert.ok(force, 'rebooted after a failed drain without force');
            trigger(t.record.bootID);
          }
          if (event.type === 'cordoned') env.unschedulable = true;
          if (event.type === 'uncordoned' && shouldUncordon(t.record).ok) env.unschedulable = false;
          if (wasTriggered) assert.ok(PHASES[t.record.phase].triggered, `${t.record.phase} after a trigger`);
          wasTriggered ||= PHASES[t.record.phase].triggered;
          record = t.record;
        };
        for (const cmd of cmds) {
          if (record === undefined) break;
          if (cmd.kind === 'spontaneous-reboot') {
            env.boots += 1;
            env.bootID = `boot-${env.boots}`;
          } else if (cmd.kind === 'event') apply(build(cmd.event));
          else if (cmd.kind === 'resume') {
            const d = resumeDecision({ kind: 'ok', record }, env, { forceReboot: force });
            if (d.start === 'cordon') apply(build('cordoned'));
            if (d.start === 'wait-boot') apply(build('boot-seen'));
            if (d.start === 'undo') {
              assert.equal(wasTriggered, false, 'undid a triggered node');
              if (shouldUncordon(record).ok) env.unschedulable = false;
              record = undefined; // the record is cleared: this need is over
            }
          }
          assert.ok(env.ourReboots <= 1, `rebooted ${env.ourReboots} times for one need`);
          if (adminCordoned) assert.equal(env.unschedulable, true, 'uncordoned a node an admin had cordoned');
          if (record !== undefined) assert.equal(record.wasUnschedulable, adminCordoned);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('a re-drain of a triggered node keeps the first drain’s workloads: the health wait compares with them', () => {
  const baseline = [{ namespace: 'default', kind: 'ReplicaSet', name: 'web', readyBefore: 3 }];
  const t = transition(
    rec({ phase: 'rebooting', workloads: baseline, pdbs: ['default/web'] }),
    { type: 'drained', workloads: [], pdbs: [] },
    T1,
  );
  assert.equal(t.ok, true);
  if (!t.ok) return;
  assert.deepEqual(t.record.workloads, baseline);
  assert.deepEqual(t.record.pdbs, ['default/web']);
});

const RESUME_WITH_NODE: readonly [
  string,
  NodePhase,
  { ready?: 'True' | 'False' | 'Unknown'; excluded?: boolean },
  string,
][] = [
  [
    'a triggered node down since the trigger waits for the boot',
    'rebooting',
    { ready: 'Unknown' },
    'wait-boot',
  ],
  ['a reboot-timeout node down since waits for the boot', 'reboot-timeout', { ready: 'False' }, 'wait-boot'],
  ['a triggered node up on the same boot is re-cordoned first', 'rebooting', { ready: 'True' }, 'cordon'],
  ['an excluded node before its trigger is undone', 'drained', { ready: 'True', excluded: true }, 'undo'],
  ['an excluded intent is undone', 'locked', { excluded: true }, 'undo'],
  [
    'an excluded node after its trigger is not undone here (its gate holds it as recorded)',
    'rebooting',
    { ready: 'True', excluded: true },
    'cordon',
  ],
];

for (const [what, phase, n, start] of RESUME_WITH_NODE) {
  test(`resume: ${what}`, () => {
    const d = resumeDecision(
      { kind: 'ok', record: rec({ phase }) },
      {
        bootID: rec({ phase }).bootID,
        ...(n.ready ? { ready: n.ready } : {}),
        labels: n.excluded ? { 'reboot-daemon.io/exclude': 'true' } : {},
      },
    );
    assert.equal(d.start, start, d.reason);
  });
}

const RECORDON: readonly [string, boolean, boolean, boolean][] = [
  // [what, recorded wasUnschedulable, the node cordoned when we cordon again, recorded after]
  ['an admin cordon still in place is kept as the admin’s', true, true, true],
  ['an admin cordon since removed: our next cordon is ours', true, false, false],
  ['our own cordon stays ours', false, true, false],
  ['uncordoned by someone, cordoned again by us: ours', false, false, false],
];
for (const [what, was, now, after] of RECORDON) {
  test(`re-cordon: ${what}`, () => {
    const t = transition(
      rec({ phase: 'drained', wasUnschedulable: was }),
      { type: 'cordoned', wasUnschedulable: now, bootID: 'x' },
      T1,
    );
    assert.equal(t.ok, true);
    if (t.ok) assert.equal(t.record.wasUnschedulable, after);
  });
}
