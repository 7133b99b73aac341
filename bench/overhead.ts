// (a) The tool's own overhead per node: one `run` of the built CLI over a simulated cluster with short
// delays, minus the time the simulator made it wait (bench/timeline.ts).
// May import: src/sim, test/support, bench/*.
import { FAST_TIMING, runArgs, spawnCli, startCluster } from '../test/support/e2e-cli.js';
import { recordTimeline, unionLength } from './timeline.js';

export interface OverheadResult {
  readonly nodes: number;
  readonly rebooted: number;
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** Spawn until the CLI's first event (Node start-up, module loading, kubeconfig). */
  readonly startupMs: number;
  readonly imposedMs: number;
  readonly imposedBy: Record<string, number>;
  readonly overheadMs: number;
  readonly perNodeMs: number;
}

const READY_STABLE_MS = 1_000;

function scenario(nodes: number): string {
  const list = Array.from({ length: nodes }, (_, i) => `  - { name: node-${i + 1}, rebootRequired: true }`);
  return `
seed: 1
nodes:
${list.join('\n')}
  - { name: spare }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: ${nodes + 1}, pdb: { maxUnavailable: "50%" }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`;
}

export async function benchOverhead(nodes = 5): Promise<OverheadResult> {
  const c = await startCluster(scenario(nodes));
  const timeline = recordTimeline(c.sim);
  try {
    const start = c.sim.clock.now();
    const cli = spawnCli(
      runArgs(c.kubeconfigPath, [
        '--ready-stable',
        `${READY_STABLE_MS}ms`,
        '--probe-concurrency',
        String(nodes + 1),
      ]),
      { timeoutMs: 120_000 },
    );
    const r = await cli.done;
    const end = c.sim.clock.now();
    const firstEvent = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { at?: number })[0]?.at;
    const byCause = timeline.intervals(READY_STABLE_MS);
    const clip = (iv: readonly (readonly [number, number])[]): [number, number][] =>
      iv.map(([a, b]) => [Math.max(a, start), Math.min(b, end)]);
    const imposedBy = Object.fromEntries(
      Object.entries(byCause).map(([k, iv]) => [k, unionLength(clip(iv))]),
    );
    const imposedMs = unionLength(clip(Object.values(byCause).flat()));
    const wallMs = end - start;
    const rebooted = c.sim.cluster.record.of('reboot').length;
    return {
      nodes,
      rebooted,
      exitCode: r.code,
      wallMs,
      startupMs: firstEvent !== undefined ? firstEvent - start : NaN,
      imposedMs,
      imposedBy,
      overheadMs: wallMs - imposedMs,
      perNodeMs: (wallMs - imposedMs) / Math.max(1, rebooted),
    };
  } finally {
    timeline.stop();
    await c.stop();
  }
}
