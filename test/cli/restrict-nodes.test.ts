// restrictToNodes narrows listNodes to the named nodes and passes every other call through untouched,
// the compare-and-swap version of a node patch included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictToNodes } from '../../src/cli/compose.js';
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
