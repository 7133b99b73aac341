// RBAC in the simulator: PolicyRules evaluated like the real authorizer (groups, resources and
// subresources, verbs, resourceNames, wildcards, Role namespaces, bindings) and enforced over HTTPS.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/sim/clock.js';
import { startSim } from '../../src/sim/index.js';
import { authorizerFromRoles, ruleAllows } from '../../src/sim/rbac.js';
import type { KObject } from '../../src/sim/types.js';
import { api } from '../support/https-client.js';

function role(kind: 'ClusterRole' | 'Role', name: string, rules: unknown[], namespace?: string): KObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    rules,
  } as KObject;
}

const drainer = role('ClusterRole', 'drainer', [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
]);

describe('policy rules', () => {
  const can = authorizerFromRoles([drainer]);

  it('a rule names group, resource and verb; all three must match', () => {
    assert.equal(can('patch', 'nodes', undefined), true);
    assert.equal(can('delete', 'nodes', undefined), false);
    assert.equal(can('get', 'daemonsets', undefined, 'kube-system'), true);
    assert.equal(can('get', 'deployments', undefined, 'kube-system'), false);
    assert.equal(can('get', 'daemonsets', undefined, 'kube-system', 'x', ''), false, 'wrong group');
  });

  it('a subresource needs its own "pods/eviction" entry; "pods" does not cover it', () => {
    assert.equal(can('create', 'pods', 'eviction', 'shop', 'web-1'), true);
    assert.equal(can('create', 'pods', undefined, 'shop'), false);
    const podsOnly = authorizerFromRoles([
      role('ClusterRole', 'p', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]),
    ]);
    assert.equal(podsOnly('create', 'pods', 'eviction', 'shop', 'web-1'), false);
    assert.equal(podsOnly('delete', 'pods', undefined, 'shop', 'web-1'), true);
  });

  it('wildcards: "*" verbs, groups and resources (subresources included), and "*/sub"', () => {
    const all = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    assert.equal(
      ruleAllows(all, { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' }),
      true,
    );
    const anyEviction = { apiGroups: [''], resources: ['*/eviction'], verbs: ['create'] };
    assert.equal(
      ruleAllows(anyEviction, { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' }),
      true,
    );
    assert.equal(ruleAllows(anyEviction, { verb: 'create', group: '', resource: 'pods' }), false);
    assert.equal(
      ruleAllows({ resources: ['pods'], verbs: ['get'] }, { verb: 'get', group: '', resource: 'pods' }),
      false,
      'no apiGroups matches nothing',
    );
  });

  it('resourceNames limit a rule to the named objects, so it never covers a list or a create', () => {
    const lease = authorizerFromRoles([
      role(
        'Role',
        'lock',
        [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            resourceNames: ['reboot-daemon'],
            verbs: ['get', 'update'],
          },
        ],
        'kube-system',
      ),
    ]);
    assert.equal(lease('update', 'leases', undefined, 'kube-system', 'reboot-daemon'), true);
    assert.equal(lease('update', 'leases', undefined, 'kube-system', 'other'), false);
    assert.equal(lease('get', 'leases', undefined, 'kube-system'), false);
  });

  it('a Role applies only in its namespace and never to cluster-scoped resources', () => {
    const ns = authorizerFromRoles([
      role('Role', 'r', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 'reboot-daemon'),
    ]);
    assert.equal(ns('create', 'pods', undefined, 'reboot-daemon'), true);
    assert.equal(ns('create', 'pods', undefined, 'default'), false);
    assert.equal(ns('list', 'pods', undefined, undefined), false, 'all-namespace list');
    assert.equal(ns('get', 'nodes', undefined, undefined, 'a'), false);
  });

  it('with bindings, a RoleBinding grants a ClusterRole only in its namespace', () => {
    const docs = [
      drainer,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'shop' },
        roleRef: { kind: 'ClusterRole', name: 'drainer' },
      } as KObject,
    ];
    const can2 = authorizerFromRoles(docs);
    assert.equal(can2('get', 'pods', undefined, 'shop', 'x'), true);
    assert.equal(can2('get', 'pods', undefined, 'default', 'x'), false);
    assert.equal(can2('patch', 'nodes', undefined, undefined, 'a'), false);
  });
});

describe('RBAC over HTTPS', () => {
  it('a role lacking "patch nodes" gets 403 Forbidden on cordon, and may still read nodes', async () => {
    const readOnly = role('ClusterRole', 'viewer', [
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    const sim = await startSim({ nodes: 2, clock: manualClock(0), rbacRoles: [readOnly], user: 'viewer' });
    try {
      assert.equal((await api(sim, 'GET', '/api/v1/nodes/worker-1')).status, 200);
      const res = await api(sim, 'PATCH', '/api/v1/nodes/worker-1', {
        body: { spec: { unschedulable: true } },
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      });
      assert.equal(res.status, 403);
      assert.equal(res.json.kind, 'Status');
      assert.equal(res.json.reason, 'Forbidden');
      assert.equal(
        res.json.message,
        'nodes "worker-1" is forbidden: User "viewer" cannot patch resource "nodes" in API group "" at the cluster scope',
      );
      assert.equal(sim.store.get('nodes', undefined, 'worker-1').spec.unschedulable, undefined);
      const evict = await api(sim, 'POST', '/api/v1/namespaces/shop/pods/x/eviction', {
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'x', namespace: 'shop' } },
      });
      assert.equal(evict.status, 403);
      assert.match(
        evict.json.message,
        /cannot create resource "pods\/eviction" in API group "" in the namespace "shop"/,
      );
    } finally {
      await sim.stop();
    }
  });
});
