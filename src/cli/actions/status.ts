// `status`: validate flags, read the cluster through the composition root (with a spinner on a terminal),
// and print the table, or JSON/YAML with -o.
// May import: core, ui, cli/*.

import { ExitCode } from '../../core/errors.js';
import type { RunEvent } from '../../core/events.js';
import { colorEnabled } from '../../ui/color.js';
import { formatPlainEvent } from '../../ui/plain.js';
import { withSpinner } from '../../ui/spinner.js';
import { renderStatus, type StatusFormat } from '../../ui/status-table.js';
import type { ArgvLike } from '../argv-read.js';
import { optionalString } from '../argv-read.js';
import { buildRunConfig } from '../config.js';
import type { CommandContext } from '../context.js';
import { toStatusView } from '../status-view.js';

const FORMATS: readonly StatusFormat[] = ['table', 'wide', 'json', 'yaml'];

export async function statusAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const config = buildRunConfig(argv);
  const requested = optionalString(argv, 'output') ?? 'table';
  const format: StatusFormat = (FORMATS as readonly string[]).includes(requested)
    ? (requested as StatusFormat)
    : 'table';
  const { out, err, env } = ctx.io;
  // Progress goes to stderr, and only with -v: stdout carries the report alone.
  const emit = (e: RunEvent): void => {
    if (config.output.verbosity > 0) err.write(`${formatPlainEvent(e)}\n`);
  };
  const { executeStatus } = await import('../compose.js');
  const report = await withSpinner(
    'Reading nodes and checking reboot sentinels…',
    () => executeStatus(config, { emit, signal: ctx.signal, env }),
    { stream: err, enabled: config.output.verbosity === 0 && env['CI'] === undefined },
  );
  const color = colorEnabled({ isTTY: out.isTTY === true, noColorFlag: !config.output.color, env });
  out.write(renderStatus(toStatusView(report), format, color));
  return ExitCode.Ok;
}
