import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRenderer } from '../../src/ui/render.js';
import { formatPlainEvent } from '../../src/ui/plain.js';
import { FIXTURE_EVENTS } from './fixture-events.js';
import { assertGolden, bufferStream } from './golden.js';

function renderPlain(verbose: boolean): string {
  const out = bufferStream();
  const r = createRenderer({ mode: 'plain', color: true, out, err: bufferStream(), verbose });
  for (const e of FIXTURE_EVENTS) r.event(e);
  return out.text();
}

test('plain lines match the golden file, debug events hidden', () => {
  assertGolden('plain.txt', renderPlain(false));
});

test('plain lines with -v include debug events', () => {
  const text = renderPlain(true);
  assertGolden('plain-verbose.txt', text);
  assert.match(text, /node-1 debug: retrying eviction/);
});

test('plain output never carries an escape code, even with colour on and hostile messages', () => {
  const text = renderPlain(true);
  assert.equal(text.includes('\u001b'), false);
  assert.match(text, /\\x1b\[31mcolour/);
});

test('a multi-line message stays on one line', () => {
  const text = renderPlain(false);
  const line = text.split('\n').find((l) => l.includes('node-4 check'));
  assert.equal(
    line,
    '2026-11-26T03:00:02Z node-4 check unknown, not rebooting: check pod exited 2:\\nnsenter: permission denied [probe]',
  );
});

test('drain progress names the pod waiting on its PDB', () => {
  const e = FIXTURE_EVENTS.find((x) => x.type === 'drain-progress');
  assert.ok(e);
  assert.equal(
    formatPlainEvent({ ...e, waiting: [{ pod: 'default/web-x', pdb: 'default/web', message: 'x' }] }),
    '2026-11-26T03:00:05Z node-1 drain evicted 3/5 (default/web-x waits on PDB default/web)',
  );
});

test('every line starts with the event time in UTC to the second', () => {
  const lines = renderPlain(true).trimEnd().split('\n');
  assert.equal(lines.length, FIXTURE_EVENTS.length);
  for (const [i, line] of lines.entries()) {
    const at = FIXTURE_EVENTS[i]?.at ?? NaN;
    assert.ok(line.startsWith(`${new Date(at).toISOString().slice(0, 19)}Z `), line);
  }
});
