// The node-watch port: a stream of node changes (list, then watch), so watch mode reacts within seconds to
// an agent's reboot-required annotation instead of waiting for the next period.
// May import: core.

import type { NodeView } from '../core/types.js';

export interface NodeFeed {
  /**
   * Calls onNode with every node now and at each change, until the signal aborts; then resolves. Dropped
   * streams and API errors are retried with backoff and reported through onTrouble, never given up silently.
   * Rejects only when retrying cannot help (e.g. permission denied).
   */
  follow(
    onNode: (node: NodeView) => void,
    onTrouble: (message: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
}
