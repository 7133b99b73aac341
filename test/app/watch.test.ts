// watch() over the in-memory cluster on the fake clock: sleeping until the window opens, the period
// re-check, the backoff after a failed pass, a stop request mid-node, and agents' reports waking the loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWatchOptions, nextPass, watch, type WatchDeps } from '../../src/app/watch.js';
import { agentAnnotations } from '../../src/core/agent-report.js';
import { STATE_ANNOTATION } from '../../src/core/keys.js';
import type { RunEvent } from '../../src/core/events.js';
import type { NodeView } from '../../src/core/types.js';
import type { WindowState } from '../../src/core/window.js';
import type { NodeFeed } from '../../src/ports/node-watch.js';
import { nodeView } from '../support/memory-model.js';
import { alwaysOpen, boots, closed, harness, options, world } from '../support/app-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Aborts the watch when `until` first holds for an event. */
function stopWhen(
  h: ReturnType<typeof harness>,
  until: (e: RunEvent, all: RunEvent[]) => boolean,
): AbortController {
  const ac = new AbortController();
  const emit = h.deps.emit;
  (h.deps as { emit: (e: RunEvent) => void }).emit = (e) => {
    emit(e);
    if (!ac.signal.aborted && until(e, h.events)) ac.abort();
  };
  return ac;
}

const logs = (events: readonly RunEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
const firstAt = (events: readonly RunEvent[], pred: (e: RunEvent) => boolean): number | undefined =>
  events.find(pred)?.at;

test('outside the window it sleeps until the window opens, says when, then reboots', async () => {
  const w = world(['a']);
  const opensAt = w.clock.now() + 3 * HOUR;
  const windowState = (): WindowState => (w.clock.now() < opensAt ? closed(opensAt)() : alwaysOpen());
  const h = harness(w, { windowState });
  const ac = stopWhen(h, (e) => e.type === 'node-result');
  const res = await watch(h.deps, options({ signal: ac.signal }), { ...defaultWatchOptions, periodMs: HOUR });
  assert.equal(res.exitCode, 0);
  assert.ok(
    logs(h.events).some((m) => m.includes(`sleeping until ${new Date(opensAt).toISOString()}, in 2h59m`)),
    logs(h.events).join('\n'),
  );
  const cordonAt = firstAt(h.events, (e) => e.type === 'step' && e.step === 'cordon');
  assert.ok(cordonAt !== undefined && cordonAt >= opensAt, 'nothing is touched before the window opens');
  assert.ok(cordonAt - opensAt < MIN, 'the pass starts as the window opens, not a period later');
  assert.deepEqual(boots(w), { a: 1 });
});

test('sentinels are checked again every period; a new need is found at the next check', async () => {
  const w = world(['a', 'b']);
  for (const n of w.mem.nodes.values()) n.sentinel = 'not-required';
  const start = w.clock.now();
  w.clock.schedule(25 * MIN, () => (w.mem.node('b').sentinel = 'required'));
  const h = harness(w);
  const ac = stopWhen(h, (e) => e.type === 'node-result');
  await watch(h.deps, options({ signal: ac.signal }), { ...defaultWatchOptions, periodMs: 10 * MIN });
  const passes = h.events.filter((e) => e.type === 'run-start').map((e) => e.at - start);
  assert.equal(passes.length, 4, `passes at ${passes.join(', ')}`);
  assert.ok(passes[3]! >= 30 * MIN && passes[3]! < 31 * MIN, 'the fourth pass, at 30 min, finds it');
  assert.deepEqual(boots(w), { a: 0, b: 1 });
  assert.ok(logs(h.events).some((m) => m.startsWith('next check in 10m')));
});

test('a failed pass is retried with a growing backoff, and said so', async () => {
  const w = world(['a']);
  w.mem.node('a').sentinel = 'error';
  const h = harness(w);
  const ac = stopWhen(h, (_e, all) => all.filter((x) => x.type === 'run-end').length >= 4);
  await watch(h.deps, options({ signal: ac.signal }), {
    ...defaultWatchOptions,
    periodMs: HOUR,
    retryMs: 10_000,
  });
  const warnings = h.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
  assert.match(warnings[0] ?? '', /trying again in 10s \(attempt 2\)/);
  assert.match(warnings[1] ?? '', /trying again in 20s \(attempt 3\)/);
  assert.match(warnings[2] ?? '', /trying again in 40s/);
  assert.deepEqual(boots(w), { a: 0 }, 'unknown means no reboot');
});

test('the first stop request finishes the safe step, releases the lock and returns', async () => {
  const w = world(['a', 'b']);
  w.mem.addWorkload('db', ['a'], 1); // the drain of a waits on this PDB until stopped
  const h = harness(w);
  const ac = stopWhen(h, (e) => e.type === 'drain-progress' && e.waiting.length > 0);
  const res = await watch(h.deps, options({ signal: ac.signal }), defaultWatchOptions);
  assert.equal(res.exitCode, 0);
  assert.equal(res.passes, 1);
  assert.match(res.reason, /stopped on request/);
  assert.equal(w.mem.node('a').unschedulable, false, 'uncordoned: nothing left half-done');
  assert.equal(w.mem.node('a').annotations[STATE_ANNOTATION], undefined);
  assert.deepEqual(w.lease.holders(), []);
  assert.deepEqual(boots(w), { a: 0, b: 0 });
});

test('a stop request after the trigger keeps the record; a new watch resumes and finishes it', async () => {
  const w = world(['a']);
  const h = harness(w);
  const ac = stopWhen(h, (e) => e.type === 'reboot-progress' && e.stage === 'triggered');
  await watch(h.deps, options({ signal: ac.signal }), defaultWatchOptions);
  assert.match(
    w.mem.node('a').annotations[STATE_ANNOTATION] ?? '',
    /"phase":"rebooting"/,
    'the record stays: the reboot is under way',
  );
  const h2 = harness(w);
  const ac2 = stopWhen(h2, (e) => e.type === 'node-result');
  await watch(h2.deps, options({ signal: ac2.signal }), defaultWatchOptions);
  assert.deepEqual(boots(w), { a: 1 });
  assert.equal(w.mem.node('a').unschedulable, false);
  assert.deepEqual(w.lease.holders(), []);
});

/** A feed that replays the in-memory nodes whenever the test says a node changed. */
class TestFeed implements NodeFeed {
  private push: ((n: NodeView) => void) | undefined;
  follow(onNode: (n: NodeView) => void, _t: (m: string) => void, signal: AbortSignal): Promise<void> {
    this.push = onNode;
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  changed(n: NodeView): void {
    this.push?.(n);
  }
}

test('an agent report of a new need wakes the loop at once, long before the period', async () => {
  const w = world(['a', 'b']);
  for (const n of w.mem.nodes.values()) n.sentinel = 'not-required';
  const feed = new TestFeed();
  const report = (name: string, required: boolean): void => {
    const n = w.mem.node(name);
    Object.assign(
      n.annotations,
      agentAnnotations(
        required
          ? { kind: 'required', reason: 'linux-image-6.8', source: 'agent' }
          : { kind: 'not-required', source: 'agent' },
        { now: w.clock.now(), periodMs: HOUR, bootID: n.bootID },
      ),
    );
    n.rv++;
    feed.changed(nodeView(n));
  };
  report('a', false);
  report('b', false);
  const appearsAt = w.clock.now() + 7 * MIN;
  w.clock.schedule(7 * MIN, () => report('b', true));
  const h = harness(w);
  const deps: WatchDeps = { ...h.deps, nodeFeed: feed };
  const ac = stopWhen(h, (e) => e.type === 'node-result');
  (deps as { emit: (e: RunEvent) => void }).emit = h.deps.emit;
  await watch(deps, options({ signal: ac.signal }), { ...defaultWatchOptions, periodMs: 6 * HOUR });
  const cordonAt = firstAt(h.events, (e) => e.type === 'step' && e.step === 'cordon' && e.node === 'b');
  assert.ok(
    cordonAt !== undefined && cordonAt - appearsAt < 5_000,
    `reboot started ${cordonAt! - appearsAt} ms after`,
  );
  const probe = h.events.find((e) => e.type === 'probe' && e.node === 'b' && e.result.kind === 'required');
  assert.equal(probe?.type === 'probe' ? probe.result.source : undefined, 'agent');
  assert.equal(w.sentinel.probes, 0, 'agents answer: no check probe at all');
  assert.deepEqual(boots(w), { a: 0, b: 1 });
});

test('nextPass: a closed window is not cut short by node events; a failure backs off to a cap', () => {
  const ok = { exitCode: 0, rebooted: [], failed: [], pending: ['a'], unknown: [], reason: 'outside' };
  const w = { canStart: false, nextOpen: 10 * MIN, description: '02:00-05:00' };
  assert.deepEqual(
    {
      wait: nextPass(ok, w, 0, 0, defaultWatchOptions).waitMs,
      wake: nextPass(ok, w, 0, 0, defaultWatchOptions).wakeable,
    },
    { wait: 10 * MIN, wake: false },
  );
  const failed = { ...ok, exitCode: 1, pending: [] };
  const open = { canStart: true, description: 'any time' };
  assert.equal(nextPass(failed, open, 0, 20, defaultWatchOptions).waitMs, defaultWatchOptions.maxRetryMs);
});
