import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../src/core/events.js';
import { createRenderer } from '../../src/ui/render.js';
import { FIXTURE_EVENTS } from './fixture-events.js';
import { assertGolden, bufferStream } from './golden.js';

function renderJson(events: readonly RunEvent[]): string {
  const out = bufferStream(true);
  const r = createRenderer({ mode: 'json', color: true, out, err: bufferStream() });
  for (const e of events) r.event(e);
  return out.text();
}

test('JSON lines match the golden file, one event per line, debug included', () => {
  const text = renderJson(FIXTURE_EVENTS);
  assertGolden('events.jsonl', text);
  assert.equal(text.trimEnd().split('\n').length, FIXTURE_EVENTS.length);
});

test('each JSON line parses back to exactly the event', () => {
  const lines = renderJson(FIXTURE_EVENTS).trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => JSON.parse(l) as unknown),
    FIXTURE_EVENTS,
  );
});

test('JSON lines carry no raw escape code, C0 or C1', () => {
  const text = renderJson([
    ...FIXTURE_EVENTS,
    { type: 'log', at: 0, level: 'info', message: 'csi \u009b31m and esc \u001b[0m and bell \u0007' },
  ]);
  // eslint-disable-next-line no-control-regex
  assert.equal(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), false);
  const last = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '') as { message: string };
  assert.equal(last.message, 'csi \u009b31m and esc \u001b[0m and bell \u0007');
});
