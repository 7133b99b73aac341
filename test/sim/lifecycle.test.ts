// Node and pod life in the simulated cluster: replacement and scheduling, DaemonSets, reboots with new
// boot IDs, fast and never-returning nodes, and helper pods run by the kubelet.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import { scenarioFromObject } from '../../src/sim/scenario.js';
import type { KObject } from '../../src/sim/types.js';

type Clock = ReturnType<typeof manualClock>;

function cluster(doc: Record<string, unknown>): { c: SimCluster; clock: Clock } {
  const clock = manualClock(Date.parse('2025-03-01T00:00:00Z'));
  return { c: createSimCluster({ scenario: scenarioFromObject(doc), clock }), clock };
}

const ready = (c: SimCluster, node: string): string =>
  c.store.get('nodes', undefined, node).status.conditions.find((x: { type: string }) => x.type === 'Ready')
    .status;
const bootId = (c: SimCluster, node: string): string =>
  c.store.get('nodes', undefined, node).status.nodeInfo.bootID;
const pods = (c: SimCluster, sel: string, ns = 'default'): KObject[] =>
  c.store.list('pods', { namespace: ns, labelSelector: sel }).items;
const live = (p: KObject): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed';
const podReady = (p: KObject): boolean =>
  (p.status?.conditions ?? []).some(
    (x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True',
  );

function helperPod(
  name: string,
  node: string,
  script: string,
  args: string[],
  opts: { env?: Record<string, string>; privileged?: boolean; deadline?: number; role?: string } = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'reboot-daemon', labels: { 'reboot-daemon.io/role': opts.role ?? 'check' } },
    spec: {
      nodeName: node,
      hostPID: opts.privileged ?? false,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      ...(opts.deadline !== undefined ? { activeDeadlineSeconds: opts.deadline } : {}),
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'run', hostPath: { path: '/run', type: 'Directory' } }],
      containers: [
        {
          name: 'check',
          image: 'alpine:3.20',
          command: ['/bin/sh', '-c', script, ...args],
          env: Object.entries(opts.env ?? {}).map(([n, value]) => ({ name: n, value })),
          securityContext: { privileged: opts.privileged ?? false },
          volumeMounts: [{ name: 'run', mountPath: '/host/run', readOnly: true }],
        },
      ],
    },
  };
}

const FILE_CHECK =
  'if [ -e "$SENTINEL" ]; then if [ -r "$SENTINEL.pkgs" ]; then head -c 2048 "$SENTINEL.pkgs" > /dev/termination-log; fi; exit 10; fi; exit 0';
const REBOOT =
  'read -r cur < /proc/sys/kernel/random/boot_id; if [ "$cur" != "$EXPECTED_BOOT_ID" ]; then echo "boot id changed: $cur; not rebooting again" > /dev/termination-log; exit 0; fi; exec "$@"';

describe('workloads', () => {
  it('an evicted deployment pod is replaced on another node, and becomes Ready after the delay', () => {
    const { c, clock } = cluster({
      nodes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      workloads: { deployments: [{ name: 'web', replicas: 2 }] },
    });
    const victim = pods(c, 'app=web')[0] as KObject;
    c.store.patch('nodes', undefined, victim.spec.nodeName, 'application/strategic-merge-patch+json', {
      spec: { unschedulable: true },
    });
    c.hooks.evict('default', victim.metadata.name, { deleteOptions: { gracePeriodSeconds: 0 } });
    const replacement = pods(c, 'app=web').find(
      (p) => p.metadata.name !== victim.metadata.name && !podReady(p),
    ) as KObject;
    assert.ok(replacement, 'a replacement pod exists');
    assert.notEqual(replacement.spec.nodeName, victim.spec.nodeName);
    assert.match(replacement.metadata.name, /^web-[a-z0-9]{10}-[a-z0-9]{5}$/);
    assert.equal(replacement.metadata.ownerReferences?.[0]?.controller, true);
    clock.advance(5_000);
    assert.equal(pods(c, 'app=web').filter((p) => live(p) && podReady(p)).length, 2);
  });

  it('a replacement stays Pending while no node fits, and is scheduled when one is uncordoned', () => {
    const { c, clock } = cluster({
      nodes: [{ name: 'a' }, { name: 'b', unschedulable: true }],
      workloads: { deployments: [{ name: 'web', replicas: 1 }] },
    });
    const victim = pods(c, 'app=web')[0] as KObject;
    assert.equal(victim.spec.nodeName, 'a');
    c.store.patch('nodes', undefined, 'a', 'application/strategic-merge-patch+json', {
      spec: { unschedulable: true },
    });
    c.hooks.evict('default', victim.metadata.name, { deleteOptions: { gracePeriodSeconds: 0 } });
    clock.advance(30_000);
    const pending = pods(c, 'app=web')[0] as KObject;
    assert.equal(pending.spec.nodeName, undefined);
    assert.equal(pending.status.phase, 'Pending');
    assert.match(
      pending.status.conditions[0].message,
      /^0\/2 nodes are available: 2 node\(s\) were unschedulable\.$/,
    );
    c.store.patch('nodes', undefined, 'b', 'application/strategic-merge-patch+json', {
      spec: { unschedulable: null },
    });
    clock.advance(5_000);
    const placed = pods(c, 'app=web')[0] as KObject;
    assert.equal(placed.spec.nodeName, 'b');
    assert.ok(podReady(placed));
    assert.deepEqual(
      c.record.of('cordon').map((e) => [e.node, e.unschedulable]),
      [
        ['a', true],
        ['b', false],
      ],
    );
  });

  it('a DaemonSet keeps exactly one pod on every node, including cordoned and tainted ones', () => {
    const { c } = cluster({
      nodes: [{ name: 'a' }, { name: 'b', unschedulable: true }, { name: 'cp', controlPlane: true }],
      workloads: { daemonSets: [{ name: 'agent', namespace: 'kube-system' }] },
    });
    const ds = pods(c, 'app=agent', 'kube-system');
    assert.deepEqual(ds.map((p) => p.spec.nodeName).sort(), ['a', 'b', 'cp']);
    c.store.delete('pods', 'kube-system', (ds[0] as KObject).metadata.name, { gracePeriodSeconds: 0 });
    assert.equal(pods(c, 'app=agent', 'kube-system').length, 3);
    assert.equal(c.store.get('daemonsets', 'kube-system', 'agent').status.desiredNumberScheduled, 3);
  });

  it('mirror and bare pods are never recreated', () => {
    const { c } = cluster({
      nodes: [{ name: 'cp', controlPlane: true }, { name: 'a' }],
      workloads: { staticPods: [{ name: 'etcd' }], barePods: [{ name: 'lonely', node: 'a' }] },
    });
    c.store.delete('pods', 'default', 'lonely', { gracePeriodSeconds: 0 });
    c.store.delete('pods', 'kube-system', 'etcd-cp', { gracePeriodSeconds: 0 });
    assert.equal(c.store.list('pods').items.length, 0);
  });
});

describe('reboots', () => {
  it('a reboot gives a new boot ID, clears the sentinel and emits a Rebooted event', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a', rebootRequired: true, bootSeconds: 40 }] });
    const before = bootId(c, 'a');
    assert.equal(c.host('a').needsReboot(), true);
    c.rebootNow('a');
    clock.advance(5_000);
    assert.equal(ready(c, 'a'), 'Unknown');
    assert.equal(bootId(c, 'a'), before);
    clock.advance(45_000);
    assert.equal(ready(c, 'a'), 'True');
    const after = bootId(c, 'a');
    assert.notEqual(after, before);
    assert.equal(c.host('a').bootId, after);
    assert.equal(c.host('a').needsReboot(), false);
    const events = c.store.list('events').items.filter((e) => e.reason === 'Rebooted');
    assert.equal(events.length, 1);
    assert.equal((events[0]?.involvedObject as { name: string }).name, 'a');
    assert.deepEqual(
      c.record.of('reboot').map((r) => [r.oldBootID, r.newBootID]),
      [[before, after]],
    );
  });

  it('a fast node is never seen NotReady but still gets a new boot ID', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a', fast: true, bootSeconds: 3 }] });
    const before = bootId(c, 'a');
    c.rebootNow('a');
    for (let t = 0; t < 10; t++) {
      clock.advance(500);
      assert.equal(ready(c, 'a'), 'True');
    }
    assert.notEqual(bootId(c, 'a'), before);
    assert.deepEqual(c.record.of('nodeDown'), []);
  });

  it('a node that never returns stays NotReady and ignores further reboots', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a', neverReturns: true }] });
    const before = bootId(c, 'a');
    c.rebootNow('a');
    clock.advance(600_000);
    assert.equal(ready(c, 'a'), 'Unknown');
    assert.equal(bootId(c, 'a'), before);
    assert.equal(c.nodeState('a'), 'gone');
    c.rebootNow('a');
    assert.equal(c.record.of('rebootIgnored').length, 1);
  });

  it('a reboot while already rebooting is ignored but recorded', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a' }] });
    c.rebootNow('a');
    clock.advance(1_000);
    c.rebootNow('a', 'again');
    clock.advance(60_000);
    assert.equal(c.record.of('reboot').length, 1);
    assert.deepEqual(
      c.record.of('rebootIgnored').map((e) => [e.via, e.reason]),
      [['again', 'already rebooting']],
    );
  });

  it('a flapping node goes NotReady again after booting before it settles', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a', flap: 2, bootSeconds: 10 }], timing: { jitter: 0 } });
    c.rebootNow('a');
    clock.advance(10_000);
    assert.equal(ready(c, 'a'), 'True');
    clock.advance(5_000);
    assert.equal(ready(c, 'a'), 'False');
    clock.advance(30_000);
    assert.equal(ready(c, 'a'), 'True');
    assert.equal(c.record.of('nodeDown').length, 3);
  });

  it('pods of a rebooted node fail and are replaced elsewhere; DaemonSet pods restart in place', () => {
    const { c, clock } = cluster({
      nodes: [{ name: 'a' }, { name: 'b' }],
      workloads: { deployments: [{ name: 'web', replicas: 2 }], daemonSets: [{ name: 'agent' }] },
    });
    const onA = pods(c, 'app=web').find((p) => p.spec.nodeName === 'a') as KObject;
    const dsA = pods(c, 'app=agent').find((p) => p.spec.nodeName === 'a') as KObject;
    c.rebootNow('a');
    clock.advance(2_000);
    assert.equal(c.store.get('pods', 'default', onA.metadata.name).status.phase, 'Failed');
    assert.ok(
      pods(c, 'app=web').some(
        (p) => live(p) && p.spec.nodeName === 'b' && p.metadata.name !== onA.metadata.name,
      ),
    );
    clock.advance(60_000);
    const ds = c.store.get('pods', 'default', dsA.metadata.name);
    assert.ok(podReady(ds));
    assert.equal(ds.status.containerStatuses[0].restartCount, 1);
  });
});

describe('helper pods', () => {
  it('a sentinel check pod succeeds or fails by its exit code, with the termination message', () => {
    const { c, clock } = cluster({
      nodes: [{ name: 'a', rebootRequiredPkgs: ['linux-image-6.8'] }, { name: 'b' }],
      namespaces: ['reboot-daemon'],
    });
    c.addPod(helperPod('check-a', 'a', FILE_CHECK, [], { env: { SENTINEL: '/host/run/reboot-required' } }));
    c.addPod(helperPod('check-b', 'b', FILE_CHECK, [], { env: { SENTINEL: '/host/run/reboot-required' } }));
    clock.advance(100);
    assert.equal(c.store.get('pods', 'reboot-daemon', 'check-a').status.phase, 'Pending');
    clock.advance(2_000);
    const a = c.store.get('pods', 'reboot-daemon', 'check-a');
    const b = c.store.get('pods', 'reboot-daemon', 'check-b');
    assert.equal(a.status.phase, 'Failed');
    assert.deepEqual(a.status.containerStatuses[0].state.terminated.exitCode, 10);
    assert.equal(a.status.containerStatuses[0].state.terminated.message, 'linux-image-6.8\n');
    assert.equal(a.status.containerStatuses[0].state.terminated.reason, 'Error');
    assert.equal(b.status.phase, 'Succeeded');
    assert.equal(b.status.containerStatuses[0].state.terminated.reason, 'Completed');
  });

  it('a reboot pod reboots the node once; a re-run after the boot is stopped by the boot ID guard', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a' }], namespaces: ['reboot-daemon'] });
    const expected = bootId(c, 'a');
    const argv = [
      'reboot-daemon-reboot',
      'nsenter',
      '-t',
      '1',
      '-m',
      '-u',
      '-i',
      '-n',
      '-p',
      '--',
      '/bin/systemctl',
      'reboot',
    ];
    c.addPod(
      helperPod('reboot-1', 'a', REBOOT, argv, {
        env: { EXPECTED_BOOT_ID: expected },
        privileged: true,
        role: 'reboot',
      }),
    );
    clock.advance(2_000);
    assert.equal(c.record.of('rebootTriggered').length, 1);
    assert.equal(c.store.get('pods', 'reboot-daemon', 'reboot-1').status.phase, 'Succeeded');
    clock.advance(60_000);
    assert.notEqual(bootId(c, 'a'), expected);
    c.addPod(
      helperPod('reboot-2', 'a', REBOOT, argv, {
        env: { EXPECTED_BOOT_ID: expected },
        privileged: true,
        role: 'reboot',
      }),
    );
    clock.advance(2_000);
    const again = c.store.get('pods', 'reboot-daemon', 'reboot-2');
    assert.equal(again.status.phase, 'Succeeded');
    assert.match(
      again.status.containerStatuses[0].state.terminated.message,
      /^boot id changed: .*; not rebooting again\n$/,
    );
    assert.equal(c.record.of('rebootTriggered').length, 1);
    assert.equal(c.record.of('rebootPodNoop').length, 1);
  });

  it('a helper pod on a NotReady node stays Pending; its log is kept for podLog', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a' }], namespaces: ['reboot-daemon'] });
    c.setReady('a', false);
    c.addPod(helperPod('check', 'a', 'echo hello; nosuch', []));
    clock.advance(10_000);
    assert.equal(c.store.get('pods', 'reboot-daemon', 'check').status.phase, 'Pending');
    c.setReady('a', true);
    clock.advance(2_000);
    const p = c.store.get('pods', 'reboot-daemon', 'check');
    assert.equal(p.status.containerStatuses[0].state.terminated.exitCode, 127);
    assert.equal(c.podLog('reboot-daemon', 'check'), 'hello\nsh: nosuch: not found\n');
  });

  it('a pod running past activeDeadlineSeconds fails with DeadlineExceeded', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a' }], namespaces: ['reboot-daemon'] });
    const pod = helperPod('slow', 'a', 'exit 0', [], { deadline: 5 });
    pod.spec.containers[0].command = ['/pause'];
    c.addPod(pod);
    clock.advance(10_000);
    const p = c.store.get('pods', 'reboot-daemon', 'slow');
    assert.equal(p.status.phase, 'Failed');
    assert.equal(p.status.reason, 'DeadlineExceeded');
  });

  it('heartbeats refresh the Ready condition about every 10 seconds', () => {
    const { c, clock } = cluster({ nodes: [{ name: 'a' }], timing: { jitter: 0 } });
    const hb = (): string =>
      c.store.get('nodes', undefined, 'a').status.conditions.find((x: { type: string }) => x.type === 'Ready')
        .lastHeartbeatTime;
    const first = hb();
    clock.advance(10_000);
    assert.equal(Date.parse(hb()) - Date.parse(first), 10_000);
  });
});
