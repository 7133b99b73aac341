// The live view: the event log in <Static> (printed once, above), then the header, one row per node, and the
// summary when the run ends. State comes from a LiveStore; the clock is a prop so tests fix it.
// May import: react, ink, ui/live/*.

import { useEffect, useState, useSyncExternalStore } from 'react';
import { Box, Static, Text } from 'ink';
import { Header } from './Header.js';
import { NodeRow } from './NodeRow.js';
import type { LogLine, LogTone } from './state.js';
import type { LiveStore } from './store.js';
import { Summary } from './Summary.js';

export interface AppProps {
  readonly store: LiveStore;
  readonly color: boolean;
  /** Wall clock for the timers. */
  readonly now?: () => number;
  /** Redraw timers this often; 0 turns ticking off (tests). */
  readonly tickMs?: number;
}

const LOG_COLOR: Record<LogTone, string | undefined> = {
  info: undefined,
  good: 'green',
  warn: 'yellow',
  error: 'red',
  dim: 'gray',
};

export function App({ store, color, now = Date.now, tickMs = 1000 }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const [, setTick] = useState(0);
  const ended = state.end !== undefined;
  useEffect(() => {
    if (!tickMs || ended) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    return () => clearInterval(timer);
  }, [tickMs, ended]);
  const at = now();
  const nameWidth = Math.min(40, Math.max(4, ...state.nodes.map((n) => n.name.length)));
  return (
    <>
      <Static items={[...state.log]}>
        {(line: LogLine) => (
          <Text key={line.id} {...(color && LOG_COLOR[line.tone] ? { color: LOG_COLOR[line.tone] } : {})}>
            {line.text}
          </Text>
        )}
      </Static>
      <Box flexDirection="column" marginTop={state.log.length ? 1 : 0}>
        <Header state={state} color={color} now={at} />
        <Box flexDirection="column" marginTop={1}>
          {state.nodes.map((n) => (
            <NodeRow key={n.name} node={n} nameWidth={nameWidth} color={color} now={at} />
          ))}
        </Box>
        {state.end ? (
          <Summary
            end={state.end}
            color={color}
            {...(state.startedAt === undefined ? {} : { startedAt: state.startedAt })}
          />
        ) : null}
      </Box>
    </>
  );
}
