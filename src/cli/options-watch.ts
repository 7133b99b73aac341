// Option builders of the long-running modes: watch (`run --watch`, `watch`) and `agent`, plus notifications
// (on run, watch and agent) and the metrics endpoint. config-watch.ts turns them into validated settings.
// May import: yargs types, adapters' constants.

import type { Argv, Options } from 'yargs';
import { templateFlags } from '../adapters/notify/templates.js';

export const WATCH_DEFAULTS = {
  period: '1h',
  metricsPort: 8080,
  hostRun: '/host/run',
} as const;

type Spec = Record<string, Options>;

function group<T>(y: Argv<T>, title: string, spec: Spec): Argv<T> {
  return y.options(spec).group(Object.keys(spec), title) as unknown as Argv<T>;
}

/** --notify-url (repeatable) and one --message-template-* per kind the notifier knows. */
export function notifyOptions<T>(y: Argv<T>): Argv<T> {
  const spec: Spec = {
    'notify-url': {
      type: 'string',
      describe:
        'Send drain, reboot, uncordon, failure and block messages here: slack://, teams://, a Slack or Teams webhook, or any https URL (repeatable)',
    },
  };
  for (const [kind, flag] of Object.entries(templateFlags)) {
    spec[flag.replace(/^--/, '')] = {
      type: 'string',
      describe: `Message for ${kind}: %s is the node; {{node}}, {{reason}}, {{time}} and more`,
    };
  }
  return group(y, 'Notifications:', spec);
}

/** The loop's timing and the metrics endpoint; the simulator clock is a hidden testing aid. */
export function watchModeOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Watch mode:', {
    period: {
      type: 'string',
      default: WATCH_DEFAULTS.period,
      describe: 'Check the sentinels this often (agents\u2019 annotations are followed at once)',
    },
    'metrics-port': {
      type: 'number',
      default: WATCH_DEFAULTS.metricsPort,
      describe: 'Serve /metrics and /healthz on this port; 0 picks a free one, -1 turns it off',
    },
  }).option('sim-clock', {
    type: 'string',
    hidden: true,
    describe: 'Testing aid: follow a simulated clock, START,SCALE[,ANCHOR] (epoch ms, factor, epoch ms)',
  });
}

/** What only the agent reads: which node it runs on, whether it reboots it, where the host's /run is. */
export function agentOnlyOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Agent:', {
    'node-name': {
      type: 'string',
      describe: 'The node this agent runs on (default: $NODE_NAME, from the downward API)',
    },
    reboot: {
      type: 'boolean',
      default: false,
      describe: 'Also reboot this node when it needs it, under the same Lease lock and safety rules',
    },
    'host-run': {
      type: 'string',
      default: WATCH_DEFAULTS.hostRun,
      describe: 'Where the host\u2019s /run directory is mounted (read-only) in the agent container',
    },
  });
}
