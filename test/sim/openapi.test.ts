// The simulator's OpenAPI documents, its server-side field validation and the scale subresource, at the
// level of the functions the HTTP front calls.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, resourceByPlural, subresourceFor } from '../../src/sim/resources.js';
import { openApiV2, openApiV3, v3GroupVersions } from '../../src/sim/openapi/documents.js';
import { checkFields, fieldValidationOf } from '../../src/sim/openapi/field-validation.js';
import { encodeOpenApiV2 } from '../../src/sim/openapi/proto.js';
import { createStore } from '../../src/sim/store.js';
import { manualClock } from '../../src/sim/clock.js';
import { patchedScale, scaleOf, writeScale } from '../../src/sim/scale.js';
import { isStatusError } from '../../src/sim/status.js';
import type { KObject } from '../../src/sim/types.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pods = resourceByPlural('pods')!;
const pod = (spec: J): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'd' },
  spec,
});

describe('OpenAPI documents', () => {
  it('every served kind has a definition tagged with its group/version/kind, and every $ref resolves', () => {
    const v2 = openApiV2(RESOURCES, 'v1.32.4') as J;
    const defs = v2['definitions'] as Record<string, J>;
    for (const t of RESOURCES) {
      const tagged = Object.values(defs).some((d) =>
        (d['x-kubernetes-group-version-kind'] ?? []).some(
          (g: J) => g['group'] === t.group && g['kind'] === t.kind,
        ),
      );
      assert.ok(tagged, `${t.kind} has no definition`);
    }
    const refs = JSON.stringify(v2).match(/#\/definitions\/[^"]+/g) ?? [];
    for (const r of refs) assert.ok(defs[r.slice('#/definitions/'.length)], `dangling ${r}`);
    const containers = defs['io.k8s.api.core.v1.PodSpec']!['properties']['containers'];
    assert.deepEqual(
      [containers['x-kubernetes-patch-merge-key'], containers['x-kubernetes-patch-strategy']],
      ['name', 'merge'],
    );
    assert.ok(encodeOpenApiV2(v2).length > 10_000);
  });

  it('each PATCH operation of v3 takes fieldValidation and a strategic merge patch', () => {
    for (const gv of v3GroupVersions(RESOURCES)) {
      const doc = openApiV3(RESOURCES, gv, 'v1.32.4') as J;
      const patches = Object.values(doc['paths'] as Record<string, J>).filter((p) => p['patch']);
      assert.ok(patches.length > 0, gv);
      for (const p of patches) {
        assert.ok(
          p['patch']['parameters'].some((q: J) => q['name'] === 'fieldValidation' && q['in'] === 'query'),
        );
        assert.ok(p['patch']['requestBody']['content']['application/strategic-merge-patch+json']);
      }
    }
    assert.equal(openApiV3(RESOURCES, 'apis/batch/v1', 'v1.32.4'), undefined);
  });
});

describe('fieldValidation', () => {
  const bad = pod({ containers: [{ name: 'c', image: 'i', imagePullPolicee: 'Always' }], fooBar: 1 });

  it('Strict refuses unknown fields with the decoder message, naming each field', () => {
    assert.throws(
      () => checkFields(pods, bad, 'Strict', 'create'),
      (e: unknown) =>
        isStatusError(e) &&
        e.status.code === 400 &&
        e.status.message ===
          'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicee", unknown field "spec.fooBar"',
    );
    assert.throws(
      () => checkFields(pods, bad, 'Strict', 'patch'),
      (e: unknown) => isStatusError(e) && e.status.message.startsWith('strict decoding error: unknown field'),
    );
  });

  it('Warn drops them with a warning each, Ignore drops them silently, and open subtrees keep everything', () => {
    const warn = checkFields(pods, bad, 'Warn', 'create');
    assert.deepEqual(warn.warnings, [
      '299 - "unknown field \\"spec.containers[0].imagePullPolicee\\""',
      '299 - "unknown field \\"spec.fooBar\\""',
    ]);
    assert.deepEqual(warn.object.spec, { containers: [{ name: 'c', image: 'i' }] });
    const ignore = checkFields(pods, bad, 'Ignore', 'create');
    assert.deepEqual(
      [ignore.warnings, ignore.object.spec],
      [[], { containers: [{ name: 'c', image: 'i' }] }],
    );
    const withStatus = { ...pod({ containers: [] }), status: { phase: 'Running', somethingNew: 1 } };
    assert.deepEqual(checkFields(pods, withStatus, 'Strict', 'update').object, withStatus);
  });

  it('the directive defaults to Warn, and an unsupported value is a 400', () => {
    assert.equal(fieldValidationOf(new URLSearchParams('')), 'Warn');
    assert.equal(fieldValidationOf(new URLSearchParams('fieldValidation=Strict')), 'Strict');
    assert.throws(
      () => fieldValidationOf(new URLSearchParams('fieldValidation=strict')),
      (e: unknown) =>
        isStatusError(e) && e.status.code === 400 && /Unsupported value: "strict"/.test(e.status.message),
    );
  });
});

describe('deployments/scale', () => {
  const deployments = resourceByPlural('deployments')!;
  const seed = (): ReturnType<typeof createStore> => {
    const store = createStore(manualClock(Date.parse('2025-06-02T10:00:00Z')));
    store.create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {} },
      status: { replicas: 2 },
    } as KObject);
    return store;
  };

  it('reads as an autoscaling/v1 Scale and a patch of it changes only spec.replicas', () => {
    const store = seed();
    const s = scaleOf(store.get('deployments', 'shop', 'web'));
    assert.deepEqual(
      [s.apiVersion, s.kind, s.spec, s.status],
      ['autoscaling/v1', 'Scale', { replicas: 2 }, { replicas: 2, selector: 'app=web' }],
    );
    assert.ok(subresourceFor('deployments', 'scale') && subresourceFor('replicasets', 'scale'));
    const next = patchedScale(store, deployments, 'shop', 'web', 'application/merge-patch+json', {
      spec: { replicas: 5 },
    });
    assert.equal(writeScale(store, deployments, 'shop', 'web', next, false).spec.replicas, 5);
    const d = store.get('deployments', 'shop', 'web');
    assert.deepEqual([d.spec.replicas, d.spec.selector], [5, { matchLabels: { app: 'web' } }]);
  });

  it('refuses a negative count (422) and a stale resourceVersion (409); dry run writes nothing', () => {
    const store = seed();
    const s = scaleOf(store.get('deployments', 'shop', 'web'));
    const code = (f: () => unknown): number | undefined => {
      try {
        f();
      } catch (e) {
        return isStatusError(e) ? e.status.code : undefined;
      }
      return 200;
    };
    assert.equal(
      code(() => writeScale(store, deployments, 'shop', 'web', { ...s, spec: { replicas: -1 } }, false)),
      422,
    );
    const stale = { ...s, metadata: { ...s.metadata, resourceVersion: '1' }, spec: { replicas: 3 } };
    assert.equal(
      code(() => writeScale(store, deployments, 'shop', 'web', stale, false)),
      409,
    );
    assert.equal(
      writeScale(store, deployments, 'shop', 'web', { ...s, spec: { replicas: 9 } }, true).spec.replicas,
      9,
    );
    assert.equal(store.get('deployments', 'shop', 'web').spec.replicas, 2);
  });
});
