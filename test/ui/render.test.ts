import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { chooseMode, createRenderer } from '../../src/ui/render.js';
import { FIXTURE_EVENTS } from './fixture-events.js';
import { bufferStream } from './golden.js';

test('mode: JSON when asked, plain off a terminal or under CI, the live view on a terminal', () => {
  assert.equal(chooseMode({ isTTY: true }), 'tty');
  assert.equal(chooseMode({ isTTY: false }), 'plain');
  assert.equal(chooseMode({ isTTY: true, ci: 'true' }), 'plain');
  assert.equal(chooseMode({ isTTY: true, ci: 'false' }), 'tty');
  assert.equal(chooseMode({ isTTY: true, logFormat: 'text' }), 'plain');
  assert.equal(chooseMode({ isTTY: true, logFormat: 'json' }), 'json');
  assert.equal(chooseMode({ isTTY: false, output: 'json' }), 'json');
});

test('plain mode shows a repeated drain progress line once', () => {
  const out = bufferStream();
  const r = createRenderer({ mode: 'plain', color: false, out, err: bufferStream() });
  const e = { type: 'drain-progress', at: 0, node: 'n', evicted: 1, total: 2, waiting: [] } as const;
  r.event(e);
  r.event({ ...e, at: 1000 });
  r.event({ ...e, at: 2000, evicted: 2 });
  assert.equal(out.text().trimEnd().split('\n').length, 2);
});

/** Enough of a terminal for ink: a width, resize events, write. */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 100;
  readonly rows = 40;
  readonly chunks: string[] = [];
  write(s: string): boolean {
    this.chunks.push(s);
    return true;
  }
}

test('tty mode mounts the live view behind the facade and leaves the summary on screen', async () => {
  const out = new FakeTerminal();
  const r = createRenderer({
    mode: 'tty',
    color: false,
    out,
    err: bufferStream(),
    now: () => FIXTURE_EVENTS.at(-1)?.at ?? 0,
  });
  for (const e of FIXTURE_EVENTS) r.event(e);
  await r.done();
  const text = out.chunks.join('');
  assert.match(text, /Finished in 2m10s: 1 rebooted, 0 failed, 1 pending \(exit 3\)/);
  assert.match(text, /node-1 +done/);
  assert.ok(text.endsWith('\n'));
});
