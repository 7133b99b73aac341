// Loading kubeconfig kubectl's way, and the InputErrors for every way it can be wrong.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { contextNamespace, loadKubeConfig } from '../../src/adapters/k8s/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'rd-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, server: string, extra: { namespace?: string; current?: boolean } = {}): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    'users:',
    `- name: ${name}`,
    '  user:',
    '    token: t',
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    ...(extra.namespace ? [`    namespace: ${extra.namespace}`] : []),
    ...(extra.current === false ? [] : [`current-context: ${name}`]),
    '',
  ].join('\n');
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const empty = { HOME: join(dir, 'no-home') };

test('--kubeconfig loads that file and its current context', () => {
  const path = file('a.yaml', config('a', 'https://a.example:6443', { namespace: 'team' }));
  const kc = loadKubeConfig({ kubeconfig: path, env: empty });
  assert.equal(kc.getCurrentCluster()?.server, 'https://a.example:6443');
  assert.equal(contextNamespace(kc), 'team');
});

test('KUBECONFIG merges files, first one wins, and --context picks from any of them', () => {
  const a = file('m1.yaml', config('one', 'https://one:6443'));
  const b = file('m2.yaml', config('two', 'https://two:6443'));
  const kc = loadKubeConfig({ env: { ...empty, KUBECONFIG: `${a}:${join(dir, 'missing.yaml')}:${b}` } });
  assert.equal(kc.getCurrentContext(), 'one');
  const two = loadKubeConfig({ env: { ...empty, KUBECONFIG: `${a}:${b}` }, context: 'two' });
  assert.equal(two.getCurrentCluster()?.server, 'https://two:6443');
});

test('~/.kube/config is used when nothing else is given', () => {
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), config('h', 'https://h:6443'));
  assert.equal(loadKubeConfig({ env: { HOME: home } }).getCurrentCluster()?.server, 'https://h:6443');
});

test('in-cluster config is used inside a pod with a service account', () => {
  const sa = join(dir, 'sa');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'token'), 'tok');
  writeFileSync(join(sa, 'ca.crt'), 'ca');
  writeFileSync(join(sa, 'namespace'), 'reboot-daemon\n');
  const kc = loadKubeConfig({
    env: { ...empty, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
    serviceAccountDir: sa,
  });
  assert.equal(kc.getCurrentCluster()?.server, 'https://10.0.0.1:443');
  assert.equal(kc.getCurrentCluster()?.skipTLSVerify, false);
  assert.equal(contextNamespace(kc), 'reboot-daemon');
});

test('a missing file is an InputError naming it', () => {
  const path = join(dir, 'nope.yaml');
  assert.throws(
    () => loadKubeConfig({ kubeconfig: path, env: empty }),
    (e: unknown) =>
      e instanceof InputError && e.exitCode === 2 && e.message.includes(path) && e.hint !== undefined,
  );
});

test('a corrupt file is an InputError naming it', () => {
  const path = file('corrupt.yaml', 'clusters: [\n  - name: x\n  cluster: {server: ]]]');
  assert.throws(
    () => loadKubeConfig({ kubeconfig: path, env: empty }),
    (e: unknown) => e instanceof InputError && e.message.includes(path),
  );
  const junk = file('junk.yaml', 'just a string');
  assert.throws(
    () => loadKubeConfig({ kubeconfig: junk, env: empty }),
    (e: unknown) => e instanceof InputError && e.message.includes(junk),
  );
});

test('an unknown context is an InputError listing the available ones', () => {
  const path = file('ctx.yaml', config('real', 'https://r:6443'));
  assert.throws(
    () => loadKubeConfig({ kubeconfig: path, context: 'ghost', env: empty }),
    (e: unknown) => e instanceof InputError && /ghost/.test(e.message) && /real/.test(e.hint ?? ''),
  );
});

test('no current-context, or a context whose cluster or user is missing, is an InputError', () => {
  const none = file('nocur.yaml', config('c', 'https://c:6443', { current: false }));
  assert.throws(
    () => loadKubeConfig({ kubeconfig: none, env: empty }),
    (e: unknown) => e instanceof InputError && /current-context/.test(e.message),
  );
  const dangling = file(
    'dangling.yaml',
    'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n- name: d\n  context: {cluster: gone, user: gone}\ncurrent-context: d\n',
  );
  assert.throws(
    () => loadKubeConfig({ kubeconfig: dangling, env: empty }),
    (e: unknown) => e instanceof InputError && /cluster "gone"/.test(e.message),
  );
});

test('no configuration anywhere is an InputError', () => {
  assert.throws(() => loadKubeConfig({ env: empty, serviceAccountDir: join(dir, 'none') }), InputError);
  assert.throws(() => loadKubeConfig({ env: { ...empty, KUBECONFIG: join(dir, 'x.yaml') } }), InputError);
});
