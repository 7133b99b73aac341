// PodDisruptionBudget arithmetic: integers and percentages (rounded up), minAvailable vs maxUnavailable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePdb, PdbValueError, scaledValue } from '../../src/sim/pdb.js';

describe('PDB arithmetic', () => {
  const table: {
    name: string;
    spec: { minAvailable?: number | string; maxUnavailable?: number | string };
    pods: number;
    scale: number;
    healthy: number;
    expected: [number, number, number];
  }[] = [
    {
      name: 'integer minAvailable counts the matching pods',
      spec: { minAvailable: 2 },
      pods: 3,
      scale: 5,
      healthy: 3,
      expected: [3, 2, 1],
    },
    {
      name: 'minAvailable equal to healthy allows nothing',
      spec: { minAvailable: 3 },
      pods: 3,
      scale: 3,
      healthy: 3,
      expected: [3, 3, 0],
    },
    {
      name: 'percentage minAvailable rounds up (50% of 3 is 2)',
      spec: { minAvailable: '50%' },
      pods: 3,
      scale: 3,
      healthy: 3,
      expected: [3, 2, 1],
    },
    {
      name: 'percentage minAvailable uses the controller scale',
      spec: { minAvailable: '50%' },
      pods: 2,
      scale: 4,
      healthy: 2,
      expected: [4, 2, 0],
    },
    {
      name: 'integer maxUnavailable subtracts from the scale',
      spec: { maxUnavailable: 1 },
      pods: 3,
      scale: 3,
      healthy: 3,
      expected: [3, 2, 1],
    },
    {
      name: 'percentage maxUnavailable rounds up (10% of 3 is 1)',
      spec: { maxUnavailable: '10%' },
      pods: 3,
      scale: 3,
      healthy: 3,
      expected: [3, 2, 1],
    },
    {
      name: 'maxUnavailable 25% of 10 rounds up to 3',
      spec: { maxUnavailable: '25%' },
      pods: 10,
      scale: 10,
      healthy: 10,
      expected: [10, 7, 3],
    },
    {
      name: 'maxUnavailable 0 allows nothing',
      spec: { maxUnavailable: 0 },
      pods: 2,
      scale: 2,
      healthy: 2,
      expected: [2, 2, 0],
    },
    {
      name: 'maxUnavailable counts missing pods against the budget',
      spec: { maxUnavailable: 1 },
      pods: 3,
      scale: 3,
      healthy: 2,
      expected: [3, 2, 0],
    },
    {
      name: 'desired healthy never goes below zero',
      spec: { maxUnavailable: 5 },
      pods: 2,
      scale: 2,
      healthy: 2,
      expected: [2, 0, 2],
    },
    {
      name: 'unhealthy below desired gives zero, not negative',
      spec: { minAvailable: 3 },
      pods: 3,
      scale: 3,
      healthy: 1,
      expected: [3, 3, 0],
    },
    {
      name: 'no field allows every healthy pod',
      spec: {},
      pods: 2,
      scale: 2,
      healthy: 2,
      expected: [2, 0, 2],
    },
    {
      name: '100% minAvailable allows nothing',
      spec: { minAvailable: '100%' },
      pods: 4,
      scale: 4,
      healthy: 4,
      expected: [4, 4, 0],
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const n = computePdb(t.spec, { podCount: t.pods, controllerScale: t.scale, currentHealthy: t.healthy });
      assert.deepEqual([n.expectedPods, n.desiredHealthy, n.disruptionsAllowed], t.expected);
      assert.equal(n.currentHealthy, t.healthy);
    });
  }

  it('scaled values round percentages up and take plain integers as they are', () => {
    assert.equal(scaledValue('1%', 1), 1);
    assert.equal(scaledValue('34%', 3), 2);
    assert.equal(scaledValue('0%', 10), 0);
    assert.equal(scaledValue(4, 100), 4);
    assert.equal(scaledValue('7', 100), 7);
  });

  it('malformed values are refused', () => {
    assert.throws(() => scaledValue('half', 3), PdbValueError);
    assert.throws(() => scaledValue(-1, 3), PdbValueError);
  });
});
