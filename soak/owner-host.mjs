// Preloaded into each CLI run of the soak (node --import): os.hostname() answers $SOAK_HOSTNAME, so two runs
// on one machine have different owners (user@host), as two operators on two machines would; a run restarted
// in the same lane keeps its lane's owner. The CLI itself is unchanged.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const host = process.env.SOAK_HOSTNAME;
if (host) {
  const os = createRequire(import.meta.url)('node:os');
  os.hostname = () => host;
  syncBuiltinESMExports();
}
