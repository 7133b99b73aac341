// The API server's Priority admission plugin for pods (plugin/pkg/admission/priority/admission.go), with the
// two built-in classes only (this simulator serves no PriorityClass objects): a pod's priorityClassName is
// resolved into spec.priority and spec.preemptionPolicy at creation; an unknown name is refused (403), and so
// is a spec.priority that differs from the class's. Without a class (and no global default) the priority is 0.
// Since Kubernetes 1.17 these classes are allowed in every namespace; a cluster may limit them to namespaces
// holding a covering ResourceQuota (the ResourceQuota plugin's limitedResources), which this simulator does not.
// May import: ./types.js, ./status.js.
import { forbidden } from './status.js';
import type { ResourceRef } from './status.js';
import type { KObject } from './types.js';

/** scheduling.SystemPriorityClasses: name and value. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

/** Sets spec.priority (and preemptionPolicy) on a pod being created; throws a 403 StatusError as the plugin does. */
export function admitPriority(pod: KObject, ref: ResourceRef): void {
  const spec = pod.spec;
  if (typeof spec !== 'object' || spec === null) return;
  const name: unknown = spec.priorityClassName;
  let priority = 0;
  if (typeof name === 'string' && name !== '') {
    const value = SYSTEM_PRIORITY_CLASSES[name];
    if (value === undefined)
      throw forbidden(`no PriorityClass with name ${name} was found`, ref, pod.metadata?.name);
    priority = value;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(
      `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      ref,
      pod.metadata?.name,
    );
  }
  spec.priority = priority;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}
