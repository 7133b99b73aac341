// Retries of transient API failures under every typed client (watches have their own loop): an API server
// that restarts, sheds load or answers 5xx for a moment must not fail a drain half-way. Safe to repeat
// (GET, PUT with its resourceVersion, PATCH, DELETE): 429, 500, 502, 503, 504 and connection errors. POST only
// when the server surely did not act: 503 and a refused connection; never a 429 or a 500 on POST, which mean
// something for evictions (a PDB refuses; several PDBs match). A TLS failure (an unknown CA, an expired or
// mismatched certificate) is never retried: it will not fix itself, and the user should hear of it at once.
// Backoff doubles from 200 ms with jitter, honours Retry-After, and stops at the request's own timeout.
// May import: @kubernetes/client-node and node built-ins.

import { setTimeout as delay } from 'node:timers/promises';
import { wrapHttpLibrary } from '@kubernetes/client-node';
import type { HttpLibrary, RequestContext, ResponseContext } from '@kubernetes/client-node';

export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  readonly retries?: number;
  readonly initialMs?: number;
  readonly maxMs?: number;
}

const IDEMPOTENT_CODES = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

export function retryableStatus(method: string, code: number): boolean {
  return method === 'POST' ? code === 503 : IDEMPOTENT_CODES.has(code);
}

/** Node's codes for a certificate or TLS failure (e.g. DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID). */
const TLS_CODE = /CERT|SSL|TLS|SIGNATURE|ISSUER|UNABLE_TO_/;

export function retryableError(method: string, err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown } | undefined;
  if (e?.name === 'AbortError') return false;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : '';
  if (TLS_CODE.test(code)) return false;
  return method === 'POST' ? code === 'ECONNREFUSED' : NETWORK_CODES.has(code) || e?.type === 'system';
}

function retryAfterMs(res: ResponseContext | undefined): number | undefined {
  const raw = res?.headers['retry-after'];
  const s = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(s) && s > 0 ? Math.min(s * 1000, 10_000) : undefined;
}

export function retryingHttpLibrary(base: HttpLibrary, opts: RetryOptions = {}): HttpLibrary {
  const retries = opts.retries ?? 5;
  const initial = opts.initialMs ?? 200;
  const max = opts.maxMs ?? 5_000;
  return wrapHttpLibrary({
    async send(req: RequestContext): Promise<ResponseContext> {
      const method = String(req.getHttpMethod()).toUpperCase();
      for (let attempt = 0; ; attempt++) {
        let res: ResponseContext | undefined;
        let error: unknown;
        try {
          res = await base.send(req).toPromise();
        } catch (err) {
          error = err;
        }
        const signal = req.getSignal();
        const again =
          attempt < retries &&
          !signal?.aborted &&
          (res !== undefined ? retryableStatus(method, res.httpStatusCode) : retryableError(method, error));
        if (!again) {
          if (res !== undefined) return res;
          throw error;
        }
        if (res !== undefined) await res.body.text().catch(() => undefined); // free the connection
        const backoff = Math.min(max, initial * 2 ** attempt);
        const wait = retryAfterMs(res) ?? backoff / 2 + Math.random() * (backoff / 2);
        try {
          await delay(wait, undefined, signal ? { signal } : undefined);
        } catch {
          if (res !== undefined) return res;
          throw error;
        }
      }
    },
  });
}
