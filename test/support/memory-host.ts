// The host side of a reboot in the in-memory cluster: guarded by the boot ID, the node goes NotReady, boots
// with a new boot ID (its sentinel cleared), and comes back Ready, each after a delay on the fake clock.
// May import: test/support.

import type { MemoryCluster } from './memory-cluster.js';

/** The host side of a guarded reboot: nothing happens unless the boot ID still matches. */
export function hostReboot(
  cluster: MemoryCluster,
  name: string,
  expectedBootID: string,
): 'rebooting' | 'guard-refused' | 'already-going-down' {
  const clock = cluster.clock;
  const n = cluster.node(name);
  if (n.bootID !== expectedBootID) return 'guard-refused';
  if (n.rebooting) return 'already-going-down';
  if (n.behaviour === 'ignores-reboot') return 'rebooting';
  n.rebooting = true;
  cluster.changed();
  clock.schedule(cluster.timing.downMs, () => {
    n.ready = 'Unknown';
    n.readySince = clock.now();
    n.rv++;
    cluster.changed();
  });
  clock.schedule(cluster.timing.bootMs, () => {
    n.boots += 1;
    n.bootID = `${n.name}-boot-${n.boots + 1}`;
    n.sentinel = 'not-required';
    n.rebooting = false;
    n.ready = 'False';
    n.readySince = clock.now();
    n.rv++;
    cluster.changed();
    if (n.behaviour === 'never-ready') return;
    clock.schedule(cluster.timing.readyMs, () => {
      n.ready = 'True';
      n.readySince = clock.now();
      n.rv++;
      cluster.changed();
      cluster.scheduleReplacements();
    });
  });
  return 'rebooting';
}
