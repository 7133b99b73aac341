// JSON lines: exactly one RunEvent object per line, as app/ emitted it.
// May import: core.
//
// Schema (see src/core/events.ts, the source of truth). Every line is an object with
//   "type": one of run-start | probe | window | blocked | step | drain-progress | reboot-progress | lock | log
//           | node-result | run-end
//   "at":   epoch milliseconds (number)
// and the fields of that type:
//   run-start        runId, dryRun
//   probe            node, result {kind: required|not-required|unknown, source, reason|error, since?}
//   window           window {open, closesAt?, nextOpen?, description}
//   blocked          reasons[], node?
//   step             node, step (check|wait|lock|cordon|drain|reboot|back|done|failed|blocked|skipped), message?
//   drain-progress   node, evicted, total, waiting[] {pod, pdb?, message}
//   reboot-progress  node, stage (triggered|down|up|ready), elapsedMs
//   lock             node?, action (acquired|renewed|released|waiting|kept), holders[], message?
//   log              level (debug|info|warn|error), message, node?
//   node-result      node, outcome (rebooted|failed|skipped), reason
//   run-end          exitCode, rebooted[], failed[], pending[], reason
// JSON.stringify escapes C0 control characters; C1 ones (DEL, 8-bit CSI) are escaped here too, so a line never
// carries a raw escape code or newline.

import type { RunEvent } from '../core/events.js';

const C1 = /[\u007f-\u009f]/g;

export function formatJsonEvent(e: RunEvent): string {
  return JSON.stringify(e).replace(C1, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
