// kubectl's drain test pods, all on one node of a simulated cluster, through the built CLI's `plan` and `run`
// with and without --force, --delete-emptydir-data and --ignore-daemonsets (ours defaults to true, as kured's
// drain does): what each combination would evict or refuse, and, after a run, which pods are gone, which remain,
// and that a refused node was not rebooted. The simulator has no Jobs: a ReplicaSet pod with an emptyDir stands
// for kubectl's "Job-managed pod with local storage" (the filters look only at whether a controller exists).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAST_TIMING,
  assertBuilt,
  rebootCounts,
  runArgs,
  runCli,
  show,
  startCluster,
  type TestCluster,
} from '../support/e2e-cli.js';

const SCENARIO = `
nodes:
  - { name: n1, rebootRequired: true }
  - { name: spare }
workloads:
  deployments:
    - { name: web, replicas: 2, terminationGracePeriodSeconds: 1 }
    - { name: cache, replicas: 2, emptyDir: true, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: agent, namespace: kube-system }
  orphanedPods:
    - { name: orphan, namespace: kube-system, node: n1, daemonSet: gone-agent }
    - { name: orphan-remade, namespace: kube-system, node: n1, daemonSet: agent }
    - { name: orphan-done, namespace: kube-system, node: n1, daemonSet: gone-agent, phase: Succeeded }
  barePods:
    - { name: naked, node: n1 }
    - { name: naked-scratch, node: n1, emptyDir: true }
    - { name: done-ok, node: n1, phase: Succeeded }
    - { name: done-failed, node: n1, phase: Failed, emptyDir: true }
  staticPods:
    - { name: etcd, nodes: [n1] }
${FAST_TIMING}`;

const ALL = ['--force', '--delete-emptydir-data', '--ignore-daemonsets'];

describe("kubectl's drain test pods on one node: plan and run with each flag", () => {
  let c: TestCluster;

  before(async () => {
    await assertBuilt();
    c = await startCluster(SCENARIO);
  });
  after(async () => {
    await c?.stop();
  });

  /** The pods on n1, by name, with the generated suffix of a controller's pod replaced by "*". */
  function podsOnN1(): string[] {
    return c.sim.store
      .list('pods')
      .items.filter((p) => p.spec?.nodeName === 'n1' && p.metadata.deletionTimestamp === undefined)
      .map((p) => {
        const owner = p.metadata.ownerReferences?.[0];
        const generated =
          owner?.kind === 'ReplicaSet' || (owner?.kind === 'DaemonSet' && owner.name === 'agent');
        const name = p.metadata.name;
        return generated && !name.startsWith('orphan') ? `${name.slice(0, name.indexOf('-'))}-*` : name;
      })
      .sort();
  }

  async function planLine(flags: readonly string[]): Promise<string> {
    const r = await runCli(['plan', '--kubeconfig', c.kubeconfigPath, ...flags]);
    assert.equal(r.code, 0, show(r));
    const line = r.stdout.split('\n').find((l) => /n1.*would reboot/.test(l));
    assert.ok(line, show(r));
    return line;
  }

  const rows: { flags: string[]; refused: RegExp[]; ok?: RegExp }[] = [
    {
      flags: [],
      refused: [
        /2 pods use emptyDir local storage: default\/cache-\w+-\w+, default\/naked-scratch \(use --delete-emptydir-data/,
        /2 pods are managed by a DaemonSet that no longer exists: kube-system\/orphan, kube-system\/orphan-remade \(use --force/,
        /1 pod has no controller: default\/naked \(use --force/,
      ],
    },
    {
      flags: ['--force'],
      refused: [/2 pods use emptyDir local storage: default\/cache-\w+-\w+, default\/naked-scratch/],
    },
    {
      flags: ['--delete-emptydir-data'],
      refused: [
        /2 pods are managed by a DaemonSet that no longer exists: kube-system\/orphan, kube-system\/orphan-remade/,
        /2 pods have no controller: default\/naked, default\/naked-scratch \(use --force/,
      ],
    },
    {
      flags: ['--ignore-daemonsets=false'], // kubectl's default
      refused: [
        /1 pod is managed by a DaemonSet: kube-system\/agent-\w+ \(use --ignore-daemonsets\)/,
        /emptyDir local storage/,
        /DaemonSet that no longer exists/,
        /1 pod has no controller/,
      ],
    },
    {
      flags: ['--force', '--delete-emptydir-data', '--ignore-daemonsets=false'],
      refused: [/1 pod is managed by a DaemonSet: kube-system\/agent-\w+ \(use --ignore-daemonsets\)/],
    },
    {
      flags: ALL,
      refused: [],
      ok: /9 pods to evict, 2 left in place; warning: deleting pods that have no controller \(--force\): default\/naked, default\/naked-scratch; warning: deleting pods whose DaemonSet no longer exists \(--force\): kube-system\/orphan, kube-system\/orphan-remade/,
    },
    { flags: ['--drain-pod-selector', 'app=web'], refused: [], ok: /1 pod to evict, 0 left in place/ },
  ];
  for (const row of rows) {
    test(`plan ${row.flags.join(' ') || '(no flag)'}`, async () => {
      const line = await planLine(row.flags);
      if (row.ok) {
        assert.doesNotMatch(line, /cannot drain/);
        assert.match(line, row.ok);
      } else {
        assert.match(line, /cannot drain/);
        for (const r of row.refused) assert.match(line, r);
        assert.equal(line.match(/ \(use --/g)?.length, row.refused.length, `only these refusals: ${line}`);
      }
    });
  }

  const atStart = [
    'agent-*',
    'cache-*',
    'done-failed',
    'done-ok',
    'etcd-n1',
    'naked',
    'naked-scratch',
    'orphan',
    'orphan-done',
    'orphan-remade',
    'web-*',
  ];

  test('run without --force refuses the node: nothing evicted, no reboot', async () => {
    assert.deepEqual(podsOnN1(), atStart);
    const r = await runCli(runArgs(c.kubeconfigPath, ['--drain-grace-period', '1']), { timeoutMs: 60_000 });
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout + r.stderr, /DaemonSet that no longer exists: kube-system\/orphan/);
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), {});
    assert.deepEqual(podsOnN1(), atStart);
    assert.equal(c.sim.store.get('nodes', undefined, 'n1').spec?.unschedulable, undefined, 'uncordoned');
  });

  test('run with all three deletes the orphans, naked and finished pods, keeps the DaemonSet and mirror pods, and reboots', async () => {
    const r = await runCli(runArgs(c.kubeconfigPath, ['--drain-grace-period', '1', ...ALL]), {
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(Object.fromEntries(rebootCounts(c.sim)), { n1: 1 });
    const left = podsOnN1().filter((p) => p !== 'web-*' && p !== 'cache-*'); // replacements may land here again
    assert.deepEqual(left, ['agent-*', 'etcd-n1']);
    const names = c.sim.store.list('pods').items.map((p) => p.metadata.name);
    for (const gone of [
      'orphan',
      'orphan-remade',
      'orphan-done',
      'naked',
      'naked-scratch',
      'done-ok',
      'done-failed',
    ])
      assert.ok(!names.includes(gone), `${gone} was deleted`);
  });
});
