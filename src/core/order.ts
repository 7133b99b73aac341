// Which nodes are candidates for a reboot, in what order, and which may start next under --max-per-zone.
// Every node gets a verdict with a reason, so status and plan can explain each choice.
// May import: core/types, core/keys.

import { EXCLUDE_LABEL } from './keys.js';
import type { NodeView, SentinelResult } from './types.js';

export const NodeVerdict = {
  Candidate: 'candidate',
  NotRequired: 'not-required',
  Unknown: 'unknown',
  Excluded: 'excluded',
  NotSelected: 'not-selected',
} as const;
export type NodeVerdict = (typeof NodeVerdict)[keyof typeof NodeVerdict];

export interface NodeSelection {
  readonly node: NodeView;
  readonly verdict: NodeVerdict;
  readonly reason: string;
}

export const OrderMode = { Name: 'name', Zone: 'zone-interleaved' } as const;
export type OrderMode = (typeof OrderMode)[keyof typeof OrderMode];

export interface SelectOptions {
  /** --node-selector as a predicate over labels; undefined selects every node. */
  readonly matches?: (labels: Readonly<Record<string, string>>) => boolean;
  readonly order?: OrderMode;
}

/**
 * Why this tool cannot reboot the node at all, if so: its helper pods and agent are Linux programs that need
 * a real host. A node that is not Linux, or does not say, and a virtual node (virtual-kubelet: a label, a
 * taint or a "-vk-" kubelet version; or no kubelet version at all) is never sent a pod.
 */
export function unsupportedBy(node: NodeView): string | undefined {
  if (node.os !== 'linux')
    return node.os === ''
      ? 'not known to be a Linux node (no kubernetes.io/os label, no operating system reported): not checked, not rebooted'
      : `not a Linux node (kubernetes.io/os=${node.os}): not checked, not rebooted`;
  const virtual =
    node.labels['type'] === 'virtual-kubelet' ||
    node.taints.some((t) => t.key === 'virtual-kubelet.io/provider') ||
    node.kubeletVersion === '' ||
    node.kubeletVersion.includes('-vk-');
  if (virtual)
    return `a virtual node (${node.kubeletVersion === '' ? 'no kubelet version' : 'virtual-kubelet'}): no host to reboot; not checked, not rebooted`;
  return undefined;
}

/** Why the node is left out of every run: this tool cannot reboot it, or it opted out by label. */
export function excludedBy(node: NodeView): string | undefined {
  return (
    unsupportedBy(node) ??
    (node.labels[EXCLUDE_LABEL] === 'true' ? `opted out by the label ${EXCLUDE_LABEL}=true` : undefined)
  );
}

/** Candidates (reboot required, selected, not opted out) ordered; every other node with why not. */
export function selectCandidates(
  nodes: readonly NodeView[],
  probes: ReadonlyMap<string, SentinelResult>,
  opts: SelectOptions = {},
): { candidates: NodeSelection[]; others: NodeSelection[] } {
  const candidates: NodeSelection[] = [];
  const others: NodeSelection[] = [];
  for (const node of nodes) {
    if (opts.matches !== undefined && !opts.matches(node.labels)) {
      others.push({ node, verdict: 'not-selected', reason: 'does not match --node-selector' });
      continue;
    }
    const excluded = excludedBy(node);
    if (excluded !== undefined) {
      others.push({ node, verdict: 'excluded', reason: excluded });
      continue;
    }
    const probe = probes.get(node.name);
    if (probe === undefined) others.push({ node, verdict: 'unknown', reason: 'not checked' });
    else if (probe.kind === 'unknown') {
      others.push({ node, verdict: 'unknown', reason: `check failed, not rebooting: ${probe.error}` });
    } else if (probe.kind === 'not-required') {
      others.push({ node, verdict: 'not-required', reason: `no reboot required (${probe.source})` });
    } else candidates.push({ node, verdict: 'candidate', reason: `reboot required: ${probe.reason}` });
  }
  const order = orderNodes(
    candidates.map((c) => c.node),
    opts.order ?? 'name',
  );
  const byName = new Map(candidates.map((c) => [c.node.name, c]));
  return {
    candidates: order.map((n) => byName.get(n.name)).filter((c): c is NodeSelection => c !== undefined),
    others: others.sort((a, b) => a.node.name.localeCompare(b.node.name)),
  };
}

const byName = (a: NodeView, b: NodeView): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function interleaveZones(nodes: readonly NodeView[]): NodeView[] {
  const zones = new Map<string, NodeView[]>();
  for (const n of [...nodes].sort(byName)) {
    const key = n.zone ?? '';
    zones.set(key, [...(zones.get(key) ?? []), n]);
  }
  const lists = [...zones.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
  const out: NodeView[] = [];
  for (let i = 0; out.length < nodes.length; i++) {
    for (const l of lists) {
      const n = l[i];
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

/** Workers first, control-plane nodes last; by name, or round-robin over zones. */
export function orderNodes(nodes: readonly NodeView[], mode: OrderMode = 'name'): NodeView[] {
  const arrange = (list: readonly NodeView[]): NodeView[] =>
    mode === 'zone-interleaved' ? interleaveZones(list) : [...list].sort(byName);
  return [...arrange(nodes.filter((n) => !n.controlPlane)), ...arrange(nodes.filter((n) => n.controlPlane))];
}

export interface ZoneBudget {
  /** --max-per-zone; 0 or undefined means no limit. */
  readonly maxPerZone?: number;
  /** Nodes in progress now (ours and other runs'), with their zones. */
  readonly inProgress: readonly { readonly node: string; readonly zone?: string }[];
}

/** May this node start now without exceeding --max-per-zone? */
export function zoneAllows(
  node: Pick<NodeView, 'name' | 'zone'>,
  budget: ZoneBudget,
): { ok: boolean; reason: string } {
  const max = budget.maxPerZone ?? 0;
  if (max <= 0 || node.zone === undefined) return { ok: true, reason: 'no zone limit applies' };
  const busy = budget.inProgress.filter((p) => p.zone === node.zone && p.node !== node.name);
  if (busy.length >= max) {
    return {
      ok: false,
      reason: `zone ${node.zone} already has ${busy.length}/${max} in progress (${busy.map((b) => b.node).join(', ')})`,
    };
  }
  return { ok: true, reason: `zone ${node.zone}: ${busy.length}/${max} in progress` };
}

/** The first queued node that may start under the zone budget, or why none may. */
export function pickNext<T extends { readonly node: Pick<NodeView, 'name' | 'zone'> }>(
  queue: readonly T[],
  budget: ZoneBudget,
): { found: true; index: number; item: T } | { found: false; reason: string } {
  const reasons: string[] = [];
  for (const [index, item] of queue.entries()) {
    const v = zoneAllows(item.node, budget);
    if (v.ok) return { found: true, index, item };
    reasons.push(`${item.node.name}: ${v.reason}`);
  }
  return { found: false, reason: reasons.length === 0 ? 'nothing queued' : reasons.join('; ') };
}
