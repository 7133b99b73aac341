// Rolling reboot of 50 nodes that all need one: ours, measured from a real `run` of the built CLI against a
// simulated cluster, against the paper model of kured (see bench/README.md, "kured's lock hand-off"): a
// seeded Monte-Carlo in which each node checks every --period (first check uniform in [0.5, 1.5] periods) and
// the lock passes on only at a waiting node's next check after its release. Both sides use the same per-node
// reboot durations: those our run measured. A second table puts in a realistic per-node duration instead.
// Run: npm run build && node --import tsx bench/kured-model.ts   (BENCH_KURED_NODES=50 by default)
// May import: src/sim, test/support, bench/*, node built-ins.
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../src/sim/random.js';
import { parseScenario } from '../src/sim/scenario.js';
import { FAST_TIMING, assertBuilt, runArgs } from '../test/support/e2e-cli.js';
import { fmtS, settle, startRecordedSim, table, timedCli } from './scale-support.js';

const HOUR = 3_600_000;

/**
 * One trial of the model: n nodes need a reboot at t = 0; node i first checks at phase_i ~ U(0.5, 1.5)·P and
 * then every P. A check while the lock is free takes it; the holder reboots for duration() and releases; the
 * next holder is the waiting node whose next check comes first after the release. Returns when the last
 * node releases.
 */
export function kuredRollOnce(
  n: number,
  periodMs: number,
  duration: () => number,
  rnd: () => number,
): number {
  const phase = Array.from({ length: n }, () => (0.5 + rnd()) * periodMs);
  const waiting = new Set(phase.keys());
  let free = 0;
  while (waiting.size > 0) {
    let best = -1;
    let bestAt = Infinity;
    for (const i of waiting) {
      const p = phase[i]!;
      const at = p >= free ? p : p + Math.ceil((free - p) / periodMs) * periodMs;
      if (at < bestAt) [best, bestAt] = [i, at];
    }
    waiting.delete(best);
    free = bestAt + duration();
  }
  return free;
}

export interface Distribution {
  readonly mean: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

export function kuredRoll(
  n: number,
  periodMs: number,
  duration: (rnd: () => number) => number,
  trials = 5000,
  seed = 42,
): Distribution {
  const rnd = seededRandom(seed);
  const xs = Array.from({ length: trials }, () => kuredRollOnce(n, periodMs, () => duration(rnd), rnd)).sort(
    (a, b) => a - b,
  );
  const q = (f: number): number => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;
  return { mean: xs.reduce((s, x) => s + x, 0) / xs.length, p5: q(0.05), p50: q(0.5), p95: q(0.95) };
}

interface Ev {
  readonly type: string;
  readonly at: number;
  readonly node?: string;
  readonly action?: string;
}

/** Ours: a real run over n simulated nodes that all need a reboot, one at a time. */
async function ourRoll(
  n: number,
): Promise<{ wallMs: number; holds: number[]; gaps: number[]; firstMs: number }> {
  const nodes = Array.from({ length: n }, (_, i) => `  - { name: node-${i + 1}, rebootRequired: true }`);
  const scenario = parseScenario(`
seed: 9
nodes:
${nodes.join('\n')}
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: ${n}, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`);
  const rs = await startRecordedSim(scenario);
  try {
    await settle(rs.store);
    const started = Date.now();
    const r = await timedCli(runArgs(rs.kubeconfigPath, ['--probe-concurrency', '10']), 30 * 60_000);
    const rebooted = rs.sim.cluster.record.of('reboot').length;
    if (r.code !== 0 || rebooted !== n) {
      throw new Error(
        `run exited ${r.code} with ${rebooted} of ${n} reboots: ${r.stdout.slice(-2000)}${r.stderr}`,
      );
    }
    const evs = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Ev)
      .filter((e) => e.type === 'lock' && e.node);
    const acquired = evs.filter((e) => e.action === 'acquired').sort((a, b) => a.at - b.at);
    const released = new Map(evs.filter((e) => e.action === 'released').map((e) => [e.node!, e.at]));
    const holds = acquired.map((e) => (released.get(e.node!) ?? NaN) - e.at);
    const gaps = acquired.slice(1).map((e, i) => e.at - (released.get(acquired[i]!.node!) ?? NaN));
    return { wallMs: r.wallMs, holds, gaps, firstMs: (acquired[0]?.at ?? started) - started };
  } finally {
    await rs.stop();
  }
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const h = (ms: number): string =>
  ms >= HOUR ? `${(ms / HOUR).toFixed(2)} h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : fmtS(ms);

async function main(): Promise<void> {
  await assertBuilt();
  const n = Number(process.env['BENCH_KURED_NODES'] ?? 50);
  const target = 50;
  console.log(`our run: ${n} simulated nodes that all need a reboot, --concurrency 1…`);
  const ours = await ourRoll(n);
  const holdMean = mean(ours.holds);
  const gapMean = mean(ours.gaps);
  // With fewer than 50 nodes run, ours is scaled up from the measured per-node figures (printed as such).
  const oursAt50 = n === target ? ours.wallMs : ours.firstMs + target * holdMean + (target - 1) * gapMean;
  console.log(
    `  wall ${fmtS(ours.wallMs)}; lock held per node ${fmtS(holdMean)} (min ${fmtS(Math.min(...ours.holds))}, max ${fmtS(Math.max(...ours.holds))}); hand-off gap ${fmtS(gapMean)}; first lock after ${fmtS(ours.firstMs)}`,
  );
  const pick = (rnd: () => number): number => ours.holds[Math.floor(rnd() * ours.holds.length)]!;
  const rows: string[][] = [['', 'time to roll 50 nodes', 'kured ÷ ours']];
  const k1 = kuredRoll(target, HOUR, pick);
  rows.push([
    n === target ? 'ours (measured run of 50 nodes)' : `ours (run of ${n} nodes, scaled to 50)`,
    h(oursAt50),
    '',
  ]);
  rows.push(['kured model, --period 1h: mean', h(k1.mean), (k1.mean / oursAt50).toFixed(0)]);
  rows.push(['  median [p5, p95]', `${h(k1.p50)} [${h(k1.p5)}, ${h(k1.p95)}]`, '']);
  console.log('\n(1) the same per-node reboot durations as our run (resampled), 5,000 trials, seed 42');
  console.log(table(rows));

  const realistic = [3, 10].map((min) => min * 60_000);
  const rows2: string[][] = [
    ['per-node reboot', 'ours (computed)', 'kured model mean [p5, p95]', 'kured ÷ ours'],
  ];
  for (const d of realistic) {
    const o = ours.firstMs + target * d + (target - 1) * gapMean;
    const k = kuredRoll(target, HOUR, () => d);
    rows2.push([h(d), h(o), `${h(k.mean)} [${h(k.p5)}, ${h(k.p95)}]`, (k.mean / o).toFixed(2)]);
  }
  console.log(
    '\n(2) a realistic per-node duration D (a VM: 3 min; bare metal: 10 min); ours = first lock + 50 × D + 49 × gap',
  );
  console.log(table(rows2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  });
}
