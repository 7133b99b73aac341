// Reading errors from the Kubernetes API: the HTTP code, the Status object, and the mapping of 403s to
// PermissionError. client-node's ApiException carries the body as parsed JSON or as raw text.
// May import: core and @kubernetes/client-node.

import { ApiException } from '@kubernetes/client-node';
import { PermissionError } from '../../core/errors.js';

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
