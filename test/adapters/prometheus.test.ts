// The Prometheus ALERTS blocker against a tiny local HTTP server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusAlertBlocker, parseAlertsResponse } from '../../src/adapters/prometheus/alerts.js';

let answer: { status: number; body: string } = { status: 200, body: '' };
const queries: string[] = [];
const server = createServer((req, res) => {
  queries.push(req.url ?? '');
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(answer.body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

function alerts(...list: [string, 'firing' | 'pending'][]): string {
  return JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: list.map(([alertname, alertstate]) => ({
        metric: { __name__: 'ALERTS', alertname, alertstate },
        value: [1714560000, '1'],
      })),
    },
  });
}

test('a firing alert blocks and names the alert', async () => {
  answer = { status: 200, body: alerts(['NodeDown', 'firing']) };
  const r = await new PrometheusAlertBlocker({ url }).check();
  assert.equal(r.blocked, true);
  assert.match(r.reasons.join(), /NodeDown/);
  assert.equal(queries.at(-1), '/api/v1/query?query=ALERTS');
});

test('a pending alert does not block with firingOnly, but blocks without it', async () => {
  answer = { status: 200, body: alerts(['Slow', 'pending']) };
  assert.equal((await new PrometheusAlertBlocker({ url, firingOnly: true }).check()).blocked, false);
  assert.equal((await new PrometheusAlertBlocker({ url }).check()).blocked, true);
});

test('no alerts means not blocked', async () => {
  answer = { status: 200, body: alerts() };
  assert.deepEqual(await new PrometheusAlertBlocker({ url: `${url}/` }).check(), {
    blocked: false,
    reasons: [],
  });
});

test('regexp excludes matching alerts; matchOnly counts only matching ones', async () => {
  answer = { status: 200, body: alerts(['Watchdog', 'firing'], ['DiskFull', 'firing']) };
  const excl = await new PrometheusAlertBlocker({ url, filterRegexp: /^Watchdog$/ }).check();
  assert.equal(excl.blocked, true);
  assert.doesNotMatch(excl.reasons.join(), /Watchdog/);
  assert.match(excl.reasons.join(), /DiskFull/);
  answer = { status: 200, body: alerts(['Watchdog', 'firing']) };
  assert.equal(
    (await new PrometheusAlertBlocker({ url, filterRegexp: /^Watchdog$/ }).check()).blocked,
    false,
  );
  const only = await new PrometheusAlertBlocker({ url, filterRegexp: /^Disk/, matchOnly: true }).check();
  assert.equal(only.blocked, false);
});

test('a 500 answer throws, so the blocker counts as blocked', async () => {
  answer = { status: 500, body: 'boom' };
  await assert.rejects(new PrometheusAlertBlocker({ url }).check(), /HTTP 500/);
});

test('malformed JSON and a query error throw', async () => {
  answer = { status: 200, body: '{"status":' };
  await assert.rejects(new PrometheusAlertBlocker({ url }).check(), /malformed JSON/);
  answer = { status: 200, body: '{"status":"error","error":"bad query"}' };
  await assert.rejects(new PrometheusAlertBlocker({ url }).check(), /bad query/);
  assert.throws(
    () => parseAlertsResponse({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    /vector/,
  );
});

test('an unreachable Prometheus throws', async () => {
  await assert.rejects(new PrometheusAlertBlocker({ url: 'http://127.0.0.1:1', timeoutMs: 2000 }).check());
});
