// restrictToNodes narrows listNodes to the named nodes and passes every other call through untouched,
// the compare-and-swap version of a node patch included, and the list of nodes in progress (never narrowed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictToNodes } from '../../src/cli/compose.js';
import { IN_PROGRESS_LABEL } from '../../src/core/keys.js';
import type { NodeView } from '../../src/core/types.js';
import type { ClusterPort, NodePatch } from '../../src/ports/cluster.js';

test('a restricted cluster lists only the named nodes and passes patches through, ifResourceVersion included', async () => {
  const patches: [string, NodePatch][] = [];
  const view = (name: string): NodeView => ({ name }) as unknown as NodeView;
  const base = {
    listNodes: async () => [view('a'), view('b'), view('c')],
    patchNode: async (name: string, patch: NodePatch) => {
      patches.push([name, patch]);
      return view(name);
    },
  } as unknown as ClusterPort;
  const cluster = restrictToNodes(base, ['b']);
  assert.deepEqual(
    (await cluster.listNodes()).map((n) => n.name),
    ['b'],
  );
  const patch: NodePatch = { annotations: { x: '1' }, unschedulable: true, ifResourceVersion: '42' };
  await cluster.patchNode('b', patch);
  assert.deepEqual(patches, [['b', patch]]);
});

test('a restricted cluster lists every node in progress, named or not: they all count against the limits', async () => {
  const view = (name: string): NodeView => ({ name }) as unknown as NodeView;
  const selectors: (string | undefined)[] = [];
  const base = {
    listNodes: async (selector?: string) => {
      selectors.push(selector);
      return selector === IN_PROGRESS_LABEL ? [view('c')] : [view('a'), view('b'), view('c')];
    },
  } as unknown as ClusterPort;
  const cluster = restrictToNodes(base, ['a', 'b']);
  // c is in progress (another run's record, or a failed node's): the Lease decision must see it, and the
  // named nodes not being in progress is no error.
  assert.deepEqual(
    (await cluster.listNodes(IN_PROGRESS_LABEL)).map((n) => n.name),
    ['c'],
  );
  assert.deepEqual(
    (await cluster.listNodes()).map((n) => n.name),
    ['a', 'b'],
  );
  await assert.rejects(restrictToNodes(base, ['a', 'x']).listNodes(), /node not found: x/);
  assert.deepEqual(selectors, [IN_PROGRESS_LABEL, undefined, undefined]);
});
