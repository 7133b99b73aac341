// A 1,000-node cluster with 30 pods per node served over HTTPS stays responsive and correct: paged,
// field-selected pod lists, health checks, and heartbeats that do not flood the watch history.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimCluster } from '../../src/sim/cluster.js';
import { manualClock } from '../../src/sim/clock.js';
import { startSim } from '../../src/sim/index.js';
import { parseScenario, scaleScenario } from '../../src/sim/scenario.js';
import type { WatchEvent } from '../../src/sim/types.js';
import { api, watch } from '../support/https-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const heartbeatOf = (n: { status: { conditions: { type: string; lastHeartbeatTime: string }[] } }): string =>
  n.status.conditions.find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? '';

describe('heartbeats', () => {
  it('reach live watchers every interval but stay out of the replay history', () => {
    const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));
    const c = createSimCluster({
      scenario: parseScenario('nodes: [{ name: a }, { name: b }]\ntiming: { jitter: 0 }'),
      clock,
    });
    const rv0 = String(c.store.currentResourceVersion());
    const live: WatchEvent[] = [];
    const stopLive = c.store.watch('nodes', {}, (e) => live.push(e));
    clock.advance(30_000);
    assert.equal(live.length, 6, 'two nodes, three heartbeats each');
    c.store.patch('nodes', undefined, 'a', 'application/merge-patch+json', {
      metadata: { labels: { tier: 'gold' } },
    });
    const replayed: WatchEvent[] = [];
    const stopReplay = c.store.watch('nodes', { resourceVersion: rv0 }, (e) => replayed.push(e));
    assert.deepEqual(
      replayed.map((e) => [e.type, e.object.metadata.name, e.object.metadata.labels?.['tier']]),
      [['MODIFIED', 'a', 'gold']],
    );
    assert.equal(heartbeatOf(replayed[0]?.object as never), '2025-06-02T10:00:30Z');
    stopLive();
    stopReplay();
    c.stop();
  });
});

describe('a 1,000-node cluster over HTTPS', () => {
  it('answers paged field-selected pod lists and /healthz while heartbeats run', async () => {
    const sim = await startSim({ scenario: scaleScenario(1000, 30), timeScale: 20 });
    try {
      const rv0 = sim.store.currentResourceVersion();
      const firstBeat = heartbeatOf(sim.store.get('nodes', undefined, 'node-0500') as never);
      const node = 'node-0500';
      for (let round = 0; round < 4; round++) {
        const health = await api(sim, 'GET', '/healthz');
        assert.equal(health.status, 200);
        assert.equal(health.text, 'ok');

        const names: string[] = [];
        let cont = '';
        let pages = 0;
        do {
          const q = `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}&limit=7${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
          const page = await api(sim, 'GET', `/api/v1/pods?${q}`);
          assert.equal(page.status, 200, page.text);
          for (const p of page.json.items) {
            assert.equal(p.spec.nodeName, node);
            names.push(`${p.metadata.namespace}/${p.metadata.name}`);
          }
          cont = page.json.metadata.continue ?? '';
          pages++;
        } while (cont !== '');
        assert.equal(names.length, 30, `round ${round}`);
        assert.equal(new Set(names).size, 30);
        assert.equal(pages, 5);
        assert.equal(names.filter((n) => n.startsWith('kube-system/node-agent-')).length, 1);
        await sleep(400);
      }
      // About 30 simulated seconds went by: every node has beaten, thousands of heartbeat writes...
      assert.notEqual(heartbeatOf(sim.store.get('nodes', undefined, node) as never), firstBeat);
      assert.ok(sim.store.currentResourceVersion() - rv0 > 1000);
      // ...yet a watch from before them replays only the one real change, not the heartbeats.
      sim.store.patch('nodes', undefined, 'node-0007', 'application/merge-patch+json', {
        metadata: { labels: { tier: 'gold' } },
      });
      const w = watch(sim, `/api/v1/nodes?watch=1&resourceVersion=${rv0}`);
      try {
        assert.equal(await w.status, 200);
        await w.next(() => true, 5000);
        assert.equal(w.events[0].type, 'MODIFIED');
        assert.equal(w.events[0].object.metadata.name, 'node-0007');
        assert.equal(w.events[0].object.metadata.labels.tier, 'gold');
      } finally {
        w.close();
      }
    } finally {
      await sim.stop();
    }
  });
});
