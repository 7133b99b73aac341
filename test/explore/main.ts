// The explorer's command line: `npm run explore -- --runs N [--seed S] [--from I] [--variant V]` explores N
// schedules and prints a closing line; `--replay 'seed:index'` (or 'seed:index:path', or a file holding one of
// those) replays one schedule, `--trace` prints all of its steps. Exits 1 on a violation, 2 on bad arguments.
// May import: test/explore.

import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { explore, formatViolation, runSchedule, type ScheduleResult } from './explore.js';
import { decodePicks } from './prng.js';
import type { Variant } from './world.js';

interface Args {
  runs: number;
  seed: number;
  from: number;
  replay?: string;
  variant: Variant;
  trace: boolean;
  events: boolean;
  allow: string[];
  tameAdmin: boolean;
}

function parse(argv: readonly string[]): Args {
  const a: Args = {
    runs: 1000,
    seed: 1,
    from: 0,
    variant: 'ok',
    trace: false,
    events: false,
    allow: [],
    tameAdmin: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = Number(value());
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer`);
      return v;
    };
    if (flag === '--runs') a.runs = int();
    else if (flag === '--seed') a.seed = int();
    else if (flag === '--from') a.from = int();
    else if (flag === '--replay') a.replay = value();
    else if (flag === '--trace') a.trace = true;
    else if (flag === '--events') a.events = true;
    else if (flag === '--allow') a.allow.push(...value().split(','));
    else if (flag === '--tame-admin') a.tameAdmin = true;
    else if (flag === '--variant') {
      const v = value();
      if (v !== 'ok' && v !== 'no-cas' && v !== 'no-boot-guard')
        throw new Error('--variant is ok, no-cas or no-boot-guard');
      a.variant = v;
    } else throw new Error(`unknown argument ${flag}`);
  }
  return a;
}

function printSchedule(r: ScheduleResult, a: Args): void {
  console.log(`schedule ${r.seed}:${r.index}: ${r.steps} steps, ${r.stats.triggers} host reboots`);
  console.log(`  config: ${r.config}`);
  for (const x of r.runners) {
    console.log(`  runner ${x.name} ${x.spec}: ${x.state}${x.result ? ` (${x.result})` : ''}`);
    if (a.events) for (const e of x.events) console.log(`      ${e}`);
  }
  if (a.trace) for (const t of r.trace) console.log(`    ${t}`);
  for (const n of r.notes) console.log(`  note: ${n}`);
  if (r.pendingNeeds.length > 0) console.log(`  pending needs: ${r.pendingNeeds.join(', ')}`);
  if (r.leftRecorded.length > 0) console.log(`  left with a record: ${r.leftRecorded.join(', ')}`);
  if (r.unfinished > 0 || r.stuck)
    console.log(`  unfinished runners: ${r.unfinished}${r.stuck ? ', stuck' : ''}`);
}

async function main(): Promise<number> {
  let a: Args;
  try {
    a = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`explore: ${(err as Error).message}`);
    return 2;
  }
  if (a.replay !== undefined) {
    const text = existsSync(a.replay) ? readFileSync(a.replay, 'utf8').trim() : a.replay;
    const m = /^(\d+):(\d+)(?::([0-9a-z.]*))?$/.exec(text);
    if (!m) {
      console.error(`explore: --replay takes 'seed:index' or 'seed:index:path', not ${JSON.stringify(text)}`);
      return 2;
    }
    const picks = m[3] !== undefined ? decodePicks(m[3]) : undefined;
    const r = await runSchedule(Number(m[1]), Number(m[2]), {
      variant: a.variant,
      allow: a.allow,
      tameAdmin: a.tameAdmin,
      ...(picks ? { picks } : {}),
    });
    printSchedule(r, a);
    if (r.violations.length > 0)
      console.log(formatViolation(r, { traceLines: a.trace ? 0 : 40, variant: a.variant }));
    console.log(`explorer: 1 schedules explored, ${r.violations.length > 0 ? 1 : 0} violations`);
    return r.violations.length > 0 ? 1 : 0;
  }
  const started = performance.now();
  let shown = 0;
  const res = await explore(a.seed, a.runs, {
    variant: a.variant,
    allow: a.allow,
    tameAdmin: a.tameAdmin,
    from: a.from,
    onSchedule: (r, done) => {
      if (r.violations.length > 0 && shown++ < 5)
        console.log(formatViolation(r, { traceLines: 30, variant: a.variant }));
      if (done % 1000 === 0)
        console.log(
          `explorer: ${done}/${a.runs} schedules, ${Math.round((performance.now() - started) / 1000)}s`,
        );
    },
  });
  const t = res.totals;
  if (res.failures.length > 0) {
    const byInvariant = new Map<string, string[]>();
    for (const f of res.failures)
      for (const v of f.violations)
        byInvariant.set(v.invariant, [...(byInvariant.get(v.invariant) ?? []), `${f.seed}:${f.index}`]);
    for (const [inv, keys] of byInvariant)
      console.log(`  ${inv}: ${keys.length} schedule(s), e.g. ${keys.slice(0, 5).join(' ')}`);
  }
  console.log(
    `  ${t.crashes} crashes, ${t.restarts} restarts; ${t.triggers} host reboots; ${t.takeovers} record takeovers; ${t.leaseDrops} holds dropped; raced gates: ${t.racedWindow} window, ${t.racedBlocker} blocker; ${t.excludedAtTrigger} rebooted after the exclusion label appeared; ${t.unfinished} runners unfinished, ${t.stuck} stuck; at the end ${t.pendingNeeds} needs pending, ${t.leftRecorded} nodes left with a record`,
  );
  console.log(`explorer: ${res.explored} schedules explored, ${res.failures.length} violations`);
  return res.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
