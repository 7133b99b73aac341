// The helper pods' manifests follow the protocol: privileges, mounts, env, argv, labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commandCheckPod,
  DEFAULT_HELPER_IMAGE,
  fileCheckPod,
  HELPER_PROCESS_ANNOTATION,
  helperPodName,
  helperPodProcess,
  nodeLabelValue,
  rebootArgv,
  rebootPod,
  sentinelPathInPod,
  splitCommand,
} from '../../src/adapters/k8s/helper-pod-spec.js';
import { InputError } from '../../src/core/errors.js';

const settings = {
  namespace: 'reboot-daemon',
  runId: 'run1',
  image: DEFAULT_HELPER_IMAGE,
  imagePullSecrets: ['regcred'],
};

test('the sentinel path is rewritten under /host/run for both /run and /var/run', () => {
  assert.equal(sentinelPathInPod('/var/run/reboot-required'), '/host/run/reboot-required');
  assert.equal(sentinelPathInPod('/run/reboot-required'), '/host/run/reboot-required');
  assert.equal(sentinelPathInPod('/run/sub/flag'), '/host/run/sub/flag');
  assert.throws(() => sentinelPathInPod('/etc/reboot'), InputError);
  assert.throws(() => sentinelPathInPod('/run/../etc/x'), InputError);
});

test('file check pod is not privileged, mounts host /run read-only and passes the path in env', () => {
  const pod = fileCheckPod(settings, 'node-a', '/var/run/reboot-required', 60);
  const spec = pod.spec!;
  const c = spec.containers[0]!;
  assert.equal(spec.nodeName, 'node-a');
  assert.equal(spec.hostPID, undefined);
  assert.equal(c.securityContext?.privileged, false);
  assert.deepEqual(spec.volumes, [{ name: 'host-run', hostPath: { path: '/run', type: 'Directory' } }]);
  assert.deepEqual(c.volumeMounts, [{ name: 'host-run', mountPath: '/host/run', readOnly: true }]);
  assert.deepEqual(c.env, [{ name: 'SENTINEL', value: '/host/run/reboot-required' }]);
  assert.equal(c.command?.length, 3);
  assert.doesNotMatch(c.command?.[2] ?? '', /reboot-required/);
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.automountServiceAccountToken, false);
  assert.equal(spec.activeDeadlineSeconds, 60);
  assert.equal(spec.terminationGracePeriodSeconds, 0);
  assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }]);
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'regcred' }]);
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.deepEqual(pod.metadata?.labels, {
    'app.kubernetes.io/managed-by': 'reboot-daemon',
    'reboot-daemon.io/role': 'check',
    'reboot-daemon.io/node': 'node-a',
    'reboot-daemon.io/run': 'run1',
  });
});

test('command check pod is privileged with hostPID and gets the command as argv', () => {
  const pod = commandCheckPod(settings, 'n', ['needs-restarting', '-r'], 30);
  const c = pod.spec!.containers[0]!;
  assert.equal(pod.spec!.hostPID, true);
  assert.equal(c.securityContext?.privileged, true);
  assert.deepEqual(c.command?.slice(3), ['reboot-daemon-check', 'needs-restarting', '-r']);
});

test('reboot pod carries the expected boot ID and the deadline (epoch s) in env, and the reboot argv', () => {
  const pod = rebootPod(
    settings,
    'n',
    { bootID: 'boot-1', notAfter: Date.parse('2026-01-01T03:00:00.999Z') },
    rebootArgv('command', '/usr/bin/systemctl   reboot --force'),
    300,
  );
  const c = pod.spec!.containers[0]!;
  assert.equal(pod.spec!.hostPID, true);
  assert.equal(c.securityContext?.privileged, true);
  assert.deepEqual(c.env, [
    { name: 'EXPECTED_BOOT_ID', value: 'boot-1' },
    { name: 'NOT_AFTER', value: String(Date.parse('2026-01-01T03:00:00Z') / 1000) },
  ]);
  assert.deepEqual(c.command?.slice(3), [
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
    '/usr/bin/systemctl',
    'reboot',
    '--force',
  ]);
  assert.equal(pod.metadata?.labels?.['reboot-daemon.io/role'], 'reboot');
  assert.deepEqual(rebootArgv('signal'), ['kill', '-s', '39', '1']);
  assert.deepEqual(rebootArgv('command').slice(-2), ['/bin/systemctl', 'reboot']);
});

test('commands split on whitespace and an empty one is an InputError', () => {
  assert.deepEqual(splitCommand('  a  b\tc '), ['a', 'b', 'c']);
  assert.throws(() => splitCommand('   '), InputError);
});

test('pod names and node labels stay valid for long node names', () => {
  const long = `ip-10-0-0-1.${'very-long-domain-part.'.repeat(5)}compute.internal`;
  const name = helperPodName('reboot', long);
  assert.ok(name.length <= 63, name);
  assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  assert.notEqual(helperPodName('check', 'n1'), helperPodName('check', 'n1'));
  const label = nodeLabelValue(long);
  assert.ok(label.length <= 63);
  assert.match(label, /^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/);
  assert.equal(nodeLabelValue('short'), 'short');
  assert.notEqual(nodeLabelValue(`${long}x`), label);
});

test('a pod records the process that made it; an odd record reads as none', () => {
  const proc = {
    id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    host: 'laptop',
    bootId: '6f1c1a52-8c1e-4c43-9d0b-3c3c2a1e0b11',
    pidNs: 'pid:[4026531836]',
    pid: 4000,
    startTime: '123456',
  };
  const pod = fileCheckPod({ ...settings, process: proc }, 'n', '/run/reboot-required', 60);
  assert.deepEqual(JSON.parse(pod.metadata?.annotations?.[HELPER_PROCESS_ANNOTATION] ?? ''), proc);
  assert.deepEqual(helperPodProcess(pod), proc);
  assert.equal(fileCheckPod(settings, 'n', '/run/reboot-required', 60).metadata?.annotations, undefined);
  const { bootId: _b, pidNs: _n, startTime: _s, ...bare } = proc;
  assert.deepEqual(
    helperPodProcess({ metadata: { annotations: { [HELPER_PROCESS_ANNOTATION]: JSON.stringify(bare) } } }),
    bare,
  );
  const odd = (value: string): unknown =>
    helperPodProcess({ metadata: { annotations: { [HELPER_PROCESS_ANNOTATION]: value } } });
  assert.equal(odd('not json'), undefined);
  assert.equal(odd('[1]'), undefined);
  assert.equal(odd(JSON.stringify({ ...proc, pid: '4000' })), undefined);
  assert.equal(odd(JSON.stringify({ ...proc, pid: -1 })), undefined);
  assert.equal(odd(JSON.stringify({ ...proc, id: '' })), undefined);
  assert.equal(odd(JSON.stringify({ ...proc, bootId: 7 })), undefined);
  assert.equal(odd(JSON.stringify({ ...proc, startTime: 'x'.repeat(200) })), undefined);
  assert.equal(helperPodProcess({ metadata: {} }), undefined);
});
