// The node-exec port: read a node's reboot sentinel and trigger its reboot, through helper pods or an agent.
// May import: core.

import type { SentinelResult } from '../core/types.js';

export interface SentinelChecker {
  /** Never throws: a failed or timed-out probe is { kind: 'unknown' }. */
  check(node: string, signal?: AbortSignal): Promise<SentinelResult>;
}

export interface Rebooter {
  /**
   * Triggers the reboot, guarded: the host does nothing unless its boot ID still equals expectedBootID,
   * so running this again after the boot cannot reboot twice. Resolves once the trigger was accepted.
   */
  reboot(node: string, expectedBootID: string, signal?: AbortSignal): Promise<void>;
  /** Removes the helper pods of a finished reboot for this node. */
  cleanup(node: string): Promise<void>;
}

export interface HelperPodJanitor {
  /** Deletes helper pods left behind by earlier runs; returns how many were removed. */
  collectLeftovers(): Promise<number>;
}
