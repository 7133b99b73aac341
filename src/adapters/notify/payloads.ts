// Request bodies for each kind of notification target: Slack webhook and API, Teams MessageCard, Teams
// workflow (Adaptive Card) and a generic JSON webhook carrying the event itself.
// May import: core and notify/templates.

import type { RunEvent } from '../../core/events.js';
import type { NotificationKind } from './templates.js';

/** One message ready to send: the rendered text and the event it came from. */
export interface OutgoingMessage {
  readonly kind: NotificationKind;
  readonly text: string;
  readonly event: RunEvent;
}

/** Presentation options that some URL forms carry (shoutrrr's query parameters). */
export interface PresentationOptions {
  readonly title?: string;
  readonly color?: string;
  readonly username?: string;
  readonly channel?: string;
  readonly icon?: string;
}

const failureKinds: readonly NotificationKind[] = ['failed', 'run-failed', 'blocked'];

function withTitle(text: string, title: string | undefined, bold: (s: string) => string): string {
  return title ? `${bold(title)}\n${text}` : text;
}

/** Slack incoming webhook and chat.postMessage: `{text}` plus optional username, channel and icon. */
export function slackBody(msg: OutgoingMessage, p: PresentationOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { text: withTitle(msg.text, p.title, (s) => `*${s}*`) };
  if (p.username) body['username'] = p.username;
  if (p.channel) body['channel'] = p.channel;
  if (p.icon) body[/^https?:\/\//.test(p.icon) ? 'icon_url' : 'icon_emoji'] = p.icon;
  return body;
}

/** Teams connector webhook: a legacy MessageCard. Failures get a red theme unless a colour was given. */
export function teamsMessageCard(msg: OutgoingMessage, p: PresentationOptions): Record<string, unknown> {
  const card: Record<string, unknown> = {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: msg.text,
    themeColor: p.color ?? (failureKinds.includes(msg.kind) ? 'D70000' : '0076D7'),
    text: msg.text,
  };
  if (p.title) card['title'] = p.title;
  return card;
}

/** Teams workflow (Power Automate) webhook: a message with one Adaptive Card attachment. */
export function teamsAdaptiveCard(msg: OutgoingMessage, p: PresentationOptions): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  if (p.title) body.push({ type: 'TextBlock', text: p.title, weight: 'Bolder', size: 'Medium', wrap: true });
  body.push({
    type: 'TextBlock',
    text: msg.text,
    wrap: true,
    ...(failureKinds.includes(msg.kind) ? { color: 'Attention' } : {}),
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}

/**
 * Generic JSON webhook: the event as emitted, plus `message` (the rendered text) and `notification` (the
 * kind). An event's own `message` (a step's detail) moves to `detail`.
 */
export function genericBody(msg: OutgoingMessage): Record<string, unknown> {
  const { message: detail, ...event } = msg.event as RunEvent & { message?: string };
  return { ...event, ...(detail === undefined ? {} : { detail }), message: msg.text, notification: msg.kind };
}
