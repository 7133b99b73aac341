// Command lookup and the process-level commands of the simulated shell: sh, nsenter, kill.
// Programs found only on a host (systemctl, reboot, sentinel commands) come from ProcContext.host.
// May import: src/sim/shell/*.
import { runShell } from './interp.js';
import { testCommand } from './test-cmd.js';
import type { Command, Io, ProcContext } from './types.js';
import { cat, date, echo, falseCmd, head, sleep, trueCmd } from './utils.js';

const BIN_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

const sh: Command = (argv, io, proc) => {
  const args = argv.slice(1);
  if (args[0] !== '-c' || args[1] === undefined) {
    io.err('sh: only "sh -c SCRIPT [NAME [ARG...]]" is supported\n');
    return 2;
  }
  return runShell(args[1], { name: args[2] ?? 'sh', args: args.slice(3), io, proc });
};

const NS_FLAGS: Record<string, string> = {
  m: 'mnt',
  u: 'uts',
  i: 'ipc',
  n: 'net',
  p: 'pid',
  U: 'user',
  C: 'cgroup',
  T: 'time',
};
const NS_LONG: Record<string, string> = {
  mount: 'm',
  uts: 'u',
  ipc: 'i',
  net: 'n',
  pid: 'p',
  user: 'U',
  cgroup: 'C',
};

const nsenter: Command = (argv, io, proc) => {
  let target: string | undefined;
  const namespaces: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-t' || a === '--target') target = argv[++i];
    else if (a.startsWith('--target=')) target = a.slice(9);
    else if (a === '-a' || a === '--all') namespaces.push('m', 'u', 'i', 'n', 'p', 'C');
    else if (a.startsWith('--') && NS_LONG[a.slice(2)]) namespaces.push(NS_LONG[a.slice(2)] as string);
    else if (/^-[muinpUCTrwF]+$/.test(a)) {
      for (const f of a.slice(1)) if (NS_FLAGS[f]) namespaces.push(f);
    } else if (a.startsWith('-')) {
      io.err(`nsenter: unrecognized option '${a}'\n`);
      return 1;
    } else break;
  }
  const program = argv.slice(i);
  if (namespaces.length > 0 && target === undefined) {
    io.err(`nsenter: no target PID specified for --${namespaces[0] === 'm' ? 'mount' : 'namespace'}\n`);
    return 1;
  }
  if (target !== undefined && target !== '1') {
    io.err(
      `nsenter: cannot open /proc/${target}/ns/${NS_FLAGS[namespaces[0] ?? 'm']}: No such file or directory\n`,
    );
    return 1;
  }
  if (!proc.onHost && !(proc.privileged && proc.hostPid)) {
    const ns = namespaces.includes('m') ? 'mnt' : (NS_FLAGS[namespaces[0] ?? 'm'] as string);
    io.err(`nsenter: reassociate to namespace 'ns/${ns}' failed: Operation not permitted\n`);
    return 1;
  }
  if (program.length === 0) return 0;
  const next: ProcContext = namespaces.includes('m')
    ? { ...proc, fs: proc.host.fs, onHost: true, hostPid: true, privileged: true }
    : { ...proc, hostPid: proc.hostPid || namespaces.includes('p') };
  const cmd = lookup(program[0] as string, next);
  if (!cmd) {
    io.err(`nsenter: failed to execute ${program[0]}: No such file or directory\n`);
    return 127;
  }
  return cmd(program, io, next);
};

/** Signal names busybox's kill knows (a build without RTMINMAX, as most are: RTMIN+5 is refused by name). */
const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, KILL: 9, USR1: 10, USR2: 12, TERM: 15 };

/**
 * kill: only PID 1 exists. With the host's PID namespace it is the host's init; otherwise it is the
 * container's own init, which ignores signals it has no handler for (so nothing happens, exit 0). Signals
 * go by number (0-64) or by name, as busybox's get_signum reads them.
 */
const kill: Command = (argv, io, proc) => {
  let spec = 'TERM';
  const pids: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-s' || a === '-n') spec = args[++i] ?? '';
    else if (a.startsWith('-') && pids.length === 0 && a !== '--') spec = a.slice(1);
    else if (a !== '--') pids.push(a);
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  const sig = /^\d+$/.test(spec) && Number(spec) <= 64 ? Number(spec) : SIGNALS[name];
  if (sig === undefined) {
    io.err(`kill: bad signal name '${spec}'\n`);
    return 1;
  }
  if (pids.length === 0) {
    io.err('kill: usage: kill [-s sigspec] pid\n');
    return 2;
  }
  let rc = 0;
  for (const pid of pids) {
    if (pid !== '1') {
      io.err(`sh: kill: (${pid}) - No such process\n`);
      rc = 1;
    } else if (proc.onHost || proc.hostPid) proc.host.signalInit(sig);
  }
  return rc;
};

const COMMON: Record<string, Command> = {
  sh,
  ash: sh,
  bash: sh,
  nsenter,
  kill,
  echo,
  true: trueCmd,
  false: falseCmd,
  test: testCommand,
  '[': testCommand,
  cat,
  head,
  sleep,
  date,
};

/** Finds a program by name or by path in a standard bin directory; host programs only on the host. */
export function lookup(name: string, proc: ProcContext): Command | undefined {
  let base = name;
  if (name.includes('/')) {
    const slash = name.lastIndexOf('/');
    if (!BIN_DIRS.has(name.slice(0, slash))) return undefined;
    base = name.slice(slash + 1);
  }
  if (base === '[' || base === 'test') return COMMON[base];
  if (proc.onHost ? proc.host.lacks(base) : proc.imageLacks?.has(base)) return undefined;
  const hostProgram = proc.onHost ? proc.host.program(base) : undefined;
  return hostProgram ?? (Object.hasOwn(COMMON, base) ? COMMON[base] : undefined);
}

/** Runs argv; an unknown program prints "sh: X: not found" and gives 127. */
export function runCommand(argv: readonly string[], io: Io, proc: ProcContext): number {
  const name = argv[0] as string;
  const cmd = lookup(name, proc);
  if (!cmd) {
    io.err(`sh: ${name}: not found\n`);
    return 127;
  }
  return cmd(argv, io, proc);
}
