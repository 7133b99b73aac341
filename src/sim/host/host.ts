// One simulated host (the machine behind a node): its files, its boot ID, its reboot sentinel, and the
// host-only programs (systemctl reboot, reboot, shutdown -r, a scenario's sentinel command). Anything that
// reboots the host calls `onReboot`; the node lifecycle decides what a reboot does to the node.
// May import: src/sim/shell/types.js, ./host-fs.js, ./container-fs.js.
import type { Command, HostApi } from '../shell/types.js';
import { BOOT_ID_PATH } from './container-fs.js';
import { HostFs } from './host-fs.js';

/** SIGRTMIN+5 with glibc's SIGRTMIN of 34: what makes systemd reboot. */
const REBOOT_SIGNAL_NUMBER = 39;

export const SENTINEL_PATH = '/run/reboot-required';
export const SENTINEL_PKGS_PATH = '/run/reboot-required.pkgs';

/** A command that answers per the host's state (e.g. `needs-restarting -r`). */
export interface SentinelCommandSpec {
  readonly command: string;
  /** Exit code when a reboot is required; default 0 (kured's convention). */
  readonly exitCode?: number;
  /** Exit code when no reboot is required; default 1 (or 0 when exitCode is not 0). */
  readonly notRequiredExitCode?: number;
}

export interface SimHostOptions {
  readonly node: string;
  readonly bootId: string;
  readonly osImage?: string;
  readonly sentinelCommand?: SentinelCommandSpec;
  /** The host's clock (epoch ms): the simulated cluster's. Default the machine's. */
  readonly now?: () => number;
  /** Programs this host does not have (e.g. systemctl on a host without systemd): "not found" there. */
  readonly missingPrograms?: readonly string[];
}

export class SimHost {
  readonly node: string;
  readonly fs = new HostFs([
    '/run',
    '/etc',
    '/proc/sys/kernel/random',
    '/var',
    '/usr/bin',
    '/bin',
    '/sbin',
    '/tmp',
  ]);
  sentinelCommand: SentinelCommandSpec | undefined;
  /** Called when something on the host asks for a reboot; `via` says how. Set by the node lifecycle. */
  onReboot: (via: string) => void = () => undefined;
  /** Every host program run, as its argv joined by spaces (for tests and diagnostics). */
  readonly programLog: string[] = [];
  readonly api: HostApi;

  constructor(opts: SimHostOptions) {
    this.node = opts.node;
    this.sentinelCommand = opts.sentinelCommand;
    this.bootId = opts.bootId;
    const os = opts.osImage ?? 'Ubuntu 24.04.1 LTS';
    this.fs.put('/etc/os-release', `PRETTY_NAME="${os}"\nNAME="${os.split(' ')[0] ?? os}"\nID=linux\n`);
    this.fs.put('/etc/hostname', `${opts.node}\n`);
    const missing = new Set(opts.missingPrograms ?? []);
    this.api = {
      fs: this.fs,
      program: (name) => this.program(name),
      lacks: (name) => missing.has(name),
      now: opts.now ?? (() => Date.now()),
      // systemd as PID 1 reboots on SIGRTMIN+5 (39) and ignores what it has no handler for here.
      signalInit: (sig) => {
        if (sig === REBOOT_SIGNAL_NUMBER) this.onReboot(`kill -s ${sig} 1`);
      },
    };
  }

  get bootId(): string {
    return this.fs.read(BOOT_ID_PATH).trim();
  }
  set bootId(id: string) {
    this.fs.put(BOOT_ID_PATH, `${id}\n`);
  }

  needsReboot(): boolean {
    return this.fs.has(SENTINEL_PATH);
  }

  /** Creates /run/reboot-required (and .pkgs when packages are given), as unattended-upgrades does. */
  setRebootRequired(pkgs: readonly string[] = []): void {
    this.fs.put(SENTINEL_PATH, '*** System restart required ***\n');
    if (pkgs.length > 0) this.fs.put(SENTINEL_PKGS_PATH, pkgs.map((p) => `${p}\n`).join(''));
  }

  clearRebootRequired(): void {
    this.fs.remove(SENTINEL_PATH);
    this.fs.remove(SENTINEL_PKGS_PATH);
  }

  private program(name: string): Command | undefined {
    const logged =
      (cmd: Command): Command =>
      (argv, io, proc) => {
        this.programLog.push(argv.join(' '));
        return cmd(argv, io, proc);
      };
    switch (name) {
      case 'systemctl':
        return logged((argv, io) => {
          const verb = argv.slice(1).find((a) => !a.startsWith('-'));
          if (verb === 'reboot') {
            this.onReboot('systemctl reboot');
            return 0;
          }
          if (verb === 'is-system-running') {
            io.out('running\n');
            return 0;
          }
          io.err(`Unknown command verb '${verb ?? ''}'.\n`);
          return 1;
        });
      case 'reboot':
        return logged(() => {
          this.onReboot('reboot');
          return 0;
        });
      case 'shutdown':
        return logged((argv, io) => {
          if (!argv.includes('-r')) {
            io.err('shutdown: only "shutdown -r" is simulated\n');
            return 1;
          }
          this.onReboot('shutdown -r');
          return 0;
        });
    }
    const spec = this.sentinelCommand;
    const program = spec?.command.trim().split(/\s+/)[0];
    if (spec && program && (program === name || program.endsWith(`/${name}`))) {
      return logged((_argv, io) => {
        const required = spec.exitCode ?? 0;
        const notRequired = spec.notRequiredExitCode ?? (required === 0 ? 1 : 0);
        if (this.needsReboot()) {
          io.out('Reboot is required to fully utilize these updates.\n');
          return required;
        }
        io.out(
          'No core libraries or services have been updated since boot-up.\nReboot should not be necessary.\n',
        );
        return notRequired;
      });
    }
    return undefined;
  }
}
