// What one node's reboot costs in port calls, and the writes that must go together: the budget behind the
// benchmark's "API requests per node rebooted", held here so a change that adds a call per step fails a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnce } from '../../src/app/run.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import { parseNodeRecord } from '../../src/core/machine.js';
import type { ClusterPort } from '../../src/ports/cluster.js';
import { boots, harness, options, world } from '../support/app-harness.js';
import type { World } from '../support/memory-ports.js';

/** The cluster port with each method call counted by name. */
function counted(cluster: ClusterPort): { cluster: ClusterPort; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrapped = new Proxy(cluster, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { cluster: wrapped, calls };
}

/** The cluster port with `after` called after each node patch has been written. */
function afterPatch(cluster: ClusterPort, after: () => void | Promise<void>): ClusterPort {
  return new Proxy(cluster, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'patchNode' || typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const out: unknown = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        await after();
        return out;
      };
    },
  });
}

function phaseOf(w: World, node: string): string | undefined {
  const parsed = parseNodeRecord(w.mem.node(node).annotations[STATE_ANNOTATION]);
  return parsed.kind === 'ok' ? parsed.record.phase : parsed.kind;
}

test('one node rebooted: one node write per recorded step, no read of the node, one watch of it, two Lease writes', async () => {
  const w = world(['a', 'b']);
  w.mem.node('b').sentinel = 'not-required';
  w.mem.addWorkload('web', ['a', 'a', 'b'], 1);
  const h = harness(w);
  const { cluster, calls } = counted(h.deps.cluster);
  const res = await runOnce({ ...h.deps, cluster }, options({ lockTtlMs: 60 * 60_000 }));
  assert.equal(res.exitCode, 0, res.reason);
  assert.deepEqual(boots(w), { a: 1, b: 0 });
  assert.deepEqual(Object.fromEntries([...calls].sort()), {
    evictPod: calls.get('evictPod'), // as many as the PDB makes it take; counted by the drain tests
    // no getNode: the intent is written over the node as listed (a compare-and-swap), and the check after the
    // slot and every later step use what a write or the watch answered
    listNodes: 3, // the survey's nodes and its nodes in progress, and the nodes in progress counted by the slot's write
    listPdbs: 2, // the drain, and the health check after the reboot
    listPods: 2, // Ready pods per workload before the drain, and again after the reboot
    listPodsOnNode: 1,
    patchNode: 7, // locked (the intent), cordoned (with the cordon), drained, rebooting, rebooted, uncordoned (with the uncordon), cleared
    waitPodsGone: 1,
    watchNode: 1, // the boot and the stable Ready share one watch
  });
  assert.ok((calls.get('evictPod') ?? 0) >= 2);
  assert.deepEqual(
    w.mem.writes.filter((x) => x.startsWith('lease')),
    ['lease create', 'lease update'],
    'the Lease is written to take the slot and to release it; the trigger is fenced by the record on the node',
  );
  assert.deepEqual(w.mem.waitFroms, [{ node: 'a', version: w.mem.waitFroms[0]?.version ?? '?' }]);
  assert.match(w.mem.waitFroms[0]?.version ?? '', /^\d+$/, "the drain watches from its own list's version");
});

test('our cordon never shows without our record, and the uncordon clears it in the same write', async () => {
  for (const how of ['rebooted', 'drain refused', 'stopped during the drain'] as const) {
    const w = world(['a', 'b']);
    w.mem.node('b').sentinel = 'not-required';
    w.mem.addWorkload('web', ['a', 'b'], 1);
    if (how === 'drain refused') w.mem.addPod('bare', 'a', { owner: undefined }); // needs --force
    const h = harness(w);
    const stop = new AbortController();
    const seen: string[] = [];
    const cluster = afterPatch(h.deps.cluster, () => {
      const n = w.mem.node('a');
      const phase = phaseOf(w, 'a');
      seen.push(`${n.unschedulable ? 'cordoned' : 'schedulable'}:${phase}`);
      assert.ok(!n.unschedulable || phase !== 'none', `${how}: cordoned by us without a record`);
      if (how === 'stopped during the drain' && phase === 'cordoned') stop.abort();
    });
    const res = await runOnce({ ...h.deps, cluster }, options({ signal: stop.signal }));
    assert.equal(w.mem.node('a').unschedulable, false, `${how}: ${res.reason}`);
    assert.equal(phaseOf(w, 'a'), 'none');
    assert.equal(seen[0], 'schedulable:locked', `${how}: the first write is the intent, nothing changed yet`);
    assert.equal(
      seen.find((x) => x.startsWith('cordoned')),
      'cordoned:cordoned',
      `${how}: the cordon and its record travel in one write`,
    );
    assert.equal(seen.at(-1), 'schedulable:none', `${how}: the last write uncordons and clears at once`);
    assert.deepEqual(boots(w), { a: how === 'rebooted' ? 1 : 0, b: 0 });
  }
});

test('a record taken over before the trigger: the trigger is a compare-and-swap, so no reboot by this run', async () => {
  const w = world(['a', 'b']);
  w.mem.node('b').sentinel = 'not-required';
  const h = harness(w);
  const cluster = afterPatch(h.deps.cluster, () => {
    const n = w.mem.node('a');
    const parsed = parseNodeRecord(n.annotations[STATE_ANNOTATION]);
    if (parsed.kind !== 'ok' || parsed.record.phase !== 'drained' || parsed.record.token.runId === 'other')
      return;
    // Another run takes the record over (as it may once it judged this one dead): the next generation.
    const token = { ...parsed.record.token, runId: 'other', gen: parsed.record.token.gen + 1 };
    n.annotations[STATE_ANNOTATION] = JSON.stringify({ ...parsed.record, token });
    n.rv++;
  });
  const res = await runOnce({ ...h.deps, cluster }, options());
  assert.equal(res.exitCode, 1);
  assert.match(
    res.reason,
    /lost the lock \(a: its record now belongs to alice@ops, run other, generation 1\)/,
  );
  assert.deepEqual(boots(w), { a: 0, b: 0 });
  assert.equal(w.rebooter.triggers.length, 0);
  assert.equal(phaseOf(w, 'a'), 'drained', "the record is the other run's, as it left it");
  assert.equal(w.mem.node('a').unschedulable, true, 'nothing undone by the run that lost it');
});
