// The helper pods' manifests (sentinel check by file or command, guarded reboot), exactly per the helper pod
// protocol (scripts in helper-scripts.ts): values travel in env vars or argv, never in the shell text. Pure: builds objects, talks to nothing.
// May import: core, ports (types), node built-ins and @kubernetes/client-node types.

import { createHash, randomBytes } from 'node:crypto';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { InputError } from '../../core/errors.js';
import { HELPER_ROLE_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, REBOOT_SIGNAL } from '../../core/keys.js';
import type { RebootGuard } from '../../ports/node-exec.js';
import type { ProcessIdentity } from '../../ports/process.js';

/** busybox 1.36.1 (multi-arch index), pinned by digest: sh, head, kill and nsenter in about 2 MB. */
export const DEFAULT_HELPER_IMAGE =
  'docker.io/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662';
export const DEFAULT_REBOOT_COMMAND = '/bin/systemctl reboot';

export const HelperLabel = {
  ManagedBy: MANAGED_BY_LABEL,
  Role: HELPER_ROLE_LABEL,
  Node: 'reboot-daemon.io/node',
  Run: 'reboot-daemon.io/run',
  Owner: 'reboot-daemon.io/owner',
} as const;

/**
 * The process that made the pod (ports/process.ts ProcessIdentity as JSON: id, host, bootId, pidNs, pid,
 * startTime): another run collects the pod early only when that process is certainly dead.
 */
export const HELPER_PROCESS_ANNOTATION = 'reboot-daemon.io/process';
export const MANAGED_BY = MANAGED_BY_VALUE;

export const HelperRole = { Check: 'check', Reboot: 'reboot' } as const;
export type HelperRole = (typeof HelperRole)[keyof typeof HelperRole];

export const RebootMethod = { Command: 'command', Signal: 'signal' } as const;
export type RebootMethod = (typeof RebootMethod)[keyof typeof RebootMethod];

export type SentinelSpec =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'command'; readonly argv: readonly string[] };

import { COMMAND_CHECK_SCRIPT, FILE_CHECK_SCRIPT, REBOOT_SCRIPT } from './helper-scripts.js';

export {
  CheckExit,
  COMMAND_CHECK_SCRIPT,
  FILE_CHECK_SCRIPT,
  MissingExit,
  REBOOT_SCRIPT,
  REBOOT_TOO_LATE_EXIT,
} from './helper-scripts.js';

/**
 * The helper pods' default priority class. A kubelet admits a critical pod (priority >= 2000000000) on a
 * node at its pod limit by preempting a lower pod (pkg/kubelet/preemption); the pods request nothing, so
 * cpu and memory never refuse them. "" gives no class (a full node then refuses them with OutOfpods).
 */
export const DEFAULT_HELPER_PRIORITY_CLASS = 'system-node-critical';

export interface HelperPodSettings {
  readonly namespace: string;
  readonly runId: string;
  /** Who runs the tool (e.g. user@host); stored as a hash label so its own leftovers can be told apart. */
  readonly owner?: string;
  /** The process making the pod, recorded in HELPER_PROCESS_ANNOTATION. */
  readonly process?: ProcessIdentity;
  readonly image: string;
  readonly imagePullSecrets: readonly string[];
  /** priorityClassName of the pods; default DEFAULT_HELPER_PRIORITY_CLASS, "" for none. */
  readonly priorityClass?: string;
}

/** Splits a command line on whitespace into argv; it never goes through a shell. */
export function splitCommand(command: string | readonly string[]): string[] {
  const argv = typeof command === 'string' ? command.trim().split(/\s+/).filter(Boolean) : [...command];
  if (argv.length === 0)
    throw new InputError('the command is empty', 'give a command such as "/bin/systemctl reboot"');
  return argv;
}

/** The sentinel path as the check pod sees it: host /run is mounted at /host/run (and /var/run is /run). */
export function sentinelPathInPod(path: string): string {
  const clean = path.replace(/\/+/g, '/');
  for (const prefix of ['/var/run/', '/run/']) {
    if (clean.startsWith(prefix) && clean.length > prefix.length && !clean.split('/').includes('..')) {
      return `/host/run/${clean.slice(prefix.length)}`;
    }
  }
  throw new InputError(
    `reboot sentinel ${path} is not under /run or /var/run`,
    'put the sentinel under /run (e.g. /var/run/reboot-required), or use --reboot-sentinel-command',
  );
}

/** The argv the reboot pod execs after its boot-ID guard. */
export function rebootArgv(
  method: RebootMethod,
  command: string | readonly string[] = DEFAULT_REBOOT_COMMAND,
): string[] {
  if (method === RebootMethod.Signal) return ['kill', '-s', String(REBOOT_SIGNAL), '1'];
  return ['nsenter', '-t', '1', '-m', '-u', '-i', '-n', '-p', '--', ...splitCommand(command)];
}

/** A label value for the node: the name itself when it fits in 63 characters, else a prefix and a hash. */
export function nodeLabelValue(node: string): string {
  if (node.length <= 63) return node;
  const hash = createHash('sha256').update(node).digest('hex').slice(0, 12);
  return `${node.slice(0, 50).replace(/[^a-zA-Z0-9]+$/, '')}-${hash}`;
}

export function helperLabels(
  settings: HelperPodSettings,
  role: HelperRole,
  node: string,
): Record<string, string> {
  return {
    [HelperLabel.ManagedBy]: MANAGED_BY,
    [HelperLabel.Role]: role,
    [HelperLabel.Node]: nodeLabelValue(node),
    [HelperLabel.Run]: settings.runId,
    ...(settings.owner === undefined ? {} : { [HelperLabel.Owner]: ownerLabelValue(settings.owner) }),
  };
}

/** The annotations of a helper pod: the process that made it, when known. */
export function helperAnnotations(settings: HelperPodSettings): Record<string, string> | undefined {
  const p = settings.process;
  if (p === undefined) return undefined;
  const record: ProcessIdentity = {
    id: p.id,
    host: p.host,
    ...(p.bootId === undefined ? {} : { bootId: p.bootId }),
    ...(p.pidNs === undefined ? {} : { pidNs: p.pidNs }),
    pid: p.pid,
    ...(p.startTime === undefined ? {} : { startTime: p.startTime }),
  };
  return { [HELPER_PROCESS_ANNOTATION]: JSON.stringify(record) };
}

const shortText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * The process recorded on a helper pod, or undefined when there is none or it cannot be read (any pod in
 * the namespace may carry anything: every field is checked, and an odd record is no record).
 */
export function helperPodProcess(pod: V1Pod): ProcessIdentity | undefined {
  const raw = pod.metadata?.annotations?.[HELPER_PROCESS_ANNOTATION];
  if (raw === undefined || raw.length > 2048) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const { id, host, bootId, pidNs, pid, startTime } = o;
  if (!shortText(id, 128) || typeof host !== 'string' || host.length > 253) return undefined;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const optional = [bootId, pidNs, startTime];
  if (optional.some((f) => f !== undefined && !shortText(f, 128))) return undefined;
  return {
    id,
    host,
    ...(bootId === undefined ? {} : { bootId: bootId as string }),
    ...(pidNs === undefined ? {} : { pidNs: pidNs as string }),
    pid,
    ...(startTime === undefined ? {} : { startTime: startTime as string }),
  };
}

/** A label-safe stand-in for an owner identity (which may hold '@' and be long): a short hash. */
export function ownerLabelValue(owner: string): string {
  return createHash('sha256').update(owner).digest('hex').slice(0, 16);
}

/** A unique, valid pod name: reboot-daemon-<role>-<node prefix>-<random>. */
export function helperPodName(role: HelperRole, node: string): string {
  const suffix = randomBytes(3).toString('hex');
  const room = 63 - `reboot-daemon-${role}--${suffix}`.length;
  const part = node
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return `reboot-daemon-${role}-${part ? `${part}-` : ''}${suffix}`;
}

function pod(
  settings: HelperPodSettings,
  role: HelperRole,
  node: string,
  deadlineSeconds: number,
  container: V1Container,
  extra: { hostPID?: boolean; hostRun?: boolean },
): V1Pod {
  const annotations = helperAnnotations(settings);
  const priorityClass = settings.priorityClass ?? DEFAULT_HELPER_PRIORITY_CLASS;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: helperPodName(role, node),
      namespace: settings.namespace,
      labels: helperLabels(settings, role, node),
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: {
      nodeName: node,
      // Bound by nodeName, so the kubelet's own admission checks this: a Linux pod never runs elsewhere,
      // whatever the run's view of the node (it skips nodes that are not Linux before this).
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      activeDeadlineSeconds: Math.max(1, Math.ceil(deadlineSeconds)),
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }],
      ...(priorityClass ? { priorityClassName: priorityClass } : {}),
      ...(extra.hostPID ? { hostPID: true } : {}),
      ...(settings.imagePullSecrets.length > 0
        ? { imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })) }
        : {}),
      ...(extra.hostRun
        ? { volumes: [{ name: 'host-run', hostPath: { path: '/run', type: 'Directory' } }] }
        : {}),
      containers: [
        {
          image: settings.image,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'File',
          terminationMessagePath: '/dev/termination-log',
          // BestEffort: no requests, so a node with no cpu or memory left still admits it (OutOfcpu and
          // OutOfmemory test requests only); the scripts run for a second and use a few hundred kB.
          resources: {},
          ...container,
        },
      ],
    },
  };
}

export function fileCheckPod(
  settings: HelperPodSettings,
  node: string,
  sentinelPath: string,
  deadlineSeconds: number,
): V1Pod {
  return pod(
    settings,
    HelperRole.Check,
    node,
    deadlineSeconds,
    {
      name: 'check',
      command: ['/bin/sh', '-c', FILE_CHECK_SCRIPT],
      env: [{ name: 'SENTINEL', value: sentinelPathInPod(sentinelPath) }],
      volumeMounts: [{ name: 'host-run', mountPath: '/host/run', readOnly: true }],
      securityContext: { privileged: false, allowPrivilegeEscalation: false },
    },
    { hostRun: true },
  );
}

export function commandCheckPod(
  settings: HelperPodSettings,
  node: string,
  argv: readonly string[],
  deadlineSeconds: number,
): V1Pod {
  return pod(
    settings,
    HelperRole.Check,
    node,
    deadlineSeconds,
    {
      name: 'check',
      command: ['/bin/sh', '-c', COMMAND_CHECK_SCRIPT, 'reboot-daemon-check', ...argv],
      securityContext: { privileged: true },
    },
    { hostPID: true },
  );
}

export function rebootPod(
  settings: HelperPodSettings,
  node: string,
  guard: RebootGuard,
  argv: readonly string[],
  deadlineSeconds: number,
): V1Pod {
  return pod(
    settings,
    HelperRole.Reboot,
    node,
    deadlineSeconds,
    {
      name: 'reboot',
      command: ['/bin/sh', '-c', REBOOT_SCRIPT, 'reboot-daemon-reboot', ...argv],
      env: [
        { name: 'EXPECTED_BOOT_ID', value: guard.bootID },
        { name: 'NOT_AFTER', value: String(Math.floor(guard.notAfter / 1000)) },
      ],
      securityContext: { privileged: true },
    },
    { hostPID: true },
  );
}
