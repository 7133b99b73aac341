// SentinelChecker and HelperPodJanitor through short-lived helper pods (see helper-pod-spec.ts); the
// Rebooter is in helper-pod-reboot.ts. A check never throws: a failed, slow or odd pod is { kind: 'unknown' }.
// May import: core, ports and sibling k8s adapter files.

import { formatError } from '../../core/errors.js';
import { SentinelSource } from '../../core/types.js';
import type { SentinelResult } from '../../core/types.js';
import type { HelperPodJanitor, SentinelChecker } from '../../ports/node-exec.js';
import type { V1Pod } from '@kubernetes/client-node';
import type { K8sClients } from './client.js';
import { deleteMatching, ensurer, raced, settingsOf } from './helper-pod-common.js';
import type { HelperPodsOptions } from './helper-pod-common.js';
import { createPod, deletePodQuietly, describeState, followPod, podState } from './helper-pod-run.js';
import type { PodState } from './helper-pod-run.js';
import {
  CheckExit,
  commandCheckPod,
  fileCheckPod,
  HelperLabel,
  MANAGED_BY,
  ownerLabelValue,
  sentinelPathInPod,
  splitCommand,
} from './helper-pod-spec.js';
import type { HelperPodSettings, SentinelSpec } from './helper-pod-spec.js';
import { DEFAULT_NAMESPACE } from './namespace.js';

export type { HelperPodsOptions } from './helper-pod-common.js';

export interface SentinelCheckOptions extends HelperPodsOptions {
  readonly sentinel: SentinelSpec;
  /** Whole check, pod creation to exit. Default 60 s. */
  readonly timeoutMs?: number;
}

const isFinal = (s: PodState): boolean => s.kind === 'exited' || s.kind === 'failed' || s.kind === 'deleted';

export class HelperPodSentinelChecker implements SentinelChecker {
  private readonly settings: HelperPodSettings;
  private readonly ensure: () => Promise<void>;
  private readonly timeoutMs: number;

  /** Throws InputError at once for a sentinel path outside /run or an empty command. */
  constructor(
    private readonly clients: K8sClients,
    private readonly opts: SentinelCheckOptions,
  ) {
    this.settings = settingsOf(opts);
    this.ensure = ensurer(clients, opts, this.settings.namespace);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    if (opts.sentinel.kind === 'file') sentinelPathInPod(opts.sentinel.path);
    else splitCommand(opts.sentinel.argv);
  }

  async check(node: string, signal?: AbortSignal): Promise<SentinelResult> {
    const source = SentinelSource.Probe;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const seconds = Math.ceil(this.timeoutMs / 1000);
    const s = this.opts.sentinel;
    const body =
      s.kind === 'file'
        ? fileCheckPod(this.settings, node, s.path, seconds)
        : commandCheckPod(this.settings, node, s.argv, seconds);
    const name = body.metadata?.name ?? '';
    let created = false;
    let last: PodState | undefined;
    try {
      await raced(this.ensure(), sig);
      const pod = await raced(createPod(this.clients, body, sig), sig);
      created = true;
      last = podState(pod);
      const observe = (state: PodState): PodState | undefined => {
        last = state;
        return isFinal(state) ? state : undefined;
      };
      // Watched from its creation: no list needed.
      const since = pod.metadata?.resourceVersion;
      const state = await followPod(this.clients, this.settings.namespace, name, observe, sig, since);
      return this.interpret(node, state);
    } catch (err) {
      if (timeout.aborted) {
        const error = `check pod on ${node} did not finish within ${seconds}s (${describeState(last)})`;
        return { kind: 'unknown', source, error };
      }
      return { kind: 'unknown', source, error: `check on ${node} failed: ${formatError(err)}` };
    } finally {
      if (created) await deletePodQuietly(this.clients, this.settings.namespace, name);
    }
  }

  private interpret(node: string, state: PodState): SentinelResult {
    const source = SentinelSource.Probe;
    if (state.kind === 'exited') {
      if (state.exitCode === CheckExit.Required) {
        const fallback = this.opts.sentinel.kind === 'file' ? 'sentinel present' : 'sentinel command says so';
        return { kind: 'required', source, reason: state.message || fallback };
      }
      if (state.exitCode === CheckExit.NotRequired) return { kind: 'not-required', source };
      const detail = state.message ? `: ${state.message}` : '';
      return { kind: 'unknown', source, error: `check pod on ${node} exited ${state.exitCode}${detail}` };
    }
    const error =
      state.kind === 'deleted'
        ? `check pod on ${node} was deleted before it finished`
        : `check pod on ${node} failed: ${describeState(state)}`;
    return { kind: 'unknown', source, error };
  }
}

/** Deletes helper pods of other runs (any role, any node) in the tool's namespace. */
export interface LeftoverOptions {
  readonly runId: string;
  readonly namespace?: string;
  /** This run's owner: pods of the same owner's earlier runs are collected at once, unless the process that
   * made them (its pid label; the owner names the host) is alive: another run of the same owner, right now. */
  readonly owner?: string;
  /** This process's pid, and whether another pid on this host is alive. */
  readonly self?: { readonly pid: number; readonly isAlive: (pid: number) => boolean };
  /** Another owner's pod is collected only once it is surely dead: older than its deadline plus this. */
  readonly graceMs?: number;
  readonly now?: () => number;
}

/**
 * Collects helper pods that earlier runs left behind. A pod of this owner's earlier run is collected at once
 * (the same owner resumes its own work) when the process that made it is gone. A pod of another owner, or of
 * a live process of this owner, may belong to a run that is alive right now (a second watcher, a cron run,
 * another terminal), so it is collected only once it is past its activeDeadlineSeconds plus a grace period,
 * when no live run can still be waiting on it.
 */
export class HelperPodLeftovers implements HelperPodJanitor {
  private readonly namespace: string;
  private readonly ownerLabel: string | undefined;

  constructor(
    private readonly clients: K8sClients,
    private readonly opts: LeftoverOptions,
  ) {
    this.namespace = opts.namespace ?? DEFAULT_NAMESPACE;
    this.ownerLabel = opts.owner === undefined ? undefined : ownerLabelValue(opts.owner);
  }

  collectLeftovers(): Promise<number> {
    return deleteMatching(this.clients, this.namespace, `${HelperLabel.ManagedBy}=${MANAGED_BY}`, (pod) =>
      this.isLeftover(pod),
    );
  }

  isLeftover(pod: V1Pod): boolean {
    const labels = pod.metadata?.labels ?? {};
    if (labels[HelperLabel.Run] === this.opts.runId) return false;
    if (
      this.ownerLabel !== undefined &&
      labels[HelperLabel.Owner] === this.ownerLabel &&
      !this.liveSibling(pod)
    )
      return true;
    const created = pod.metadata?.creationTimestamp;
    if (created === undefined) return false;
    const deadlineMs = (pod.spec?.activeDeadlineSeconds ?? 3600) * 1000;
    const now = (this.opts.now ?? Date.now)();
    return now - new Date(created).getTime() > deadlineMs + (this.opts.graceMs ?? 60_000);
  }

  /** Made by another process of this owner (so on this host) that is still alive. */
  private liveSibling(pod: V1Pod): boolean {
    const self = this.opts.self;
    const raw = pod.metadata?.labels?.[HelperLabel.Pid];
    const pid = raw === undefined ? NaN : Number(raw);
    if (self === undefined || !Number.isSafeInteger(pid) || pid <= 0 || pid === self.pid) return false;
    return self.isAlive(pid);
  }
}
