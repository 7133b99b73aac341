// --notify-url parsing: one URL becomes a target (kind, endpoint, headers, payload builder). Accepted forms:
//   https://hooks.slack.com/services/A/B/C              Slack incoming webhook, {text}
//   slack://A/B/C, slack://bot@A/B/C                    shoutrrr's legacy Slack form
//   slack://hook:A-B-C@webhook                          shoutrrr's current Slack webhook form
//   slack://xoxb:TOKEN@CHANNEL                          shoutrrr's Slack bot-API form (chat.postMessage)
//   https://ORG.webhook.office.com/webhookb2/...        Teams connector webhook, MessageCard
//   teams://group@tenant/altId/groupOwner[/extraId]?host=ORG.webhook.office.com   shoutrrr's Teams form
//   https://…logic.azure.com/workflows/…, …powerplatform.com/…   Teams workflow, Adaptive Card
//   slack+URL, teams+URL, teams-workflow+URL, generic+URL   force a kind for any http(s) URL
//   any other http(s) URL                               generic JSON webhook: the event plus `message`
// A bad URL is an InputError naming the flag. URLs carry secrets: log only `redacted`, scrub with `secrets`.
// May import: core and notify/*.

import { InputError } from '../../core/errors.js';
import type { OutgoingMessage, PresentationOptions } from './payloads.js';
import { genericBody, slackBody, teamsAdaptiveCard, teamsMessageCard } from './payloads.js';
import { redactUrl, secretsOf } from './redact.js';

export { redactUrl, scrub } from './redact.js';

export const TargetKind = {
  Slack: 'slack',
  SlackApi: 'slack-api',
  Teams: 'teams',
  TeamsWorkflow: 'teams-workflow',
  Webhook: 'webhook',
} as const;
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

/** What a 2xx answer really meant, for services that report errors in the body. */
export interface AnswerCheck {
  readonly error?: string;
  readonly retry?: boolean;
}

export interface NotifyTarget {
  readonly kind: TargetKind;
  /** Where requests go. Secret: never log it. */
  readonly endpoint: string;
  /** Safe to log: scheme and host only. */
  readonly redacted: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Every string that must never reach a log (tokens, the endpoint, the raw URL). */
  readonly secrets: readonly string[];
  body(msg: OutgoingMessage): unknown;
  /** Inspects a 2xx answer's body; Slack's API says ok:false with status 200. */
  check?(text: string): AnswerCheck;
}

export interface TargetOptions {
  /** Flag named in errors. Default --notify-url. */
  readonly flag?: string;
  /** Where slack:// webhook forms point. Default https://hooks.slack.com/services/ */
  readonly slackWebhookBase?: string;
  /** Where slack://xoxb: forms point. Default https://slack.com/api/ */
  readonly slackApiBase?: string;
}

const SLACK_WEBHOOK_BASE = 'https://hooks.slack.com/services/';
const SLACK_API_BASE = 'https://slack.com/api/';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const TOKEN = /^[A-Za-z0-9_]+$/;
const FORCED: Readonly<Record<string, TargetKind>> = {
  slack: TargetKind.Slack,
  teams: TargetKind.Teams,
  'teams-workflow': TargetKind.TeamsWorkflow,
  generic: TargetKind.Webhook,
};
const SUPPORTED =
  'use an http(s) webhook URL (Slack, Teams, Teams workflow or any JSON receiver), slack://A/B/C, ' +
  'slack://hook:A-B-C@webhook, slack://xoxb:TOKEN@CHANNEL or teams://group@tenant/altId/groupOwner/extraId?host=ORG.webhook.office.com';

/** Parses one --notify-url value. Throws InputError (exit 2) naming the flag; the message shows the URL redacted. */
export function parseNotifyUrl(raw: string, opts: TargetOptions = {}): NotifyTarget {
  const flag = opts.flag ?? '--notify-url';
  const bad = (why: string, hint = SUPPORTED): InputError =>
    new InputError(`${flag} ${redactUrl(raw)}: ${why}`, hint);
  const url = raw.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) throw bad('not a URL (expected scheme://…)');
  if (scheme === 'slack') return slackShoutrrr(url, raw, opts, bad);
  if (scheme === 'teams') return teamsShoutrrr(url, raw, bad);
  const plus = /^([a-z-]+)\+(https?)$/.exec(scheme);
  if (plus) {
    const forced = FORCED[plus[1] ?? ''];
    if (forced === undefined)
      throw bad(`unknown kind "${plus[1]}+"`, 'use slack+, teams+, teams-workflow+ or generic+');
    return httpTarget(url.slice(plus[1]!.length + 1), raw, bad, forced);
  }
  if (scheme === 'http' || scheme === 'https') return httpTarget(url, raw, bad);
  throw bad(`the "${scheme}" scheme is not supported`);
}

type Bad = (why: string, hint?: string) => InputError;

function httpTarget(url: string, raw: string, bad: Bad, forced?: TargetKind): NotifyTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a valid URL');
  }
  if (!u.hostname) throw bad('the URL has no host');
  const kind = forced ?? detectKind(u);
  return makeTarget(kind, u.href, raw, {});
}

function detectKind(u: URL): TargetKind {
  const host = u.hostname.toLowerCase();
  if (host === 'hooks.slack.com' && u.pathname.startsWith('/services/')) return TargetKind.Slack;
  if (
    host.endsWith('.webhook.office.com') ||
    host === 'outlook.office.com' ||
    host === 'outlook.office365.com'
  ) {
    return TargetKind.Teams;
  }
  if (host.endsWith('.logic.azure.com') || host.endsWith('.powerplatform.com'))
    return TargetKind.TeamsWorkflow;
  return TargetKind.Webhook;
}

function splitQuery(url: string, prefixLength: number): { rest: string; params: URLSearchParams } {
  const body = url.slice(prefixLength);
  const q = body.indexOf('?');
  return q < 0
    ? { rest: body, params: new URLSearchParams() }
    : { rest: body.slice(0, q), params: new URLSearchParams(body.slice(q + 1)) };
}

function presentation(params: URLSearchParams, allowed: readonly string[], bad: Bad): PresentationOptions {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    const k = key.toLowerCase();
    if (!allowed.includes(k))
      throw bad(`unknown parameter "${key}"`, `known parameters: ${allowed.join(', ')}`);
    const name = k === 'botname' ? 'username' : k === 'icon_emoji' || k === 'icon_url' ? 'icon' : k;
    if (value !== '') out[name] = value;
  }
  return out;
}

const SLACK_PARAMS = [
  'botname',
  'username',
  'channel',
  'title',
  'color',
  'icon',
  'icon_emoji',
  'icon_url',
  'threadts',
];

function slackShoutrrr(url: string, raw: string, opts: TargetOptions, bad: Bad): NotifyTarget {
  const { rest, params } = splitQuery(url, 'slack://'.length);
  const p = presentation(params, SLACK_PARAMS, bad);
  const hook = /^hook:([^@]+)@webhook\/?$/i.exec(rest);
  const api = /^(xox[a-z]):([^@]+)@([^/]+)\/?$/i.exec(rest);
  const legacy = /^(?:([^@/]+)@)?([^@/]+)\/([^/]+)\/([^/]+)\/?$/.exec(rest);
  if (api) {
    const token = `${api[1]}-${api[2]}`;
    const channel = decodeURIComponent(api[3] ?? '');
    const endpoint = `${opts.slackApiBase ?? SLACK_API_BASE}chat.postMessage`;
    return makeTarget(
      TargetKind.SlackApi,
      endpoint,
      raw,
      { ...p, channel },
      { authorization: `Bearer ${token}` },
      [token],
    );
  }
  const tokens = hook ? (hook[1] ?? '').split(/[-/]/) : legacy ? legacy.slice(2, 5) : [];
  if (tokens.length !== 3 || !tokens.every((t) => TOKEN.test(t))) {
    throw bad('a Slack URL needs three webhook tokens', 'use slack://A/B/C or slack://hook:A-B-C@webhook');
  }
  const botname = legacy?.[1];
  const withBot = botname && !p.username ? { ...p, username: decodeURIComponent(botname) } : p;
  const base = opts.slackWebhookBase ?? SLACK_WEBHOOK_BASE;
  return makeTarget(TargetKind.Slack, `${base}${tokens.join('/')}`, raw, withBot, {}, tokens);
}

function teamsShoutrrr(url: string, raw: string, bad: Bad): NotifyTarget {
  const { rest, params } = splitQuery(url, 'teams://'.length);
  const host = params.get('host');
  params.delete('host');
  const p = presentation(params, ['color', 'title'], bad);
  const m = /^([^@/]+)@([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(rest);
  if (!m) throw bad('a Teams URL needs group@tenant/altId/groupOwner[/extraId]');
  if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) {
    throw bad(
      'a Teams URL needs ?host=ORG.webhook.office.com',
      'copy the host from the webhook URL Teams gave you',
    );
  }
  const [, group, tenant, altId, owner, extra] = m;
  const path = [altId, owner, ...(extra ? [extra] : [])].join('/');
  const endpoint = `https://${host}/webhookb2/${group}@${tenant}/IncomingWebhook/${path}`;
  const secrets = [group, tenant, altId, owner, extra].filter((s): s is string => Boolean(s));
  return makeTarget(TargetKind.Teams, endpoint, raw, p, {}, secrets);
}

function makeTarget(
  kind: TargetKind,
  endpoint: string,
  raw: string,
  p: PresentationOptions,
  headers: Record<string, string> = {},
  tokens: readonly string[] = [],
): NotifyTarget {
  const base = {
    kind,
    endpoint,
    redacted: redactUrl(raw),
    headers: { ...JSON_HEADERS, ...headers },
    secrets: secretsOf([raw, endpoint], tokens),
  };
  switch (kind) {
    case TargetKind.Slack:
      return { ...base, body: (msg) => slackBody(msg, p) };
    case TargetKind.SlackApi:
      return { ...base, body: (msg) => slackBody(msg, p), check: slackApiCheck };
    case TargetKind.Teams:
      return { ...base, body: (msg) => teamsMessageCard(msg, p) };
    case TargetKind.TeamsWorkflow:
      return { ...base, body: (msg) => teamsAdaptiveCard(msg, p) };
    case TargetKind.Webhook:
      return { ...base, body: genericBody };
  }
}

function slackApiCheck(text: string): AnswerCheck {
  try {
    const b = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (b.ok === true) return {};
    const error = typeof b.error === 'string' ? b.error : 'ok is not true';
    return { error: `Slack API refused: ${error}`, retry: error === 'ratelimited' };
  } catch {
    return { error: 'Slack API answered with no JSON', retry: true };
  }
}
