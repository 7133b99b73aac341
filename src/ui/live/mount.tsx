// Mounts the ink live view on a terminal and adapts it to the render facade's Renderer. The only file that
// calls ink's render(); render.ts loads it lazily, so commands never import React.
// May import: react, ink, ui/live/*, ui/render (types).

import { render } from 'ink';
import type { RunEvent } from '../../core/events.js';
import type { OutStream, Renderer } from '../render.js';
import { App } from './App.js';
import { createLiveStore } from './store.js';

export interface MountOptions {
  readonly out: OutStream;
  readonly err: OutStream;
  readonly color: boolean;
  readonly verbose: boolean;
  readonly now?: (() => number) | undefined;
}

export function mountLive(opts: MountOptions): Renderer {
  const store = createLiveStore({ verbose: opts.verbose });
  const instance = render(<App store={store} color={opts.color} {...(opts.now ? { now: opts.now } : {})} />, {
    stdout: withWidth(opts.out as NodeJS.WriteStream),
    stderr: opts.err as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: true,
  });
  let finished = false;
  return {
    event(e: RunEvent) {
      if (!finished) store.push(e);
    },
    async done() {
      if (finished) return;
      finished = true;
      // Let React commit the last state, then leave the final frame on screen.
      await new Promise((resolve) => setImmediate(resolve));
      instance.unmount();
      await instance.waitUntilExit();
      // ink leaves the cursor at the end of the last frame; the shell prompt belongs on a line of its own.
      opts.out.write('\n');
    },
  };
}

/** A terminal that reports no width (a pty without a size) would make ink lay out one character per line. */
function withWidth(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.columns) return stream;
  return new Proxy(stream, {
    get: (target, prop) => (prop === 'columns' ? target.columns || 100 : Reflect.get(target, prop, target)),
  });
}
