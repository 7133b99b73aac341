#!/usr/bin/env node
// Thin launcher: the same CLI answers as `reboot-daemon` and as the kubectl plugin `kubectl-reboot_daemon`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
