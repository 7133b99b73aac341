// The application API that the CLI wires to ports: run once, plan (dry run), status, the lock and options.
// May import: app.

export { runOnce, newRunId } from './run.js';
export { plan, planRun, type PlanReport, type PlanNode, type PlanPdb } from './plan.js';
export { status, type StatusReport, type StatusRow, type StatusOptions } from './status.js';
export { rebootNode, type NodeWork, type NodeOutcome, type NodeOutcomeKind } from './reboot-node.js';
export { LeaseLock, type LeaseLockOptions, type AcquireOutcome, type LockRead } from './lock.js';
export { drainNode, type DrainOutcome } from './drain.js';
export { probeNodes, checkBlockers, checkForeignLock, startGate, type ForeignLockVerdict } from './gates.js';
export {
  defaultRunOptions,
  defaultDrainRunOptions,
  resolveRunOptions,
  type RunDeps,
  type RunOptions,
  type RunResult,
  type DrainRunOptions,
} from './types.js';
