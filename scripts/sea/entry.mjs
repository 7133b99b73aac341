// Entry of the single executable: the same launcher as bin/, plus the layout engine of the ink live view,
// loaded (WebAssembly, asynchronously) before the CLI starts when stdout is a terminal. Off a terminal the
// live view is never chosen, so the engine is not loaded and startup stays short.
// May import: src/cli/main, yoga-layout/load, the yoga stand-in made by scripts/sea/bundle.mjs.
import { loadYoga } from 'yoga-layout/load';
import { setYoga } from 'sea-yoga-shim';
import { main } from '../../src/cli/main.ts';

const layout = process.stdout.isTTY
  ? loadYoga().then(setYoga, (err) => {
      // Without it the live view fails to load and the render facade falls back to plain lines.
      if (process.env['REBOOT_DAEMON_DEBUG']) console.error('live view layout engine failed to load:', err);
    })
  : Promise.resolve();

layout
  .then(() => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
