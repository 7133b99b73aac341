// The Rebooter through a privileged host-PID helper pod that runs the boot-ID-guarded reboot command.
// Resolves once the trigger was accepted: the pod exited 0, the node's boot ID changed, or the container
// started and then the node went NotReady or the pod was lost (all expected while a node reboots).
// May import: core, ports, sibling k8s adapter files and node built-ins.

import {
  formatError,
  RebootCancelledError,
  RebootDaemonError,
  RebootNotRunError,
} from '../../core/errors.js';
import { ReadyState } from '../../core/types.js';
import type { RebootGuard, Rebooter } from '../../ports/node-exec.js';
import type { K8sClients } from './client.js';
import { watchNode } from './cluster-watch.js';
import { deleteMatching, ensurer, raced, settingsOf } from './helper-pod-common.js';
import type { HelperPodsOptions } from './helper-pod-common.js';
import { createPod, deletePodQuietly, describeState, followPod, podState } from './helper-pod-run.js';
import type { PodState } from './helper-pod-run.js';
import {
  HelperLabel,
  HelperRole,
  MANAGED_BY,
  MissingExit,
  nodeLabelValue,
  rebootArgv,
  RebootMethod,
  rebootPod,
  REBOOT_TOO_LATE_EXIT,
} from './helper-pod-spec.js';
import type { HelperPodSettings } from './helper-pod-spec.js';

export interface RebootOptions extends HelperPodsOptions {
  /** --reboot-method; default command. */
  readonly method?: RebootMethod;
  /** --reboot-command, split on whitespace; default /bin/systemctl reboot. */
  readonly command?: string | readonly string[];
  /** How long to wait for the trigger to be accepted. Default 5 min. */
  readonly timeoutMs?: number;
  /** A container still running this long after it started counts as accepted. Default 10 s. */
  readonly startGraceMs?: number;
}

/** The pod status reason of a kubelet's admission refusal while the node shuts down (pkg/kubelet/nodeshutdown). */
const KUBELET_SHUTTING_DOWN = 'NodeShutdown';

/** A withdrawal (nothing rebooted) is a failed decision whose error is a RebootCancelledError. */
type Decision = { readonly ok: true; readonly why: string } | { readonly ok: false; readonly error: unknown };

/** The program the reboot argv runs on the host: after nsenter's `--`, else the argv's own first word. */
function hostProgram(argv: readonly string[]): string {
  const dash = argv.indexOf('--');
  return (argv[0] === 'nsenter' && dash >= 0 ? argv[dash + 1] : argv[0]) ?? '';
}

/** A reboot pod that ran nothing because a program is missing: which, where, and the way out. */
export function notRun(
  node: string,
  argv: readonly string[],
  image: string,
  exitCode: number,
  message: string,
): RebootNotRunError {
  const said = message ? ` (${message})` : '';
  if (exitCode === MissingExit.NoNsenter) {
    const program = argv[0] ?? '';
    return new RebootNotRunError(
      node,
      program,
      `node ${node} was not rebooted: the helper image ${image} has no ${program}${said}`,
      'use an image with sh and nsenter (--image), or --reboot-method signal, which needs no nsenter',
    );
  }
  const program = hostProgram(argv);
  return new RebootNotRunError(
    node,
    program,
    `node ${node} was not rebooted: host ${node} has no ${program}${said}`,
    `use --reboot-method signal (signal 39 to PID 1, no host program needed), or --reboot-command with a program host ${node} has`,
  );
}

/** What a reboot pod's state means: accepted, failed, or not yet known. */
function judge(
  s: PodState,
  started: boolean,
  node: string,
  argv: readonly string[],
  image: string,
): Decision | undefined {
  switch (s.kind) {
    case 'exited':
      // 0: the command returned; 128+: killed by a signal, as a shutdown does to running containers.
      if (s.exitCode === 0 || s.exitCode >= 128) return { ok: true, why: s.message || `exit ${s.exitCode}` };
      if (s.exitCode === REBOOT_TOO_LATE_EXIT) {
        const why = s.message || 'too late: past the deadline; not rebooting';
        return { ok: false, error: new RebootCancelledError('too-late', why) };
      }
      if (s.exitCode === MissingExit.NoNsenter || s.exitCode === MissingExit.HostLacks)
        return { ok: false, error: notRun(node, argv, image, s.exitCode, s.message) };
      return {
        ok: false,
        error: new Error(`reboot pod exited ${s.exitCode}${s.message ? `: ${s.message}` : ''}`),
      };
    case 'failed':
      // Refused by a kubelet already shutting down: the node is going down, as a reboot does; the boot wait
      // that follows tells whether it comes back with a new boot ID.
      if (s.reason === KUBELET_SHUTTING_DOWN)
        return { ok: true, why: `the node is already shutting down (${s.cause})` };
      return s.started || started ? { ok: true, why: s.cause } : { ok: false, error: new Error(s.cause) };
    case 'deleted':
      return started
        ? { ok: true, why: 'pod gone' }
        : { ok: false, error: new Error('reboot pod deleted before it ran') };
    default:
      return undefined;
  }
}

export class HelperPodRebooter implements Rebooter {
  private readonly settings: HelperPodSettings;
  private readonly ensure: () => Promise<void>;
  private readonly argv: string[];
  /** The reboot pods created in this process, by node, so cleanup deletes them without a list. */
  private readonly created = new Map<string, Set<string>>();

  /** Throws InputError at once for an empty reboot command. */
  constructor(
    private readonly clients: K8sClients,
    private readonly opts: RebootOptions,
  ) {
    this.settings = settingsOf(opts);
    this.ensure = ensurer(clients, opts, this.settings.namespace);
    this.argv = rebootArgv(opts.method ?? RebootMethod.Command, opts.command);
  }

  private remember(node: string, name: string): void {
    const names = this.created.get(node) ?? new Set<string>();
    names.add(name);
    this.created.set(node, names);
  }

  /**
   * No read of the node first: the pod's command is guarded by the boot ID and the deadline on the host, and
   * the node watch below resolves at once when the boot ID already differs. Until the container starts, the
   * node watch withdraws the pod if the node is schedulable: someone uncordoned it, and pods may come.
   */
  async reboot(node: string, guard: RebootGuard, signal?: AbortSignal): Promise<void> {
    const expectedBootID = guard.bootID;
    const timeoutMs = this.opts.timeoutMs ?? 300_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const stop = new AbortController();
    const sig = AbortSignal.any([stop.signal, timeout, ...(signal ? [signal] : [])]);
    await raced(this.ensure(), sig);
    const body = rebootPod(this.settings, node, guard, this.argv, timeoutMs / 1000);
    const name = body.metadata?.name ?? '';
    const pod = await raced(createPod(this.clients, body, sig), sig);
    this.remember(node, name);
    let last: PodState | undefined = podState(pod);
    // Watched from its creation: no list needed.
    const since = pod.metadata?.resourceVersion;
    let started = false;
    let grace: NodeJS.Timeout | undefined;
    const decision = await new Promise<Decision>((resolve) => {
      const observe = (s: PodState): Decision | undefined => {
        last = s;
        if (s.kind === 'running' && !started) {
          started = true;
          grace = setTimeout(
            () => resolve({ ok: true, why: 'container running' }),
            this.opts.startGraceMs ?? 10_000,
          );
        }
        return judge(s, started, node, this.argv, this.settings.image);
      };
      followPod(this.clients, this.settings.namespace, name, observe, sig, since).then(
        resolve,
        (error: unknown) => resolve({ ok: false, error }),
      );
      const onNode = (n: { bootID: string; ready: ReadyState; unschedulable: boolean }): void => {
        if (n.bootID && n.bootID !== expectedBootID) resolve({ ok: true, why: 'boot id changed' });
        else if (started && n.ready !== ReadyState.True) resolve({ ok: true, why: `node ${n.ready}` });
        else if (!started && !n.unschedulable) {
          const why = 'the node was uncordoned before the reboot pod started; not rebooting';
          resolve({ ok: false, error: new RebootCancelledError('schedulable', why) });
        }
      };
      // The pod watch decides on its own when the node watch fails.
      watchNode(this.clients, node, onNode, sig).catch(() => undefined);
    });
    clearTimeout(grace);
    stop.abort();
    if (decision.ok) return;
    if (await deletePodQuietly(this.clients, this.settings.namespace, name))
      this.created.get(node)?.delete(name);
    if (signal?.aborted) throw signal.reason;
    if (decision.error instanceof RebootCancelledError || decision.error instanceof RebootNotRunError)
      throw decision.error;
    const cause = timeout.aborted
      ? `not confirmed within ${Math.round(timeoutMs / 1000)}s (pod ${describeState(last)})`
      : formatError(decision.error);
    throw new RebootDaemonError(`reboot of node ${node} failed: ${cause}`, {
      hint: `inspect with: kubectl -n ${this.settings.namespace} get pods -l ${HelperLabel.Node}=${nodeLabelValue(node)}`,
      cause: decision.error,
    });
  }

  /**
   * Deletes the reboot pods this instance created for the node, by name; without any, those a list by
   * label finds (e.g. of a reboot this process did not start).
   */
  async cleanup(node: string): Promise<void> {
    const names = this.created.get(node);
    this.created.delete(node);
    if (names && names.size > 0) {
      for (const name of names) await deletePodQuietly(this.clients, this.settings.namespace, name);
      return;
    }
    const selector = [
      `${HelperLabel.ManagedBy}=${MANAGED_BY}`,
      `${HelperLabel.Role}=${HelperRole.Reboot}`,
      `${HelperLabel.Node}=${nodeLabelValue(node)}`,
    ].join(',');
    await deleteMatching(this.clients, this.settings.namespace, selector, () => true);
  }
}
