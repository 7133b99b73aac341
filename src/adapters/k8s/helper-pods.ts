// SentinelChecker and HelperPodJanitor through short-lived helper pods (see helper-pod-spec.ts); the
// Rebooter is in helper-pod-reboot.ts. A check never throws: a failed, slow or odd pod is { kind: 'unknown' }.
// May import: core, ports and sibling k8s adapter files.

import { formatError } from '../../core/errors.js';
import { SentinelSource } from '../../core/types.js';
import type { SentinelResult } from '../../core/types.js';
import type { HelperPodJanitor, SentinelChecker } from '../../ports/node-exec.js';
import type { ProcessInfo } from '../../ports/process.js';
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
  helperPodProcess,
  MANAGED_BY,
  MissingExit,
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

  /** The meaning of a command check's exit for a missing program or no way into the host. */
  private missing(node: string, exitCode: number): string | undefined {
    if (this.opts.sentinel.kind !== 'command') return undefined;
    const program = this.opts.sentinel.argv[0] ?? '';
    switch (exitCode) {
      case MissingExit.NoNsenter:
        return `check on ${node} failed: the helper image ${this.settings.image} has no nsenter (use an image with sh and nsenter: --image)`;
      case MissingExit.HostLacks:
        return `check on ${node} failed: host ${node} has no ${program} (fix --reboot-sentinel-command, or use --reboot-sentinel)`;
      case MissingExit.CannotEnter:
        return `check on ${node} failed: nsenter could not enter the host's namespaces (the pod must be privileged with hostPID: check Pod Security on namespace ${this.settings.namespace})`;
      default:
        return undefined;
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
      const missing = this.missing(node, state.exitCode);
      if (missing) return { kind: 'unknown', source, error: `${missing}${detail}` };
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
  /** This process: judges whether the process recorded on a pod is certainly dead. */
  readonly process?: ProcessInfo;
  /** A pod whose process may be alive is collected only once surely finished: past its deadline plus this. */
  readonly graceMs?: number;
  /** The API server's time (pods' creationTimestamp is on its clock). Default Date.now. */
  readonly now?: () => number;
}

export interface LeftoverVerdict {
  readonly collect: boolean;
  readonly reason: string;
}

/**
 * Collects helper pods that earlier runs left behind. A pod of another run is collected at once only when
 * the process that made it (HELPER_PROCESS_ANNOTATION) is certainly dead: the same kernel boot and pid
 * namespace, its pid gone or reused (see ports/process.ts). Any other pod (its process alive, on another
 * machine or in another container, or not recorded) may belong to a run that is alive right now (a second
 * watcher, a cron run, another terminal), so it is collected only once it is past its activeDeadlineSeconds
 * plus a grace period, when no live run can still be waiting on it.
 */
export class HelperPodLeftovers implements HelperPodJanitor {
  private readonly namespace: string;

  constructor(
    private readonly clients: K8sClients,
    private readonly opts: LeftoverOptions,
  ) {
    this.namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  }

  collectLeftovers(): Promise<number> {
    return deleteMatching(
      this.clients,
      this.namespace,
      `${HelperLabel.ManagedBy}=${MANAGED_BY}`,
      (pod) => this.verdict(pod).collect,
    );
  }

  verdict(pod: V1Pod): LeftoverVerdict {
    const labels = pod.metadata?.labels ?? {};
    if (labels[HelperLabel.Run] === this.opts.runId) return { collect: false, reason: 'this run' };
    const made = helperPodProcess(pod);
    const liveness = made === undefined ? undefined : this.opts.process?.liveness(made);
    if (made !== undefined && liveness === 'dead')
      return { collect: true, reason: `its process (pid ${made.pid} on ${made.host}) is gone` };
    const created = pod.metadata?.creationTimestamp;
    const createdMs = created === undefined ? NaN : new Date(created).getTime();
    if (!Number.isFinite(createdMs)) return { collect: false, reason: 'no creation time' };
    const deadlineMs = (pod.spec?.activeDeadlineSeconds ?? 3600) * 1000;
    const now = (this.opts.now ?? Date.now)();
    const expired = now - createdMs > deadlineMs + (this.opts.graceMs ?? 60_000);
    const whose = made === undefined ? 'no recorded process' : `its process is ${liveness ?? 'unknown'}`;
    return expired
      ? { collect: true, reason: `past its deadline (${whose})` }
      : { collect: false, reason: `within its deadline (${whose})` };
  }
}
