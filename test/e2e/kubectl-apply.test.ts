// Real kubectl (the oldest and newest clients the dispatcher runs: 1.27 and 1.33) applies the project's
// deploy/ manifests to the simulator with validation on, as it is by default: kubectl reads the served
// OpenAPI (v2 protobuf for 1.27, v3 for 1.33), sends fieldValidation=Strict, and the second apply patches
// with a strategic merge patch. A misspelled field is refused with the server's strict decoding error;
// `kubectl explain` reads the schemas; `kubectl scale` writes deployments/scale.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSim, type RunningSim, type ServerVersion } from '../../src/sim/index.js';

const DISPATCHER = '/usr/bin/kubectl';
const run = promisify(execFile);
const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');

interface Env {
  readonly sim: RunningSim;
  readonly dir: string;
  kubectl(args: string[]): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

async function setUp(version: ServerVersion): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-apply-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSim({ kubeconfigPath, nodes: 2, serverVersion: version });
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
  return {
    sim,
    dir,
    kubectl: (args) => run(DISPATCHER, ['--kubeconfig', kubeconfigPath, ...args], { env, timeout: 60_000 }),
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const rejected = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => assert.fail('kubectl should have failed'),
    (e: { stderr: string }) => e.stderr,
  );

for (const [minor, gitVersion] of [
  ['27', 'v1.27.16'],
  ['33', 'v1.33.1'],
] as const) {
  describe(`kubectl 1.${minor} applies deploy/ with validation`, () => {
    let e: Env;
    before(async () => {
      e = await setUp({ major: '1', minor, gitVersion });
    });
    after(async () => {
      await e?.stop();
    });

    test('the dispatcher runs the matching client', async () => {
      const v = JSON.parse((await e.kubectl(['version', '-o', 'json'])).stdout) as {
        clientVersion: { minor: string };
      };
      assert.equal(v.clientVersion.minor, minor);
    });

    test('apply -f deploy/ creates every object, and a second apply of a change patches it', async () => {
      const first = await e.kubectl(['apply', '-f', DEPLOY]);
      assert.doesNotMatch(first.stderr, /validate=false|error/i);
      for (const obj of [
        'daemonset.apps/reboot-daemon-agent created',
        'namespace/reboot-daemon created',
        'serviceaccount/reboot-daemon created',
        'clusterrole.rbac.authorization.k8s.io/reboot-daemon created',
        'clusterrolebinding.rbac.authorization.k8s.io/reboot-daemon created',
        'role.rbac.authorization.k8s.io/reboot-daemon created',
        'rolebinding.rbac.authorization.k8s.io/reboot-daemon created',
        'deployment.apps/reboot-daemon-watch created',
        'resourcequota/reboot-daemon-critical-pods created',
      ])
        assert.ok(first.stdout.includes(obj), `${obj} missing from:\n${first.stdout}`);
      const again = await e.kubectl(['apply', '-f', DEPLOY]);
      assert.match(again.stdout, /daemonset.apps\/reboot-daemon-agent unchanged/);

      const changed = (await readFile(join(DEPLOY, 'agent-daemonset.yaml'), 'utf8'))
        .replace('--period=10m', '--period=5m')
        .replace('memory: 48Mi', 'memory: 64Mi');
      await writeFile(join(e.dir, 'ds.yaml'), changed);
      const patched = await e.kubectl(['apply', '-f', join(e.dir, 'ds.yaml'), '-v=6']);
      assert.match(patched.stdout, /daemonset.apps\/reboot-daemon-agent configured/);
      assert.match(
        patched.stderr,
        /PATCH.*daemonsets\/reboot-daemon-agent\?.*fieldValidation=Strict.*200 OK/,
      );
      assert.doesNotMatch(patched.stderr, /error calculating patch/);
      const c = e.sim.store.get('daemonsets', 'reboot-daemon', 'reboot-daemon-agent').spec.template.spec
        .containers[0];
      assert.ok(c.args.includes('--period=5m'));
      assert.equal(c.resources.requests.memory, '64Mi');
      assert.equal(c.env[0].name, 'NODE_NAME', 'the strategic merge keeps the container and its env');
    });

    test('a misspelled field is refused with the strict decoding error, on create and on patch', async () => {
      const bad = (await readFile(join(DEPLOY, 'agent-daemonset.yaml'), 'utf8')).replace(
        'imagePullPolicy:',
        'imagePullPolicee:',
      );
      await writeFile(join(e.dir, 'bad.yaml'), bad.replace('name: reboot-daemon-agent', 'name: other-agent'));
      const create = await rejected(e.kubectl(['apply', '-f', join(e.dir, 'bad.yaml')]));
      assert.match(
        create,
        /DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.template.spec.containers\[0\].imagePullPolicee"/,
      );
      assert.equal(e.sim.store.tryGet('daemonsets', 'reboot-daemon', 'other-agent'), undefined);
      await writeFile(join(e.dir, 'bad-patch.yaml'), bad);
      const patch = await rejected(e.kubectl(['apply', '-f', join(e.dir, 'bad-patch.yaml')]));
      assert.match(
        patch,
        /strict decoding error: unknown field "spec.template.spec.containers\[0\].imagePullPolicee"/,
      );
      const warned = await e.kubectl(['apply', '--validate=warn', '-f', join(e.dir, 'bad.yaml')]);
      assert.match(
        warned.stderr,
        /Warning: unknown field "spec.template.spec.containers\[0\].imagePullPolicee"/,
      );
      const kept = e.sim.store.get('daemonsets', 'reboot-daemon', 'other-agent').spec.template.spec
        .containers[0];
      assert.equal(kept.imagePullPolicee, undefined, 'Warn drops the unknown field, as the real server does');
    });

    test('explain describes pods.spec, a Lease and a DaemonSet', async () => {
      const pod = (await e.kubectl(['explain', 'pods.spec'])).stdout;
      assert.match(pod, /KIND:\s+Pod/);
      assert.match(pod, /containers\s+<\[\]Container>\s+-required-|containers\s+<\[\]Container>/);
      assert.match(pod, /nodeName\s+<string>/);
      const lease = (await e.kubectl(['explain', 'lease.spec.holderIdentity'])).stdout;
      assert.match(lease, /GROUP:\s+coordination.k8s.io/);
      assert.match(lease, /The identity of the holder of a current lease/);
      const ds = (await e.kubectl(['explain', 'daemonset.spec.updateStrategy'])).stdout;
      assert.match(ds, /KIND:\s+DaemonSet/);
      assert.match(ds, /rollingUpdate/);
    });

    test('scale deployment writes deployments/scale and changes spec.replicas', async () => {
      await e.kubectl([
        'apply',
        '-f',
        join(DEPLOY, '00-rbac.yaml'),
        '-f',
        join(DEPLOY, 'watch-deployment.yaml'),
      ]);
      const out = await e.kubectl([
        'scale',
        'deployment',
        '-n',
        'reboot-daemon',
        'reboot-daemon-watch',
        '--replicas=3',
      ]);
      assert.match(out.stdout, /deployment.apps\/reboot-daemon-watch scaled/);
      assert.equal(e.sim.store.get('deployments', 'reboot-daemon', 'reboot-daemon-watch').spec.replicas, 3);
      const scale = JSON.parse(
        (
          await e.kubectl([
            'get',
            '--raw',
            '/apis/apps/v1/namespaces/reboot-daemon/deployments/reboot-daemon-watch/scale',
          ])
        ).stdout,
      ) as { kind: string; spec: { replicas: number }; status: { selector: string } };
      assert.deepEqual([scale.kind, scale.spec.replicas], ['Scale', 3]);
      assert.match(scale.status.selector, /app.kubernetes.io\/component=watch/);
    });
  });
}
