// Helper pod creation under API faults, and which transport failures are retried, with the real client-node
// against the simulator: a 429 or 500 on the POST is retried with the same name; a 409 on a retry adopts the
// pod an earlier attempt made, but only if it is ours; a TLS failure is reported at once, never retried.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPodSentinelChecker } from '../../src/adapters/k8s/helper-pods.js';
import { createPod } from '../../src/adapters/k8s/helper-pod-run.js';
import { fileCheckPod } from '../../src/adapters/k8s/helper-pod-spec.js';
import { settingsOf } from '../../src/adapters/k8s/helper-pod-common.js';
import { retryableError, retryableStatus, retryingHttpLibrary } from '../../src/adapters/k8s/retry.js';
import {
  CoreV1Api,
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
  type HttpLibrary,
} from '@kubernetes/client-node';
import { generatePki } from '../../src/sim/pki.js';
import { buildKubeconfig } from '../../src/sim/kubeconfig.js';
import { ensureNamespace } from '../../src/adapters/k8s/namespace.js';
import type { ErrorFault } from '../../src/sim/faults-types.js';
import { startClusterFixture } from './sim-cluster-fixture.js';
import type { ClusterFixture } from './sim-cluster-fixture.js';

let fx: ClusterFixture;
const NS = 'reboot-daemon';

before(async () => {
  fx = await startClusterFixture(2);
  await ensureNamespace(fx.clients, NS);
});
afterEach(() => fx.sim.server.setFaults(undefined));
after(() => fx.stop());

/** The first `failures` pod creations answer `code`, then the server serves them. */
function failCreates(code: ErrorFault['code'], failures: number): void {
  let drawn = 0;
  fx.sim.server.setFaults({
    errorRate: [{ code, rate: 0.5, verbs: ['create'], resources: ['pods'] }],
    random: () => (drawn++ < failures ? 0 : 0.999),
  });
}

const worker = (): string =>
  fx.sim.store.list('nodes').items.find((n) => !n.metadata.name.startsWith('control'))?.metadata.name ?? '';

for (const code of [429, 500] as const) {
  test(`a check pod create answered ${code} twice is retried and the check answers`, async () => {
    failCreates(code, 2);
    fx.sim.server.resetStats();
    const checker = new HelperPodSentinelChecker(fx.clients, {
      runId: `retry-${code}`,
      sentinel: { kind: 'file', path: '/var/run/reboot-required' },
    });
    const r = await checker.check(worker());
    assert.notEqual(r.kind, 'unknown', JSON.stringify(r));
    assert.equal(fx.sim.server.stats().byKey['create pods'], 3);
  });
}

test('a create that keeps failing gives up after 4 attempts with the server’s error', async () => {
  failCreates(500, 100);
  fx.sim.server.resetStats();
  const checker = new HelperPodSentinelChecker(fx.clients, {
    runId: 'retry-gives-up',
    sentinel: { kind: 'file', path: '/var/run/reboot-required' },
  });
  const r = await checker.check(worker());
  assert.equal(r.kind, 'unknown');
  if (r.kind === 'unknown') assert.match(r.error, /injected fault/);
  assert.equal(fx.sim.server.stats().byKey['create pods'], 4);
});

test('a 409 on a retry adopts the pod an earlier attempt created, when it carries our labels', async () => {
  const body = fileCheckPod(settingsOf({ runId: 'adopt' }), worker(), '/var/run/reboot-required', 30);
  // The earlier attempt went through although its answer was lost: the pod exists already.
  fx.sim.store.create('pods', structuredClone(body) as never);
  failCreates(500, 1);
  const pod = await createPod(fx.clients, body);
  assert.equal(pod.metadata?.name, body.metadata?.name);
  assert.equal(pod.metadata?.labels?.['app.kubernetes.io/managed-by'], 'reboot-daemon');
});

test('a 409 for a pod that is not ours is an error, not adopted', async () => {
  const body = fileCheckPod(settingsOf({ runId: 'other' }), worker(), '/var/run/reboot-required', 30);
  const squatter = structuredClone(body);
  squatter.metadata = { ...squatter.metadata, labels: { app: 'someone-else' } };
  fx.sim.store.create('pods', squatter as never);
  failCreates(500, 1);
  await assert.rejects(createPod(fx.clients, body), /already exists/);
});

test('a first-attempt 409 is never adopted: the name was taken before we tried', async () => {
  const body = fileCheckPod(settingsOf({ runId: 'first' }), worker(), '/var/run/reboot-required', 30);
  fx.sim.store.create('pods', structuredClone(body) as never);
  await assert.rejects(createPod(fx.clients, body), /already exists/);
});

test('transport errors: TLS failures are never retried; resets are, except on a POST', () => {
  for (const code of [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ]) {
    const err = Object.assign(new Error(code), { code, type: 'system' });
    assert.equal(retryableError('GET', err), false, code);
    assert.equal(retryableError('POST', err), false, code);
  }
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', type: 'system' });
  assert.equal(retryableError('GET', reset), true);
  assert.equal(retryableError('POST', reset), false);
  assert.equal(retryableError('POST', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), true);
  assert.equal(retryableStatus('GET', 500), true);
  assert.equal(retryableStatus('POST', 500), false);
  assert.equal(retryableStatus('POST', 503), true);
});

test('a server certificate from another CA fails after one attempt, not after the retries', async () => {
  const other = await generatePki();
  const kc = new KubeConfig();
  kc.loadFromString(
    buildKubeconfig({
      server: fx.clients.kc.getCurrentCluster()?.server ?? '',
      caCert: other.caCert,
      token: 't',
    }),
  );
  const baseServer = new ServerConfiguration(kc.getCurrentCluster()?.server ?? '', {});
  const real = createConfiguration({ baseServer }).httpApi;
  let sends = 0;
  const counting: HttpLibrary = {
    send: (req) => {
      sends++;
      return real.send(req);
    },
  };
  const core = new CoreV1Api(
    createConfiguration({ baseServer, authMethods: { default: kc }, httpApi: retryingHttpLibrary(counting) }),
  );
  await assert.rejects(core.listNode(), /certificate|self.signed|verify/i);
  assert.equal(sends, 1);
});
