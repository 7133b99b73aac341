// The live view's header: the run, the window's state with time until it closes (or opens), the lock holders
// and cluster-wide blockers. Pure display.
// May import: react, ink, ui/live/state, ui/text.

import { Box, Text } from 'ink';
import type { LiveState } from './state.js';
import { formatDuration, listOf, oneLine } from '../text.js';

export interface HeaderProps {
  readonly state: LiveState;
  readonly color: boolean;
  readonly now: number;
}

export function Header({ state, color, now }: HeaderProps) {
  const w = state.window;
  return (
    <Box flexDirection="column">
      <Text bold>
        reboot-daemon run {state.runId ? oneLine(state.runId) : ''}
        {state.dryRun ? ' (dry run: nothing will be changed)' : ''}
      </Text>
      {w ? (
        <Text>
          Window:{' '}
          <Text {...(color ? { color: w.open ? 'green' : 'yellow' } : {})}>{w.open ? 'open' : 'closed'}</Text>{' '}
          ({oneLine(w.description)}){windowTime(w, now)}
        </Text>
      ) : null}
      <Text>Lock: {state.lockHolders.length ? `held by ${listOf(state.lockHolders)}` : 'free'}</Text>
      {state.blocked && state.blocked.length ? (
        <Text {...(color ? { color: 'yellow' } : {})}>Blocked: {state.blocked.map(oneLine).join('; ')}</Text>
      ) : null}
    </Box>
  );
}

export function windowTime(w: NonNullable<LiveState['window']>, now: number): string {
  if (w.open && w.closesAt !== undefined)
    return `, closes in ${formatDuration(Math.max(0, w.closesAt - now))}`;
  if (!w.open && w.nextOpen !== undefined)
    return `, opens in ${formatDuration(Math.max(0, w.nextOpen - now))}`;
  return '';
}
