// The lock port: raw reads and compare-and-swap writes of the Lease that holds the cluster-wide lock.
// Decisions about the record live in core/lock.ts.
// May import: nothing.

export interface LeaseSnapshot {
  /** The raw holders record (JSON text) stored on the Lease, or undefined when the Lease has none. */
  readonly record: string | undefined;
  readonly resourceVersion: string;
}

export type CasResult =
  { readonly ok: true; readonly resourceVersion: string } | { readonly ok: false; readonly conflict: true };

export interface LeaseStore {
  /** undefined when the Lease does not exist yet. */
  read(): Promise<LeaseSnapshot | undefined>;
  /** Creates the Lease with this record; conflict when someone created it first. */
  create(record: string, holderIdentity: string, leaseDurationSeconds: number): Promise<CasResult>;
  /** Replaces the record if the Lease still has resourceVersion; conflict otherwise. */
  update(
    record: string,
    holderIdentity: string,
    leaseDurationSeconds: number,
    resourceVersion: string,
  ): Promise<CasResult>;
}

/** kured's own lock: the annotation weave.works/kured-node-lock on its DaemonSet. */
export interface ForeignLockReader {
  /** Holders of kured's lock now; [] when free or when kured is not installed. Throws when unreadable. */
  holders(): Promise<string[]>;
}
