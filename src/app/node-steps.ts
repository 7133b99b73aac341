// The steps of one node, run from where the resume decision says: cordon, drain, reboot, wait for the boot,
// wait for Ready, uncordon, wait for the workloads, finish. Between steps a stop request is honoured: before
// the reboot the node is restored; after it, the node's state stays recorded and its lock held for a resume.
// May import: core, ports, app.

import {
  POST_TRIGGER_PHASES,
  shouldUncordon,
  transition,
  type NodeRecord,
  type ResumeDecision,
} from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import type { NodePatch } from '../ports/cluster.js';
import { drainNode } from './drain.js';
import {
  advance,
  finish,
  IllegalMoveError,
  keep,
  move,
  persist,
  startMarks,
  undo,
  type NodeCtx,
} from './node-state.js';
import { abortNode, stopNode, type Outcome } from './node-endings.js';
import { errorMessage } from './util.js';
import { NodeFollower, waitForBoot, waitForHealthy, waitForReady } from './waits.js';

const STEPS = [
  'cordon',
  'drain',
  'reboot',
  'wait-boot',
  'wait-ready',
  'uncordon',
  'wait-healthy',
  'finish',
] as const;
type Step = (typeof STEPS)[number];

function firstStep(decision: ResumeDecision, record: NodeRecord): Step | 'abort' | 'manual' {
  switch (decision.action) {
    case 'cordon':
    case 'drain':
    case 'reboot':
      return decision.action;
    case 'wait-ready':
      return record.phase === 'rebooting' || record.phase === 'reboot-timeout' ? 'wait-boot' : 'wait-ready';
    case 'wait-healthy':
      return 'wait-healthy';
    case 'clean':
      return 'finish';
    case 'abort':
    case 'manual':
      return decision.action;
  }
}

export async function runSteps(
  ctx: NodeCtx,
  name: string,
  holder: { record: NodeRecord },
  decision: ResumeDecision,
  signal: AbortSignal,
  info: { resumed: boolean; undoBecause?: string | undefined },
): Promise<Outcome> {
  const { deps, opts } = ctx;
  const { cluster, clock, emit } = deps;
  const now = (): number => clock.now();
  const step = (s: 'cordon' | 'drain' | 'reboot' | 'back' | 'wait', message?: string): void =>
    emit({ type: 'step', at: now(), node: name, step: s, ...(message === undefined ? {} : { message }) });
  const set = (r: NodeRecord): NodeRecord => (holder.record = r);
  // The node as the last write of the previous step left it (a patch answers with the node), so the step
  // after it need not read the node again.
  let written: NodeView | undefined;
  const go = async (event: Parameters<typeof advance>[3], extra?: NodePatch): Promise<NodeRecord> => {
    const a = await advance(ctx, name, holder.record, event, extra);
    written = a.node;
    return set(a.record);
  };
  const failKept = async (event: Parameters<typeof keep>[3], what: string): Promise<Outcome> => ({
    outcome: 'failed',
    reason: `${what}; ${await keep(ctx, name, holder.record, event)}`,
    stopRun: true,
  });
  const interrupted = (): Promise<Outcome> => stopNode(ctx, name, holder, signal);

  const start = firstStep(decision, holder.record);
  if (start === 'manual') return failKept(undefined, decision.reason);
  if (start === 'abort') return abortNode(ctx, name, holder, decision, info.undoBecause);

  let forced = false;
  // One watch of the node for the boot wait and the Ready wait after it.
  let follower: NodeFollower | undefined;
  const follow = (): NodeFollower => (follower ??= new NodeFollower(deps, name));
  try {
    for (const s of STEPS.slice(STEPS.indexOf(start))) {
      if (signal.aborted && s !== 'finish') return interrupted();
      const before = written;
      written = undefined;
      switch (s) {
        case 'cordon': {
          // Cordon, the record and (on first touch) the start marks in one patch: never cordoned without a record.
          const marks = holder.record.phase === 'locked' ? startMarks(ctx) : { annotations: {}, labels: {} };
          await go(
            { type: 'cordoned' },
            { unschedulable: true, annotations: marks.annotations, labels: marks.labels },
          );
          step('cordon', holder.record.wasUnschedulable ? 'already cordoned' : 'cordoned');
          break;
        }
        case 'drain': {
          step('drain');
          const d = await drainNode(deps, name, opts.drain, signal);
          if (d.ok) {
            await go({ type: 'drained', workloads: d.workloads, pdbs: d.pdbs });
            break;
          }
          if (d.aborted) return interrupted();
          await go({ type: 'drain-failed', message: d.message });
          if (opts.forceReboot) {
            emit({
              type: 'log',
              at: now(),
              level: 'warn',
              node: name,
              message: `drain failed: ${d.message}; --force-reboot: rebooting anyway`,
            });
            forced = true;
            break;
          }
          const r = holder.record;
          await go({ type: 'abandon', message: d.message });
          return {
            outcome: 'failed',
            reason: `drain failed: ${d.message}; ${await undo(ctx, name, r)}; stopping the run`,
            stopRun: true,
          };
        }
        case 'reboot': {
          const current = before ?? (await cluster.getNode(name));
          if (
            POST_TRIGGER_PHASES.has(holder.record.phase) &&
            current.bootID === holder.record.bootID &&
            current.ready !== 'True'
          ) {
            // Resumed after our trigger, and the node is down since: a new reboot pod cannot start on a node
            // that is not Ready, so wait for the boot (bounded by --reboot-timeout) instead of triggering again.
            step(
              'reboot',
              `not Ready since the earlier trigger (Ready=${current.ready}); waiting for the boot`,
            );
            break;
          }
          const t = transition(
            holder.record,
            { type: 'reboot-requested', currentBootID: current.bootID, force: forced || opts.forceReboot },
            now(),
          );
          if (!t.ok) {
            if (current.bootID === holder.record.bootID) throw new IllegalMoveError(t.error);
            const r = holder.record;
            await go({ type: 'abandon', message: 'rebooted on its own' });
            return {
              outcome: 'skipped',
              reason: `the node rebooted on its own before the trigger: ${await undo(ctx, name, r)}`,
              stopRun: false,
            };
          }
          await persist(ctx, name, set(t.record));
          step('reboot', `rebooting (boot ID ${t.record.bootID})`);
          try {
            await deps.rebooter.reboot(name, t.record.bootID, signal);
          } catch (err) {
            if (signal.aborted) return interrupted();
            await deps.rebooter.cleanup(name).catch(() => undefined);
            return failKept(
              { type: 'reboot-timeout', message: errorMessage(err) },
              `reboot trigger failed: ${errorMessage(err)}`,
            );
          }
          emit({ type: 'reboot-progress', at: now(), node: name, stage: 'triggered', elapsedMs: 0 });
          break;
        }
        case 'wait-boot': {
          const since = holder.record.rebootRequestedAt ?? now();
          const w = await waitForBoot(
            deps,
            name,
            holder.record.bootID,
            opts.rebootTimeoutMs,
            signal,
            () =>
              emit({
                type: 'reboot-progress',
                at: now(),
                node: name,
                stage: 'down',
                elapsedMs: now() - since,
              }),
            follow(),
          );
          if (!w.ok) {
            if (w.aborted) return interrupted();
            await deps.rebooter.cleanup(name).catch(() => undefined);
            return failKept({ type: 'reboot-timeout', message: w.reason }, `did not reboot: ${w.reason}`);
          }
          await deps.rebooter.cleanup(name).catch((err: unknown) =>
            emit({
              type: 'log',
              at: now(),
              level: 'warn',
              node: name,
              message: `helper pod cleanup failed: ${errorMessage(err)}`,
            }),
          );
          await go({ type: 'boot-seen', bootID: w.node.bootID });
          emit({ type: 'reboot-progress', at: now(), node: name, stage: 'up', elapsedMs: now() - since });
          step('back', `new boot ID ${w.node.bootID}; waiting for a stable Ready`);
          break;
        }
        case 'wait-ready': {
          const w = await waitForReady(
            deps,
            name,
            holder.record.bootID,
            opts.readyStableMs,
            opts.readyTimeoutMs,
            signal,
            follow(),
          );
          follower?.close();
          follower = undefined;
          if (!w.ok) {
            if (w.aborted) return interrupted();
            return failKept({ type: 'ready-timeout', message: w.reason }, `rebooted but ${w.reason}`);
          }
          const since = holder.record.rebootRequestedAt ?? now();
          emit({ type: 'reboot-progress', at: now(), node: name, stage: 'ready', elapsedMs: now() - since });
          break;
        }
        case 'uncordon': {
          // Uncordon (only if we cordoned), the post-reboot labels and the record in one patch.
          const u = shouldUncordon(holder.record);
          await go(
            { type: 'uncordoned' },
            { ...(u.ok ? { unschedulable: false } : {}), labels: { ...opts.postRebootNodeLabels } },
          );
          step('back', u.ok ? 'uncordoned' : `left cordoned: ${u.reason}`);
          break;
        }
        case 'wait-healthy': {
          const { workloads = [], pdbs = [] } = holder.record;
          if (workloads.length > 0 || pdbs.length > 0) {
            let last = '';
            const h = await waitForHealthy(
              deps,
              workloads,
              pdbs,
              opts.healthTimeoutMs,
              opts.healthPollMs,
              signal,
              (p) => {
                const text = p.join('; ');
                if (text !== last) step('wait', `waiting for the cluster to be healthy: ${(last = text)}`);
              },
            );
            if (!h.ok) {
              if (h.aborted) return interrupted();
              return failKept({ type: 'health-timeout', message: h.reason }, `cluster ${h.reason}`);
            }
          }
          // Not written: a resume from 'uncordoned' checks the health again, which costs less than a write.
          set(move(ctx, holder.record, { type: 'healthy' }));
          break;
        }
        case 'finish': {
          const what = await finish(ctx, name, start !== 'finish');
          const how = info.resumed ? 'resumed and finished; ' : '';
          return {
            outcome: 'rebooted',
            reason: `${how}new boot ID ${holder.record.newBootID ?? '?'}; ${what}`,
            stopRun: false,
          };
        }
      }
    }
  } finally {
    follower?.close();
  }
  throw new Error('unreachable: no finish step');
}
