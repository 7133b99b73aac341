// The validated, readonly configuration of a run, built by config.ts from parsed flags. The composition root
// maps it onto the adapters and the app. Durations are milliseconds; selectors are in canonical string form.
// May import: core.

import type { Schedule } from '../core/window.js';
import type { LogFormat, RebootMethod } from './options.js';

export interface KubeSettings {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** 0 means no limit. */
  readonly requestTimeoutMs: number;
}

export interface OutputSettings {
  /** undefined: decided by the terminal (live view on a TTY, plain lines otherwise). */
  readonly logFormat?: LogFormat;
  /** false when --no-color was given; NO_COLOR and the terminal are judged by ui/color.ts. */
  readonly color: boolean;
  readonly verbosity: number;
}

export type SentinelSettings =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'command'; readonly argv: readonly string[] };

export interface RebootSettings {
  readonly method: RebootMethod;
  /** argv of --reboot-command; used when method is command. */
  readonly command: readonly string[];
}

export interface PodSettings {
  readonly image: string;
  readonly imagePullSecrets: readonly string[];
  readonly namespace: string;
  /** priorityClassName of the helper pods; "" for none. */
  readonly priorityClass: string;
}

export interface LockSettings {
  readonly concurrency: number;
  /** 0 means a hold never expires. */
  readonly ttlMs: number;
  readonly releaseDelayMs: number;
}

export interface DrainSettings {
  /** 0 means no limit. */
  readonly timeoutMs: number;
  /** -1 keeps each pod's own grace period. */
  readonly gracePeriodSeconds: number;
  readonly podSelector?: string;
  /** 0 means never skip terminating pods. */
  readonly skipWaitForDeleteTimeoutSeconds: number;
  readonly forceReboot: boolean;
  readonly ignoreDaemonsets: boolean;
  readonly deleteEmptyDirData: boolean;
  readonly force: boolean;
}

export interface BlockerSettings {
  readonly prometheusUrl?: string;
  /** A valid JavaScript regular expression source. */
  readonly alertFilterRegexp?: string;
  readonly alertFilterMatchOnly: boolean;
  readonly alertFiringOnly: boolean;
  /** ORed; each is a canonical label selector. */
  readonly blockingPodSelectors: readonly string[];
}

export interface MarkingSettings {
  readonly annotateNodes: boolean;
  readonly preRebootLabels: Readonly<Record<string, string>>;
  readonly postRebootLabels: Readonly<Record<string, string>>;
}

export interface TimeoutSettings {
  readonly rebootMs: number;
  readonly readyMs: number;
  /** --ready-stable: Ready must hold this long, observed, before the node counts as back. */
  readonly readyStableMs: number;
  readonly probeMs: number;
  readonly probeConcurrency: number;
}

export interface RunConfig {
  readonly kube: KubeSettings;
  readonly output: OutputSettings;
  /** Node names given as arguments; empty means every node that matches nodeSelector. */
  readonly nodes: readonly string[];
  readonly nodeSelector?: string;
  readonly maxPerZone?: number;
  readonly schedule: Schedule;
  readonly windowMarginMs: number;
  readonly sentinel: SentinelSettings;
  readonly reboot: RebootSettings;
  readonly pods: PodSettings;
  readonly lock: LockSettings;
  readonly drain: DrainSettings;
  readonly blockers: BlockerSettings;
  readonly marking: MarkingSettings;
  readonly timeouts: TimeoutSettings;
  /** Plan only: decide and explain, change nothing. */
  readonly dryRun: boolean;
  /** One pass, then exit (the only mode so far). */
  readonly once: boolean;
}
