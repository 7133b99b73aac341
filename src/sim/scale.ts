// The `scale` subresource of deployments and replicasets: an autoscaling/v1 Scale whose spec.replicas is
// the workload's, status.replicas its observed count and status.selector its selector in string form, as
// kube-apiserver's ScaleREST serves it (pkg/registry/apps/deployment/storage). Reading it reads the
// workload; writing it (PUT, or a patch of the Scale) changes only the workload's spec.replicas, with the
// Scale's resourceVersion as the precondition when it carries one. `kubectl scale` PATCHes it.
// May import: ./types.js, ./status.js, ./patch.js, ./selectors.js.
import type { KObject, ResourceType, Store } from './types.js';
import { conflict, invalid } from './status.js';
import { applyPatch } from './patch.js';
import { formatLabelSelector } from './selectors.js';

const SCALE = { group: 'autoscaling', version: 'v1', resource: 'scale', kind: 'Scale' } as const;

/** The Scale of a workload object. */
export function scaleOf(obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      ...(m.uid !== undefined ? { uid: m.uid } : {}),
      ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.creationTimestamp !== undefined ? { creationTimestamp: m.creationTimestamp } : {}),
    },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: obj.spec?.selector ? formatLabelSelector(obj.spec.selector) : '',
    },
  };
}

function replicasOf(name: string, scale: KObject): number {
  const r: unknown = scale.spec?.replicas;
  if (typeof r !== 'number' || !Number.isInteger(r)) {
    throw invalid(
      'Scale',
      name,
      [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(r)}: must be an integer` }],
      SCALE.group,
    );
  }
  if (r < 0) {
    throw invalid(
      'Scale',
      name,
      [{ field: 'spec.replicas', message: `Invalid value: ${r}: must be greater than or equal to 0` }],
      SCALE.group,
    );
  }
  return r;
}

/** Writes a new Scale (from PUT, or a patch applied to the current Scale); returns the resulting Scale. */
export function writeScale(
  store: Store,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  scale: KObject,
  dryRun: boolean,
): KObject {
  const current = store.get(type.resource, namespace, name);
  const rv = scale.metadata?.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) {
    throw conflict(type, name);
  }
  const replicas = replicasOf(name, scale);
  if (dryRun) return scaleOf({ ...current, spec: { ...current.spec, replicas } });
  const next = { ...current, spec: { ...current.spec, replicas } };
  return scaleOf(store.update(type.resource, next));
}

/** The Scale after a patch of the given media type. */
export function patchedScale(
  store: Store,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  patchType: string,
  body: unknown,
): KObject {
  return applyPatch(scaleOf(store.get(type.resource, namespace, name)), patchType, body);
}
