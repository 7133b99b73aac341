// Notifications: URL forms, payload shapes, templates, which events notify, retry with backoff, a receiver
// that never answers, and secrets kept out of logs. Sends go to a local HTTP receiver on 127.0.0.1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as realDelay } from 'node:timers/promises';
import { SystemClock } from '../../src/adapters/clock.js';
import { createNotifier } from '../../src/adapters/notify/notifier.js';
import type { LogLevel, NotifierOptions } from '../../src/adapters/notify/notifier.js';
import { logAsEvents } from '../../src/adapters/notify/notifier.js';
import { parseNotifyUrl, redactUrl } from '../../src/adapters/notify/targets.js';
import { renderTemplate, resolveTemplates } from '../../src/adapters/notify/templates.js';
import { ExitCode, InputError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/core/events.js';
import { FakeClock } from '../support/fake-clock.js';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

/** A local receiver: records every request; `respond` decides the answer (default 200 ok). */
async function receiver(clock: { now(): number } = new SystemClock()) {
  const got: Received[] = [];
  let respond: (req: Received, res: ServerResponse) => void = (_r, res) => res.end('ok');
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const r = {
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(data || '{}'),
        at: clock.now(),
      };
      got.push(r);
      respond(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    base,
    got,
    answer(fn: typeof respond) {
      respond = fn;
    },
  };
}

async function waitFor(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await realDelay(5);
  }
}

function logs() {
  const lines: { level: LogLevel; message: string }[] = [];
  return { lines, log: (level: LogLevel, message: string) => void lines.push({ level, message }) };
}

const at = Date.parse('2025-06-02T02:00:00Z');
const drain = (node = 'n1'): RunEvent => ({ type: 'step', at, node, step: 'drain' });
const reboot = (node = 'n1'): RunEvent => ({ type: 'step', at, node, step: 'reboot' });
const result = (outcome: 'rebooted' | 'failed' | 'skipped', node = 'n1', reason = 'ok'): RunEvent => ({
  type: 'node-result',
  at,
  node,
  outcome,
  reason,
});
const blocked = (reasons: string[], node?: string): RunEvent => ({
  type: 'blocked',
  at,
  reasons,
  ...(node ? { node } : {}),
});

function notifier(urls: string[], extra: Partial<NotifierOptions> = {}) {
  const l = logs();
  const n = createNotifier({ urls, clock: new SystemClock(), log: l.log, backoffMs: 1, ...extra });
  return { n, lines: l.lines };
}

test('slack:// and https Slack URLs map to the Slack webhook endpoint', () => {
  const expect = 'https://hooks.slack.com/services/T000/B000/XXXX';
  assert.equal(parseNotifyUrl('slack://T000/B000/XXXX').endpoint, expect);
  assert.equal(parseNotifyUrl('slack://hook:T000-B000-XXXX@webhook').endpoint, expect);
  assert.equal(parseNotifyUrl('slack://mybot@T000/B000/XXXX').endpoint, expect);
  assert.equal(parseNotifyUrl('slack://hook:T000/B000/XXXX@webhook?channel=ops').endpoint, expect);
  const direct = parseNotifyUrl(expect);
  assert.equal(direct.kind, 'slack');
  assert.equal(direct.endpoint, expect);
  const api = parseNotifyUrl('slack://xoxb:123-456-abc@C001CHAN');
  assert.equal(api.kind, 'slack-api');
  assert.equal(api.endpoint, 'https://slack.com/api/chat.postMessage');
  assert.equal(api.headers['authorization'], 'Bearer xoxb-123-456-abc');
});

test('teams:// maps to the webhookb2 URL; Teams and workflow hosts are detected; others are generic', () => {
  const t = parseNotifyUrl('teams://g1@t1/alt1/own1/extra1?host=contoso.webhook.office.com&title=Reboots');
  assert.equal(t.kind, 'teams');
  assert.equal(
    t.endpoint,
    'https://contoso.webhook.office.com/webhookb2/g1@t1/IncomingWebhook/alt1/own1/extra1',
  );
  assert.equal(parseNotifyUrl('https://contoso.webhook.office.com/webhookb2/x').kind, 'teams');
  assert.equal(
    parseNotifyUrl('https://prod-1.westus.logic.azure.com:443/workflows/abc').kind,
    'teams-workflow',
  );
  assert.equal(parseNotifyUrl('https://example.org/hook').kind, 'webhook');
  assert.equal(parseNotifyUrl('teams+http://127.0.0.1:9/x').endpoint, 'http://127.0.0.1:9/x');
});

test('a bad --notify-url is an InputError naming the flag, exit 2, with the secret redacted', () => {
  for (const bad of [
    'smtp://user:pw@mail.example.org:587/?to=ops@example.org',
    'slack://T000/ONLYTWO',
    'slack://T000/B000/SECRETTOKEN?colour=red',
    'teams://g@t/alt/owner/SECRETTOKEN',
    'hooks.slack.com/services/T/B/SECRETTOKEN',
    'foo+https://example.org/SECRETTOKEN',
  ]) {
    assert.throws(
      () => parseNotifyUrl(bad),
      (err: unknown) => {
        assert.ok(err instanceof InputError, bad);
        assert.equal(err.exitCode, ExitCode.BadInput);
        assert.match(err.message, /^--notify-url /);
        assert.doesNotMatch(err.message, /SECRETTOKEN|pw@/);
        return true;
      },
    );
  }
  assert.throws(
    () => createNotifier({ urls: ['ftp://x/y'], clock: new SystemClock(), log: () => {} }),
    InputError,
  );
});

test('redactUrl keeps scheme and host only', () => {
  assert.equal(redactUrl('https://hooks.slack.com/services/T/B/SECRET'), 'https://hooks.slack.com/…');
  assert.equal(redactUrl('slack://hook:A-B-C@webhook'), 'slack://…');
  assert.equal(redactUrl('https://user:pw@example.org:8443/?token=x'), 'https://example.org:8443/…');
  assert.equal(redactUrl('https://example.org'), 'https://example.org/');
});

test('Slack gets {text}; slack:// is sent to the mapped path', async () => {
  const r = await receiver();
  const { n } = notifier(['slack://T000/B000/XXXX?botname=rebooter'], {
    target: { slackWebhookBase: `${r.base}/services/` },
  });
  await n.notify(drain('node-a'));
  assert.equal(await n.flush(2000), true);
  assert.equal(r.got.length, 1);
  assert.equal(r.got[0]?.path, '/services/T000/B000/XXXX');
  assert.deepEqual(r.got[0]?.body, { text: 'Draining node node-a', username: 'rebooter' });
  assert.match(String(r.got[0]?.headers['content-type']), /^application\/json/);
});

test('Teams gets a MessageCard, a Teams workflow an Adaptive Card, a generic hook the event plus message', async () => {
  const r = await receiver();
  const { n } = notifier([
    `teams+${r.base}/teams`,
    `teams-workflow+${r.base}/workflow`,
    `${r.base}/generic?key=1`,
  ]);
  await n.notify(reboot('node-b'));
  assert.equal(await n.flush(2000), true);
  const by = (p: string) => r.got.find((g) => g.path === p)?.body;
  const card = by('/teams');
  assert.equal(card?.['@type'], 'MessageCard');
  assert.equal(card?.['text'], 'Rebooting node node-b');
  const wf = by('/workflow') as {
    type: string;
    attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[];
  };
  assert.equal(wf.type, 'message');
  assert.equal(wf.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(wf.attachments[0]?.content.type, 'AdaptiveCard');
  assert.equal(wf.attachments[0]?.content.body[0]?.text, 'Rebooting node node-b');
  assert.deepEqual(by('/generic?key=1'), {
    type: 'step',
    at,
    node: 'node-b',
    step: 'reboot',
    message: 'Rebooting node node-b',
    notification: 'reboot',
  });
});

test('templates: %s is the node, named fields fill in, unknown fields are rejected with the flag', () => {
  assert.equal(renderTemplate('Draining node %s (%%)', { node: 'n1' }), 'Draining node n1 (%)');
  assert.equal(
    renderTemplate('{{ node }} at {{time}}: {{reason}} [{{.kind}}] {{nope}}', {
      node: 'n1',
      time: '2025-06-02T02:00:00.000Z',
      reason: 'kernel',
      kind: 'failed',
    }),
    'n1 at 2025-06-02T02:00:00.000Z: kernel [failed] {{nope}}',
  );
  assert.equal(renderTemplate('%s', { node: 'a%sb' }), 'a%sb');
  assert.throws(
    () => resolveTemplates({ drain: 'Draining {{nodename}}' }),
    /--message-template-drain: unknown field/,
  );
  assert.throws(() => resolveTemplates({ reboot: 'Rebooting %d' }), /--message-template-reboot/);
  assert.equal(resolveTemplates({ uncordon: '' }).uncordon, 'Node %s rebooted & uncordoned successfully!');
});

test('custom templates and the default drain, reboot, uncordon, failure and run-failure messages', async () => {
  const r = await receiver();
  const { n } = notifier([`generic+${r.base}/`], {
    templates: { drain: 'drain {{node}} at {{time}} in {{run}}', failed: '%s failed: {{reason}}' },
  });
  const events: RunEvent[] = [
    { type: 'run-start', at, runId: 'run-7', dryRun: false },
    { type: 'step', at, node: 'n1', step: 'cordon' },
    drain(),
    drain(), // the same step again: no second message
    reboot(),
    result('rebooted'),
    result('failed', 'n2', 'drain timed out'),
    result('skipped', 'n3'),
    {
      type: 'run-end',
      at,
      exitCode: 1,
      rebooted: ['n1'],
      failed: ['n2'],
      pending: [],
      reason: '1 node failed',
    },
  ];
  for (const e of events) await n.notify(e);
  assert.equal(await n.flush(2000), true);
  assert.deepEqual(
    r.got.map((g) => g.body['message']),
    [
      'drain n1 at 2025-06-02T02:00:00.000Z in run-7',
      'Rebooting node n1',
      'Node n1 rebooted & uncordoned successfully!',
      'n2 failed: drain timed out',
      'Reboot run finished with failures on n2: 1 node failed',
    ],
  );
});

test('a dry run sends nothing', async () => {
  const r = await receiver();
  const { n } = notifier([r.base]);
  await n.notify({ type: 'run-start', at, runId: 'dry', dryRun: true });
  await n.notify(drain());
  await n.notify(result('failed'));
  await n.notify({
    type: 'run-end',
    at,
    exitCode: 1,
    rebooted: [],
    failed: ['n1'],
    pending: [],
    reason: 'x',
  });
  assert.equal(await n.flush(1000), true);
  assert.equal(r.got.length, 0);
});

test('a block is notified once per reason; a new reason or a block after unblocking notifies again', async () => {
  const r = await receiver();
  const { n } = notifier([r.base]);
  const seq: RunEvent[] = [
    blocked(['alert DiskFull firing']),
    blocked(['alert DiskFull firing']), // next tick, same reason
    blocked(['alert DiskFull firing']),
    blocked(['alert DiskFull firing', 'outside the window']), // a new reason
    blocked(['outside the window', 'alert DiskFull firing']), // same set, other order
    blocked(['outside the window']), // a reason went away: nothing new
    blocked([]), // unblocked
    blocked(['outside the window']), // the same reason again after unblocking
    blocked(['pod db-0 blocks'], 'n4'), // a node's own block
    blocked(['pod db-0 blocks'], 'n4'),
    { type: 'step', at, node: 'n4', step: 'lock' }, // n4 moved on: its block (and the cluster's) is over
    blocked(['pod db-0 blocks'], 'n4'),
  ];
  for (const e of seq) await n.notify(e);
  assert.equal(await n.flush(2000), true);
  assert.deepEqual(
    r.got.map((g) => g.body['message']),
    [
      'Reboot blocked for all nodes: alert DiskFull firing',
      'Reboot blocked for all nodes: alert DiskFull firing; outside the window',
      'Reboot blocked for all nodes: outside the window',
      'Reboot blocked for n4: pod db-0 blocks',
      'Reboot blocked for n4: pod db-0 blocks',
    ],
  );
});

test('a failed send is retried after 1 s and 2 s on the clock, then succeeds', async () => {
  const clock = new FakeClock(at, false);
  const r = await receiver(clock);
  const statuses = [500, 503, 200];
  r.answer((_req, res) => res.writeHead(statuses.shift() ?? 200).end('busy'));
  const l = logs();
  const n = createNotifier({ urls: [r.base], clock, log: l.log });
  await n.notify(drain());
  await waitFor(() => r.got.length === 1 && clock.pendingTimers() === 1, 'the first attempt and its backoff');
  await clock.advance(999);
  await realDelay(30);
  assert.equal(r.got.length, 1, 'no retry before 1 s');
  await clock.advance(1);
  await waitFor(() => r.got.length === 2 && clock.pendingTimers() === 1, 'the second attempt');
  await clock.advance(2000);
  await waitFor(() => r.got.length === 3, 'the third attempt');
  assert.equal(await n.flush(60_000), true);
  assert.deepEqual(
    r.got.map((g) => g.at - at),
    [0, 1000, 3000],
  );
  const warns = l.lines.filter((x) => x.level === 'warn').map((x) => x.message);
  assert.equal(warns.length, 2);
  assert.match(warns[0] ?? '', /attempt 1\/4\): HTTP 500: busy; retrying in 1000 ms/);
  assert.match(warns[1] ?? '', /attempt 2\/4\): HTTP 503: busy; retrying in 2000 ms/);
  assert.ok(l.lines.some((x) => x.level === 'debug' && /sent/.test(x.message)));
});

test('after the last retry the message is dropped and logged; a 404 is not retried', async () => {
  const r = await receiver();
  r.answer((req, res) => res.writeHead(req.path === '/gone' ? 404 : 500).end());
  const { n, lines } = notifier([r.base, `${r.base}/gone`], { retries: 2 });
  await n.notify(drain());
  assert.equal(await n.flush(2000), true);
  assert.equal(r.got.filter((g) => g.path === '/').length, 3);
  assert.equal(r.got.filter((g) => g.path === '/gone').length, 1);
  const errors = lines.filter((x) => x.level === 'error').map((x) => x.message);
  assert.ok(errors.some((m) => /dropped after 3 attempts: HTTP 500/.test(m)));
  assert.ok(errors.some((m) => /refused, not retried: HTTP 404/.test(m)));
});

test('a receiver that never answers does not block notify(); flush times out cleanly', async () => {
  const r = await receiver();
  r.answer(() => {}); // hang
  const { n, lines } = notifier([r.base], { requestTimeoutMs: 60_000 });
  const t0 = Date.now();
  await n.notify(drain());
  await n.notify(reboot());
  assert.ok(Date.now() - t0 < 100, 'notify() returned at once');
  await waitFor(() => r.got.length === 1, 'the request to arrive');
  assert.equal(n.pending(), 2);
  const t1 = Date.now();
  assert.equal(await n.flush(150), false);
  const waited = Date.now() - t1;
  assert.ok(waited >= 140 && waited < 1000, `flush waited ${waited} ms`);
  assert.equal(n.pending(), 0);
  assert.ok(
    lines.some((x) => x.level === 'warn' && /2 notification\(s\) not sent within 150 ms/.test(x.message)),
  );
  // Still usable afterwards.
  r.answer((_q, res) => res.end('ok'));
  await n.notify(result('rebooted'));
  assert.equal(await n.flush(2000), true);
  assert.equal(r.got.at(-1)?.body['message'], 'Node n1 rebooted & uncordoned successfully!');
});

test('each request has a timeout; a silent receiver counts as a failed attempt', async () => {
  const r = await receiver();
  r.answer(() => {});
  const { n, lines } = notifier([r.base], { requestTimeoutMs: 80, retries: 1 });
  await n.notify(drain());
  assert.equal(await n.flush(3000), true);
  assert.equal(r.got.length, 2);
  assert.ok(
    lines.some(
      (x) => x.level === 'error' && /dropped after 2 attempts: no answer within 80 ms/.test(x.message),
    ),
  );
});

test('secrets in URLs never reach the logs', async () => {
  const r = await receiver();
  r.answer((_q, res) => res.writeHead(500).end(`no such hook ${_q.path}`)); // the receiver echoes the secret
  const seen: string[] = [];
  const fetchSpy: typeof fetch = (input, init) => {
    seen.push(String(input));
    return fetch(input, init);
  };
  const { n, lines } = notifier(
    [
      `${r.base}/hooks/SUPERSECRET1?token=SUPERSECRET2`,
      'slack://TSECRET3/BSECRET4/XSECRET5',
      'https://unreachable.invalid/SUPERSECRET6',
    ],
    { retries: 1, fetch: fetchSpy, target: { slackWebhookBase: `${r.base}/services/` } },
  );
  await n.notify(drain());
  assert.equal(await n.flush(5000), true);
  assert.ok(seen.includes(`${r.base}/services/TSECRET3/BSECRET4/XSECRET5`));
  assert.ok(lines.length >= 6, `logged ${lines.length} lines`);
  const all = lines.map((x) => x.message).join('\n');
  assert.doesNotMatch(all, /SECRET/);
  assert.match(all, /webhook http:\/\/127\.0\.0\.1:\d+\/…/);
  assert.deepEqual(
    n.targets.map((t) => t.redacted),
    [`${r.base}/…`, 'slack://…', 'https://unreachable.invalid/…'],
  );
});

test('an injected fetch that throws is logged; notify() still resolves', async () => {
  const lines: string[] = [];
  const n = createNotifier({
    urls: ['teams://g1@t1/alt1/own1?host=contoso.webhook.office.com'],
    clock: new SystemClock(),
    log: (_l, m) => void lines.push(m),
    retries: 0,
    fetch: (input) => Promise.reject(new TypeError(`fetch failed for ${String(input)}`)),
  });
  await n.notify(drain());
  assert.equal(await n.flush(1000), true);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /teams teams:\/\/… dropped after 1 attempts: fetch failed/);
  assert.doesNotMatch(lines[0] ?? '', /alt1|own1/);
});

test('logAsEvents turns notifier logs into log events stamped by the clock', async () => {
  const clock = new FakeClock(at, false);
  const events: RunEvent[] = [];
  const n = createNotifier({
    urls: ['https://example.org/hook/SECRET'],
    clock,
    log: logAsEvents((e) => events.push(e), clock),
    retries: 0,
    fetch: () => Promise.resolve(new Response('nope', { status: 400 })),
  });
  await n.notify(drain());
  assert.equal(await n.flush(1000), true);
  assert.equal(events.length, 1);
  const e = events[0];
  assert.equal(e?.type, 'log');
  assert.ok(e?.type === 'log' && e.level === 'error' && e.at === at && /HTTP 400: nope/.test(e.message));
});
