// The list-then-watch loop: re-lists when the server answers 410 Gone for a too-old resourceVersion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { createStore } from '../../src/sim/store.js';
import { realClock } from '../../src/sim/clock.js';
import { watchLoop } from '../../src/adapters/k8s/watch-loop.js';
import { listAll } from '../../src/adapters/k8s/paging.js';
import { startFixture, nodeObj, until } from './sim-fixture.js';

test('a watch from a compacted resourceVersion gets 410 and the loop lists again', async () => {
  const clock = realClock();
  const fx = await startFixture({ clock, store: createStore(clock, { historySize: 3 }) });
  try {
    for (let i = 0; i < 8; i++) fx.sim.store.create('nodes', nodeObj(`n${i}`));
    let lists = 0;
    const listed: number[] = [];
    const added: string[] = [];
    const ac = new AbortController();
    const loop = watchLoop<V1Node>({
      clients: fx.clients,
      path: '/api/v1/nodes',
      resource: 'nodes',
      signal: ac.signal,
      initialBackoffMs: 20,
      list: async () => {
        const real = await listAll((page) => fx.clients.core.listNode(page));
        lists++;
        // The first list claims an old version, as if the cache had moved on meanwhile.
        return lists === 1 ? { items: real.items, resourceVersion: '1' } : real;
      },
      onList: (items) => listed.push(items.length),
      onEvent: (kind, node) => {
        if (kind === 'ADDED') added.push(node.metadata?.name ?? '');
      },
    });
    await until(() => lists >= 2, 5000, 'second list');
    fx.sim.store.create('nodes', nodeObj('late'));
    await until(() => added.includes('late'), 5000, 'event after re-list');
    ac.abort();
    await loop;
    assert.deepEqual(listed.slice(0, 2), [8, 8]);
    assert.equal(lists, 2);
  } finally {
    await fx.stop();
  }
});
