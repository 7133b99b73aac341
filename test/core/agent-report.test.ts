// Agent reports on nodes: what an agent writes, and how a report reads back — fresh, stale after three
// periods, from an earlier boot, or absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentAnnotations, agentReport } from '../../src/core/agent-report.js';

const T = Date.parse('2025-06-02T02:00:00Z');
const view = (annotations: Record<string, string | null>, bootID = 'b1') => ({
  bootID,
  annotations: Object.fromEntries(Object.entries(annotations).filter(([, v]) => v !== null)) as Record<
    string,
    string
  >,
});

test('a fresh report of a need reads back as required, with its reason and since, from the agent', () => {
  const a = agentAnnotations(
    { kind: 'required', reason: 'linux-image, libc6', source: 'agent' },
    { now: T, periodMs: 600_000, bootID: 'b1' },
  );
  assert.deepEqual(agentReport(view(a), T + 60_000), {
    kind: 'required',
    source: 'agent',
    reason: 'linux-image, libc6',
    since: T,
  });
});

test('a later check keeps the first "since" of the same need on the same boot', () => {
  const first = view(
    agentAnnotations(
      { kind: 'required', reason: 'x', source: 'agent' },
      { now: T, periodMs: 60_000, bootID: 'b1' },
    ),
  );
  const again = agentAnnotations(
    { kind: 'required', reason: 'x', source: 'agent' },
    { now: T + 120_000, periodMs: 60_000, bootID: 'b1', previous: first.annotations },
  );
  const r = agentReport(view(again), T + 130_000);
  assert.equal(r?.kind === 'required' ? r.since : undefined, T);
});

test('a report older than three periods is unknown, as is one from before the last boot', () => {
  const a = agentAnnotations(
    { kind: 'not-required', source: 'agent' },
    { now: T, periodMs: 60_000, bootID: 'b1' },
  );
  assert.equal(agentReport(view(a), T + 180_000)?.kind, 'not-required');
  assert.match(String((agentReport(view(a), T + 180_001) as { error?: string }).error), /stale/);
  assert.match(
    String((agentReport(view(a, 'b2'), T) as { error?: string }).error),
    /since the node rebooted/,
  );
});

test('no agent annotations: no answer (a check pod is needed); a failed check: unknown with its error', () => {
  assert.equal(agentReport(view({}), T), undefined);
  const a = agentAnnotations(
    { kind: 'unknown', error: 'nsenter: permission denied', source: 'agent' },
    { now: T, periodMs: 60_000, bootID: 'b1' },
  );
  assert.deepEqual(agentReport(view(a), T), {
    kind: 'unknown',
    source: 'agent',
    error: 'agent check failed: nsenter: permission denied',
  });
});
