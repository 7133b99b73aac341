// Per-resource columns of the server-side Table view, with the same names and cells a real server prints.
// May import: ./types.js, ./table-cells.js.
import {
  AGE,
  type Any,
  NAME,
  NONE,
  type Printer,
  col,
  intOrPercent,
  joined,
  nodeAddress,
  nodeRoles,
  nodeStatus,
  podPhaseText,
  podReady,
  podRestarts,
  str,
  workloadWide,
  workloadWideCells,
} from './table-cells.js';

export type { ColumnDefinition, Printer } from './table-cells.js';

export const printers: Readonly<Record<string, Printer>> = {
  nodes: {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 1),
      col('External-IP', 1),
      col('OS-Image', 1),
      col('Kernel-Version', 1),
      col('Container-Runtime', 1),
    ],
    cells: (n, age) => {
      const info = n.status?.nodeInfo ?? {};
      return [
        n.metadata.name,
        nodeStatus(n),
        nodeRoles(n),
        age(n.metadata.creationTimestamp),
        str(info.kubeletVersion, ''),
        nodeAddress(n, 'InternalIP'),
        nodeAddress(n, 'ExternalIP'),
        str(info.osImage, '<unknown>'),
        str(info.kernelVersion, '<unknown>'),
        str(info.containerRuntimeVersion, '<unknown>'),
      ];
    },
  },
  pods: {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      { ...col('Restarts'), type: 'integer' },
      AGE,
      col('IP', 1),
      col('Node', 1),
      col('Nominated Node', 1),
      col('Readiness Gates', 1),
    ],
    cells: (p, age) => [
      p.metadata.name,
      podReady(p),
      podPhaseText(p),
      podRestarts(p),
      age(p.metadata.creationTimestamp),
      str(p.status?.podIP, NONE),
      str(p.spec?.nodeName, NONE),
      str(p.status?.nominatedNodeName, NONE),
      NONE,
    ],
  },
  poddisruptionbudgets: {
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions'), AGE],
    cells: (o, age) => [
      o.metadata.name,
      intOrPercent(o.spec?.minAvailable),
      intOrPercent(o.spec?.maxUnavailable),
      Number(o.status?.disruptionsAllowed ?? 0),
      age(o.metadata.creationTimestamp),
    ],
  },
  deployments: {
    columns: [NAME, col('Ready'), col('Up-to-date'), col('Available'), AGE, ...workloadWide],
    cells: (o, age) => [
      o.metadata.name,
      `${str(o.status?.readyReplicas)}/${str(o.spec?.replicas, '1')}`,
      Number(o.status?.updatedReplicas ?? 0),
      Number(o.status?.availableReplicas ?? 0),
      age(o.metadata.creationTimestamp),
      ...workloadWideCells(o),
    ],
  },
  replicasets: {
    columns: [NAME, col('Desired'), col('Current'), col('Ready'), AGE, ...workloadWide],
    cells: (o, age) => [
      o.metadata.name,
      Number(o.spec?.replicas ?? 1),
      Number(o.status?.replicas ?? 0),
      Number(o.status?.readyReplicas ?? 0),
      age(o.metadata.creationTimestamp),
      ...workloadWideCells(o),
    ],
  },
  daemonsets: {
    columns: [
      NAME,
      col('Desired'),
      col('Current'),
      col('Ready'),
      col('Up-to-date'),
      col('Available'),
      col('Node Selector'),
      AGE,
      ...workloadWide,
    ],
    cells: (o, age) => {
      const sel = o.spec?.template?.spec?.nodeSelector ?? {};
      return [
        o.metadata.name,
        Number(o.status?.desiredNumberScheduled ?? 0),
        Number(o.status?.currentNumberScheduled ?? 0),
        Number(o.status?.numberReady ?? 0),
        Number(o.status?.updatedNumberScheduled ?? 0),
        Number(o.status?.numberAvailable ?? 0),
        joined(Object.keys(sel).map((k) => `${k}=${sel[k]}`)),
        age(o.metadata.creationTimestamp),
        ...workloadWideCells(o),
      ];
    },
  },
  namespaces: {
    columns: [NAME, col('Status'), AGE],
    cells: (o, age) => [o.metadata.name, str(o.status?.phase, 'Active'), age(o.metadata.creationTimestamp)],
  },
  leases: {
    columns: [NAME, col('Holder'), AGE],
    cells: (o, age) => [o.metadata.name, str(o.spec?.holderIdentity, ''), age(o.metadata.creationTimestamp)],
  },
  events: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Subobject', 1),
      col('Source', 1),
      col('Message'),
      col('First Seen', 1),
      { ...col('Count', 1), type: 'integer' },
      { ...col('Name', 1), format: 'name' },
    ],
    cells: (e, age) => {
      const inv = (e['involvedObject'] ?? {}) as Any;
      const src = (e['source'] ?? {}) as Any;
      const last = (e['lastTimestamp'] ?? e['eventTime'] ?? e.metadata.creationTimestamp) as
        string | undefined;
      const first = (e['firstTimestamp'] ?? e['eventTime'] ?? e.metadata.creationTimestamp) as
        string | undefined;
      return [
        age(last),
        str(e['type'], ''),
        str(e['reason'], ''),
        `${String(inv.kind ?? '').toLowerCase()}/${str(inv.name, '')}`,
        str(inv.fieldPath, ''),
        [src.component, src.host].filter(Boolean).join(', '),
        str(e['message'], ''),
        age(first),
        Number(e['count'] ?? 1),
        e.metadata.name,
      ];
    },
  },
};

/** NAME and AGE, for any resource without its own printer. */
export const genericPrinter: Printer = {
  columns: [NAME, AGE],
  cells: (o, age) => [o.metadata.name, age(o.metadata.creationTimestamp)],
};
