// The drain filters' reasons, and the words for them: a refused group's message naming the flag that fixes it,
// and the warning for pods deleted only because of --force.
// May import: nothing.

export const FilterReason = {
  Helper: 'helper',
  Terminating: 'terminating',
  DaemonSet: 'daemonset',
  /** Its DaemonSet no longer exists: nothing will bring it back after the reboot. */
  Orphan: 'orphan',
  /** Its DaemonSet could not be read: unknown, so the node is not drained. */
  DaemonSetUnreadable: 'daemonset-unreadable',
  Mirror: 'mirror',
  EmptyDir: 'emptydir',
  Unowned: 'unowned',
  Evict: 'evict',
} as const;

const ERROR_TEXT: Readonly<Record<string, { one: string; many: string; fix: string }>> = {
  [FilterReason.DaemonSet]: {
    one: 'pod is managed by a DaemonSet',
    many: 'pods are managed by a DaemonSet',
    fix: 'use --ignore-daemonsets',
  },
  [FilterReason.Orphan]: {
    one: 'pod is managed by a DaemonSet that no longer exists',
    many: 'pods are managed by a DaemonSet that no longer exists',
    fix: 'use --force; they will not be recreated',
  },
  [FilterReason.EmptyDir]: {
    one: 'pod uses emptyDir local storage',
    many: 'pods use emptyDir local storage',
    fix: 'use --delete-emptydir-data; their data is lost',
  },
  [FilterReason.Unowned]: {
    one: 'pod has no controller',
    many: 'pods have no controller',
    fix: 'use --force; they will not be recreated',
  },
};

const LIST_LIMIT = 5;

export function formatPodList(names: readonly string[]): string {
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … (${names.length - LIST_LIMIT} more)` : shown;
}

export function describeErrorGroup(reason: string, pods: readonly string[], sample?: string): string {
  const text = ERROR_TEXT[reason];
  if (text === undefined) {
    return `${pods.length} ${pods.length === 1 ? 'pod' : 'pods'} refused (${sample ?? reason}): ${formatPodList(pods)}`;
  }
  return `${pods.length} ${pods.length === 1 ? text.one : text.many}: ${formatPodList(pods)} (${text.fix})`;
}

export const WARNING_TEXT: Readonly<Record<string, string>> = {
  [FilterReason.Orphan]: 'deleting pods whose DaemonSet no longer exists (--force)',
  [FilterReason.Unowned]: 'deleting pods that have no controller (--force)',
};
