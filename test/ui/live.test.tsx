import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/live/App.js';
import { createLiveStore } from '../../src/ui/live/store.js';
import { reduceLive, initialLiveState } from '../../src/ui/live/state.js';
import { FIXTURE_EVENTS } from './fixture-events.js';

const T0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

function rowOf(frame: string, node: string): string {
  return frame.split('\n').find((l) => new RegExp(`^. ${node} `).test(l)) ?? '';
}

test('node rows progress from check through drain and reboot to done', async () => {
  const store = createLiveStore();
  let now = T0;
  const app = render(<App store={store} color={false} now={() => now} tickMs={0} />);
  const feed = async (count: number): Promise<string> => {
    for (const e of FIXTURE_EVENTS.slice(0, count)) if (e.at > now) now = e.at;
    const start = seen;
    for (const e of FIXTURE_EVENTS.slice(start, count)) store.push(e);
    seen = count;
    await tick();
    return app.lastFrame() ?? '';
  };
  let seen = 0;

  let frame = await feed(6); // probes done
  assert.match(rowOf(frame, 'node-1'), /^\? node-1 +check +reboot required: linux-image-6\.8\.0-49/);
  assert.match(rowOf(frame, 'node-4'), /check +unknown, not rebooting/);
  assert.match(rowOf(frame, 'node-3'), /^- node-3 +skipped +no reboot required/);
  assert.match(frame, /Window: open \(mon-fri 03:00–05:00 UTC\), closes in 1h59m/);

  frame = await feed(12); // first drain progress
  assert.match(rowOf(frame, 'node-1'), /^● node-1 +drain +evicted 3\/5, 2 waiting/);
  assert.match(frame, /default\/web-x waits on PDB default\/web/);
  assert.match(frame, /kube-system\/coredns-1 waits: terminating/);
  assert.match(rowOf(frame, 'node-2'), /wait +lock held by node-1/);
  assert.match(frame, /Lock: held by node-1/);

  frame = await feed(17); // went down
  now = T0 + 50_000; // 10 s after the "down" event, which reported 27.4 s
  app.rerender(<App store={store} color={false} now={() => now} tickMs={0} />); // what the 1 s tick does
  await tick();
  frame = app.lastFrame() ?? '';
  assert.match(rowOf(frame, 'node-1'), /reboot +✔ triggered → ✔ down → · up → · Ready {2}37s/);

  frame = await feed(FIXTURE_EVENTS.length);
  assert.match(rowOf(frame, 'node-1'), /^✔ node-1 +done +new boot ID, Ready for 30s/);
  assert.match(rowOf(frame, 'node-2'), /^■ node-2 +blocked +alert KubeNodeNotReady firing/);
  assert.match(rowOf(frame, 'node-4'), /^- node-4 +skipped +sentinel unknown/);
  assert.match(frame, /Finished in 2m10s: 1 rebooted, 0 failed, 1 pending \(exit 3\)/);
  assert.match(frame, /\n {2}pending: +node-2\n/);
  assert.match(frame, /Blocked: alert KubeNodeNotReady firing/);
  app.unmount();
});

test('permanent log lines are printed above the live area, debug only when verbose', async () => {
  const store = createLiveStore({ verbose: false });
  const app = render(<App store={store} color={false} now={() => T0} tickMs={0} />);
  for (const e of FIXTURE_EVENTS) store.push(e);
  await tick();
  const all = app.frames.join('\n');
  assert.match(all, /03:00:03 node-1 cordon/);
  assert.match(all, /03:02:06 node-1 rebooted: new boot ID/);
  assert.doesNotMatch(all, /retrying eviction/);
  assert.equal(all.includes('\u001b'), false, 'no colour codes with colour off');
  app.unmount();
});

test('the reducer ignores drain progress in the log but keeps it on the node', () => {
  const state = FIXTURE_EVENTS.slice(0, 12).reduce((s, e) => reduceLive(s, e), initialLiveState);
  const node = state.nodes.find((n) => n.name === 'node-1');
  assert.deepEqual(node?.drain && { evicted: node.drain.evicted, total: node.drain.total }, {
    evicted: 3,
    total: 5,
  });
  assert.equal(
    state.log.some((l) => l.text.includes('evicted 3/5')),
    false,
  );
  assert.deepEqual(
    state.nodes.map((n) => n.name),
    ['node-1', 'node-2', 'node-3', 'node-4'],
  );
});

test('the reboot timer ticks on its own while the node is down', async () => {
  const store = createLiveStore();
  let now = T0;
  const app = render(<App store={store} color={false} now={() => now} tickMs={10} />);
  store.push({ type: 'reboot-progress', at: T0, node: 'node-9', stage: 'down', elapsedMs: 5000 });
  await tick();
  assert.match(app.lastFrame() ?? '', /· Ready {2}5s/);
  now = T0 + 61_000;
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.match(app.lastFrame() ?? '', /· Ready {2}1m06s/);
  app.unmount();
});
