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
/** On this tool's helper pods: app.kubernetes.io/managed-by=reboot-daemon, and their role (check, reboot). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'reboot-daemon';
export const HELPER_ROLE_LABEL = 'reboot-daemon.io/role';
/** The well-known zone label. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Written by `reboot-daemon agent` on its own node: "true", "false" or "unknown". */
export const AGENT_REQUIRED_ANNOTATION = 'reboot-daemon.io/reboot-required';
/** Why a reboot is required (the packages from reboot-required.pkgs), or why the check failed. */
export const AGENT_REASON_ANNOTATION = 'reboot-daemon.io/reboot-required-reason';
/** RFC3339 time the agent first saw the current need for a reboot. */
export const AGENT_SINCE_ANNOTATION = 'reboot-daemon.io/reboot-required-since';
/** RFC3339 time of the agent's last check: its heartbeat. */
export const AGENT_CHECKED_ANNOTATION = 'reboot-daemon.io/agent-checked-at';
/** The agent's --period, e.g. "3600s": a report older than three periods is stale. */
export const AGENT_PERIOD_ANNOTATION = 'reboot-daemon.io/agent-period';
/** The node's boot ID when the agent checked: a report from an earlier boot says nothing about this one. */
export const AGENT_BOOT_ID_ANNOTATION = 'reboot-daemon.io/agent-boot-id';
/**
 * Set with our state record and removed with it: lets a run find every node in progress (whoever's, whatever its
 * own selector) with one label-selected list.
 */
export const IN_PROGRESS_LABEL = 'reboot-daemon.io/in-progress';

/**
 * The signal that makes systemd reboot (SIGRTMIN+5), by number: glibc's SIGRTMIN is 34, so 39. kured's
 * default --reboot-signal. Given as a number because busybox's kill refuses RTMIN+5 by name.
 */
export const REBOOT_SIGNAL = 39;
/**
 * The last reboot of this node that could not even start (e.g. the host has no systemctl): an RFC 3339 time
 * and the reason. Written when such a failure is undone (no record left to hold a slot), cleared at the next cordon.
 */
export const LAST_FAILURE_ANNOTATION = 'reboot-daemon.io/last-failure';
