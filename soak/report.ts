// The soak's summary for one seed: what was set up, the faults injected, what happened, and every
// violation with its details. Plain text, stable labels (the e2e test reads `violations: N`).
// May import: soak/*.

import { LOCK_TTL_REAL_SECONDS, type SoakResult } from './driver.js';

function pct(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '0%';
}

export function formatResult(r: SoakResult): string {
  const { roles } = r;
  const errors = Object.entries(r.injected.errors).sort(([a], [b]) => a.localeCompare(b));
  const errorTotal = errors.reduce((n, [, c]) => n + c, 0);
  const exits = new Map<string, number>();
  for (const run of r.runs) {
    const key = run.killedBySoak ? 'SIGKILLed' : `exit ${String(run.exitCode ?? run.signal)}`;
    exits.set(key, (exits.get(key) ?? 0) + 1);
  }
  const lines = [
    `seed: ${r.seed} (replay: npm run soak -- --seed ${r.seed}${r.profile.name === 'long' ? ' --long' : ''}` +
      `${r.sameOwner ? ' --same-owner' : ''}${r.sharedHost ? ' --shared-host' : ''}` +
      `${r.skew === undefined ? '' : ` --skew ${r.skew}`}` +
      `${r.lockTtlRealSeconds === LOCK_TTL_REAL_SECONDS ? '' : ` --lock-ttl ${r.lockTtlRealSeconds}`})`,
    `cluster: ${r.profile.size.nodes} nodes, ${roles.needing.length} need a reboot; dead ${roles.dead}, ` +
      `flapping ${roles.flapping}, fast ${roles.fast}, re-run helper pods ${roles.rerun.join(' ')}, ` +
      `admin-cordoned ${roles.adminCordoned[0]} (needs a reboot) and ${roles.adminCordoned[1]}; ` +
      `clock x${r.profile.timeScale}`,
    `faults: ${errorTotal} error answers of ${r.requests} requests (${pct(errorTotal, r.requests)}: ` +
      `${errors.map(([c, n]) => `${c}=${n}`).join(' ') || 'none'}), watch drops ${r.injected.watchDrops}, ` +
      `latency spikes ${r.injected.latencySpikes}, SIGKILLs ${r.kills}, restarts ${r.restarts}`,
    `runs: ${r.runs.length} (${[...exits].map(([k, n]) => `${k}: ${n}`).join(', ')}), two lanes with ` +
      `${r.sameOwner || r.sharedHost ? 'one owner' : 'different owners'} at once` +
      `${r.sharedHost ? ' (one host name, each run pid 1 of its own pid namespace)' : ''}` +
      `${r.skew === undefined ? '' : `, lane b's clock ${r.skew}`}, --concurrency 2, holds expire after ` +
      `${r.lockTtlRealSeconds} real s`,
    `happened: ${r.rebooted} nodes rebooted, ${r.evictions.evicted} evictions (${r.evictions.refused} refused ` +
      `by a PDB), ${r.rebootPodNoops} reboot pods that did nothing after the boot, ${r.podReruns} helper pods ` +
      `re-run, at most ${r.maxBusy} nodes down or cordoned by us at once, at most ${r.maxInProgress} in progress`,
    ...(r.skew === undefined ? [] : [skewLine(r)]),
    `time: ${(r.ms / 1000).toFixed(1)} s${r.finished ? '' : ' (did not finish)'}`,
    `violations: ${r.violations.length}`,
  ];
  for (const v of r.violations) lines.push(`  - ${v.invariant}: ${v.detail}`);
  if (r.violations.length > 0) {
    const interesting = r.runs.filter((x) => !x.killedBySoak && x.exitCode !== 0 && x.exitCode !== 3);
    for (const run of interesting.slice(-5)) {
      const failed = run.nodeResults.filter((n) => n.outcome === 'failed');
      const what = [
        run.endReason ?? '',
        ...failed.map((n) => `${n.node} failed: ${n.reason}`),
        run.noise.slice(0, 300),
      ].filter((x) => x !== '');
      lines.push(
        `  run ${run.lane}#${run.index} exit ${String(run.exitCode)}: ${what.join('; ').split('\n', 1)[0] ?? ''}`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * What each lane's runs measured of their clock against the server's (from its Date headers). The soak's CLIs
 * keep real time while the simulated cluster's clock runs fast, so every run sees some skew; lane b's own
 * offset shows as the difference between the lanes.
 */
function skewLine(r: SoakResult): string {
  const range = (lane: string): string => {
    const runs = r.runs.filter((x) => x.lane === lane);
    const s = runs.flatMap((x) => x.clockSkews);
    const warned = runs.filter((x) => x.clockSkews.length > 0).length;
    return s.length === 0
      ? `lane ${lane} 0 of ${runs.length} runs warned`
      : `lane ${lane} ${warned} of ${runs.length} runs warned, ${Math.min(...s)}s to ${Math.max(...s)}s`;
  };
  return `clock against the server's: ${range('a')}; ${range('b')}`;
}
