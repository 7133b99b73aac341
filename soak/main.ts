// `npm run soak`: seeded chaos against the simulated cluster. Short by default (CI); `-- --long` for the
// long one; `-- --seed N` (repeatable, or `--seeds 1,2`) replays seeds. Prints one summary per seed and
// exits 1 when any invariant was broken. See soak/README.md.
// May import: soak/*, node built-ins.

import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LOCK_TTL_REAL_SECONDS, PROFILES, runSoak, type SoakProfile } from './driver.js';
import { formatResult } from './report.js';

/** The seeds CI runs when none is given. */
export const DEFAULT_SEEDS: readonly number[] = [1];

interface Args {
  readonly seeds: readonly number[];
  readonly profile: SoakProfile;
  readonly verbose: boolean;
  readonly logs: string | undefined;
  readonly sameOwner: boolean;
  readonly lockTtlRealSeconds: number;
  readonly skew: string | undefined;
  readonly sharedHost: boolean;
}

const USAGE = `usage: npm run soak -- [--long] [--seed N ...] [--seeds N,M] [--same-owner] [--lock-ttl S] [--skew OFFSET]
  [--shared-host] [--verbose]
  --long      the long soak: 45 of 50 nodes need a reboot, 25 SIGKILLs (about 5 minutes)
  --seed N    run this seed (repeatable); default ${DEFAULT_SEEDS.join(', ')}; a random one with --seed random
  --same-owner  both lanes under one owner (user@host), as two terminals or overlapping cron jobs
  --lock-ttl S  a hold's TTL in real seconds (default ${LOCK_TTL_REAL_SECONDS}); below a node's work (e.g. 1.5),
              live runs' holds expire and are taken over while those runs go on, as a frozen process's
  --skew OFFSET  lane b's clock runs this far off (libfaketime's offset: +2h, -90m), as a laptop's may
  --shared-host  both lanes under one host name, each run pid 1 of its own pid namespace (as two containers)
  --verbose   print each SIGKILL and each run's end as they happen
  --logs DIR  keep every run's output (JSON lines) in DIR/<seed>/<lane>-<n>.log`;

export function parseArgs(argv: readonly string[]): Args | string {
  const seeds: number[] = [];
  let long = false;
  let verbose = false;
  let sameOwner = false;
  let lockTtlRealSeconds = LOCK_TTL_REAL_SECONDS;
  let logs: string | undefined;
  let skew: string | undefined;
  let sharedHost = false;
  const seed = (text: string | undefined): string | undefined => {
    if (text === 'random') {
      seeds.push(Math.floor(Math.random() * 1_000_000));
      return undefined;
    }
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < 0) return `not a seed: ${String(text)}`;
    seeds.push(n);
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let err: string | undefined;
    if (a === '--long') long = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--same-owner') sameOwner = true;
    else if (a === '--shared-host') sharedHost = true;
    else if (a === '--skew') {
      const text = argv[++i];
      if (text === undefined || !/^[+-]\d+(\.\d+)?[mhd]$/.test(text))
        err = `not a clock offset (+2h, -90m): ${String(text)}`;
      else skew = text;
    } else if (a === '--lock-ttl') {
      const text = argv[++i];
      const n = Number(text);
      if (text === undefined || !Number.isFinite(n) || n <= 0) err = `not a TTL in seconds: ${String(text)}`;
      else lockTtlRealSeconds = n;
    } else if (a === '--logs') logs = argv[++i] ?? '';
    else if (a === '--seed') err = seed(argv[++i]);
    else if (a?.startsWith('--seed=')) err = seed(a.slice('--seed='.length));
    else if (a === '--seeds' || a?.startsWith('--seeds=')) {
      const list = a === '--seeds' ? argv[++i] : a.slice('--seeds='.length);
      for (const s of (list ?? '').split(',')) err ??= seed(s.trim());
    } else if (a === '--help' || a === '-h') return USAGE;
    else err = `unknown argument: ${String(a)}`;
    if (err) return `${err}\n${USAGE}`;
  }
  return {
    seeds: seeds.length > 0 ? seeds : DEFAULT_SEEDS,
    profile: long ? PROFILES.long : PROFILES.short,
    verbose,
    logs,
    sameOwner,
    lockTtlRealSeconds,
    skew,
    sharedHost,
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args.startsWith('usage')) {
      console.log(args);
      return 0;
    }
    console.error(args);
    return 2;
  }
  try {
    await access(resolve('dist/cli/main.js'));
  } catch {
    console.error('dist/ is not built: run `npm run build` first (`npm run soak` does)');
    return 2;
  }
  let failed = 0;
  for (const seed of args.seeds) {
    console.log(`soak: seed ${seed}, ${args.profile.name} profile ...`);
    const log = args.verbose ? (line: string) => console.log(`  [seed ${seed}] ${line}`) : undefined;
    const logDir = args.logs ? join(args.logs, String(seed)) : undefined;
    if (logDir) await mkdir(logDir, { recursive: true });
    const result = await runSoak(seed, args.profile, {
      ...(log ? { log } : {}),
      ...(logDir ? { logDir } : {}),
      sameOwner: args.sameOwner,
      lockTtlRealSeconds: args.lockTtlRealSeconds,
      ...(args.skew === undefined ? {} : { skew: args.skew }),
      sharedHost: args.sharedHost,
    });
    console.log(formatResult(result));
    if (result.violations.length > 0) failed++;
  }
  if (args.seeds.length > 1)
    console.log(`soak: ${args.seeds.length - failed}/${args.seeds.length} seeds clean`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
