// A tiny external store between the render facade and React: events go in, components subscribe.
// May import: core, ui/live/state.

import type { RunEvent } from '../../core/events.js';
import { initialLiveState, reduceLive, type LiveState } from './state.js';

export interface LiveStore {
  push(e: RunEvent): void;
  getState(): LiveState;
  subscribe(listener: () => void): () => void;
}

export function createLiveStore(opts: { verbose?: boolean } = {}): LiveStore {
  let state = initialLiveState;
  const listeners = new Set<() => void>();
  return {
    push(e) {
      state = reduceLive(state, e, { verbose: opts.verbose === true });
      for (const l of [...listeners]) l();
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
