// One node's line in the live view: a mark, the name, its step, and the detail of that step — drain progress
// with the pods waiting on PDBs, or the reboot timer (down → up → Ready). Pure display.
// May import: react, ink, ui/live/state, ui/text.

import { Box, Text } from 'ink';
import type { NodeStep } from '../../core/events.js';
import type { NodeLive, RebootStage } from './state.js';
import { formatDuration, formatWait, oneLine } from '../text.js';

const MARK: Record<NodeStep, string> = {
  check: '?',
  wait: '…',
  lock: '●',
  cordon: '●',
  drain: '●',
  reboot: '●',
  back: '●',
  done: '✔',
  failed: '✖',
  blocked: '■',
  skipped: '-',
};

const TONE: Partial<Record<NodeStep, string>> = {
  done: 'green',
  failed: 'red',
  blocked: 'yellow',
  wait: 'gray',
  skipped: 'gray',
  drain: 'cyan',
  reboot: 'magenta',
  back: 'magenta',
};

const STAGES: readonly { readonly stage: RebootStage; readonly label: string }[] = [
  { stage: 'triggered', label: 'triggered' },
  { stage: 'down', label: 'down' },
  { stage: 'up', label: 'up' },
  { stage: 'ready', label: 'Ready' },
];

export interface NodeRowProps {
  readonly node: NodeLive;
  readonly nameWidth: number;
  readonly color: boolean;
  readonly now: number;
}

export function NodeRow({ node, nameWidth, color, now }: NodeRowProps) {
  const tone = color ? TONE[node.step] : undefined;
  return (
    <Box flexDirection="column">
      <Box>
        <Text {...(tone ? { color: tone } : {})}>{MARK[node.step]} </Text>
        <Text bold>{oneLine(node.name).padEnd(nameWidth)}</Text>
        <Text {...(tone ? { color: tone } : {})}> {node.step.padEnd(8)}</Text>
        <Text wrap="truncate-end"> {detail(node, now)}</Text>
      </Box>
      {node.step === 'drain' && node.drain
        ? node.drain.waiting.slice(0, 3).map((w) => (
            <Text key={w.pod} dimColor={color} wrap="truncate-end">
              {' '.repeat(nameWidth + 13)}
              {formatWait(w)}
            </Text>
          ))
        : null}
    </Box>
  );
}

/** The text after the step: what is happening there right now. */
export function detail(node: NodeLive, now: number): string {
  if ((node.step === 'reboot' || node.step === 'back') && node.reboot) return rebootTimer(node.reboot, now);
  if (node.step === 'drain' && node.drain) {
    const more = node.drain.waiting.length > 3 ? ` (+${node.drain.waiting.length - 3} more waiting)` : '';
    const waits = node.drain.waiting.length ? `, ${node.drain.waiting.length} waiting${more}` : '';
    return `evicted ${node.drain.evicted}/${node.drain.total}${waits}`;
  }
  if (node.message) return oneLine(node.message);
  return node.sentinel ?? '';
}

/** "✔ triggered → ✔ down → · up → · Ready  1m05s"; the timer runs until Ready. */
export function rebootTimer(r: NonNullable<NodeLive['reboot']>, now: number): string {
  const reached = STAGES.findIndex((s) => s.stage === r.stage);
  const trail = STAGES.map((s, i) => `${i <= reached ? '✔' : '·'} ${s.label}`).join(' → ');
  const elapsed = r.stage === 'ready' ? r.elapsedMs : r.elapsedMs + Math.max(0, now - r.at);
  return `${trail}  ${formatDuration(elapsed)}`;
}
