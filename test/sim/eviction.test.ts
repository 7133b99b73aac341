// The eviction subresource honours PodDisruptionBudgets as the API server does, and records every attempt.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import { scenarioFromObject } from '../../src/sim/scenario.js';
import { StatusError } from '../../src/sim/status.js';
import type { KObject } from '../../src/sim/types.js';

function cluster(
  deployments: unknown[],
  extra: Record<string, unknown> = {},
): { c: SimCluster; clock: ReturnType<typeof manualClock> } {
  const clock = manualClock(Date.parse('2025-03-01T00:00:00Z'));
  const scenario = scenarioFromObject({
    nodes: [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }],
    workloads: { deployments, ...extra },
  });
  return { c: createSimCluster({ scenario, clock }), clock };
}

const podsOf = (c: SimCluster, app: string): KObject[] =>
  c.store.list('pods', { namespace: 'default', labelSelector: `app=${app}` }).items;
const activePods = (c: SimCluster, app: string): KObject[] =>
  podsOf(c, app).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed');

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('eviction', () => {
  it('refuses with 429 and a DisruptionBudget cause when no disruption is allowed', () => {
    const { c } = cluster([{ name: 'web', replicas: 2, pdb: { minAvailable: 2 } }]);
    const pod = podsOf(c, 'web')[0] as KObject;
    const err = statusOf(() => c.hooks.evict('default', pod.metadata.name, {}));
    assert.equal(err.code, 429);
    assert.equal(err.status.reason, 'TooManyRequests');
    assert.equal(err.status.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(err.status.details?.causes, [
      {
        reason: 'DisruptionBudget',
        message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
      },
    ]);
    assert.equal(c.store.tryGet('pods', 'default', pod.metadata.name)?.metadata.deletionTimestamp, undefined);
    assert.equal(c.record.of('eviction')[0]?.outcome, 'refused');
  });

  it('answers 500 when more than one budget matches the pod', () => {
    const { c } = cluster([{ name: 'web', replicas: 3, pdb: { maxUnavailable: 1 } }]);
    c.store.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-extra', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 },
    });
    const pod = podsOf(c, 'web')[0] as KObject;
    const err = statusOf(() => c.hooks.evict('default', pod.metadata.name, {}));
    assert.equal(err.code, 500);
    assert.match(
      err.status.message,
      /more than one PodDisruptionBudget, which the eviction subresource does not support/,
    );
  });

  it('answers 404 for a pod that does not exist', () => {
    const { c } = cluster([]);
    const err = statusOf(() => c.hooks.evict('default', 'ghost', {}));
    assert.equal(err.code, 404);
    assert.equal(err.status.message, 'pods "ghost" not found');
  });

  it('evicts a Pending pod without looking at its budget', () => {
    const { c } = cluster([{ name: 'web', replicas: 1, pdb: { minAvailable: 1 } }]);
    const pending = c.addPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-pending', namespace: 'default', labels: { app: 'web' } },
      spec: { nodeName: 'nowhere', containers: [{ name: 'c', image: 'x' }] },
    });
    assert.equal(pending.status?.phase, 'Pending');
    const res = c.hooks.evict('default', 'web-pending', {});
    assert.equal((res as unknown as { code: number }).code, 201);
    assert.equal(c.record.of('eviction').at(-1)?.outcome, 'skippedCheck');
  });

  it('evicts an already terminating pod without looking at its budget', () => {
    const { c } = cluster([{ name: 'web', replicas: 2, pdb: { minAvailable: 2 } }]);
    const pod = podsOf(c, 'web')[0] as KObject;
    c.store.delete('pods', 'default', pod.metadata.name, { gracePeriodSeconds: 30 });
    c.hooks.evict('default', pod.metadata.name, {});
    assert.equal(c.record.of('eviction').at(-1)?.outcome, 'skippedCheck');
  });

  it('lets only one of two parallel evictions through when one disruption is allowed', async () => {
    const { c } = cluster([{ name: 'web', replicas: 3, pdb: { minAvailable: 2 } }]);
    const [a, b] = podsOf(c, 'web') as [KObject, KObject];
    const results = await Promise.allSettled([
      Promise.resolve().then(() =>
        c.hooks.evict('default', a.metadata.name, { deleteOptions: { gracePeriodSeconds: 0 } }),
      ),
      Promise.resolve().then(() =>
        c.hooks.evict('default', b.metadata.name, { deleteOptions: { gracePeriodSeconds: 0 } }),
      ),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((refused.reason as StatusError).code, 429);
    const evicted = c.record.of('eviction').filter((e) => e.outcome === 'evicted');
    assert.equal(evicted.length, 1);
    assert.equal(evicted[0]?.allowedBefore, 1);
    assert.deepEqual(c.record.of('pdbViolation'), []);
  });

  it('a replacement becomes Ready and the budget allows the next eviction', () => {
    const { c, clock } = cluster([{ name: 'web', replicas: 3, pdb: { minAvailable: 2 } }]);
    const first = podsOf(c, 'web')[0] as KObject;
    c.hooks.evict('default', first.metadata.name, { deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(c.store.get('poddisruptionbudgets', 'default', 'web').status.disruptionsAllowed, 0);
    clock.advance(10_000);
    assert.equal(activePods(c, 'web').length, 3);
    assert.equal(c.store.get('poddisruptionbudgets', 'default', 'web').status.disruptionsAllowed, 1);
    const second = activePods(c, 'web')[0] as KObject;
    c.hooks.evict('default', second.metadata.name, {});
    assert.deepEqual(c.record.of('pdbViolation'), []);
  });

  it('uses the eviction grace period, then removes the pod when it elapses', () => {
    const { c, clock } = cluster([{ name: 'web', replicas: 2 }]);
    const pod = podsOf(c, 'web')[0] as KObject;
    c.hooks.evict('default', pod.metadata.name, { deleteOptions: { gracePeriodSeconds: 5 } });
    assert.ok(c.store.get('pods', 'default', pod.metadata.name).metadata.deletionTimestamp);
    clock.advance(6_000);
    assert.equal(c.store.tryGet('pods', 'default', pod.metadata.name), undefined);
  });
});
