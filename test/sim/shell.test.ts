// The simulated shell runs the helper pods' scripts against a simulated host, as the tool's pods would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimHost } from '../../src/sim/host/host.js';
import { runPodScript } from '../../src/sim/host/pod-exec.js';
import { runShell } from '../../src/sim/shell/interp.js';
import { ContainerFs } from '../../src/sim/host/container-fs.js';
import type { KObject } from '../../src/sim/types.js';
import { REBOOT_SCRIPT, REBOOT_TOO_LATE_EXIT } from '../../src/adapters/k8s/helper-pod-spec.js';

const FILE_CHECK =
  'if [ -e "$SENTINEL" ]; then if [ -r "$SENTINEL.pkgs" ]; then head -c 2048 "$SENTINEL.pkgs" > /dev/termination-log; fi; exit 10; fi; exit 0';
const COMMAND_CHECK =
  'nsenter -t 1 -m -- true || exit 3; nsenter -t 1 -m -- "$@" > /dev/termination-log 2>&1; rc=$?; if [ "$rc" -eq 0 ]; then exit 10; fi; if [ "$rc" -ge 126 ]; then exit "$rc"; fi; exit 0';
function pod(opts: {
  script: string;
  args?: string[];
  env?: Record<string, string>;
  privileged?: boolean;
  hostPID?: boolean;
  runMount?: boolean;
}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'reboot-daemon' },
    spec: {
      nodeName: 'n1',
      hostPID: opts.hostPID ?? false,
      volumes: opts.runMount ? [{ name: 'run', hostPath: { path: '/run', type: 'Directory' } }] : [],
      containers: [
        {
          name: 'c',
          command: ['/bin/sh', '-c', opts.script, ...(opts.args ?? [])],
          env: Object.entries(opts.env ?? {}).map(([name, value]) => ({ name, value })),
          securityContext: { privileged: opts.privileged ?? false },
          terminationMessagePolicy: 'File',
          volumeMounts: opts.runMount ? [{ name: 'run', mountPath: '/host/run', readOnly: true }] : [],
        },
      ],
    },
  };
}

function newHost(): { host: SimHost; reboots: string[] } {
  const host = new SimHost({
    node: 'n1',
    bootId: 'boot-1',
    sentinelCommand: { command: 'needs-restarting -r', exitCode: 0 },
  });
  const reboots: string[] = [];
  host.onReboot = (via) => reboots.push(via);
  return { host, reboots };
}

const fileCheck = (): KObject =>
  pod({ script: FILE_CHECK, env: { SENTINEL: '/host/run/reboot-required' }, runMount: true });
const privileged = { privileged: true, hostPID: true };

describe('file sentinel check script', () => {
  it('exits 0 when /run/reboot-required is absent', () => {
    const { host } = newHost();
    const r = runPodScript(fileCheck(), host);
    assert.equal(r.exitCode, 0);
    assert.equal(r.message, '');
  });
  it('exits 10 with an empty message when the sentinel exists without a pkgs file', () => {
    const { host } = newHost();
    host.setRebootRequired();
    const r = runPodScript(fileCheck(), host);
    assert.equal(r.exitCode, 10);
    assert.equal(r.message, '');
  });
  it('puts the pkgs list in the termination message', () => {
    const { host } = newHost();
    host.setRebootRequired(['linux-image-6.8.0-49-generic', 'libc6']);
    const r = runPodScript(fileCheck(), host);
    assert.equal(r.exitCode, 10);
    assert.equal(r.message, 'linux-image-6.8.0-49-generic\nlibc6\n');
  });
  it('truncates the pkgs list to 2048 bytes', () => {
    const { host } = newHost();
    host.setRebootRequired(Array.from({ length: 400 }, (_, i) => `package-number-${i}`));
    assert.equal(runPodScript(fileCheck(), host).message.length, 2048);
  });
  it('sees the sentinel written under /var/run, which is a symlink to /run on the host', () => {
    const { host } = newHost();
    host.fs.put('/var/run/reboot-required', '');
    assert.equal(runPodScript(fileCheck(), host).exitCode, 10);
  });
  it('cannot write to the read-only /run mount', () => {
    const { host } = newHost();
    const r = runPodScript(pod({ script: 'echo x > /host/run/reboot-required', runMount: true }), host);
    assert.equal(r.exitCode, 1);
    assert.match(r.log, /Read-only file system/);
    assert.equal(host.needsReboot(), false);
  });
});

describe('command sentinel check script', () => {
  const check = (
    extra: Partial<Parameters<typeof pod>[0]> = privileged,
    argv = ['needs-restarting', '-r'],
  ): KObject => pod({ script: COMMAND_CHECK, args: ['reboot-daemon-check', ...argv], ...extra });

  it('exits 10 with the command output when the command exits 0', () => {
    const { host } = newHost();
    host.setRebootRequired();
    const r = runPodScript(check(), host);
    assert.equal(r.exitCode, 10);
    assert.match(r.message, /Reboot is required/);
  });
  it('exits 0 when the command says no reboot is needed', () => {
    const { host } = newHost();
    assert.equal(runPodScript(check(), host).exitCode, 0);
  });
  it('exits 3 with the nsenter message when the pod is not privileged', () => {
    const { host } = newHost();
    host.setRebootRequired();
    const r = runPodScript(check({ privileged: false, hostPID: true }), host);
    assert.equal(r.exitCode, 3);
    assert.match(r.log, /nsenter: reassociate to namespace 'ns\/mnt' failed: Operation not permitted/);
  });
  it('passes an unknown command exit code 127 through', () => {
    const { host } = newHost();
    const r = runPodScript(check(privileged, ['no-such-tool']), host);
    assert.equal(r.exitCode, 127);
    assert.match(r.message, /failed to execute no-such-tool/);
  });
});

describe('reboot script', () => {
  /** The shipped reboot script, with a deadline a minute after the host's clock unless given. */
  const reboot = (
    expected: string,
    argv: string[],
    extra: { privileged?: boolean; hostPID?: boolean } = privileged,
    notAfter = String(Math.floor(Date.now() / 1000) + 60),
  ): KObject =>
    pod({
      script: REBOOT_SCRIPT,
      args: ['reboot-daemon-reboot', ...argv],
      env: { EXPECTED_BOOT_ID: expected, NOT_AFTER: notAfter },
      ...extra,
    });
  const nsenterReboot = [
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

  it('reboots through nsenter and systemctl when the boot ID matches', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(reboot('boot-1', nsenterReboot), host);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(reboots, ['systemctl reboot']);
  });
  it('reboots through signal 39 (SIGRTMIN+5 for systemd) to the host init with hostPID', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(reboot('boot-1', ['kill', '-s', '39', '1']), host);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(reboots, ['kill -s 39 1']);
  });
  it('refuses RTMIN+5 by name, as busybox builds without RTMINMAX do', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(reboot('boot-1', ['kill', '-s', 'RTMIN+5', '1']), host);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(reboots, []);
  });
  it('does nothing past the deadline, by the host clock (exit 12), and says why', () => {
    const { host, reboots } = newHost();
    const past = String(Math.floor(Date.now() / 1000) - 1);
    const r = runPodScript(reboot('boot-1', nsenterReboot, privileged, past), host);
    assert.equal(r.exitCode, REBOOT_TOO_LATE_EXIT);
    assert.match(r.message, /too late: the clock reads '\d+', past the deadline \d+/);
    assert.deepEqual(reboots, []);
  });
  it('does nothing when the deadline is missing or not a number (fail closed)', () => {
    const { host, reboots } = newHost();
    for (const bad of ['', 'soon']) {
      const r = runPodScript(reboot('boot-1', nsenterReboot, privileged, bad), host);
      assert.equal(r.exitCode, REBOOT_TOO_LATE_EXIT, `NOT_AFTER=${bad}`);
    }
    assert.deepEqual(reboots, []);
  });
  it('a signal without hostPID reaches only the container init, which ignores it', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(
      reboot('boot-1', ['kill', '-s', '39', '1'], { privileged: true, hostPID: false }),
      host,
    );
    assert.equal(r.exitCode, 0);
    assert.deepEqual(reboots, []);
  });
  it('the boot ID guard prevents a second reboot after the boot', () => {
    const { host, reboots } = newHost();
    host.bootId = 'boot-2';
    const r = runPodScript(reboot('boot-1', nsenterReboot), host);
    assert.equal(r.exitCode, 0);
    assert.equal(r.message, 'boot id changed: boot-2; not rebooting again\n');
    assert.deepEqual(reboots, []);
  });
  it('nsenter is refused without privilege, and nothing reboots', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(reboot('boot-1', nsenterReboot, { privileged: false, hostPID: false }), host);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(reboots, []);
  });
  it('systemctl does not exist inside the container: exit 13 names it, nothing runs', () => {
    const { host, reboots } = newHost();
    const r = runPodScript(reboot('boot-1', ['/bin/systemctl', 'reboot']), host);
    assert.equal(r.exitCode, 13);
    assert.equal(r.message, 'the helper image has no /bin/systemctl\n');
    assert.deepEqual(reboots, []);
  });
});

describe('shell language', () => {
  function sh(
    script: string,
    args: string[] = [],
    env: Record<string, string> = {},
  ): { rc: number; out: string; err: string } {
    const { host } = newHost();
    let out = '';
    let err = '';
    const fs = new ContainerFs(host.fs, []);
    const rc = runShell(script, {
      name: 'test',
      args,
      io: { stdin: '', out: (s) => (out += s), err: (s) => (err += s) },
      proc: {
        fs,
        env: new Map(Object.entries(env)),
        onHost: false,
        hostPid: false,
        privileged: false,
        host: host.api,
      },
    });
    return { rc, out, err };
  }
  it('an unknown command prints "not found" and gives 127', () => {
    const r = sh('frobnicate --now');
    assert.equal(r.rc, 127);
    assert.equal(r.err, 'sh: frobnicate: not found\n');
  });
  it('a syntax error gives 2', () => {
    assert.equal(sh('if true; then echo x').rc, 2);
    assert.equal(sh('echo $(id)').rc, 2);
  });
  it('&& and || short-circuit and $? follows', () => {
    assert.equal(sh('false && echo no; echo $?').out, '1\n');
    assert.equal(sh('false || echo yes').out, 'yes\n');
    assert.equal(sh('true || echo no; echo done').out, 'done\n');
  });
  it('elif and else choose the first true branch', () => {
    assert.equal(
      sh('x=2; if [ "$x" -eq 1 ]; then echo one; elif [ "$x" -eq 2 ]; then echo two; else echo other; fi')
        .out,
      'two\n',
    );
    assert.equal(sh('if [ a = b ]; then echo same; else echo differ; fi').out, 'differ\n');
  });
  it('"$@" keeps arguments apart and unquoted variables split on blanks', () => {
    assert.equal(sh('echo "$#" "$1" "$2"', ['a b', 'c']).out, '2 a b c\n');
    assert.equal(sh('sh -c \'echo $#\' inner "$@"', ['a b', 'c']).out, '2\n');
    assert.equal(sh("sh -c 'echo $#' inner $1", ['a b']).out, '2\n');
    assert.equal(sh('sh -c \'echo $#\' inner "$@"', []).out, '0\n');
    assert.equal(sh('echo $V', [], { V: '  x   y ' }).out, 'x y\n');
  });
  it('single quotes keep dollars literal and 2>&1 joins the streams', () => {
    assert.equal(sh("echo '$HOME'").out, '$HOME\n');
    assert.equal(
      sh('cat /nope > /tmp/o 2>&1; cat /tmp/o').out,
      "cat: can't open '/nope': No such file or directory\n",
    );
  });
  it('test reports a bad number with status 2', () => {
    const r = sh('[ abc -eq 1 ]');
    assert.equal(r.rc, 2);
    assert.match(r.err, /bad number/);
  });
  it('! negates, >> appends, and exit stops the script', () => {
    assert.equal(sh('! false && echo ok').out, 'ok\n');
    assert.equal(sh('echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f; exit 4; echo never').out, 'a\nb\n');
    assert.equal(sh('exit 4').rc, 4);
  });
});
