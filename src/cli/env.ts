// Flags from the environment: REBOOT_DAEMON_<FLAG> (upper case, dashes as underscores) sets --<flag> for the
// commands that have that flag, when the command line does not; e.g. REBOOT_DAEMON_CONCURRENCY=2. Unlike
// yargs' .env(), a variable is ignored by commands without the flag, so one exported for `run` does not
// break `rbac`, and unrelated REBOOT_DAEMON_* variables are ignored. Values then pass the same checks as flags.
// May import: yargs types.

import type { Argv, MiddlewareFunction } from 'yargs';

export const ENV_PREFIX = 'REBOOT_DAEMON_';

interface OptionsView {
  readonly key: Readonly<Record<string, unknown>>;
  readonly alias: Readonly<Record<string, readonly string[]>>;
  readonly boolean: readonly string[];
  readonly number: readonly string[];
}

/** Was the flag (or one of its aliases) written on the command line? */
export function givenOnCommandLine(
  flag: string,
  aliases: readonly string[],
  args: readonly string[],
): boolean {
  const names = [flag, ...aliases];
  return args.some((a) => {
    if (a === '--') return false;
    return names.some((n) => {
      const dash = n.length === 1 ? `-${n}` : `--${n}`;
      return (
        a === dash ||
        a.startsWith(`${dash}=`) ||
        (n.length > 1 && a === `--no-${n}`) ||
        (n.length === 1 && a.startsWith(dash) && !a.startsWith('--'))
      );
    });
  });
}

function coerce(value: string, name: string, o: OptionsView): unknown {
  if (o.boolean.includes(name)) {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    return value; // left for config.ts to refuse, naming the flag
  }
  if (o.number.includes(name)) {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  return value;
}

/**
 * A yargs middleware (run before validation) that fills flags from the environment. yargs passes the parser
 * as a second argument, which the typings leave out; it tells which flags the running command has.
 */
export function envMiddleware(
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[],
): MiddlewareFunction {
  const fill = (argv: Record<string, unknown>, y: Argv): void => {
    const o = (y as unknown as { getOptions(): OptionsView }).getOptions();
    for (const [variable, value] of Object.entries(env)) {
      if (!variable.startsWith(ENV_PREFIX) || value === undefined) continue;
      const flag = variable.slice(ENV_PREFIX.length).toLowerCase().replace(/_/g, '-');
      if (!(flag in o.key) || flag === 'help') continue;
      if (givenOnCommandLine(flag, o.alias[flag] ?? [], args)) continue;
      argv[flag] = coerce(value, flag, o);
      for (const alias of o.alias[flag] ?? []) argv[alias] = argv[flag];
    }
  };
  return fill as unknown as MiddlewareFunction;
}
