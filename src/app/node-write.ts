// Every write of a node's record, in one place: a compare-and-swap on the node's resourceVersion, made only while
// the record carries this run's fencing token. On a conflict the node is read again; if the record is no longer
// ours the run stops touching the node (LockLostError), else the write is rebuilt on the fresh node and tried
// again. The cordon, kured's annotations, the labels and the in-progress label travel in the same patch.
// May import: core, ports, app.

import { ConflictError } from '../core/errors.js';
import { IN_PROGRESS_LABEL, KURED_IN_PROGRESS_ANNOTATION, STATE_ANNOTATION } from '../core/keys.js';
import {
  describeToken,
  parseNodeRecord,
  sameToken,
  serializeNodeRecord,
  transition,
  type FenceToken,
  type NodeEvent,
  type NodeRecord,
} from '../core/machine.js';
import type { NodeView } from '../core/types.js';
import type { NodePatch } from '../ports/cluster.js';
import type { LeaseLock } from './lock.js';
import type { DaemonSetLookup } from './drain-facts.js';
import type { RunDeps, RunOptions } from './types.js';

export interface NodeCtx {
  readonly deps: RunDeps;
  readonly opts: RunOptions;
  readonly runId: string;
  readonly lock: LeaseLock;
  /** This run's DaemonSet lookups, shared by its drains (a DaemonSet seen alive is not read again). */
  readonly daemonSets: DaemonSetLookup;
}

/** This run no longer owns the node's record (or its slot): stop touching the node at once, undo nothing. */
export class LockLostError extends Error {}

/** The machine refused a move: a bug or a changed world; the node is left as recorded. */
export class IllegalMoveError extends Error {}

const MAX_CONFLICTS = 10;

/** What one write puts on the node: the record (null clears it) and what travels with it. */
export interface RecordWrite {
  readonly record: NodeRecord | null;
  readonly extra?: NodePatch;
}

/** The patch that writes (or clears) a record, with the in-progress label beside it. */
export function recordPatch(w: RecordWrite, annotateNodes: boolean, ifResourceVersion?: string): NodePatch {
  const extra = w.extra ?? {};
  const annotations: Record<string, string | null> = { ...extra.annotations };
  const labels: Record<string, string | null> = { ...extra.labels };
  if (w.record === null) {
    annotations[STATE_ANNOTATION] = null;
    labels[IN_PROGRESS_LABEL] = null;
    if (annotateNodes) annotations[KURED_IN_PROGRESS_ANNOTATION] = null;
  } else {
    annotations[STATE_ANNOTATION] = serializeNodeRecord(w.record);
    labels[IN_PROGRESS_LABEL] = 'true';
  }
  return {
    ...extra,
    annotations,
    labels,
    ...(ifResourceVersion === undefined ? {} : { ifResourceVersion }),
  };
}

/** The node as this run last read or wrote it, and the record it holds there under its token. */
export class NodeHandle {
  constructor(
    private readonly ctx: NodeCtx,
    readonly name: string,
    public node: NodeView,
    public record: NodeRecord,
  ) {}

  get token(): FenceToken {
    return this.record.token;
  }

  /** Whether the node, as read, still carries our record; the reason when not. */
  private ours(node: NodeView): NodeRecord | string {
    const parsed = parseNodeRecord(node.annotations[STATE_ANNOTATION]);
    if (parsed.kind === 'none') return 'its record was cleared by someone else';
    if (parsed.kind === 'unreadable') return `its record is now unreadable (${parsed.error})`;
    if (!sameToken(parsed.record.token, this.record.token))
      return `its record now belongs to ${describeToken(parsed.record.token)}`;
    return parsed.record;
  }

  /**
   * A view of the node seen elsewhere (a watch): the next write starts from it, so a kubelet's status update in
   * between does not cost a conflict. Taken only while it shows our record as we last wrote it: an older view
   * (before our last write) or one with someone else's record is ignored, and the next write finds out.
   */
  seen(node: NodeView): boolean {
    if (node.name !== this.name || node.resourceVersion === undefined) return false;
    if (node.annotations[STATE_ANNOTATION] !== serializeNodeRecord(this.record)) return false;
    this.node = node;
    this.viewed = true;
    return true;
  }

  /** Whether a watched view was taken since the last write or read. */
  viewed = false;

  /** Reads the node again; throws LockLostError when the record on it is no longer ours. */
  async refresh(): Promise<NodeView> {
    const node = await this.ctx.deps.cluster.getNode(this.name);
    const r = this.ours(node);
    if (typeof r === 'string') throw new LockLostError(`${this.name}: ${r}`);
    this.node = node;
    this.record = r;
    this.viewed = false;
    return node;
  }

  /**
   * Writes what build() makes of the node and our record, as a compare-and-swap. build runs again on the fresh
   * node after a conflict, so what it takes from the node (its cordon, its boot ID) is what the write replaces.
   */
  async write(
    build: (node: NodeView, record: NodeRecord) => RecordWrite,
    conflicts = MAX_CONFLICTS,
  ): Promise<NodeView> {
    for (let attempt = 0; ; attempt++) {
      if (this.node.resourceVersion === undefined)
        throw new Error(
          `${this.name}: the node came without a resourceVersion; refusing to write without one`,
        );
      const w = build(this.node, this.record);
      try {
        const node = await this.ctx.deps.cluster.patchNode(
          this.name,
          recordPatch(w, this.ctx.opts.annotateNodes, this.node.resourceVersion),
        );
        this.node = node;
        this.viewed = false;
        if (w.record !== null) this.record = w.record;
        return node;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt + 1 >= conflicts) throw err;
        await this.refresh();
      }
    }
  }

  /** Applies a machine event to the record and writes it, with `extra` built from the node. */
  advance(
    event: (node: NodeView) => NodeEvent,
    extra: (node: NodeView, next: NodeRecord) => NodePatch = () => ({}),
  ): Promise<NodeView> {
    return this.write((node, record) => {
      const next = move(this.ctx, record, event(node));
      return { record: next, extra: extra(node, next) };
    });
  }
}

/** Applies a machine event in memory. */
export function move(ctx: NodeCtx, record: NodeRecord, event: NodeEvent): NodeRecord {
  const t = transition(record, event, ctx.deps.serverTime.now());
  if (!t.ok) throw new IllegalMoveError(t.error);
  return t.record;
}
