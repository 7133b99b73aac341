// The times kured's --start-time/--end-time accept (Go's time.Parse with the layouts "15:04", "15:04:05",
// "03:04pm", "15", "03pm" and "3pm"), with kured's meaning: hours 0-12 with am/pm, 0am/12am midnight, 0pm/12pm
// noon. The rows include every start and end of kured's TestTimeWindows (see kured-window.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kuredRule } from '../../src/core/window-parse.js';

const H = 3600;
const M = 60;

test('kured time spellings and the time of day each means', () => {
  const rows: [text: string, seconds: number][] = [
    ['00:01am', 1 * M],
    ['12:30am', 30 * M],
    ['11:59pm', 23 * H + 59 * M],
    ['0am', 0],
    ['0pm', 12 * H],
    ['12am', 0],
    ['12pm', 12 * H],
    ['9am', 9 * H],
    ['11:30am', 11 * H + 30 * M],
    ['05pm', 17 * H],
    ['10:01', 10 * H + 1 * M],
    ['00:00', 0],
    ['15', 15 * H],
    // The rest of TestTimeWindows' starts and ends.
    ['5pm', 17 * H],
    ['9pm', 21 * H],
    ['5am', 5 * H],
    ['23:59:59', 23 * H + 59 * M + 59],
  ];
  for (const [text, seconds] of rows) {
    // An end of 23:59:59 keeps the window from being empty for any of the starts.
    const rule = kuredRule({ startTime: text, endTime: text === '23:59:59' ? '0:00' : '23:59:59' });
    assert.equal(rule.start, seconds, text);
  }
});

test('times kured refuses are refused, naming the flag', () => {
  for (const text of ['13pm', '13:00pm', '24:00', '12:60', 'noon']) {
    assert.throws(() => kuredRule({ startTime: text }), /invalid --start-time/, text);
  }
});
