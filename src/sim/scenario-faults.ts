// The faults section of a scenario (error answers, latency, dropped watches), checked, and its
// translation to the HTTP front's SimFaults.
// May import: ./scenario-check.js, ./scenario-types.js, ./faults-types.js, ./random.js.
import type { SimFaults } from './faults-types.js';
import { seededRandom } from './random.js';
import { arr, fail, num, obj, only, str } from './scenario-check.js';
import type { Scenario, ScenarioErrorFault, ScenarioFaults } from './scenario-types.js';

export function faults(v: unknown): ScenarioFaults {
  const o = obj(v, 'faults');
  only(o, 'faults', ['errors', 'watchDropEverySeconds', 'latencyMs']);
  const errors: ScenarioErrorFault[] = arr(o.errors, 'faults.errors').map((e, i) => {
    const p = `faults.errors[${i}]`;
    const eo = obj(e, p);
    only(eo, p, ['code', 'rate', 'verbs', 'resources']);
    const code = num(eo.code, `${p}.code`, { integer: true });
    if (code !== 500 && code !== 503 && code !== 429) fail(`${p}.code`, 'expected 500, 503 or 429');
    const list = (x: unknown, lp: string): string[] | undefined =>
      x === undefined ? undefined : arr(x, lp).map((s, j) => str(s, `${lp}[${j}]`));
    const verbs = list(eo.verbs, `${p}.verbs`);
    const resources = list(eo.resources, `${p}.resources`);
    return {
      code,
      rate: num(eo.rate, `${p}.rate`, { min: 0, max: 1 }),
      ...(verbs ? { verbs } : {}),
      ...(resources ? { resources } : {}),
    };
  });
  let latencyMs: ScenarioFaults['latencyMs'];
  if (o.latencyMs !== undefined && o.latencyMs !== null) {
    const l = obj(o.latencyMs, 'faults.latencyMs');
    only(l, 'faults.latencyMs', ['base', 'jitter', 'spikeRate', 'spikeMs']);
    latencyMs = {
      base: num(l.base, 'faults.latencyMs.base', { dflt: 0, min: 0 }),
      jitter: num(l.jitter, 'faults.latencyMs.jitter', { dflt: 0, min: 0 }),
      spikeRate: num(l.spikeRate, 'faults.latencyMs.spikeRate', { dflt: 0, min: 0, max: 1 }),
      spikeMs: num(l.spikeMs, 'faults.latencyMs.spikeMs', { dflt: 0, min: 0 }),
    };
  }
  const drop = o.watchDropEverySeconds;
  return {
    errors,
    watchDropEverySeconds:
      drop === undefined || drop === null
        ? undefined
        : num(drop, 'faults.watchDropEverySeconds', { positive: true }),
    latencyMs,
  };
}

/** The HTTP front's faults for a scenario; `random` defaults to one seeded by the scenario. */
export function toSimFaults(s: Scenario, random: () => number = seededRandom(s.seed + 7919)): SimFaults {
  const f = s.faults;
  return {
    random,
    ...(f.errors.length > 0 ? { errorRate: f.errors } : {}),
    ...(f.latencyMs ? { latencyMs: f.latencyMs } : {}),
    ...(f.watchDropEverySeconds !== undefined ? { watchDropEverySec: f.watchDropEverySeconds } : {}),
  };
}
