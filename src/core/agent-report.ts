// What an agent publishes on its Node and how everyone else reads it: the sentinel result as annotations
// (required or not, why, since when), stamped with the check time, the agent's period and the boot ID.
// A report older than three periods, or from an earlier boot, counts as unknown: unknown means no reboot.
// May import: core.

import { parseDuration } from './duration.js';
import {
  AGENT_BOOT_ID_ANNOTATION,
  AGENT_CHECKED_ANNOTATION,
  AGENT_PERIOD_ANNOTATION,
  AGENT_REASON_ANNOTATION,
  AGENT_REQUIRED_ANNOTATION,
  AGENT_SINCE_ANNOTATION,
} from './keys.js';
import type { NodeView, SentinelResult } from './types.js';

/** A report is stale when the agent has not checked for this many periods. */
export const STALE_PERIODS = 3;

/** The annotation values longer than this are cut (annotations hold 256 KiB in all; a reason stays short). */
const MAX_REASON = 1024;

/** The annotations an agent writes after a check. `previous` keeps the "since" of a need already reported. */
export function agentAnnotations(
  result: SentinelResult,
  opts: {
    readonly now: number;
    readonly periodMs: number;
    readonly bootID: string;
    readonly previous?: Readonly<Record<string, string>>;
  },
): Record<string, string | null> {
  const base: Record<string, string | null> = {
    [AGENT_CHECKED_ANNOTATION]: new Date(opts.now).toISOString(),
    [AGENT_PERIOD_ANNOTATION]: `${Math.max(1, Math.round(opts.periodMs / 1000))}s`,
    [AGENT_BOOT_ID_ANNOTATION]: opts.bootID,
  };
  if (result.kind === 'required') {
    const prev = opts.previous;
    const keepSince =
      prev?.[AGENT_REQUIRED_ANNOTATION] === 'true' &&
      prev[AGENT_BOOT_ID_ANNOTATION] === opts.bootID &&
      prev[AGENT_SINCE_ANNOTATION] !== undefined;
    const since = keepSince ? prev[AGENT_SINCE_ANNOTATION] : new Date(result.since ?? opts.now).toISOString();
    return {
      ...base,
      [AGENT_REQUIRED_ANNOTATION]: 'true',
      [AGENT_REASON_ANNOTATION]: result.reason.slice(0, MAX_REASON),
      [AGENT_SINCE_ANNOTATION]: since ?? null,
    };
  }
  if (result.kind === 'not-required') {
    return {
      ...base,
      [AGENT_REQUIRED_ANNOTATION]: 'false',
      [AGENT_REASON_ANNOTATION]: null,
      [AGENT_SINCE_ANNOTATION]: null,
    };
  }
  return {
    ...base,
    [AGENT_REQUIRED_ANNOTATION]: 'unknown',
    [AGENT_REASON_ANNOTATION]: result.error.slice(0, MAX_REASON),
    [AGENT_SINCE_ANNOTATION]: null,
  };
}

/** True when the node carries an agent's report at all (fresh or not). */
export function hasAgentReport(node: Pick<NodeView, 'annotations'>): boolean {
  return node.annotations[AGENT_CHECKED_ANNOTATION] !== undefined;
}

/**
 * The sentinel answer from the node's agent report, or undefined when no agent reports on this node (then
 * a check pod is needed). Stale, from an earlier boot, or unreadable: unknown.
 */
export function agentReport(
  node: Pick<NodeView, 'annotations' | 'bootID'>,
  now: number,
): SentinelResult | undefined {
  const a = node.annotations;
  const checkedText = a[AGENT_CHECKED_ANNOTATION];
  if (checkedText === undefined) return undefined;
  const source = 'agent' as const;
  const checked = Date.parse(checkedText);
  let periodMs: number;
  try {
    periodMs = parseDuration(a[AGENT_PERIOD_ANNOTATION] ?? '');
  } catch {
    return {
      kind: 'unknown',
      source,
      error: `agent report has no readable period (${AGENT_PERIOD_ANNOTATION})`,
    };
  }
  if (Number.isNaN(checked)) {
    return {
      kind: 'unknown',
      source,
      error: `agent report has an unreadable time ${JSON.stringify(checkedText)}`,
    };
  }
  const age = now - checked;
  if (age > STALE_PERIODS * periodMs) {
    return {
      kind: 'unknown',
      source,
      error: `agent report is stale: last check ${checkedText}, expected every ${Math.round(periodMs / 1000)}s`,
    };
  }
  const boot = a[AGENT_BOOT_ID_ANNOTATION];
  if (boot !== undefined && node.bootID !== '' && boot !== node.bootID) {
    return { kind: 'unknown', source, error: 'the agent has not reported since the node rebooted' };
  }
  const required = a[AGENT_REQUIRED_ANNOTATION];
  const reason = a[AGENT_REASON_ANNOTATION] ?? '';
  if (required === 'true') {
    const since = Date.parse(a[AGENT_SINCE_ANNOTATION] ?? '');
    return {
      kind: 'required',
      source,
      reason: reason || 'the agent found the reboot sentinel',
      ...(Number.isNaN(since) ? {} : { since }),
    };
  }
  if (required === 'false') return { kind: 'not-required', source };
  return { kind: 'unknown', source, error: reason ? `agent check failed: ${reason}` : 'agent check failed' };
}
