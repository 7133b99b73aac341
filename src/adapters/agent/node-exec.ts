// The node-local node-exec ports for agent mode: the sentinel of this node read straight from the host, and
// the reboot run by the agent itself, guarded by the boot ID like the reboot pod. No pods are involved.
// May import: core, ports, adapters/agent.

import type { SentinelResult } from '../../core/types.js';
import { RebootCancelledError, RebootNotRunError } from '../../core/errors.js';
import { REBOOT_SIGNAL } from '../../core/keys.js';
import type { HelperPodJanitor, RebootGuard, Rebooter, SentinelChecker } from '../../ports/node-exec.js';
import type { HostAccess } from './host.js';

export type LocalSentinel =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'command'; readonly argv: readonly string[] };

const MAX_REASON = 2048;

/** Checks only its own node; asked about another node it answers unknown. Never throws. */
export class LocalSentinelChecker implements SentinelChecker {
  constructor(
    private readonly host: HostAccess,
    private readonly opts: {
      readonly node: string;
      readonly sentinel: LocalSentinel;
      readonly timeoutMs: number;
    },
  ) {}

  async check(node: string): Promise<SentinelResult> {
    const source = 'agent' as const;
    if (node !== this.opts.node) {
      return { kind: 'unknown', source, error: `this agent runs on ${this.opts.node}, not on ${node}` };
    }
    const s = this.opts.sentinel;
    try {
      if (s.kind === 'file') {
        const present = await this.host.readRunFile(s.path);
        if (present === undefined) return { kind: 'not-required', source };
        const pkgs = await this.host.readRunFile(`${s.path}.pkgs`).catch(() => undefined);
        const list = (pkgs ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        return {
          kind: 'required',
          source,
          reason: list.length > 0 ? list.join(', ').slice(0, MAX_REASON) : `${s.path} exists`,
        };
      }
      const r = await this.host.run(s.argv, this.opts.timeoutMs);
      if (r.exitCode === 0)
        return {
          kind: 'required',
          source,
          reason: r.output.trim().slice(0, MAX_REASON) || 'the sentinel command says so',
        };
      if (r.exitCode >= 126)
        return {
          kind: 'unknown',
          source,
          error: `sentinel command exited ${r.exitCode}: ${r.output.trim().slice(0, 300)}`,
        };
      return { kind: 'not-required', source };
    } catch (err) {
      return {
        kind: 'unknown',
        source,
        error: `sentinel check failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
}

export type LocalRebootMethod =
  { readonly kind: 'command'; readonly argv: readonly string[] } | { readonly kind: 'signal' };

/** Reboots its own node by running the command on the host, only while the boot ID is still the expected one. */
export class LocalRebooter implements Rebooter {
  /** What happened at each call, for logs and tests. */
  readonly history: {
    readonly expected: string;
    readonly outcome: 'triggered' | 'already-rebooted' | 'too-late';
  }[] = [];

  constructor(
    private readonly host: HostAccess,
    private readonly opts: {
      readonly node: string;
      readonly method: LocalRebootMethod;
      readonly timeoutMs?: number;
    },
  ) {}

  async reboot(node: string, guard: RebootGuard): Promise<void> {
    const expectedBootID = guard.bootID;
    if (node !== this.opts.node)
      throw new Error(`this agent runs on ${this.opts.node}; it cannot reboot ${node}`);
    const current = await this.host.bootId();
    if (current !== expectedBootID) {
      // Already rebooted since the decision: doing it again would reboot twice.
      this.history.push({ expected: expectedBootID, outcome: 'already-rebooted' });
      return;
    }
    const now = this.host.now();
    if (now > guard.notAfter) {
      // Delayed past the deadline (a paused process, a slow API): the node may hold pods again.
      this.history.push({ expected: expectedBootID, outcome: 'too-late' });
      throw new RebootCancelledError(
        'too-late',
        `too late: the host clock reads ${new Date(now).toISOString()}, past the deadline ${new Date(guard.notAfter).toISOString()}; not rebooting`,
      );
    }
    const argv =
      this.opts.method.kind === 'signal' ? ['kill', '-s', String(REBOOT_SIGNAL), '1'] : this.opts.method.argv;
    let r;
    try {
      r = await this.host.run(argv, this.opts.timeoutMs ?? 30_000);
    } catch (err) {
      // No nsenter in this agent's image (the spawn itself failed): nothing ran.
      const message = err instanceof Error ? err.message : String(err);
      if (!message.includes('ENOENT')) throw err;
      throw new RebootNotRunError(
        node,
        'nsenter',
        `node ${node} was not rebooted: the agent has no nsenter (${message})`,
        'run the agent from an image with nsenter (util-linux)',
      );
    }
    // nsenter could not exec the program: the host has none by that name (127) or cannot run it (126).
    if (r.exitCode === 126 || r.exitCode === 127) {
      const program = argv[0] ?? '';
      throw new RebootNotRunError(
        node,
        program,
        `node ${node} was not rebooted: host ${node} has no ${program} (${r.output.trim().slice(0, 300)})`,
        `use --reboot-method signal, or --reboot-command with a program host ${node} has`,
      );
    }
    // A reboot may kill the command before it returns: 128+ (a signal) counts as accepted, like the pod's.
    if (r.exitCode !== 0 && r.exitCode < 128) {
      throw new Error(`${argv.join(' ')} exited ${r.exitCode}: ${r.output.trim().slice(0, 300)}`);
    }
    this.history.push({ expected: expectedBootID, outcome: 'triggered' });
  }

  async cleanup(): Promise<void> {
    // Nothing to remove: no pod was created.
  }
}

/** Agent mode creates no helper pods, so there is nothing to collect. */
export const noHelperPods: HelperPodJanitor = { collectLeftovers: () => Promise.resolve(0) };
