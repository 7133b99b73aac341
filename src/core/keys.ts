// Label and annotation keys this tool reads or writes on nodes, and kured's keys that users already know.
// May import: nothing.

/** Our per-node state record (JSON, see core/machine.ts). */
export const STATE_ANNOTATION = 'reboot-daemon.io/state';
/** A node labelled reboot-daemon.io/exclude=true is never rebooted by this tool. */
export const EXCLUDE_LABEL = 'reboot-daemon.io/exclude';
/** kured's annotation: RFC3339 time the reboot of this node started. */
export const KURED_IN_PROGRESS_ANNOTATION = 'weave.works/kured-reboot-in-progress';
/** kured's annotation: RFC3339 time a reboot was last found needed on this node. */
export const KURED_MOST_RECENT_NEEDED_ANNOTATION = 'weave.works/kured-most-recent-reboot-needed';
/** The well-known zone label. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
