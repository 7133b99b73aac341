// Parsed flags of the long-running modes -> validated settings: the period, the metrics port, notifications,
// the agent's node, and the hidden simulator clock. Like config.ts, every problem is an InputError.
// May import: core, cli/argv-read, cli/options-watch, adapters' constants and pure parsers.

import { parseSimClock } from '../adapters/scaled-clock.js';
import { templateFlags, type NotificationKind } from '../adapters/notify/templates.js';
import { InputError } from '../core/errors.js';
import { duration, flag, integer, optionalString, string, strings, type ArgvLike } from './argv-read.js';
import { WATCH_DEFAULTS } from './options-watch.js';

export interface NotifySettings {
  readonly urls: readonly string[];
  readonly templates: Readonly<Partial<Record<NotificationKind, string>>>;
}

export interface SimClockSettings {
  readonly start: number;
  readonly scale: number;
  readonly anchor?: number;
}

export interface WatchSettings {
  readonly periodMs: number;
  /** -1: no metrics endpoint. */
  readonly metricsPort: number;
  readonly notify: NotifySettings;
  readonly simClock?: SimClockSettings;
}

export interface AgentSettings extends WatchSettings {
  readonly node: string;
  readonly reboot: boolean;
  readonly hostRun: string;
}

export function buildNotifySettings(argv: ArgvLike): NotifySettings {
  const templates: Partial<Record<NotificationKind, string>> = {};
  for (const [kind, flagName] of Object.entries(templateFlags) as [NotificationKind, string][]) {
    const value = optionalString(argv, flagName.replace(/^--/, ''));
    if (value !== undefined) templates[kind] = value;
  }
  return { urls: strings(argv, 'notify-url'), templates };
}

export function buildWatchSettings(argv: ArgvLike): WatchSettings {
  const metricsPort = integer(argv, 'metrics-port', WATCH_DEFAULTS.metricsPort, -1);
  if (metricsPort > 65535)
    throw new InputError(`invalid --metrics-port ${metricsPort} (accepted: 0 to 65535, or -1)`);
  const simText = optionalString(argv, 'sim-clock');
  const simClock = simText === undefined ? undefined : parseSimClock(simText);
  if (simText !== undefined && simClock === undefined) {
    throw new InputError(`invalid --sim-clock ${JSON.stringify(simText)} (accepted: START,SCALE[,ANCHOR])`);
  }
  return {
    periodMs: duration(argv, 'period', WATCH_DEFAULTS.period),
    metricsPort,
    notify: buildNotifySettings(argv),
    ...(simClock ? { simClock } : {}),
  };
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function buildAgentSettings(
  argv: ArgvLike,
  env: Readonly<Record<string, string | undefined>>,
): AgentSettings {
  const node = optionalString(argv, 'node-name') ?? env['NODE_NAME']?.trim();
  if (!node) {
    throw new InputError(
      'the agent needs its node name',
      'pass --node-name, or set NODE_NAME from the downward API (fieldRef spec.nodeName)',
    );
  }
  if (!DNS_SUBDOMAIN.test(node)) throw new InputError(`invalid --node-name ${JSON.stringify(node)}`);
  const hostRun = string(argv, 'host-run', WATCH_DEFAULTS.hostRun);
  if (!hostRun.startsWith('/'))
    throw new InputError(`invalid --host-run ${JSON.stringify(hostRun)} (accepted: an absolute path)`);
  return { ...buildWatchSettings(argv), node, reboot: flag(argv, 'reboot', false), hostRun };
}
