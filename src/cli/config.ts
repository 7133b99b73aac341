// Parsed flags -> a validated, readonly RunConfig. ALL input validation happens here, before anything touches
// the cluster: every problem is an InputError that names the flag and shows the accepted form.
// May import: core, cli/options, cli/config-types, cli/config-window, cli/argv-read, cli/words.

import { InputError } from '../core/errors.js';
import { parseLabelAssignments, parseSelector } from '../core/selector.js';
import {
  duration,
  flag,
  given,
  integer,
  lastOf,
  optionalInteger,
  optionalString,
  string,
  strings,
  type ArgvLike,
} from './argv-read.js';
import type { RunConfig, SentinelSettings } from './config-types.js';
import { KURED_WINDOW_FLAGS, schedule } from './config-window.js';
import { DEFAULTS, LogFormat, RebootMethod } from './options.js';
import { splitWords } from './words.js';

export type { RunConfig } from './config-types.js';

export type { ArgvLike } from './argv-read.js';

export interface ConfigExtras {
  /** `run --dry-run` and `plan`. */
  readonly dryRun?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function buildRunConfig(argv: ArgvLike, extras: ConfigExtras = {}): RunConfig {
  checkCrossOptions(argv);
  const nodeSelector = selector(argv, 'node-selector');
  const podSelector = selector(argv, 'drain-pod-selector');
  const maxPerZone = optionalInteger(argv, 'max-per-zone', 1);
  const alertFilterRegexp = regexp(argv, 'alert-filter-regexp');
  const prometheusUrl = url(argv, 'prometheus-url');
  const logFormat = optionalString(argv, 'log-format');
  if (logFormat !== undefined && !(Object.values(LogFormat) as string[]).includes(logFormat)) {
    throw new InputError(`invalid --log-format ${q(logFormat)} (accepted: text, json)`);
  }
  const kubeconfig = optionalString(argv, 'kubeconfig');
  const context = optionalString(argv, 'context');
  return {
    kube: {
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { context }),
      requestTimeoutMs: duration(argv, 'request-timeout', DEFAULTS.requestTimeout, { allowZero: true }),
    },
    output: {
      ...(logFormat === undefined ? {} : { logFormat: logFormat as LogFormat }),
      color: argv['color'] !== false,
      verbosity: integer(argv, 'v', 0, 0),
    },
    nodes: nodeNames(argv),
    ...(nodeSelector === undefined ? {} : { nodeSelector }),
    ...(maxPerZone === undefined ? {} : { maxPerZone }),
    schedule: schedule(argv),
    windowMarginMs: duration(argv, 'window-margin', DEFAULTS.windowMargin, { allowZero: true }),
    sentinel: sentinel(argv),
    reboot: reboot(argv),
    pods: {
      image: image(argv),
      imagePullSecrets: strings(argv, 'image-pull-secret').map((s) =>
        dnsName(s, '--image-pull-secret', DNS_SUBDOMAIN),
      ),
      namespace: dnsName(string(argv, 'pod-namespace', DEFAULTS.podNamespace), '--pod-namespace', DNS_LABEL),
      priorityClass: priorityClass(argv),
    },
    lock: {
      concurrency: integer(argv, 'concurrency', DEFAULTS.concurrency, 1),
      // Above 0: every hold expires (a Lease record with a TTL of 0 is unreadable to every run).
      ttlMs: duration(argv, 'lock-ttl', DEFAULTS.lockTtl),
      releaseDelayMs: duration(argv, 'lock-release-delay', DEFAULTS.lockReleaseDelay, { allowZero: true }),
    },
    drain: {
      timeoutMs: duration(argv, 'drain-timeout', DEFAULTS.drainTimeout, { allowZero: true }),
      gracePeriodSeconds: integer(argv, 'drain-grace-period', DEFAULTS.drainGracePeriod, -1),
      ...(podSelector === undefined ? {} : { podSelector }),
      skipWaitForDeleteTimeoutSeconds: Math.floor(
        duration(argv, 'skip-wait-for-delete-timeout', String(DEFAULTS.skipWaitForDeleteTimeout), {
          allowZero: true,
        }) / 1000,
      ),
      forceReboot: flag(argv, 'force-reboot', false),
      ignoreDaemonsets: flag(argv, 'ignore-daemonsets', DEFAULTS.ignoreDaemonsets),
      deleteEmptyDirData: flag(argv, 'delete-emptydir-data', false),
      force: flag(argv, 'force', false),
    },
    blockers: {
      ...(prometheusUrl === undefined ? {} : { prometheusUrl }),
      ...(alertFilterRegexp === undefined ? {} : { alertFilterRegexp }),
      alertFilterMatchOnly: flag(argv, 'alert-filter-match-only', false),
      alertFiringOnly: flag(argv, 'alert-firing-only', false),
      blockingPodSelectors: strings(argv, 'blocking-pod-selector').map((s) =>
        parseSelector(s, '--blocking-pod-selector').toString(),
      ),
    },
    marking: {
      annotateNodes: flag(argv, 'annotate-nodes', false),
      preRebootLabels: parseLabelAssignments(
        strings(argv, 'pre-reboot-node-labels'),
        '--pre-reboot-node-labels',
      ),
      postRebootLabels: parseLabelAssignments(
        strings(argv, 'post-reboot-node-labels'),
        '--post-reboot-node-labels',
      ),
    },
    timeouts: {
      rebootMs: duration(argv, 'reboot-timeout', DEFAULTS.rebootTimeout),
      readyMs: duration(argv, 'ready-timeout', DEFAULTS.readyTimeout),
      readyStableMs: duration(argv, 'ready-stable', DEFAULTS.readyStable),
      probeMs: duration(argv, 'probe-timeout', DEFAULTS.probeTimeout),
      probeConcurrency: integer(argv, 'probe-concurrency', DEFAULTS.probeConcurrency, 1),
    },
    dryRun: extras.dryRun ?? flag(argv, 'dry-run', false),
    once: flag(argv, 'once', true),
  };
}

/**
 * Rules that involve more than one flag. Returned rather than thrown so a yargs `.check()` can use it too;
 * buildRunConfig throws it.
 */
/** yargs `.check()` for the run-like commands: throws the cross-option problem, if any. */
export function checkCrossOptions(argv: ArgvLike): true {
  const problem = crossOptionProblem(argv);
  if (problem) throw problem;
  return true;
}

export function crossOptionProblem(argv: ArgvLike): InputError | undefined {
  const kured = KURED_WINDOW_FLAGS.filter((f) => given(argv, f));
  if (strings(argv, 'window').length > 0 && kured.length > 0) {
    return new InputError(
      `--window cannot be combined with ${kured.map((f) => `--${f}`).join(', ')}`,
      'use either --window "mon-fri 02:00-05:00" (repeatable) or kured\u2019s --reboot-days/--start-time/--end-time',
    );
  }
  if (flag(argv, 'alert-filter-match-only', false) && !given(argv, 'alert-filter-regexp')) {
    return new InputError(
      '--alert-filter-match-only needs --alert-filter-regexp: without it no alert would ever block',
      'add --alert-filter-regexp REGEXP, or drop --alert-filter-match-only',
    );
  }
  if (flag(argv, 'once', true) === false) {
    return new InputError(
      '--once=false is not a mode of its own: `run` makes one pass',
      'for continuous mode use `run --watch` or the `watch` command',
    );
  }
  return undefined;
}

function sentinel(argv: ArgvLike): SentinelSettings {
  const command = optionalString(argv, 'reboot-sentinel-command');
  if (command !== undefined) return { kind: 'command', argv: words(command, '--reboot-sentinel-command') };
  const path = string(argv, 'reboot-sentinel', DEFAULTS.rebootSentinel).trim();
  const under = /^\/(var\/)?run\/[^\0]+$/.test(path) && !path.split('/').includes('..');
  if (!under) {
    throw new InputError(
      `invalid --reboot-sentinel ${q(path)}: the check pod reads only the host's /run (accepted: an absolute path under /run or /var/run, e.g. /var/run/reboot-required)`,
      `for a file elsewhere use --reboot-sentinel-command "test -e ${path}"`,
    );
  }
  return { kind: 'file', path };
}

function reboot(argv: ArgvLike): RunConfig['reboot'] {
  const method = string(argv, 'reboot-method', DEFAULTS.rebootMethod);
  if (!(Object.values(RebootMethod) as string[]).includes(method)) {
    throw new InputError(`invalid --reboot-method ${q(method)} (accepted: command, signal)`);
  }
  return {
    method: method as RebootMethod,
    // An explicit empty value is an error, not the default.
    command: words(String(lastOf(argv['reboot-command']) ?? DEFAULTS.rebootCommand), '--reboot-command'),
  };
}

function words(text: string, flagName: string): string[] {
  const split = splitWords(text);
  if (!split.ok)
    throw new InputError(
      `invalid ${flagName} ${q(text)}: ${split.reason} (accepted: a command line, e.g. "/bin/systemctl reboot")`,
    );
  if (split.words.length === 0)
    throw new InputError(`${flagName} is empty (accepted: a command line, e.g. "/bin/systemctl reboot")`);
  return split.words;
}

/** A PriorityClass name (a DNS subdomain), or "" for none. */
function priorityClass(argv: ArgvLike): string {
  const raw = argv['pod-priority-class'];
  const value = (raw === undefined ? DEFAULTS.podPriorityClass : String(raw)).trim();
  return value === '' ? '' : dnsName(value, '--pod-priority-class', DNS_SUBDOMAIN);
}

function image(argv: ArgvLike): string {
  const value = string(argv, 'image', DEFAULTS.image).trim();
  // eslint-disable-next-line no-control-regex
  if (value === '' || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new InputError(
      `invalid --image ${q(value)} (accepted: an image reference like registry.example.com/tools/busybox:1.37)`,
    );
  }
  return value;
}

function nodeNames(argv: ArgvLike): string[] {
  const names = strings(argv, 'nodes');
  for (const n of names) dnsName(n, 'node name', DNS_SUBDOMAIN);
  return [...new Set(names)];
}

function dnsName(value: string, what: string, re: RegExp): string {
  if (!re.test(value)) {
    const form =
      re === DNS_LABEL
        ? 'lower-case letters, digits and "-", at most 63'
        : 'lower-case DNS name, at most 253 characters';
    throw new InputError(`invalid ${what} ${q(value)} (accepted: ${form})`);
  }
  return value;
}

function selector(argv: ArgvLike, name: string): string | undefined {
  const value = optionalString(argv, name);
  if (value === undefined) return undefined;
  const canonical = parseSelector(value, `--${name}`).toString();
  return canonical === '' ? undefined : canonical;
}

function regexp(argv: ArgvLike, name: string): string | undefined {
  const value = optionalString(argv, name);
  if (value === undefined) return undefined;
  try {
    new RegExp(value);
  } catch (err) {
    throw new InputError(
      `invalid --${name} ${q(value)}: ${(err as Error).message} (accepted: a regular expression like ^(Watchdog|InfoInhibitor)$)`,
    );
  }
  return value;
}

function url(argv: ArgvLike, name: string): string | undefined {
  const value = optionalString(argv, name);
  if (value === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InputError(
      `invalid --${name} ${q(value)} (accepted: an http or https URL like http://prometheus.monitoring:9090)`,
    );
  }
  return value.replace(/\/+$/, '');
}

function q(s: string): string {
  return JSON.stringify(s);
}
