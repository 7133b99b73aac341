// The progress events that app/ emits and ui/ renders. A stable, documented schema: JSON lines are these objects.
// May import: core/types.

import type { SentinelResult } from './types.js';

/** What a person sees for a node: one word per step of the process. */
export const NodeStep = {
  Check: 'check',
  Wait: 'wait',
  Lock: 'lock',
  Cordon: 'cordon',
  Drain: 'drain',
  Reboot: 'reboot',
  Back: 'back',
  Done: 'done',
  Failed: 'failed',
  Blocked: 'blocked',
  Skipped: 'skipped',
} as const;
export type NodeStep = (typeof NodeStep)[keyof typeof NodeStep];

export interface WindowStateView {
  readonly open: boolean;
  /** Epoch ms at which the current window closes, when open. */
  readonly closesAt?: number;
  /** Epoch ms at which the next window opens, when closed. */
  readonly nextOpen?: number;
  readonly description: string;
}

export interface DrainWait {
  readonly pod: string; // namespace/name
  readonly pdb?: string; // namespace/name of the PDB refusing, when known
  readonly message: string;
}

export type RunEvent =
  | { readonly type: 'run-start'; readonly at: number; readonly runId: string; readonly dryRun: boolean }
  | { readonly type: 'probe'; readonly at: number; readonly node: string; readonly result: SentinelResult }
  | { readonly type: 'window'; readonly at: number; readonly window: WindowStateView }
  | {
      readonly type: 'blocked';
      readonly at: number;
      readonly reasons: readonly string[];
      readonly node?: string;
    }
  | {
      readonly type: 'step';
      readonly at: number;
      readonly node: string;
      readonly step: NodeStep;
      readonly message?: string;
    }
  | {
      readonly type: 'drain-progress';
      readonly at: number;
      readonly node: string;
      readonly evicted: number;
      readonly total: number;
      readonly waiting: readonly DrainWait[];
    }
  | {
      readonly type: 'reboot-progress';
      readonly at: number;
      readonly node: string;
      readonly stage: 'triggered' | 'down' | 'up' | 'ready';
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'lock';
      readonly at: number;
      readonly node?: string;
      readonly action: 'acquired' | 'renewed' | 'released' | 'waiting' | 'kept';
      readonly holders: readonly string[];
      readonly message?: string;
    }
  | {
      readonly type: 'log';
      readonly at: number;
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly message: string;
      readonly node?: string;
    }
  | {
      readonly type: 'node-result';
      readonly at: number;
      readonly node: string;
      readonly outcome: 'rebooted' | 'failed' | 'skipped';
      readonly reason: string;
    }
  | {
      readonly type: 'run-end';
      readonly at: number;
      readonly exitCode: number;
      readonly rebooted: readonly string[];
      readonly failed: readonly string[];
      readonly pending: readonly string[];
      readonly reason: string;
    };

export type RunEventType = RunEvent['type'];
export type EmitFn = (event: RunEvent) => void;
