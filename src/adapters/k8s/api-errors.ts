// Reading errors from the Kubernetes API: the HTTP code, the Status object, and the mapping of 403s to
// PermissionError. client-node's ApiException carries the body as parsed JSON or as raw text.
// May import: core and @kubernetes/client-node.

import { ApiException } from '@kubernetes/client-node';
import { ExitCode, PermissionError, RebootDaemonError } from '../../core/errors.js';

export interface StatusBody {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly reason?: string; readonly message?: string }[] };
}

/** The HTTP status of an API error (or a watch error's statusCode), else undefined. */
export function apiCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; statusCode?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

/** The Status object the server sent, parsed from text when needed. */
export function statusBody(err: unknown): StatusBody | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? (parsed as StatusBody) : undefined;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === 'object' ? (body as StatusBody) : undefined;
}

/** A one-line message: the server's Status message when there is one. */
export function apiMessage(err: unknown): string {
  const status = statusBody(err);
  if (status?.message) return status.message;
  const code = apiCode(err);
  const text = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
  return code === undefined ? text : `HTTP ${code}: ${text}`;
}

/** Whether the Status lists a cause of this type (its JSON name is `reason`), as apimachinery's HasStatusCause. */
export function hasStatusCause(err: unknown, type: string): boolean {
  return (statusBody(err)?.details?.causes ?? []).some((c) => c.reason === type);
}

/**
 * A 403 from the NamespaceLifecycle admission: the namespace is being deleted, so nothing new can be created
 * in it. Not a missing permission.
 */
export function isNamespaceTerminating(err: unknown): boolean {
  return apiCode(err) === 403 && hasStatusCause(err, 'NamespaceTerminating');
}

export function isNotFound(err: unknown): boolean {
  return apiCode(err) === 404;
}

export function isConflict(err: unknown): boolean {
  return apiCode(err) === 409;
}

/** Rethrows a 403 as PermissionError(verb, resource); any other error unchanged. */
export function rethrow(err: unknown, verb: string, resource: string): never {
  if (apiCode(err) === 403) throw new PermissionError(verb, resource, apiMessage(err));
  throw err;
}

/** Runs a request, turning a 403 into PermissionError. */
export async function guarded<T>(verb: string, resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return rethrow(err, verb, resource);
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The first request to a cluster failed in a way that says the kubeconfig is wrong, not the cluster: the
 * server cannot be reached, its certificate is not trusted, or it rejects the credentials (401). Returns an
 * error with exit code 2 (nothing was written: this was the first request), or undefined for anything else.
 */
export function firstContactError(err: unknown, server: string): RebootDaemonError | undefined {
  const check = 'check --kubeconfig and --context (`kubectl cluster-info` uses the same settings)';
  if (apiCode(err) === 401) {
    return new RebootDaemonError(`the API server ${server} rejected the credentials (401 Unauthorized)`, {
      exitCode: ExitCode.BadInput,
      hint: `the token or client certificate in the kubeconfig is expired or wrong: log in again (e.g. refresh the cloud provider's credentials), then ${check}`,
      cause: err,
    });
  }
  const e = err as { code?: unknown; errno?: unknown; name?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : '';
  const reason = err instanceof Error ? (err.message.split(', reason: ')[1] ?? err.message) : String(err);
  if (UNREACHABLE_CODES.has(code) || e?.name === 'TimeoutError') {
    return new RebootDaemonError(`cannot reach the API server ${server}: ${reason}`, {
      exitCode: ExitCode.BadInput,
      hint: `is the cluster up and the address right? ${check}`,
      cause: err,
    });
  }
  if (TLS_CODES.has(code)) {
    return new RebootDaemonError(
      `the API server ${server} presented a certificate that is not trusted: ${reason}`,
      {
        exitCode: ExitCode.BadInput,
        hint: `the kubeconfig's certificate-authority-data must be the CA of this server; ${check}`,
        cause: err,
      },
    );
  }
  return undefined;
}
