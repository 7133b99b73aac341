// The blocker port: something that can forbid reboots now (alerts, pods). Combined by core/blockers.ts.
// May import: core.

export interface BlockCheck {
  readonly blocked: boolean;
  /** Why: the alerts or pods that block, or the error that made the answer unknown. */
  readonly reasons: readonly string[];
}

export interface Blocker {
  readonly name: string;
  /** May throw: a thrown error counts as blocked. node is given for per-node blockers. */
  check(node?: string, signal?: AbortSignal): Promise<BlockCheck>;
}
