// Scenario fields about resources and host programs: a node's allocatable (cpu, memory, pods), a workload's
// pod requests, and the programs a host lacks. Errors name the field, as the rest of the scenario's do.
// May import: ./scenario-check.js, ./scenario-types.js, ./quantity.js.
import { quantityValue } from './quantity.js';
import { fail, num, obj, only, str } from './scenario-check.js';
import { DEFAULT_ALLOCATABLE } from './scenario-types.js';
import type { ScenarioAllocatable, ScenarioRequests } from './scenario-types.js';

export function program(v: unknown, path: string): string {
  const s = str(v, path);
  if (!/^[A-Za-z0-9._+-]+$/.test(s)) fail(path, `"${s}" is not a program name (no slashes or spaces)`);
  return s;
}

export function allocatable(v: unknown, path: string): ScenarioAllocatable {
  const o = obj(v, path);
  only(o, path, ['cpu', 'memory', 'pods']);
  return {
    cpu: quantity(o.cpu, `${path}.cpu`, DEFAULT_ALLOCATABLE.cpu),
    memory: quantity(o.memory, `${path}.memory`, DEFAULT_ALLOCATABLE.memory),
    pods: num(o.pods, `${path}.pods`, { dflt: DEFAULT_ALLOCATABLE.pods, integer: true, min: 1 }),
  };
}

export function requests(v: unknown, path: string): ScenarioRequests {
  const o = obj(v, path);
  only(o, path, ['cpu', 'memory']);
  const cpu = o.cpu === undefined || o.cpu === null ? undefined : quantity(o.cpu, `${path}.cpu`);
  const memory =
    o.memory === undefined || o.memory === null ? undefined : quantity(o.memory, `${path}.memory`);
  return { ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) };
}

/** A non-negative quantity such as 250m, 2, 512Mi or 1.5Gi, kept as written. */
function quantity(v: unknown, path: string, dflt?: string): string {
  const s = typeof v === 'number' ? String(v) : str(v, path, dflt);
  const value = quantityValue(s);
  if (value === undefined || value < 0) fail(path, `"${s}" is not a quantity (e.g. 250m, 2, 512Mi, 1.5Gi)`);
  return s;
}
