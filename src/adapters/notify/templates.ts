// Notification message templates, kured-compatible: `%s` is the node name (`%%` is a literal percent), and
// named fields `{{node}}`, `{{reason}}`, `{{time}}`, `{{kind}}`, `{{step}}`, `{{message}}`, `{{run}}`,
// `{{rebooted}}` and `{{failed}}` (spaces and a leading dot are allowed: `{{ .node }}`).
// May import: core.

import { InputError } from '../../core/errors.js';

/** What a notification is about. Each kind has its own template and flag. */
export const NotificationKind = {
  Drain: 'drain',
  Reboot: 'reboot',
  Uncordon: 'uncordon',
  Failed: 'failed',
  Blocked: 'blocked',
  RunFailed: 'run-failed',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

export type MessageTemplates = Readonly<Record<NotificationKind, string>>;

/** kured's defaults for drain, reboot and uncordon; ours for the kinds kured lacks. */
export const defaultTemplates: MessageTemplates = {
  drain: 'Draining node %s',
  reboot: 'Rebooting node %s',
  uncordon: 'Node %s rebooted & uncordoned successfully!',
  failed: 'Reboot of node %s failed: {{reason}}',
  blocked: 'Reboot blocked for %s: {{reason}}',
  'run-failed': 'Reboot run finished with failures on {{failed}}: {{reason}}',
};

/** The command-line flag that sets each template. */
export const templateFlags: Readonly<Record<NotificationKind, string>> = {
  drain: '--message-template-drain',
  reboot: '--message-template-reboot',
  uncordon: '--message-template-uncordon',
  failed: '--message-template-failed',
  blocked: '--message-template-blocked',
  'run-failed': '--message-template-run-failed',
};

/** The values a template can use. Absent values render as an empty string. */
export interface TemplateFields {
  /** Node name; "all nodes" for a cluster-wide block; empty for a run summary. */
  readonly node: string;
  /** Why: a node result's reason, the blocking reasons joined by "; ", or the run's end reason. */
  readonly reason: string;
  /** When the event happened, RFC 3339 in UTC. */
  readonly time: string;
  readonly kind: NotificationKind;
  /** The node's step (drain, reboot) for step notifications. */
  readonly step: string;
  /** The step's own message, when the event carried one. */
  readonly message: string;
  /** The run ID, once the run has started. */
  readonly run: string;
  /** Nodes rebooted in the run, comma-separated (run summary). */
  readonly rebooted: string;
  /** Nodes that failed in the run, comma-separated (run summary). */
  readonly failed: string;
}

export const templateFieldNames: readonly (keyof TemplateFields)[] = [
  'node',
  'reason',
  'time',
  'kind',
  'step',
  'message',
  'run',
  'rebooted',
  'failed',
];

/** One line per field, for --help and docs. */
export const templateFieldHelp: Readonly<Record<keyof TemplateFields, string>> = {
  node: 'the node name (same as %s); "all nodes" for a cluster-wide block',
  reason: 'why: the node\'s result, the blocking reasons joined by "; ", or the run\'s end reason',
  time: 'when it happened, RFC 3339 in UTC',
  kind: 'drain, reboot, uncordon, failed, blocked or run-failed',
  step: 'the step for drain and reboot messages',
  message: "the step's own detail, when there is one",
  run: 'the run ID',
  rebooted: 'nodes rebooted in the run, comma-separated (run-failed)',
  failed: 'nodes that failed in the run, comma-separated (run-failed)',
};

const FIELD = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const PERCENT = /%([%s])/g;
const TOKEN = new RegExp(`${FIELD.source}|${PERCENT.source}`, 'g');

function isField(name: string): name is keyof TemplateFields {
  return (templateFieldNames as readonly string[]).includes(name);
}

/** Throws an InputError naming the flag when the template uses an unknown field or a `%` verb other than %s. */
export function validateTemplate(template: string, flag: string): void {
  for (const m of template.matchAll(FIELD)) {
    const name = m[1] ?? '';
    if (!isField(name)) {
      throw new InputError(
        `${flag}: unknown field {{${name}}} in template "${template}"`,
        `use %s for the node name, or one of ${templateFieldNames.map((f) => `{{${f}}}`).join(', ')}`,
      );
    }
  }
  const verbs = template.replace(PERCENT, '').match(/%[A-Za-z]/);
  if (verbs) {
    throw new InputError(
      `${flag}: "${verbs[0]}" in template "${template}" is not supported`,
      'only %s (the node name) and %% (a percent sign) are understood',
    );
  }
}

/** Fills a template: every %s becomes the node name, %% a percent sign, {{field}} the named field. */
export function renderTemplate(template: string, fields: Partial<TemplateFields>): string {
  // One pass, so that a value containing "%s" or "{{…}}" is never expanded again.
  return template.replace(TOKEN, (whole, name: string | undefined, verb: string | undefined) => {
    if (verb !== undefined) return verb === '%' ? '%' : (fields.node ?? '');
    return name !== undefined && isField(name) ? (fields[name] ?? '') : whole;
  });
}

/**
 * Merges user templates over the defaults and validates every one; an empty or undefined entry keeps the
 * default. Throws InputError naming the offending flag.
 */
export function resolveTemplates(
  user: Partial<Record<NotificationKind, string | undefined>> = {},
): MessageTemplates {
  const out: Record<NotificationKind, string> = { ...defaultTemplates };
  for (const kind of Object.values(NotificationKind)) {
    const t = user[kind];
    if (t !== undefined && t !== '') out[kind] = t;
    validateTemplate(out[kind], templateFlags[kind]);
  }
  return out;
}
