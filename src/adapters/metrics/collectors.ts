// Prometheus metrics fed by progress events, in a registry of their own (never prom-client's global one):
//   reboot_daemon_reboot_required{node}             gauge 0/1, as kured_reboot_required (from probes)
//   reboot_daemon_probe_errors_total{node}          counter, sentinel checks that gave no answer
//   reboot_daemon_blocked{reason}                   gauge 1 per reason in force (absent when not blocked)
//   reboot_daemon_reboots_total{result}             counter, result="success" | "failure"
//   reboot_daemon_phase_duration_seconds{phase}     histogram, time between a node's consecutive steps
//   reboot_daemon_lock_holder{node}                 gauge 1 per node holding the reboot lock
//   reboot_daemon_window_open                       gauge 0/1
//   reboot_daemon_window_seconds_until_close        gauge, while open (0 when closed or unknown)
//   reboot_daemon_window_seconds_until_open         gauge, while closed (0 when open or unknown)
// May import: core, ports, adapters (clock, notify/blocked) and prom-client.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NodeStep, RunEvent, WindowStateView } from '../../core/events.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../clock.js';
import { BlockTracker } from '../notify/blocked.js';

export interface RebootMetrics {
  readonly registry: Registry;
  observe(event: RunEvent): void;
}

export interface MetricsOptions {
  /** Reads now for the window countdowns. Default: the system clock. */
  readonly clock?: Clock;
  /** Also export prom-client's process metrics (CPU, memory, event loop). Default false. */
  readonly processMetrics?: boolean;
}

/** Steps that end a node's process: the phase before them is timed, they are not. */
const terminal: ReadonlySet<NodeStep> = new Set<NodeStep>(['done', 'failed', 'skipped']);

export const PHASE_BUCKETS: readonly number[] = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/** The node name from a lock holder description ("node-1 (owner, phase)"), or the text itself. */
function holderNode(holder: string): string {
  const i = holder.indexOf(' (');
  return i < 0 ? holder : holder.slice(0, i);
}

export function createRebootMetrics(opts: MetricsOptions = {}): RebootMetrics {
  const clock = opts.clock ?? systemClock;
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });

  const required = new Gauge({
    name: 'reboot_daemon_reboot_required',
    help: 'Whether the node needs a reboot (1) or not (0), from its reboot sentinel.',
    labelNames: ['node'] as const,
    registers,
  });
  const probeErrors = new Counter({
    name: 'reboot_daemon_probe_errors_total',
    help: 'Sentinel checks that gave no answer (unknown means do not reboot).',
    labelNames: ['node'] as const,
    registers,
  });
  const blocked = new Gauge({
    name: 'reboot_daemon_blocked',
    help: 'Reboots are blocked for this reason (1); no series when nothing blocks.',
    labelNames: ['reason'] as const,
    registers,
  });
  const reboots = new Counter({
    name: 'reboot_daemon_reboots_total',
    help: 'Node reboots finished, by result: success (back, Ready and uncordoned) or failure.',
    labelNames: ['result'] as const,
    registers,
  });
  const phases = new Histogram({
    name: 'reboot_daemon_phase_duration_seconds',
    help: 'Time a node spent in each step (check, wait, lock, cordon, drain, reboot, back, blocked).',
    labelNames: ['phase'] as const,
    buckets: [...PHASE_BUCKETS],
    registers,
  });
  const lockHolder = new Gauge({
    name: 'reboot_daemon_lock_holder',
    help: 'The node holds the reboot lock (1).',
    labelNames: ['node'] as const,
    registers,
  });
  const windowOpen = new Gauge({
    name: 'reboot_daemon_window_open',
    help: 'The maintenance window is open (1) or closed (0).',
    registers,
  });
  let win: WindowStateView | undefined;
  const secondsUntil = (at: number | undefined): number =>
    at === undefined ? 0 : Math.max(0, (at - clock.now()) / 1000);
  new Gauge({
    name: 'reboot_daemon_window_seconds_until_close',
    help: 'Seconds until the open maintenance window closes; 0 while closed.',
    registers,
    collect() {
      this.set(win?.open ? secondsUntil(win.closesAt) : 0);
    },
  });
  new Gauge({
    name: 'reboot_daemon_window_seconds_until_open',
    help: 'Seconds until the maintenance window opens next; 0 while open.',
    registers,
    collect() {
      this.set(win && !win.open ? secondsUntil(win.nextOpen) : 0);
    },
  });
  reboots.inc({ result: 'success' }, 0);
  reboots.inc({ result: 'failure' }, 0);

  const blocks = new BlockTracker();
  const holders = new Set<string>();
  const current = new Map<string, { readonly step: NodeStep; readonly at: number }>();

  const endPhase = (node: string, at: number): void => {
    const prev = current.get(node);
    if (prev) phases.observe({ phase: prev.step }, Math.max(0, (at - prev.at) / 1000));
    current.delete(node);
  };
  const setHolders = (): void => {
    lockHolder.reset();
    for (const h of holders) lockHolder.set({ node: h }, 1);
  };

  function observe(e: RunEvent): void {
    if (blocks.apply(e) !== undefined || e.type === 'step' || e.type === 'node-result') {
      blocked.reset();
      for (const r of blocks.activeReasons()) blocked.set({ reason: r }, 1);
    }
    switch (e.type) {
      case 'probe':
        if (e.result.kind === 'required') required.set({ node: e.node }, 1);
        else if (e.result.kind === 'not-required') required.set({ node: e.node }, 0);
        else probeErrors.inc({ node: e.node });
        return;
      case 'step': {
        const prev = current.get(e.node);
        if (prev?.step === e.step) return;
        endPhase(e.node, e.at);
        if (!terminal.has(e.step)) current.set(e.node, { step: e.step, at: e.at });
        return;
      }
      case 'node-result':
        endPhase(e.node, e.at);
        if (e.outcome === 'rebooted') {
          reboots.inc({ result: 'success' });
          required.set({ node: e.node }, 0);
        } else if (e.outcome === 'failed') reboots.inc({ result: 'failure' });
        return;
      case 'lock':
        if (e.action === 'waiting') {
          holders.clear();
          for (const h of e.holders) holders.add(holderNode(h));
        } else if (e.action === 'released') {
          if (e.node !== undefined) holders.delete(e.node);
        } else {
          if (e.node !== undefined) holders.add(e.node);
          for (const h of e.holders) holders.add(holderNode(h));
        }
        setHolders();
        return;
      case 'window':
        win = e.window;
        windowOpen.set(e.window.open ? 1 : 0);
        return;
      default:
        return;
    }
  }

  return { registry, observe };
}
