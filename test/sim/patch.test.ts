// Patches: JSON merge patch, strategic merge patch and JSON patch, as the API server applies them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, jsonPatch, mergePatch, strategicMerge } from '../../src/sim/patch.js';
import { StatusError } from '../../src/sim/status.js';
import { PatchType, type KObject } from '../../src/sim/types.js';

function node(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'n1',
      uid: 'u-1',
      resourceVersion: '7',
      labels: { zone: 'a', role: 'worker' },
      annotations: { note: 'x' },
    },
    spec: { taints: [{ key: 'k1', effect: 'NoSchedule' }] },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
        { type: 'MemoryPressure', status: 'False' },
      ],
      nodeInfo: { bootID: 'b1' },
    },
  };
}

describe('JSON merge patch (RFC 7386)', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['replaces a scalar', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a key', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['null deletes', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['arrays replace', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['nested merge', { a: { b: 1, c: 2 } }, { a: { c: null, d: 3 } }, { a: { b: 1, d: 3 } }],
    ['object replaces scalar', { a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['non-object patch replaces', { a: 1 }, ['x'], ['x']],
  ];
  for (const [name, target, patch, want] of cases) {
    it(name, () => {
      const before = structuredClone(target);
      assert.deepEqual(mergePatch(target, patch), want);
      assert.deepEqual(target, before, 'the target is not modified');
    });
  }
});

describe('strategic merge patch', () => {
  it('cordons with unschedulable true, and uncordons with null, which deletes the field', () => {
    const cordoned = applyPatch(node(), PatchType.StrategicMerge, { spec: { unschedulable: true } });
    assert.equal(cordoned.spec.unschedulable, true);
    const open = applyPatch(cordoned, PatchType.StrategicMerge, { spec: { unschedulable: null } });
    assert.equal('unschedulable' in open.spec, false);
    assert.deepEqual(open.spec.taints, [{ key: 'k1', effect: 'NoSchedule' }]);
  });

  it('merges labels and annotations, and null deletes one', () => {
    const out = applyPatch(node(), PatchType.StrategicMerge, {
      metadata: { labels: { zone: 'b', role: null, extra: 'y' }, annotations: { more: 'z' } },
    });
    assert.deepEqual(out.metadata.labels, { zone: 'b', extra: 'y' });
    assert.deepEqual(out.metadata.annotations, { note: 'x', more: 'z' });
  });

  it('replaces taints as a whole list', () => {
    const out = applyPatch(node(), PatchType.StrategicMerge, {
      spec: { taints: [{ key: 'k2', effect: 'NoExecute' }] },
    });
    assert.deepEqual(out.spec.taints, [{ key: 'k2', effect: 'NoExecute' }]);
  });

  it('merges conditions by type', () => {
    const out = applyPatch(node(), PatchType.StrategicMerge, {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'DiskPressure', status: 'False' },
        ],
      },
    });
    assert.deepEqual(out.status.conditions, [
      { type: 'Ready', status: 'False', reason: 'KubeletReady' },
      { type: 'MemoryPressure', status: 'False' },
      { type: 'DiskPressure', status: 'False' },
    ]);
    assert.equal(out.status.nodeInfo.bootID, 'b1');
  });

  it('merges containers by name and their env by name', () => {
    const target = {
      containers: [
        { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
        { name: 'b', image: 'b:1' },
      ],
    };
    const out = strategicMerge(target, { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] });
    assert.deepEqual(out, {
      containers: [
        {
          name: 'a',
          image: 'a:1',
          env: [
            { name: 'X', value: '1' },
            { name: 'Y', value: '2' },
          ],
        },
        { name: 'b', image: 'b:1' },
      ],
    });
  });

  it('$patch: delete removes a list item by its merge key', () => {
    const out = strategicMerge(
      {
        ownerReferences: [
          { uid: 'u1', name: 'a' },
          { uid: 'u2', name: 'b' },
        ],
      },
      { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] },
    );
    assert.deepEqual(out, { ownerReferences: [{ uid: 'u2', name: 'b' }] });
  });

  it('$patch: replace replaces a map or a merged list', () => {
    assert.deepEqual(strategicMerge({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } }), {
      m: { c: 3 },
    });
    assert.deepEqual(
      strategicMerge(
        { conditions: [{ type: 'A' }, { type: 'B' }] },
        { conditions: [{ $patch: 'replace' }, { type: 'C' }] },
      ),
      { conditions: [{ type: 'C' }] },
    );
  });

  it('$patch: delete on a map removes it', () => {
    assert.deepEqual(strategicMerge({ a: { b: 1 }, c: 1 }, { a: { $patch: 'delete' } }), { c: 1 });
  });

  it('finalizers merge as a set and $deleteFromPrimitiveList removes some', () => {
    assert.deepEqual(strategicMerge({ finalizers: ['a', 'b'] }, { finalizers: ['b', 'c'] }), {
      finalizers: ['a', 'b', 'c'],
    });
    assert.deepEqual(
      strategicMerge({ finalizers: ['a', 'b'] }, { '$deleteFromPrimitiveList/finalizers': ['a'] }),
      {
        finalizers: ['b'],
      },
    );
  });

  it('ignores $retainKeys and $setElementOrder', () => {
    assert.deepEqual(strategicMerge({ a: 1 }, { $retainKeys: ['a'], '$setElementOrder/x': [], b: 2 }), {
      a: 1,
      b: 2,
    });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: 'c', 'x/y': 1, 't~u': 2 }, l: [1, 2, 3] };
  const cases: Array<[string, unknown[], unknown]> = [
    [
      'add a key',
      [{ op: 'add', path: '/a/d', value: 'e' }],
      { a: { b: 'c', 'x/y': 1, 't~u': 2, d: 'e' }, l: [1, 2, 3] },
    ],
    ['add appends with -', [{ op: 'add', path: '/l/-', value: 4 }], { a: doc.a, l: [1, 2, 3, 4] }],
    ['add inserts at an index', [{ op: 'add', path: '/l/0', value: 0 }], { a: doc.a, l: [0, 1, 2, 3] }],
    [
      'remove with ~1 escaping',
      [{ op: 'remove', path: '/a/x~1y' }],
      { a: { b: 'c', 't~u': 2 }, l: [1, 2, 3] },
    ],
    [
      'replace with ~0 escaping',
      [{ op: 'replace', path: '/a/t~0u', value: 9 }],
      { a: { b: 'c', 'x/y': 1, 't~u': 9 }, l: [1, 2, 3] },
    ],
    ['move', [{ op: 'move', from: '/a/b', path: '/z' }], { a: { 'x/y': 1, 't~u': 2 }, l: [1, 2, 3], z: 'c' }],
    ['copy', [{ op: 'copy', from: '/l/0', path: '/l/-' }], { a: doc.a, l: [1, 2, 3, 1] }],
    [
      'test passes then replace',
      [
        { op: 'test', path: '/a/b', value: 'c' },
        { op: 'replace', path: '/l/1', value: 5 },
      ],
      { a: doc.a, l: [1, 5, 3] },
    ],
  ];
  for (const [name, ops, want] of cases) {
    it(name, () => {
      const before = structuredClone(doc);
      assert.deepEqual(jsonPatch(doc, ops), want);
      assert.deepEqual(doc, before, 'the target is not modified');
    });
  }

  const failing: Array<[string, unknown, number]> = [
    ['a failed test is 422', [{ op: 'test', path: '/a/b', value: 'nope' }], 422],
    ['a test of a missing path is 422', [{ op: 'test', path: '/missing', value: 1 }], 422],
    ['remove of a missing key is 422', [{ op: 'remove', path: '/a/nope' }], 422],
    ['replace of a missing key is 422', [{ op: 'replace', path: '/nope', value: 1 }], 422],
    ['an index out of range is 422', [{ op: 'add', path: '/l/9', value: 1 }], 422],
    ['an unknown op is 400', [{ op: 'frob', path: '/a' }], 400],
    ['a non-array patch is 400', { op: 'add' }, 400],
    ['add without a value is 400', [{ op: 'add', path: '/a/q' }], 400],
  ];
  for (const [name, ops, code] of failing) {
    it(name, () => {
      assert.throws(
        () => jsonPatch(doc, ops),
        (e: unknown) => e instanceof StatusError && e.code === code,
      );
    });
  }

  it('a failed test names the path', () => {
    assert.throws(
      () => jsonPatch(doc, [{ op: 'test', path: '/a/b', value: 'x' }]),
      /testing value \/a\/b failed/,
    );
  });
});

describe('applyPatch keeps the object identity', () => {
  it('refuses a rename or a namespace change with 400', () => {
    for (const [type, body] of [
      [PatchType.Merge, { metadata: { name: 'other' } }],
      [PatchType.Json, [{ op: 'replace', path: '/metadata/name', value: 'other' }]],
      [PatchType.StrategicMerge, { metadata: { namespace: 'x' } }],
    ] as const) {
      assert.throws(
        () => applyPatch(node(), type, body),
        (e: unknown) => e instanceof StatusError && e.code === 400,
      );
    }
  });

  it('puts back a removed uid, kind and apiVersion', () => {
    const out = applyPatch(node(), PatchType.Json, [
      { op: 'remove', path: '/metadata/uid' },
      { op: 'remove', path: '/kind' },
      { op: 'remove', path: '/apiVersion' },
    ]);
    assert.equal(out.metadata.uid, 'u-1');
    assert.equal(out.kind, 'Node');
    assert.equal(out.apiVersion, 'v1');
  });

  it('accepts a JSON string body and rejects malformed JSON with 400', () => {
    assert.equal(
      applyPatch(node(), PatchType.Merge, '{"spec":{"unschedulable":true}}').spec.unschedulable,
      true,
    );
    assert.throws(
      () => applyPatch(node(), PatchType.Merge, '{nope'),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  });

  it('rejects an unknown patch type with 415', () => {
    assert.throws(
      () => applyPatch(node(), 'text/plain', {}),
      (e: unknown) => e instanceof StatusError && e.code === 415,
    );
  });
});
