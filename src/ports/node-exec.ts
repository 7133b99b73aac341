// The node-exec port: read a node's reboot sentinel and trigger its reboot, through helper pods or an agent.
// May import: core.

import type { SentinelResult } from '../core/types.js';

export interface SentinelChecker {
  /** Never throws: a failed or timed-out probe is { kind: 'unknown' }. */
  check(node: string, signal?: AbortSignal): Promise<SentinelResult>;
}

/**
 * What the host checks at the last moment before it reboots. The boot ID: running the trigger again after
 * the boot cannot reboot twice. The deadline (epoch ms, on the API server's clock, which the nodes share):
 * a trigger delayed past it (a slow image pull, a paused process) does nothing, since the node may have
 * been uncordoned and filled with pods since the last look.
 */
export interface RebootGuard {
  readonly bootID: string;
  readonly notAfter: number;
}

export interface Rebooter {
  /**
   * Triggers the reboot, guarded as RebootGuard says. Resolves once the trigger was accepted. Throws
   * RebootCancelledError when it withdrew without rebooting: the node became schedulable before the trigger
   * ran, or the deadline passed. The boot ID is then unchanged and the node must be cordoned and drained again.
   */
  reboot(node: string, guard: RebootGuard, signal?: AbortSignal): Promise<void>;
  /** Removes the helper pods of a finished reboot for this node. */
  cleanup(node: string): Promise<void>;
}

export interface HelperPodJanitor {
  /** Deletes helper pods left behind by earlier runs; returns how many were removed. */
  collectLeftovers(): Promise<number>;
}
