// The final summary under the live view: how many nodes were rebooted, failed or left pending, and why.
// Pure display. May import: react, ink, ui/live/state, ui/text.

import { Box, Text } from 'ink';
import type { RunEnd } from './state.js';
import { formatDuration, listOf, oneLine } from '../text.js';

export interface SummaryProps {
  readonly end: RunEnd;
  readonly startedAt?: number;
  readonly color: boolean;
}

export function Summary({ end, startedAt, color }: SummaryProps) {
  const tone = end.exitCode === 0 ? 'green' : end.failed.length ? 'red' : 'yellow';
  const took = startedAt === undefined ? '' : ` in ${formatDuration(end.at - startedAt)}`;
  const head =
    `Finished${took}: ${end.rebooted.length} rebooted, ${end.failed.length} failed, ` +
    `${end.pending.length} pending (exit ${end.exitCode})`;
  const lines = [
    ...(end.rebooted.length ? [`rebooted: ${listOf(end.rebooted, 10)}`] : []),
    ...(end.failed.length ? [`failed:   ${listOf(end.failed, 10)}`] : []),
    ...(end.pending.length ? [`pending:  ${listOf(end.pending, 10)}`] : []),
    ...(end.reason ? [oneLine(end.reason)] : []),
  ];
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold {...(color ? { color: tone } : {})}>
        {head}
      </Text>
      <Box flexDirection="column" paddingLeft={2}>
        {lines.map((l) => (
          <Text key={l}>{l}</Text>
        ))}
      </Box>
    </Box>
  );
}
