// The simulator's own append-only record of what happened, for safety checks in tests: reboots, ignored
// reboot triggers, reboot pods that did nothing, helper pods run again after a boot, evictions with the
// budget before and after, budget violations, cordon changes, node down/up, pods killed by a reboot.
// May import: nothing.

export interface PdbSnapshot {
  readonly pdb: string; // namespace/name
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly expectedPods: number;
}

export type RecordEntry =
  | {
      readonly kind: 'rebootTriggered';
      readonly at: number;
      readonly node: string;
      readonly via: string;
      readonly oldBootID: string;
    }
  | {
      readonly kind: 'rebootIgnored';
      readonly at: number;
      readonly node: string;
      readonly via: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'reboot';
      readonly at: number;
      readonly node: string;
      readonly oldBootID: string;
      readonly newBootID: string;
      readonly triggeredAt: number;
    }
  | {
      readonly kind: 'rebootPodNoop';
      readonly at: number;
      readonly node: string;
      readonly pod: string;
      readonly message: string;
    }
  | {
      /** After a boot the kubelet started a DaemonSet or static pod's containers again (restartCount + 1). */
      readonly kind: 'podRestarted';
      readonly at: number;
      readonly node: string;
      readonly pod: string;
    }
  | {
      /** The kubelet ran a run-once pod's container again after a boot (rerunPodsAfterBoot). */
      readonly kind: 'podRerun';
      readonly at: number;
      readonly node: string;
      readonly pod: string;
    }
  | {
      readonly kind: 'eviction';
      readonly at: number;
      readonly pod: string; // namespace/name
      readonly node: string | undefined;
      readonly outcome: 'evicted' | 'refused' | 'multiplePdbs' | 'notFound' | 'skippedCheck';
      readonly pdb: string | undefined;
      readonly allowedBefore: number | undefined;
      readonly before: PdbSnapshot | undefined;
      readonly after: PdbSnapshot | undefined;
    }
  | {
      readonly kind: 'pdbViolation';
      readonly at: number;
      readonly pdb: string;
      readonly cause: 'eviction' | 'reboot';
      readonly currentHealthy: number;
      readonly desiredHealthy: number;
      readonly detail: string;
    }
  | { readonly kind: 'cordon'; readonly at: number; readonly node: string; readonly unschedulable: boolean }
  | {
      readonly kind: 'nodeDown';
      readonly at: number;
      readonly node: string;
      readonly status: 'False' | 'Unknown';
    }
  | { readonly kind: 'nodeUp'; readonly at: number; readonly node: string }
  | {
      readonly kind: 'podKilled';
      readonly at: number;
      readonly node: string;
      readonly pod: string;
      readonly reason: string;
    };

export type RecordKind = RecordEntry['kind'];
export type EntryOf<K extends RecordKind> = Extract<RecordEntry, { kind: K }>;

export interface SimRecord {
  append(e: RecordEntry): void;
  /** Everything, oldest first. */
  entries(): readonly RecordEntry[];
  of<K extends RecordKind>(kind: K): EntryOf<K>[];
  /** Called on every append (for live views); returns an unsubscribe. */
  subscribe(fn: (e: RecordEntry) => void): () => void;
}

export function createRecord(): SimRecord {
  const entries: RecordEntry[] = [];
  const subs = new Set<(e: RecordEntry) => void>();
  return {
    append(e) {
      entries.push(Object.freeze({ ...e }) as RecordEntry);
      for (const s of subs) s(e);
    },
    entries: () => entries.slice(),
    of<K extends RecordKind>(kind: K): EntryOf<K>[] {
      return entries.filter((e): e is EntryOf<K> => e.kind === kind);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
