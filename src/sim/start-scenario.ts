// Picks the scenario a started simulator runs: a file, YAML text, a Scenario object or the default
// cluster of N nodes, with an optional seed override. Every failure to read or parse is a ScenarioError.
// May import: node built-ins, ./scenario*.js.
import { readFile } from 'node:fs/promises';
import { ScenarioError, defaultScenario, parseScenario } from './scenario.js';
import type { Scenario } from './scenario-types.js';

export interface ScenarioChoice {
  /** A checked Scenario, or YAML text to parse. */
  readonly scenario?: Scenario | string;
  /** A YAML scenario file (wins over `scenario`). */
  readonly scenarioFile?: string;
  /** Without a scenario: the default scenario with this many nodes (3 when absent). */
  readonly nodes?: number;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
}

/** True when the options ask for a full simulated cluster. */
export function wantsCluster(c: ScenarioChoice): boolean {
  return c.scenario !== undefined || c.scenarioFile !== undefined || c.nodes !== undefined;
}

/** Resolves the scenario; throws ScenarioError for an unreadable or invalid file or text. */
export async function resolveScenario(c: ScenarioChoice): Promise<Scenario> {
  let scenario: Scenario;
  if (c.scenarioFile !== undefined) {
    let text: string;
    try {
      text = await readFile(c.scenarioFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new ScenarioError(`cannot read scenario file ${c.scenarioFile}: ${code}`);
    }
    try {
      scenario = parseScenario(text);
    } catch (e) {
      if (e instanceof ScenarioError) throw new ScenarioError(`${c.scenarioFile}: ${e.message}`);
      throw e;
    }
  } else if (typeof c.scenario === 'string') scenario = parseScenario(c.scenario);
  else if (c.scenario !== undefined) scenario = c.scenario;
  else {
    try {
      scenario = defaultScenario(c.nodes ?? 3);
    } catch (e) {
      throw new ScenarioError(`nodes: ${(e as Error).message}`);
    }
  }
  if (c.seed !== undefined) {
    if (!Number.isInteger(c.seed) || c.seed < 0)
      throw new ScenarioError(`seed: expected a non-negative integer, got ${c.seed}`);
    scenario = { ...scenario, seed: c.seed };
  }
  return scenario;
}
