// What kube-apiserver's registry strategies refuse on create and update, per served kind: the name
// rule, the metadata rules (./validate-meta.ts), the spec rules below, and whether an update may omit
// metadata.resourceVersion. Throws the 422 Invalid StatusError a real server sends.
// May import: ./validate-meta.js, ./validate-strings.js, ./status.js, ./types.js.

import { invalid, type StatusError } from './status.js';
import type { KObject, ResourceType } from './types.js';
import {
  causesOf,
  invalidValue,
  required,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type FieldError,
} from './validate-meta.js';
import { isDNS1123Label, nameIsDNSLabel, nameIsDNSSubdomain, type NameRule } from './validate-strings.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are loose JSON */

/**
 * Name rules by resource. namespaces: core/validation ValidateNamespaceName (a DNS-1123 label); all the
 * others served here use NameIsDNSSubdomain (ValidateNodeName, ValidatePodName, ValidateDeploymentName,
 * ValidateDaemonSetName, ValidateReplicaSetName, policy and coordination ValidateObjectMeta calls).
 */
const NAME_RULES: Readonly<Record<string, NameRule>> = { namespaces: nameIsDNSLabel };

/**
 * Strategies whose AllowUnconditionalUpdate() is false: an update without metadata.resourceVersion is
 * refused. pkg/registry/coordination/lease/strategy.go returns false; the pod, node, namespace, event,
 * daemonset, deployment, replicaset and poddisruptionbudget strategies return true (the registry then
 * fills in the current resourceVersion).
 */
const CONDITIONAL_UPDATE_ONLY: ReadonlySet<string> = new Set(['leases']);

/** core/validation validateContainers (name and image), for the containers of a pod spec. */
function validateContainers(containers: unknown, field: string): FieldError[] {
  if (!Array.isArray(containers) || containers.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  containers.forEach((c: any, i) => {
    const at = `${field}[${i}]`;
    const name = typeof c?.name === 'string' ? c.name : '';
    if (name === '') errs.push(required(`${at}.name`));
    else for (const m of isDNS1123Label(name)) errs.push(invalidValue(`${at}.name`, name, m));
    if (typeof c?.image !== 'string' || c.image === '') errs.push(required(`${at}.image`));
  });
  return errs;
}

/** core/validation ValidatePodSpec: a pod has at least one container (spec.containers: Required value). */
function validatePodSpec(obj: KObject): FieldError[] {
  return validateContainers(obj.spec?.containers, 'spec.containers');
}

/**
 * coordination/validation ValidateLeaseSpec: leaseDurationSeconds must be greater than 0 and
 * leaseTransitions non-negative. (Types and the MicroTime format are checked at decode: ./decode-check.ts.)
 */
function validateLeaseSpec(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const d = obj.spec?.leaseDurationSeconds;
  if (typeof d === 'number' && d <= 0) {
    errs.push(invalidValue('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  }
  const t = obj.spec?.leaseTransitions;
  if (typeof t === 'number' && t < 0) {
    errs.push(invalidValue('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
  }
  return errs;
}

const SPEC_RULES: Readonly<Record<string, (obj: KObject) => FieldError[]>> = {
  pods: validatePodSpec,
  leases: validateLeaseSpec,
};

function specErrors(type: ResourceType, obj: KObject): FieldError[] {
  return SPEC_RULES[type.resource]?.(obj) ?? [];
}

function refuse(type: ResourceType, name: string, errs: FieldError[]): StatusError {
  return invalid(type.kind, name, causesOf(errs), type.group);
}

/** Field errors of an object being created (after name generation and defaults). */
export function createErrors(type: ResourceType, obj: KObject): FieldError[] {
  const nameRule = NAME_RULES[type.resource] ?? nameIsDNSSubdomain;
  return [...validateObjectMeta(obj.metadata, type.namespaced, nameRule), ...specErrors(type, obj)];
}

/** rest.BeforeCreate: throws `<Kind> "<name>" is invalid: ...` (422) when the strategy's Validate fails. */
export function checkCreate(type: ResourceType, obj: KObject): void {
  const errs = createErrors(type, obj);
  if (errs.length > 0) throw refuse(type, obj.metadata.name ?? '', errs);
}

/** rest.BeforeUpdate: throws 422 when the strategy's ValidateUpdate fails for `next` replacing `old`. */
export function checkUpdate(type: ResourceType, next: KObject, old: KObject): void {
  const errs = [...validateObjectMetaUpdate(next.metadata, old.metadata), ...specErrors(type, next)];
  if (errs.length > 0) throw refuse(type, old.metadata.name, errs);
}

/**
 * registry/generic/registry/store.go Update: when the strategy does not allow an unconditional update,
 * an update without resourceVersion gets `leases.coordination.k8s.io "x" is invalid:
 * metadata.resourceVersion: Invalid value: 0x0: must be specified for an update` (named by resource).
 */
export function checkResourceVersionGiven(type: ResourceType, name: string, rv: string | undefined): void {
  if ((rv !== undefined && rv !== '') || !CONDITIONAL_UPDATE_ONLY.has(type.resource)) return;
  const err = invalidValue(
    'metadata.resourceVersion',
    { goSyntax: '0x0' },
    'must be specified for an update',
  );
  throw invalid(type.resource, name, causesOf([err]), type.group);
}
