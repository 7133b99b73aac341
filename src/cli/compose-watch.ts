// The composition root of the long-running modes: watch mode (helper pods, plus a node watch for agents'
// reports) and agent mode (the node-local host access, no pods, the cluster narrowed to the agent's node).
// Like compose.ts it is the one place that knows every layer; commands call it lazily.
// May import: core, ports, app, adapters, cli/compose, cli/config-types, cli/config-watch.

import { LocalRebooter, LocalSentinelChecker, noHelperPods } from '../adapters/agent/node-exec.js';
import { LinuxHost, runRelative, type HostAccess } from '../adapters/agent/host.js';
import { systemClock } from '../adapters/clock.js';
import { KubernetesNodeFeed } from '../adapters/k8s/node-feed.js';
import { scaledClock } from '../adapters/scaled-clock.js';
import { runAgent, type AgentResult } from '../app/agent.js';
import { newRunId } from '../app/run.js';
import { defaultWatchOptions, watch, type WatchResult } from '../app/watch.js';
import type { Clock } from '../ports/clock.js';
import { buildRunDeps, connect, ownerIdentity, runOptionsOf, type ComposeOptions } from './compose.js';
import type { RunConfig } from './config-types.js';
import type { AgentSettings, WatchSettings } from './config-watch.js';

/** The real clock, or the simulator's scaled one when --sim-clock was given (a testing aid). */
export function clockOf(settings: Pick<WatchSettings, 'simClock'>, fallback: Clock = systemClock): Clock {
  const s = settings.simClock;
  return s ? scaledClock(s.start, s.scale, s.anchor) : fallback;
}

/** `run --watch` and `watch`: runOnce again and again until the signal aborts. */
export async function executeWatch(
  config: RunConfig,
  settings: WatchSettings,
  opts: ComposeOptions,
): Promise<WatchResult> {
  const clock = opts.clock ?? clockOf(settings);
  const clients = connect(config, opts.env, clock);
  const runId = newRunId();
  const deps = buildRunDeps(config, clients, {
    runId,
    emit: opts.emit,
    clock,
    owner: ownerIdentity(opts.env),
  });
  const nodeFeed = new KubernetesNodeFeed(
    clients,
    config.nodeSelector ? { labelSelector: config.nodeSelector } : {},
  );
  const run = runOptionsOf(config, {
    owner: ownerIdentity(opts.env),
    runId,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
  });
  return watch({ ...deps, nodeFeed }, run, { ...defaultWatchOptions, periodMs: settings.periodMs });
}

export interface AgentComposeOptions extends ComposeOptions {
  /** The host as the agent sees it; default the real one (host /run mounted at --host-run, nsenter). */
  readonly host?: HostAccess;
}

/** `agent`: check and publish this node's sentinel every period; with --reboot, reboot it when needed. */
export async function executeAgent(
  config: RunConfig,
  settings: AgentSettings,
  opts: AgentComposeOptions,
): Promise<AgentResult> {
  if (config.sentinel.kind === 'file') runRelative(config.sentinel.path);
  const clock = opts.clock ?? clockOf(settings);
  const clients = connect(config, opts.env, clock);
  const runId = newRunId();
  const host = opts.host ?? new LinuxHost({ hostRun: settings.hostRun });
  const node = settings.node;
  // nodes: [node] narrows the cluster (and the blockers over it) to this agent's node.
  const base = buildRunDeps({ ...config, nodes: [node] }, clients, {
    runId,
    emit: opts.emit,
    clock,
    owner: `agent@${node}`,
  });
  const deps = {
    ...base,
    sentinel: new LocalSentinelChecker(host, {
      node,
      sentinel: config.sentinel,
      timeoutMs: config.timeouts.probeMs,
    }),
    rebooter: new LocalRebooter(host, {
      node,
      method:
        config.reboot.method === 'signal'
          ? { kind: 'signal' }
          : { kind: 'command', argv: config.reboot.command },
    }),
    janitor: noHelperPods,
  };
  // A stable owner: after the reboot (or a restart) the agent resumes its own node's work.
  const run = runOptionsOf(config, {
    owner: `agent@${node}`,
    runId,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
  });
  return runAgent(deps, run, {
    node,
    periodMs: settings.periodMs,
    reboot: settings.reboot,
    retryMs: Math.min(settings.periodMs, 10_000),
  });
}
