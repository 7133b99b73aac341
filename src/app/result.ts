// The result of a run: exit code (failed or unknown 1, pending 3, else 0) and a one-line reason.
// May import: core, app.

import { ExitCode } from '../core/errors.js';
import type { NodeOutcome } from './reboot-node.js';
import type { RunResult } from './types.js';

export function early(exitCode: ExitCode, reason: string): RunResult {
  return { exitCode, rebooted: [], failed: [], pending: [], unknown: [], reason };
}

export function summarize(
  outcomes: readonly NodeOutcome[],
  pending: ReadonlyMap<string, string>,
  unknown: readonly string[],
): RunResult {
  const rebooted = outcomes.filter((o) => o.outcome === 'rebooted').map((o) => o.node);
  const failedOutcomes = outcomes.filter((o) => o.outcome === 'failed');
  const failed = failedOutcomes.map((o) => o.node);
  const parts: string[] = [];
  if (rebooted.length > 0) parts.push(`rebooted ${rebooted.join(', ')}`);
  for (const f of failedOutcomes) parts.push(`${f.node} failed: ${f.reason}`);
  if (pending.size > 0) {
    const reasons = [...new Set(pending.values())];
    parts.push(`${pending.size} pending (${[...pending.keys()].join(', ')}): ${reasons.join('; ')}`);
  }
  if (unknown.length > 0) parts.push(`could not check ${unknown.join(', ')}; not rebooted`);
  const skipped = outcomes.filter((o) => o.outcome === 'skipped');
  for (const s of skipped) parts.push(`${s.node}: ${s.reason}`);
  const exitCode =
    failed.length > 0 || unknown.length > 0
      ? ExitCode.NodeFailed
      : pending.size > 0
        ? ExitCode.Pending
        : ExitCode.Ok;
  return {
    exitCode,
    rebooted,
    failed,
    pending: [...pending.keys()],
    unknown,
    reason: parts.length > 0 ? parts.join('; ') : 'nothing to do',
  };
}
