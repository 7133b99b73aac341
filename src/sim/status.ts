// Kubernetes Status errors: a StatusError carries the exact `Status` body a real API server sends,
// and the builders below produce the messages, reasons and codes kubectl and client libraries expect.
// May import: nothing outside src/sim.

export const StatusReason = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Expired: 'Expired',
  Gone: 'Gone',
  BadRequest: 'BadRequest',
  Invalid: 'Invalid',
  MethodNotAllowed: 'MethodNotAllowed',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  Forbidden: 'Forbidden',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** One cause inside Status.details, e.g. `{reason: 'DisruptionBudget', message: '...'}`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The metav1.Status object, as sent in error bodies and in watch ERROR events. */
export interface KStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly status: KStatus;
  constructor(status: KStatus) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** What a builder needs to name the resource: a plural (`'pods'`) or a resource type with its group. */
export type ResourceRef = string | { readonly resource: string; readonly group?: string };

function refParts(ref: ResourceRef): { resource: string; group: string } {
  return typeof ref === 'string'
    ? { resource: ref, group: '' }
    : { resource: ref.resource, group: ref.group ?? '' };
}

/** `pods`, or `deployments.apps` for a named group, as Kubernetes prints a group-resource. */
export function qualifiedResource(ref: ResourceRef): string {
  const { resource, group } = refParts(ref);
  return group === '' ? resource : `${resource}.${group}`;
}

function cleanDetails(d: StatusDetails): StatusDetails | undefined {
  const out: StatusDetails = {};
  if (d.name !== undefined && d.name !== '') out.name = d.name;
  if (d.group !== undefined && d.group !== '') out.group = d.group;
  if (d.kind !== undefined && d.kind !== '') out.kind = d.kind;
  if (d.uid !== undefined) out.uid = d.uid;
  if (d.causes !== undefined && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds !== undefined) out.retryAfterSeconds = d.retryAfterSeconds;
  return Object.keys(out).length === 0 ? undefined : out;
}

export function makeStatus(
  code: number,
  reason: string,
  message: string,
  details: StatusDetails = {},
): KStatus {
  const status: KStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  const d = cleanDetails(details);
  if (d !== undefined) status.details = d;
  return status;
}

function err(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  return new StatusError(makeStatus(code, reason, message, details));
}

/** 404: `pods "x" not found`. Without a name: the generic "could not find the requested resource". */
export function notFound(ref: ResourceRef, name?: string): StatusError {
  const { resource, group } = refParts(ref);
  if (name === undefined || name === '') {
    return err(404, StatusReason.NotFound, 'the server could not find the requested resource', {
      group,
      kind: resource,
    });
  }
  return err(404, StatusReason.NotFound, `${qualifiedResource(ref)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

/** 409: `pods "x" already exists`. */
export function alreadyExists(ref: ResourceRef, name: string): StatusError {
  const { resource, group } = refParts(ref);
  return err(409, StatusReason.AlreadyExists, `${qualifiedResource(ref)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409: `Operation cannot be fulfilled on nodes "n1": the object has been modified; ...`. */
export function conflict(ref: ResourceRef, name: string, detail: string = OBJECT_MODIFIED): StatusError {
  const { resource, group } = refParts(ref);
  return err(
    409,
    StatusReason.Conflict,
    `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${name}": ${detail}`,
    { name, group, kind: resource },
  );
}

/**
 * 410 Expired. `gone(requested, oldest)` gives `too old resource version: requested (oldest)`, as a watch
 * or list from a compacted resourceVersion does; `gone(message)` takes the message as it is.
 */
export function gone(requestedOrMessage: string | number, oldest?: number | string): StatusError {
  const message =
    oldest === undefined
      ? String(requestedOrMessage)
      : `too old resource version: ${requestedOrMessage} (${oldest})`;
  return err(410, StatusReason.Expired, message);
}

/** 400 BadRequest with the message as it is. */
export function badRequest(message: string): StatusError {
  return err(400, StatusReason.BadRequest, message);
}

/** 422: `Pod "x" is invalid: metadata.name: Required value: ...`. `kind` is the Kind, e.g. 'Pod'. */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): StatusError {
  // field.ErrorList.ToAggregate: repeated messages are shown once (the causes keep them all).
  const parts = [
    ...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')))),
  ];
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  return err(422, StatusReason.Invalid, `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({
      reason: c.reason ?? 'FieldValueInvalid',
      message: c.message ?? '',
      field: c.field ?? '',
    })),
  });
}

/** 405: the method is not served for this path. */
export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): StatusError {
  return err(405, StatusReason.MethodNotAllowed, message);
}

/** 429, e.g. an eviction refused by a PodDisruptionBudget (`causes[].reason: 'DisruptionBudget'`). */
export function tooManyRequests(
  message: string,
  causes: StatusCause[] = [],
  retryAfterSeconds?: number,
): StatusError {
  const details: StatusDetails = { causes };
  if (retryAfterSeconds !== undefined) details.retryAfterSeconds = retryAfterSeconds;
  return err(429, StatusReason.TooManyRequests, message, details);
}

/** 500: `Internal error occurred: ...`. */
export function internalError(message: string): StatusError {
  return err(500, StatusReason.InternalError, `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** 403: with a resource and name, `pods "x" is forbidden: reason`; otherwise the message as it is. */
export function forbidden(message: string, ref?: ResourceRef, name?: string): StatusError {
  if (ref === undefined) return err(403, StatusReason.Forbidden, message);
  const { resource, group } = refParts(ref);
  const subject = name ? `${qualifiedResource(ref)} "${name}"` : qualifiedResource(ref);
  return err(403, StatusReason.Forbidden, `${subject} is forbidden: ${message}`, {
    name: name ?? '',
    group,
    kind: resource,
  });
}

/**
 * 403 from the NamespaceLifecycle admission: nothing new may be created in a namespace being deleted (an
 * eviction included). The cause (reason NamespaceTerminating, field metadata.namespace) tells it apart from
 * a missing permission.
 */
export function namespaceTerminating(ref: ResourceRef, name: string, namespace: string): StatusError {
  const e = forbidden(
    `unable to create new content in namespace ${namespace} because it is being terminated`,
    ref,
    name,
  );
  e.status.details = {
    ...e.status.details,
    causes: [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ],
  };
  return e;
}

/** 503: the server is unavailable (for fault injection). */
export function serviceUnavailable(
  message = 'the server is currently unable to handle the request',
): StatusError {
  return err(503, StatusReason.ServiceUnavailable, message);
}

/** Any thrown value as a Status: StatusErrors keep theirs; anything else is a 500 InternalError. */
export function statusOf(e: unknown): KStatus {
  if (e instanceof StatusError) return e.status;
  const message = e instanceof Error ? e.message : String(e);
  return internalError(message).status;
}
