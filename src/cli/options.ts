// Shared option builders, with kured's flag names where kured has the flag. Commands compose these; config.ts
// turns the parsed values into a validated RunConfig. Every flag can also come from the environment as
// REBOOT_DAEMON_<FLAG> (upper case, dashes as underscores), e.g. REBOOT_DAEMON_CONCURRENCY=2; flags win
// (cli/env.ts). kured's KURED_<FLAG> variables are not read.
// May import: yargs types, adapters' default constants, core's enumerations.

import type { Argv, Options } from 'yargs';
import { DEFAULT_HELPER_IMAGE, DEFAULT_HELPER_PRIORITY_CLASS } from '../adapters/k8s/helper-pod-spec.js';
import { DayRule } from '../core/window-parse.js';

/** Defaults, in the form the flag takes; config.ts parses them like any user value. */
export const DEFAULTS = {
  timeZone: 'UTC',
  windowDayRule: DayRule.Start,
  windowMargin: '0s',
  rebootSentinel: '/var/run/reboot-required',
  rebootMethod: 'command',
  rebootCommand: '/bin/systemctl reboot',
  image: DEFAULT_HELPER_IMAGE,
  podPriorityClass: DEFAULT_HELPER_PRIORITY_CLASS,
  podNamespace: 'reboot-daemon',
  concurrency: 1,
  lockTtl: '30m',
  lockReleaseDelay: '0s',
  drainTimeout: '30m',
  drainGracePeriod: -1,
  skipWaitForDeleteTimeout: 0,
  ignoreDaemonsets: true,
  rebootTimeout: '15m',
  readyTimeout: '10m',
  readyStable: '30s',
  probeTimeout: '2m',
  probeConcurrency: 5,
  requestTimeout: '30s',
} as const;

export const RebootMethod = { Command: 'command', Signal: 'signal' } as const;
export type RebootMethod = (typeof RebootMethod)[keyof typeof RebootMethod];

export const LogFormat = { Text: 'text', Json: 'json' } as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

type Spec = Record<string, Options>;

function group<T>(y: Argv<T>, title: string, spec: Spec): Argv<T> {
  return y.options(spec).group(Object.keys(spec), title) as unknown as Argv<T>;
}

const str = (describe: string, extra: Options = {}): Options => ({ type: 'string', describe, ...extra });
const bool = (describe: string, extra: Options = {}): Options => ({ type: 'boolean', describe, ...extra });
const num = (describe: string, extra: Options = {}): Options => ({ type: 'number', describe, ...extra });
/** Repeatable string flag: `--x a --x b`; values are collected into an array by config.ts. */
const many = (describe: string): Options => ({ type: 'string', describe: `${describe} (repeatable)` });

/** kubectl's connection flags, plus output style. Global: every command accepts them. */
export function globalOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Global options:', {
    kubeconfig: str('Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'),
    context: str('The kubeconfig context to use'),
    'request-timeout': str('Time to wait for one API request; 0 means no limit', {
      default: DEFAULTS.requestTimeout,
    }),
    v: num('Log verbosity: 1 shows debug events, as kubectl -v does', { default: 0 }),
    'log-format': str(
      'Progress output: text (plain lines) or json (one event per line); a terminal gets a live view',
      {
        choices: Object.values(LogFormat),
      },
    ),
    color: bool('Colour on a terminal; --no-color (or NO_COLOR) turns it off', { default: true }),
  });
}

export function windowOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Window:', {
    window: many('Maintenance window, e.g. "mon-fri 02:00-05:00" or "22:00-04:00"; several are ORed'),
    'reboot-days': many('kured form: days reboots may start, e.g. mon,tue,wed (default: every day)'),
    'start-time': str('kured form: start of the daily window, e.g. 2am or 02:00 (default 0:00)'),
    'end-time': str('kured form: end of the daily window, inclusive (default 23:59:59)'),
    'time-zone': str('Zone of the window: UTC, Local or an IANA name', { default: DEFAULTS.timeZone }),
    'window-day-rule': str(
      'Day a window past midnight is judged by: start (fri 22:00-04:00 runs into Saturday) or kured (the day of the current time, as kured)',
      { default: DEFAULTS.windowDayRule, choices: Object.values(DayRule) },
    ),
    'window-margin': str('Start no reboot when the window closes within this time', {
      default: DEFAULTS.windowMargin,
    }),
  });
}

export function sentinelOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Sentinel:', {
    'reboot-sentinel': str('File on the node whose presence means a reboot is needed', {
      default: DEFAULTS.rebootSentinel,
    }),
    'reboot-sentinel-command': str('Command run on the host instead; exit 0 means a reboot is needed'),
  });
}

export function rebootOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Reboot:', {
    'reboot-method': str(
      'command runs --reboot-command on the host; signal sends signal 39 (SIGRTMIN+5, which systemd takes as reboot) to PID 1',
      {
        default: DEFAULTS.rebootMethod,
        choices: Object.values(RebootMethod),
      },
    ),
    'reboot-command': str('Command that reboots the host', { default: DEFAULTS.rebootCommand }),
  });
}

export function podOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Helper pods:', {
    image: str('Image of the check and reboot pods; needs sh and nsenter', { default: DEFAULTS.image }),
    'image-pull-secret': many('Image pull secret for the helper pods, in --pod-namespace'),
    'pod-namespace': str('Namespace of the helper pods and the lock Lease', {
      default: DEFAULTS.podNamespace,
    }),
    'pod-priority-class': str(
      'priorityClassName of the helper pods: a critical class lets the kubelet admit them on a node at its pod limit; "" for none',
      { default: DEFAULTS.podPriorityClass },
    ),
  });
}

export function lockOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Lock:', {
    concurrency: num('How many nodes may reboot at once', { default: DEFAULTS.concurrency }),
    'lock-ttl': str("A hold expires unless renewed within this time, on the API server's clock", {
      default: DEFAULTS.lockTtl,
    }),
    'lock-release-delay': str('Wait this long after a node is back before freeing its lock slot', {
      default: DEFAULTS.lockReleaseDelay,
    }),
  });
}

export function drainOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Drain:', {
    'drain-timeout': str('Give up draining a node after this time; 0 means no limit', {
      default: DEFAULTS.drainTimeout,
    }),
    'drain-grace-period': num('Seconds each pod gets to terminate; -1 keeps the pod\u2019s own', {
      default: DEFAULTS.drainGracePeriod,
    }),
    'drain-pod-selector': str('Only evict pods matching this label selector'),
    'skip-wait-for-delete-timeout': str(
      'Skip pods whose deletion started more than this many seconds ago; 0 never',
      {
        default: String(DEFAULTS.skipWaitForDeleteTimeout),
      },
    ),
    'force-reboot': bool('Reboot even when the drain fails or times out', { default: false }),
    'ignore-daemonsets': bool('Leave DaemonSet pods in place', { default: DEFAULTS.ignoreDaemonsets }),
    'delete-emptydir-data': bool('Evict pods with emptyDir volumes (their data is lost)', { default: false }),
    force: bool('Evict pods that no controller manages (they are not recreated)', { default: false }),
  });
}

export function blockerOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Blockers:', {
    'prometheus-url': str('Prometheus base URL; firing alerts block every reboot'),
    'alert-filter-regexp': str('Alert names matching this regular expression are ignored'),
    'alert-filter-match-only': bool('Invert the filter: only alerts matching --alert-filter-regexp block', {
      default: false,
    }),
    'alert-firing-only': bool('Only firing alerts block, not pending ones', { default: false }),
    'blocking-pod-selector': many(
      'Pods on a node matching this label selector block its reboot; repeats are ORed',
    ),
  });
}

export function selectionOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Selection:', {
    'node-selector': str('Only consider nodes matching this label selector', { alias: 'l' }),
    'max-per-zone': num('At most this many nodes of one zone at once (topology.kubernetes.io/zone)'),
  });
}

export function markingOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Marking:', {
    'annotate-nodes': bool('Record reboot progress in node annotations, as kured does', { default: false }),
    'pre-reboot-node-labels': many('Labels set before the reboot, e.g. rebooting=true,team=ops'),
    'post-reboot-node-labels': many('Labels set after the node is back, e.g. rebooting=false'),
  });
}

export function timeoutOptions<T>(y: Argv<T>): Argv<T> {
  return group(y, 'Timeouts:', {
    'reboot-timeout': str('Fail when the node shows no new boot ID within this time', {
      default: DEFAULTS.rebootTimeout,
    }),
    'ready-timeout': str('Fail when the node is not Ready within this time after booting', {
      default: DEFAULTS.readyTimeout,
    }),
    'ready-stable': str('Ready must hold this long, as observed, before a node counts as back', {
      default: DEFAULTS.readyStable,
    }),
    'probe-timeout': str('Time allowed for one sentinel check pod', { default: DEFAULTS.probeTimeout }),
    'probe-concurrency': num('How many nodes are checked at once', { default: DEFAULTS.probeConcurrency }),
  });
}

/** Everything a reboot run reads: the options of `run` and `plan`. */
export function runOptions<T>(y: Argv<T>): Argv<T> {
  const steps = [
    selectionOptions,
    windowOptions,
    sentinelOptions,
    rebootOptions,
    drainOptions,
    lockOptions,
    blockerOptions,
    markingOptions,
    podOptions,
    timeoutOptions,
  ];
  return steps.reduce((acc, step) => step(acc), y);
}

/** What `status` reads: which nodes, the window, the sentinel and blockers, and the helper pods. */
export function statusOptions<T>(y: Argv<T>): Argv<T> {
  const steps = [
    selectionOptions,
    windowOptions,
    sentinelOptions,
    lockOptions,
    blockerOptions,
    podOptions,
    timeoutOptions,
  ];
  return steps.reduce((acc, step) => step(acc), y);
}

/** Positional node names, as kubectl drain takes them. */
export function nodesPositional<T>(y: Argv<T>): Argv<T> {
  return y.positional('nodes', {
    type: 'string',
    array: true,
    describe: 'Node names; default: every node (narrowed by --node-selector)',
  }) as unknown as Argv<T>;
}
