// The agent's HostAccess over a simulated host: /run files from the host's file system, the boot ID, and
// host commands run by the simulator's shell with host privileges (as nsenter would run them).
// May import: src/adapters/agent (types), src/sim.

import type { CommandResult, HostAccess } from '../../src/adapters/agent/host.js';
import { runRelative } from '../../src/adapters/agent/host.js';
import type { SimHost } from '../../src/sim/host/host.js';
import { runShell } from '../../src/sim/shell/interp.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function simHostAccess(host: SimHost): HostAccess & { readonly commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    async readRunFile(path: string): Promise<string | undefined> {
      const p = `/run/${runRelative(path)}`;
      return host.fs.has(p) ? host.fs.read(p) : undefined;
    },
    async bootId(): Promise<string> {
      return host.bootId;
    },
    now: () => host.api.now(),
    async run(argv: readonly string[]): Promise<CommandResult> {
      commands.push(argv.join(' '));
      let output = '';
      const io = { stdin: '', out: (s: string) => (output += s), err: (s: string) => (output += s) };
      const exitCode = runShell(argv.map(quote).join(' '), {
        name: 'sh',
        io,
        proc: {
          fs: host.fs,
          env: new Map([['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']]),
          onHost: true,
          hostPid: true,
          privileged: true,
          host: host.api,
        },
      });
      return { exitCode, output };
    },
  };
}
