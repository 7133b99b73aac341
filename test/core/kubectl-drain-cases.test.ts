// kubectl's drain cases, one row each, named after the case they mirror: TestDrain (pkg/cmd/drain), the
// filters of pkg/drain/filters.go with their DaemonSet lookup, TestSkipDeletedFilter and TestFilterPods
// (pkg/drain). Each row gives the pod, kubectl's flags and what the lookup of its DaemonSet found, and our
// verdict: evicted, skipped or refused (with the reason and the flag the message names). A row whose result
// differs from kubectl's on purpose says so, with why. Cases about the API calls (a failing eviction, the pod
// selector) are in test/app/drain-cases.test.ts; every pod kind on one node, end to end, in
// test/e2e/drain-cases.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultFilters,
  planDrain,
  skipLongTerminating,
  type DaemonSetFact,
  type DrainFilter,
  type DrainFilterOptions,
} from '../../src/core/filters.js';
import type { OwnerRef, PodView } from '../../src/core/types.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const DS_UID = 'ds-uid-1';

/** kubectl's defaults: no flag given. */
const KUBECTL: DrainFilterOptions = {
  force: false,
  ignoreDaemonsets: false,
  deleteEmptydirData: false,
  skipWaitForDeleteTimeoutSeconds: 0,
};

const owner = (apiVersion: string, kind: string, name: string, uid?: string): OwnerRef => ({
  apiVersion,
  kind,
  name,
  ...(uid === undefined ? {} : { uid }),
  controller: true,
});
const RC = owner('v1', 'ReplicationController', 'rc', '123');
const RS = owner('v1', 'ReplicaSet', 'rs'); // sic: kubectl's fixture says v1
const JOB = owner('v1', 'Job', 'job');
const DS = owner('apps/v1', 'DaemonSet', 'ds', DS_UID);

function pod(extra: Partial<PodView> = {}): PodView {
  return {
    namespace: 'default',
    name: 'bar',
    uid: 'pod-uid',
    nodeName: 'node',
    phase: 'Running',
    labels: { my_key: 'my_value' },
    annotations: {},
    hasEmptyDir: false,
    ready: true,
    ...extra,
  };
}

type Flag = '--force' | '--ignore-daemonsets' | '--delete-emptydir-data';
const FLAG_OPTION: Readonly<Record<Flag, Partial<DrainFilterOptions>>> = {
  '--force': { force: true },
  '--ignore-daemonsets': { ignoreDaemonsets: true },
  '--delete-emptydir-data': { deleteEmptydirData: true },
};

type Expect =
  | { readonly evict: true; readonly warning?: RegExp }
  | { readonly skip: string }
  | { readonly refuse: string; readonly names: RegExp };

interface Row {
  /** kubectl's case, as its test names it (or the filter it exercises when no test names it). */
  readonly kubectl: string;
  readonly pods: readonly PodView[];
  readonly flags?: readonly Flag[];
  /** What GET apps/v1 daemonsets/ds answered (kubectl's fake server answers every DaemonSet GET with `ds`). */
  readonly ds?: DaemonSetFact;
  readonly expect: Expect | { readonly nothing: true };
  /** Why our result differs from kubectl's, when it does on purpose. */
  readonly differs?: string;
}

const EXISTS: DaemonSetFact = { kind: 'exists', uid: DS_UID };

const ROWS: readonly Row[] = [
  // pkg/cmd/drain TestDrain
  { kubectl: 'RC-managed pod', pods: [pod({ owner: RC })], expect: { evict: true } },
  {
    kubectl: 'DS-managed pod',
    pods: [pod({ owner: DS })],
    ds: EXISTS,
    expect: { refuse: 'daemonset', names: /use --ignore-daemonsets/ },
  },
  {
    kubectl: 'DS-managed terminated pod',
    pods: [pod({ owner: DS, phase: 'Succeeded' })],
    expect: { evict: true }, // finished: deleted without looking the DaemonSet up
  },
  {
    kubectl: 'orphaned DS-managed pod', // kubectl's fixture has no ownerReferences at all
    pods: [pod()],
    expect: { refuse: 'unowned', names: /use --force/ },
  },
  {
    kubectl: 'orphaned DS-managed pod with --force',
    pods: [pod()],
    flags: ['--force'],
    expect: { evict: true, warning: /deleting pods that have no controller \(--force\): default\/bar/ },
  },
  {
    kubectl: 'DS-managed pod with --ignore-daemonsets',
    pods: [pod({ owner: DS })],
    flags: ['--ignore-daemonsets'],
    ds: EXISTS,
    expect: { skip: 'daemonset' },
  },
  {
    kubectl: 'DS-managed pod with emptyDir with --ignore-daemonsets',
    pods: [pod({ owner: DS, hasEmptyDir: true })],
    flags: ['--ignore-daemonsets'],
    ds: EXISTS,
    expect: { skip: 'daemonset' },
  },
  {
    kubectl: 'Job-managed pod with local storage',
    pods: [pod({ owner: JOB, hasEmptyDir: true })],
    flags: ['--force', '--delete-emptydir-data'],
    expect: { evict: true },
  },
  {
    kubectl: 'Job-managed terminated pod',
    pods: [pod({ owner: JOB, hasEmptyDir: true, phase: 'Succeeded' })],
    expect: { evict: true },
  },
  { kubectl: 'RS-managed pod', pods: [pod({ owner: RS })], expect: { evict: true } },
  { kubectl: 'naked pod', pods: [pod()], expect: { refuse: 'unowned', names: /use --force/ } },
  {
    kubectl: 'naked pod with --force',
    pods: [pod()],
    flags: ['--force'],
    expect: { evict: true, warning: /no controller/ },
  },
  {
    kubectl: 'pod with EmptyDir',
    pods: [pod({ hasEmptyDir: true })],
    flags: ['--force'],
    expect: { refuse: 'emptydir', names: /use --delete-emptydir-data/ },
  },
  {
    kubectl: 'terminated pod with emptyDir',
    pods: [pod({ hasEmptyDir: true, phase: 'Failed' })],
    expect: { evict: true },
  },
  {
    kubectl: 'pod with EmptyDir and --delete-emptydir-data',
    pods: [pod({ hasEmptyDir: true })],
    flags: ['--force', '--delete-emptydir-data'],
    expect: { evict: true, warning: /no controller/ },
  },
  { kubectl: 'empty node', pods: [], expect: { nothing: true } },
  // pkg/drain filters.go daemonSetFilter: the GET of the pod's DaemonSet
  {
    kubectl: 'daemonSetFilter: DaemonSet NotFound, without --force',
    pods: [pod({ owner: DS })],
    flags: ['--ignore-daemonsets'],
    ds: { kind: 'missing' },
    expect: { refuse: 'orphan', names: /no longer exists: default\/bar \(use --force/ },
  },
  {
    kubectl: 'daemonSetFilter: DaemonSet NotFound, with --force (deleted with a warning)',
    pods: [pod({ owner: DS })],
    flags: ['--force', '--ignore-daemonsets'],
    ds: { kind: 'missing' },
    expect: { evict: true, warning: /whose DaemonSet no longer exists \(--force\): default\/bar/ },
  },
  {
    kubectl:
      'daemonSetFilter: DaemonSet NotFound, with --force, with emptyDir (localStorageFilter still runs)',
    pods: [pod({ owner: DS, hasEmptyDir: true })],
    flags: ['--force'],
    ds: { kind: 'missing' },
    expect: { refuse: 'emptydir', names: /use --delete-emptydir-data/ },
  },
  {
    kubectl: 'daemonSetFilter: any other error getting the DaemonSet, even with --force',
    pods: [pod({ owner: DS })],
    flags: ['--force', '--ignore-daemonsets'],
    ds: { kind: 'unreadable', error: 'the server is currently unable to handle the request' },
    expect: { refuse: 'daemonset-unreadable', names: /cannot read DaemonSet default\/ds: the server is/ },
  },
  {
    kubectl: 'daemonSetFilter: a DaemonSet of that name with another uid',
    pods: [pod({ owner: DS })],
    flags: ['--ignore-daemonsets'],
    ds: { kind: 'exists', uid: 'another-uid' },
    expect: { refuse: 'orphan', names: /use --force/ },
    differs:
      'kubectl looks by name and skips it as a DaemonSet pod; the garbage collector judges owners by uid and the ' +
      'new DaemonSet makes its own pod, so this one is an orphan that dies with the reboot',
  },
  {
    kubectl: 'isControllerRefDaemonSet: kind DaemonSet of another API group is not a DaemonSet',
    pods: [pod({ owner: owner('apps.kruise.io/v1alpha1', 'DaemonSet', 'ds') })],
    expect: { evict: true },
  },
  // pkg/drain filters.go mirrorPodFilter
  {
    kubectl: 'mirrorPodFilter: mirror pod',
    pods: [pod({ annotations: { 'kubernetes.io/config.mirror': 'abc' } })],
    expect: { skip: 'mirror' },
  },
  {
    kubectl: 'mirrorPodFilter: mirror pod with emptyDir',
    pods: [pod({ annotations: { 'kubernetes.io/config.mirror': 'abc' }, hasEmptyDir: true })],
    expect: { skip: 'mirror' },
  },
];

function optionsFor(flags: readonly Flag[] = []): DrainFilterOptions {
  return Object.assign({}, KUBECTL, ...flags.map((f) => FLAG_OPTION[f])) as DrainFilterOptions;
}

for (const row of ROWS) {
  const flags = row.flags?.length ? ` (${row.flags.join(' ')})` : '';
  test(`kubectl case "${row.kubectl}"${flags}${row.differs ? ' — differs on purpose' : ''}`, () => {
    const facts = { daemonSets: new Map(row.ds ? [['default/ds', row.ds]] : []) };
    const plan = planDrain(row.pods, optionsFor(row.flags), NOW, facts);
    const e = row.expect;
    if ('nothing' in e) {
      assert.equal(plan.ok, true, plan.message);
      assert.deepEqual([plan.evict, plan.skipped, plan.errors], [[], [], []]);
    } else if ('evict' in e) {
      assert.equal(plan.ok, true, plan.message);
      assert.deepEqual(
        plan.evict.map((p) => p.name),
        ['bar'],
      );
      const warnings = plan.warnings.map((w) => w.message).join('; ');
      if (e.warning) assert.match(warnings, e.warning);
      else assert.equal(warnings, '');
    } else if ('skip' in e) {
      assert.equal(plan.ok, true, plan.message);
      assert.deepEqual([plan.evict, plan.skipped.map((s) => s.verdict.reason)], [[], [e.skip]]);
    } else {
      assert.equal(plan.ok, false);
      assert.deepEqual([plan.evict, plan.errors.map((g) => g.reason)], [[], [e.refuse]]);
      assert.match(plan.message, e.names);
    }
  });
}

test('kubectl case "daemonSetFilter": an unchecked DaemonSet is unknown, so the node is refused', () => {
  const plan = planDrain([pod({ owner: DS })], optionsFor(['--ignore-daemonsets']), NOW, {
    daemonSets: new Map(),
  });
  assert.equal(plan.ok, false);
  assert.match(plan.message, /DaemonSet default\/ds was not checked/);
});

test('TestSkipDeletedFilter: each age against --skip-wait-for-delete-timeout=20', () => {
  // kubectl calls its skipDeletedFilter alone; age 0 there means the pod is not being deleted at all.
  const rows: [ageSeconds: number, deleted: boolean][] = [
    [0, true],
    [1, true],
    [100, false],
  ];
  const opts = { ...optionsFor(), skipWaitForDeleteTimeoutSeconds: 20 };
  for (const [age, deleted] of rows) {
    const p = pod(age > 0 ? { deletionTimestamp: NOW - age * 1000 } : {});
    const verdict = skipLongTerminating(p, opts, NOW, { daemonSets: new Map() });
    assert.equal(verdict?.action ?? 'pass', deleted ? 'pass' : 'skip', `age ${age}s, timeout 20`);
  }
  // 0 (kubectl's default) turns the filter off: even the oldest deletion is waited for.
  const old = pod({ deletionTimestamp: NOW - 100_000 });
  assert.equal(skipLongTerminating(old, optionsFor(), NOW, { daemonSets: new Map() }), undefined);
});

test('TestFilterPods: extra filters after the defaults, with --force, on a naked pod', () => {
  const skip: DrainFilter = () => ({ action: 'skip', reason: 'mock', message: 'mock skip' });
  const okay: DrainFilter = () => undefined;
  const rows: [description: string, extra: readonly DrainFilter[], evicted: number][] = [
    ['AdditionalFilter skip all', [skip, okay], 0],
    ['AdditionalFilter okay all', [okay], 1],
    ['AdditionalFilter Skip after Okay all skip', [okay, skip], 0],
    ['No additionalFilters okay all', [], 1],
  ];
  for (const [description, extra, evicted] of rows) {
    const plan = planDrain([pod()], optionsFor(['--force']), NOW, { daemonSets: new Map() }, [
      ...defaultFilters,
      ...extra,
    ]);
    assert.equal(plan.evict.length, evicted, description);
  }
});
