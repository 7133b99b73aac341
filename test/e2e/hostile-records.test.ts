// Records written by someone else (hostile-corpus.ts): a state annotation, the Lease's holders record and an
// agent's report that are malformed or the wrong shape. Each is read safely and never trusted: the node that
// needs a reboot is not rebooted, the record is left as it was for a human, and the run says why and exits
// non-zero, without a crash.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/sim/types.js';
import { assertBuilt, runArgs, runCli, show } from '../support/e2e-cli.js';
import { MALFORMED_LEASE_RECORDS, MALFORMED_STATE_ANNOTATIONS } from './hostile-corpus.js';
import { STACK_TRACE, events, startHostileCluster, type HostileCluster } from './hostile-support.js';

const STATE_KEY = 'reboot-daemon.io/state';
const HOLDERS_KEY = 'reboot-daemon.io/holders';

describe('records written by someone else are never trusted', () => {
  let c: HostileCluster;

  before(async () => {
    await assertBuilt();
    c = await startHostileCluster();
  });

  after(async () => {
    await c?.stop();
  });

  const node1 = (): KObject => c.sim.store.get('nodes', undefined, 'node-1');
  const annotate = (key: string, value: string | null): void => {
    c.sim.store.patch('nodes', undefined, 'node-1', 'application/merge-patch+json', {
      metadata: { annotations: { [key]: value } },
    });
  };

  for (const bad of MALFORMED_STATE_ANNOTATIONS) {
    test(`a state annotation ${JSON.stringify(bad)} on the node that needs a reboot`, async () => {
      annotate(STATE_KEY, bad);
      try {
        const r = await runCli(runArgs(c.kubeconfigPath));
        assert.notEqual(r.code, 0, show(r));
        assert.ok(r.code !== null && r.code < 10, `an exit code, not a crash: ${show(r)}`);
        assert.doesNotMatch(r.stderr, STACK_TRACE, 'no stack trace');
        const result = events(r).find((e) => e.type === 'node-result' && e.node === 'node-1');
        assert.equal(result?.outcome, 'failed', show(r));
        assert.match(result?.reason ?? '', /state annotation unreadable/, show(r));
        assert.equal(node1().metadata.annotations?.[STATE_KEY], bad, 'the record is left for a human');
        c.assertNothingRebooted();
      } finally {
        annotate(STATE_KEY, null);
      }
    });
  }

  for (const bad of MALFORMED_LEASE_RECORDS) {
    test(`a Lease whose holders record is ${JSON.stringify(bad)}`, async () => {
      const store = c.sim.store;
      if (!store.tryGet('namespaces', undefined, 'reboot-daemon')) {
        store.create('namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'reboot-daemon' },
        });
      }
      store.create('leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: 'reboot-daemon-lock',
          namespace: 'reboot-daemon',
          annotations: { [HOLDERS_KEY]: bad },
        },
        spec: { holderIdentity: 'someone-else' },
      });
      try {
        const r = await runCli(runArgs(c.kubeconfigPath));
        assert.notEqual(r.code, 0, show(r));
        assert.ok(r.code !== null && r.code < 10, `an exit code, not a crash: ${show(r)}`);
        assert.doesNotMatch(r.stderr, STACK_TRACE, 'no stack trace');
        assert.match(r.stdout + r.stderr, /lock/i, show(r));
        const lease = store.get('leases', 'reboot-daemon', 'reboot-daemon-lock');
        assert.equal(lease.metadata.annotations?.[HOLDERS_KEY], bad, 'the record is not overwritten');
        c.assertNothingRebooted();
      } finally {
        store.delete('leases', 'reboot-daemon', 'reboot-daemon-lock');
      }
    });
  }

  test('an agent report that says "yes; reboot" instead of true or false', async () => {
    const agent = {
      'reboot-daemon.io/agent-checked-at': new Date(c.sim.clock.now()).toISOString(),
      'reboot-daemon.io/agent-period': '3600s',
      'reboot-daemon.io/reboot-required': 'yes; reboot',
    };
    for (const [k, v] of Object.entries(agent)) annotate(k, v);
    // The report takes the place of the check pod; unreadable means unknown, even though the sentinel exists.
    try {
      const r = await runCli(runArgs(c.kubeconfigPath));
      assert.notEqual(r.code, 0, show(r));
      const probe = events(r).find((e) => e.type === 'probe' && e.node === 'node-1');
      assert.equal(probe?.result?.kind, 'unknown', show(r));
      c.assertNothingRebooted();
    } finally {
      for (const k of Object.keys(agent)) annotate(k, null);
    }
  });
});
