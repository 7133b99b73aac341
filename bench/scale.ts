// Scale benchmark (see bench/README.md, "Scale"): `status` of the built CLI on simulated clusters of 1,000 and
// 5,000 nodes with 30 pods each, whose agents have published their reports; `status` with check pods, whose
// time grows as nodes / --probe-concurrency; API requests per node rebooted by `run`; and whether any list of
// pods went out without a page limit. Building the simulated cluster is timed apart from the CLI.
// Run: npm run build && node --import tsx bench/scale.ts   (BENCH_SCALE_NODES=1000,5000 by default)
// May import: src/sim, test/support, bench/*, node built-ins.
import { parseScenario, scaleScenario } from '../src/sim/scenario.js';
import { FAST_TIMING, assertBuilt, runArgs } from '../test/support/e2e-cli.js';
import {
  clearAgentReports,
  fmtMb,
  fmtS,
  settle,
  startRecordedSim,
  table,
  timedCli,
  writeAgentReports,
  type PodListLog,
} from './scale-support.js';

const PODS_PER_NODE = 30;
const TARGET_MS = 2000;
const TARGET_MB = 200;
const TARGET_REQUESTS_PER_NODE = 40;

const unpagedTotal: { lists: number; paged: number; where: string[] } = { lists: 0, paged: 0, where: [] };
function tally(what: string, log: PodListLog): void {
  unpagedTotal.lists += log.unpaged;
  unpagedTotal.paged += log.paged;
  if (log.unpaged > 0) unpagedTotal.where.push(`${what}: ${log.unpagedSelectors.slice(0, 3).join('; ')}`);
}

function topRequests(byKey: Readonly<Record<string, number>>, n = 6): string {
  return Object.entries(byKey)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** (1) `status` with agents' reports on every node: no check pods, so this measures listing and rendering. */
async function statusAtScale(nodes: number): Promise<string[]> {
  console.log(`\nbuilding a simulated cluster of ${nodes} nodes × ${PODS_PER_NODE} pods…`);
  const rs = await startRecordedSim(scaleScenario(nodes, PODS_PER_NODE));
  try {
    const t0 = performance.now();
    const pending = await settle(rs.store);
    const settleMs = performance.now() - t0;
    if (pending > 0) console.log(`  ${pending} pods still not Running after ${fmtS(settleMs)}`);
    writeAgentReports(rs.store, rs.sim.clock.now(), (i) => i % 4 === 0);
    const pods = rs.store.list('pods').items.length;
    const simRss = process.memoryUsage().rss / 2 ** 20;
    console.log(
      `  built in ${fmtS(rs.buildMs)}, pods running after ${fmtS(settleMs)}: ${pods} pods; bench process RSS ${simRss.toFixed(0)} MB`,
    );
    const runs: { wallMs: number; rss: number | undefined; requests: number }[] = [];
    let last = '';
    for (let i = 0; i < 3; i++) {
      rs.sim.server.resetStats();
      const r = await timedCli(['status', '--kubeconfig', rs.kubeconfigPath]);
      if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      const rows = r.stdout.split('\n').filter((l) => l.startsWith('node-')).length;
      if (rows !== nodes) throw new Error(`status showed ${rows} node rows, not ${nodes}`);
      const stats = rs.sim.server.stats();
      runs.push({ wallMs: r.wallMs, rss: r.maxRssMb, requests: stats.total });
      last = `  run ${i + 1}: ${fmtS(r.wallMs)}, ${fmtMb(r.maxRssMb)}, ${stats.total} requests (${topRequests(stats.byKey)}), ${rows} rows`;
      console.log(last);
    }
    tally(`status on ${nodes} nodes`, rs.podLists);
    const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const rss = Math.max(...runs.map((x) => x.rss ?? 0));
    const meets = nodes >= 5000 ? (best.wallMs < TARGET_MS && rss < TARGET_MB ? 'yes' : 'NO') : '-';
    return [
      `${nodes}`,
      fmtS(rs.buildMs),
      fmtS(settleMs),
      fmtS(best.wallMs),
      fmtS(Math.max(...runs.map((x) => x.wallMs))),
      fmtMb(rss || undefined),
      `${best.requests}`,
      meets,
    ];
  } finally {
    await rs.stop();
  }
}

/** (2) `status` with check pods (no agents): time against nodes / --probe-concurrency. */
async function statusWithCheckPods(): Promise<{ rows: string[][]; fit: string }> {
  const rs = await startRecordedSim(scaleScenario(40, 5));
  const rows: string[][] = [['nodes', 'concurrency', 'rounds', 'wall', 'wall per round', 'requests']];
  const points: [number, number][] = [];
  try {
    await settle(rs.store);
    clearAgentReports(rs.store);
    const names = rs.store
      .list('nodes')
      .items.map((n) => n.metadata.name)
      .sort();
    for (const [n, conc] of [
      [10, 5],
      [20, 5],
      [40, 5],
      [40, 10],
      [40, 20],
    ] as const) {
      rs.sim.server.resetStats();
      const r = await timedCli([
        'status',
        ...names.slice(0, n),
        '--kubeconfig',
        rs.kubeconfigPath,
        '--probe-concurrency',
        String(conc),
      ]);
      if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      const rounds = Math.ceil(n / conc);
      points.push([rounds, r.wallMs]);
      rows.push([
        `${n}`,
        `${conc}`,
        `${rounds}`,
        fmtS(r.wallMs),
        fmtS(r.wallMs / rounds),
        `${rs.sim.server.stats().total}`,
      ]);
      console.log(`  status of ${n} nodes at --probe-concurrency ${conc}: ${fmtS(r.wallMs)}`);
    }
    tally('status with check pods', rs.podLists);
  } finally {
    await rs.stop();
  }
  // Least squares: wall = fixed + perRound × rounds.
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const perRound =
    points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
    points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const fit = `wall ≈ ${fmtS(my - perRound * mx)} + ${fmtS(perRound)} × ceil(nodes / --probe-concurrency)`;
  return { rows, fit };
}

/** (3) API requests per node rebooted: `run` on a small cluster where 5 of 6 nodes need a reboot. */
async function requestsPerReboot(): Promise<{ rows: string[][]; perNode: number }> {
  const scenario = parseScenario(`
seed: 4
nodes:
  - { name: node-1, rebootRequired: true }
  - { name: node-2, rebootRequired: true }
  - { name: node-3, rebootRequired: true }
  - { name: node-4, rebootRequired: true }
  - { name: node-5, rebootRequired: true }
  - { name: spare }
workloads:
  deployments:
    - { name: web, namespace: shop, replicas: 12, pdb: { maxUnavailable: 1 }, terminationGracePeriodSeconds: 1 }
    - { name: api, namespace: shop, replicas: 6, pdb: { minAvailable: 4 }, terminationGracePeriodSeconds: 1 }
  daemonSets:
    - { name: kube-proxy, namespace: kube-system }
${FAST_TIMING}`);
  const rs = await startRecordedSim(scenario);
  try {
    await settle(rs.store);
    rs.sim.server.resetStats();
    const r = await timedCli(runArgs(rs.kubeconfigPath, ['--probe-concurrency', '6']));
    const stats = rs.sim.server.stats();
    const rebooted = rs.sim.cluster.record.of('reboot').length;
    if (r.code !== 0 || rebooted !== 5) {
      throw new Error(`run exited ${r.code} with ${rebooted} reboots: ${r.stdout.slice(-2000)}${r.stderr}`);
    }
    tally('run rebooting 5 nodes', rs.podLists);
    const perNode = stats.total / rebooted;
    const outcomes: Record<string, number> = {};
    for (const e of rs.sim.cluster.record.of('eviction'))
      outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
    const rows: string[][] = [['requests of one `run` (5 nodes rebooted)', 'count', 'per node']];
    for (const [k, v] of Object.entries(stats.byKey).sort((a, b) => b[1] - a[1])) {
      rows.push([`  ${k}`, `${v}`, (v / rebooted).toFixed(1)]);
    }
    rows.push(['total', `${stats.total}`, perNode.toFixed(1)]);
    const refused = outcomes['refused'] ?? 0;
    rows.push([
      `  without the ${refused} evictions a PDB refused (429, retried)`,
      `${stats.total - refused}`,
      ((stats.total - refused) / rebooted).toFixed(1),
    ]);
    console.log(`  run: ${fmtS(r.wallMs)}, ${rebooted} nodes rebooted, ${stats.total} requests`);
    return { rows, perNode };
  } finally {
    await rs.stop();
  }
}

async function main(): Promise<void> {
  await assertBuilt();
  const sizes = (process.env['BENCH_SCALE_NODES'] ?? '1000,5000')
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((x) => x > 0);
  const startup = await timedCli(['--help']);
  console.log(`CLI start-up (reboot-daemon --help): ${fmtS(startup.wallMs)}, ${fmtMb(startup.maxRssMb)}`);

  const scaleRows: string[][] = [
    ['nodes', 'sim build', 'sim settle', 'status best', 'status worst', 'peak RSS', 'requests', 'target met'],
  ];
  for (const n of sizes) scaleRows.push(await statusAtScale(n));

  console.log('\nstatus with check pods (no agent reports), a 40-node cluster…');
  const probeRows = await statusWithCheckPods();

  console.log('\nrequests per node rebooted…');
  const req = await requestsPerReboot();

  console.log(`\n(1) \`status\` with agent reports, ${PODS_PER_NODE} pods per node (3 runs each)`);
  console.log(table(scaleRows));
  console.log(`    target at 5,000 nodes: under ${fmtS(TARGET_MS)} and under ${TARGET_MB} MB peak RSS`);
  console.log('\n(2) `status` with check pods: wall time against rounds = ceil(nodes / --probe-concurrency)');
  console.log(table(probeRows.rows));
  console.log(`    least-squares fit: ${probeRows.fit}`);
  console.log(`\n(3) API requests per node rebooted (target: at most ${TARGET_REQUESTS_PER_NODE})`);
  console.log(table(req.rows));
  console.log(
    `    ${req.perNode.toFixed(1)} per node: ${req.perNode <= TARGET_REQUESTS_PER_NODE ? 'within' : 'OVER'} the target`,
  );
  console.log('\n(4) lists of pods the API server answered');
  console.log(`    with a page limit: ${unpagedTotal.paged}; without: ${unpagedTotal.lists}`);
  for (const w of unpagedTotal.where) console.log(`    unpaged: ${w}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
