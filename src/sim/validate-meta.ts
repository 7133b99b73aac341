// Field errors as kube-apiserver words them, and the ObjectMeta rules every object meets on create and
// on update. Mirrors k8s.io/apimachinery pkg/util/validation/field/errors.go (ErrorBody) and
// pkg/api/validation/objectmeta.go (ValidateObjectMeta, ValidateObjectMetaUpdate, v0.32).
// May import: ./validate-strings.js, ./status.js, ./types.js.

import type { StatusCause } from './status.js';
import type { ObjectMeta } from './types.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameRule } from './validate-strings.js';

/** field.ErrorType: the cause reason and the words the message starts with. */
export const FieldErrorType = {
  Required: { reason: 'FieldValueRequired', words: 'Required value' },
  Invalid: { reason: 'FieldValueInvalid', words: 'Invalid value' },
  Forbidden: { reason: 'FieldValueForbidden', words: 'Forbidden' },
  TooLong: { reason: 'FieldValueTooLong', words: 'Too long' },
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

/**
 * A bad value as Go's ErrorBody prints it: strings quoted (%q), numbers and booleans bare (%v);
 * `{ goSyntax }` for values Go prints with %#v (e.g. the uint64 0 that prints as `0x0`).
 */
export type BadValue = string | number | boolean | null | { readonly goSyntax: string };

export interface FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly value?: BadValue;
  readonly detail: string;
}

function printValue(v: BadValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return v.goSyntax;
  return String(v);
}

/** field.Error.ErrorBody: `Invalid value: "x": detail`; Required, Forbidden and TooLong omit the value. */
export function errorBody(e: FieldError): string {
  const head = e.type === FieldErrorType.Invalid ? `${e.type.words}: ${printValue(e.value)}` : e.type.words;
  return e.detail === '' ? head : `${head}: ${e.detail}`;
}

/** The Status causes of field errors, as errors.NewInvalid lists them. */
export function causesOf(errs: readonly FieldError[]): StatusCause[] {
  return errs.map((e) => ({ reason: e.type.reason, message: errorBody(e), field: e.field }));
}

export const required = (field: string, detail = ''): FieldError => ({
  type: FieldErrorType.Required,
  field,
  detail,
});
export const invalidValue = (field: string, value: BadValue, detail: string): FieldError => ({
  type: FieldErrorType.Invalid,
  field,
  value,
  detail,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({
  type: FieldErrorType.Forbidden,
  field,
  detail,
});
/** field.TooLong as apimachinery v0.32 words it. */
export const tooLong = (field: string, max: number): FieldError => ({
  type: FieldErrorType.TooLong,
  field,
  detail: `may not be more than ${max} bytes`,
});

/** objectmeta.go TotalAnnotationSizeLimitB: keys and values together, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** meta/v1/validation ValidateLabels: each key a qualified name, each value a valid label value. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidValue(field, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(field, v, m));
  }
  return errs;
}

/** objectmeta.go ValidateAnnotations: keys are qualified names (case aside); 256 KiB in all. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  field: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(field, k, m));
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** objectmeta.go ValidateFinalizers (names only): each finalizer a qualified name. */
function validateFinalizers(finalizers: readonly string[] | undefined, field: string): FieldError[] {
  return (finalizers ?? []).flatMap((f) => isQualifiedName(f).map((m) => invalidValue(field, f, m)));
}

/** objectmeta.go ValidateObjectMetaAccessor: the metadata of an object being created. */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, nameRule: NameRule): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameRule(meta.generateName, true))
      errs.push(invalidValue('metadata.generateName', meta.generateName, m));
  }
  if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const m of nameRule(meta.name, false)) errs.push(invalidValue('metadata.name', meta.name, m));
  if (namespaced) {
    if (!meta.namespace) errs.push(required('metadata.namespace'));
    else
      for (const m of nameIsDNSLabel(meta.namespace, false))
        errs.push(invalidValue('metadata.namespace', meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbiddenField('metadata.namespace', 'not allowed on this type'));
  }
  if ((meta.generation ?? 0) < 0) {
    errs.push(
      invalidValue('metadata.generation', meta.generation ?? 0, 'must be greater than or equal to 0'),
    );
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** objectmeta.go ValidateObjectMetaAccessorUpdate, for what the simulator does not reset itself. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp !== undefined) {
    const added = (meta.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length > 0) {
      const list = [...new Set(added)].sort().map((f) => JSON.stringify(f));
      errs.push(
        forbiddenField(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list.join(', ')}}`,
        ),
      );
    }
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errs;
}
