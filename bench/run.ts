// `npm run bench`: the benchmarks of `run` (see bench/README.md for the method). Prints a summary table of
// ratios and figures measured side by side in this one run; it asserts nothing and times no test.
// May import: bench/*, node built-ins.
import { access, constants } from 'node:fs/promises';
import { benchOverhead } from './overhead.js';
import { DEFAULT_DRAIN_SETUP, KUBECTL, kubectlDrain, ourDrain, type DrainSetup } from './drain.js';
import { assertBuilt } from '../test/support/e2e-cli.js';

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const pad = (v: string, n: number): string => v.padEnd(n);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => pad(c, widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  await assertBuilt();
  const nodes = Number(process.env['BENCH_NODES'] ?? 5);

  console.log(`(a) overhead of \`run\` over ${nodes} nodes that all need a reboot…`);
  const o = await benchOverhead(nodes);
  if (o.exitCode !== 0) throw new Error(`run exited ${o.exitCode}`);
  console.log(
    table([
      ['', 'time'],
      ['wall time of the run (spawn to exit)', s(o.wallMs)],
      ...Object.entries(o.imposedBy).map(([k, v]) => [`  simulator: ${k}`, s(v)]),
      ['imposed by the simulator (union of the above)', s(o.imposedMs)],
      ['overhead of the tool (wall - imposed)', s(o.overheadMs)],
      ['  of which process start to first event', s(o.startupMs)],
      [`overhead per node (${o.rebooted} rebooted)`, s(o.perNodeMs)],
      ['  the same without process start', s((o.overheadMs - o.startupMs) / Math.max(1, o.rebooted))],
    ]),
  );

  const kubectlThere = await access(KUBECTL, constants.X_OK).then(
    () => true,
    () => false,
  );
  const setups: { name: string; setup: DrainSetup }[] = [
    { name: '100 pods, 20 PDBs', setup: DEFAULT_DRAIN_SETUP },
    { name: '10 pods, 2 PDBs', setup: { ...DEFAULT_DRAIN_SETUP, deployments: 2 } },
  ];
  const drains: string[][] = [
    ['node', 'tool', 'time', 'evicted', '429s', 'requests', 'left', 'PDB violations'],
  ];
  const ratios: string[][] = [];
  for (const { name, setup } of setups) {
    console.log(`\n(b) drain of a node with ${name} (maxUnavailable 1 each)…`);
    const ours = await ourDrain(setup);
    const row = (tool: string, r: typeof ours): string[] => [
      name,
      tool,
      s(r.ms),
      `${r.evicted}/${r.pods}`,
      String(r.refused),
      String(r.requests),
      String(r.left),
      String(r.violations),
    ];
    drains.push(row('reboot-daemon (in-process drainNode)', ours));
    if (!kubectlThere) {
      drains.push([name, 'kubectl drain', `not run: ${KUBECTL} is missing`]);
      continue;
    }
    const kube = await kubectlDrain(setup);
    drains.push(row('kubectl drain', kube));
    ratios.push([name, `${(kube.ms / ours.ms).toFixed(1)}x`]);
  }

  console.log('\n=== Summary ===');
  console.log(
    table([
      ['measure', 'result', 'target'],
      [`(a) overhead per node, run over ${o.rebooted} nodes`, s(o.perNodeMs), '< 0.50 s'],
      ['(a) the same without process start', s((o.overheadMs - o.startupMs) / Math.max(1, o.rebooted)), ''],
      ...ratios.map(([name, r]) => [`(b) kubectl drain time / ours, ${name}`, r!, '>= 2.0x']),
    ]),
  );
  console.log(`\n${table(drains)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
