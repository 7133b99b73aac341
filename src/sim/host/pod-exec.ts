// Runs a pod's `/bin/sh -c SCRIPT ...` container against its node's simulated host: builds the container's
// file view from hostPath volumes, its environment, its privileges, and returns exit code, log and
// termination message (terminationMessagePolicy File or FallbackToLogsOnError).
// May import: src/sim/types.js, src/sim/shell/*, ./*.
import type { KObject } from '../types.js';
import { runShell } from '../shell/interp.js';
import type { ProcContext } from '../shell/types.js';
import { ContainerFs } from './container-fs.js';
import type { Mount } from './container-fs.js';
import type { SimHost } from './host.js';

export interface ScriptRun {
  readonly exitCode: number;
  readonly log: string;
  readonly message: string;
}

const SHELLS = new Set(['/bin/sh', 'sh', '/bin/ash', '/bin/bash', 'bash', '/usr/bin/sh']);
const MAX_MESSAGE = 4096;

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are loose JSON */

/** The container's argv (command + args) when it is a shell script, else undefined. */
export function scriptArgv(pod: KObject): string[] | undefined {
  const c = pod.spec?.containers?.[0];
  if (!c) return undefined;
  const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  return SHELLS.has(argv[0] ?? '') && argv[1] === '-c' && argv[2] !== undefined ? argv : undefined;
}

function mountsOf(pod: KObject): Mount[] {
  const c = pod.spec?.containers?.[0];
  const volumes = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
  const out: Mount[] = [];
  for (const vm of c?.volumeMounts ?? []) {
    const v = volumes.get(vm.name);
    if (v?.hostPath?.path)
      out.push({ mountPath: vm.mountPath, hostPath: v.hostPath.path, readOnly: vm.readOnly === true });
  }
  return out;
}

function envOf(pod: KObject): Map<string, string> {
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', pod.metadata.name],
    ['HOME', '/root'],
  ]);
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'spec.nodeName': pod.spec?.nodeName,
    'metadata.uid': pod.metadata.uid,
  };
  for (const e of pod.spec?.containers?.[0]?.env ?? []) {
    if (typeof e.value === 'string') env.set(e.name, e.value);
    else if (e.valueFrom?.fieldRef?.fieldPath) env.set(e.name, fields[e.valueFrom.fieldRef.fieldPath] ?? '');
    else env.set(e.name, '');
  }
  return env;
}

export function runPodScript(pod: KObject, host: SimHost): ScriptRun {
  const argv = scriptArgv(pod);
  const c = pod.spec?.containers?.[0] ?? {};
  const messagePath: string = c.terminationMessagePath ?? '/dev/termination-log';
  const fs = new ContainerFs(host.fs, mountsOf(pod), messagePath);
  let log = '';
  const io = { stdin: '', out: (s: string) => (log += s), err: (s: string) => (log += s) };
  const proc: ProcContext = {
    fs,
    env: envOf(pod),
    onHost: false,
    hostPid: pod.spec?.hostPID === true,
    privileged: c.securityContext?.privileged === true,
    host: host.api,
  };
  const exitCode = argv
    ? runShell(argv[2] as string, { name: argv[3] ?? 'sh', args: argv.slice(4), io, proc })
    : 0;
  let message = '';
  try {
    message = fs.read(messagePath);
  } catch {
    message = '';
  }
  if (message === '' && exitCode !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError') {
    message = log.split('\n').slice(-80).join('\n').slice(-2048);
  }
  return { exitCode, log, message: message.slice(0, MAX_MESSAGE) };
}
