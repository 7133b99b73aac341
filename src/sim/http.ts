// Low-level HTTP helpers of the simulated API server: JSON and Status answers, request bodies, media types.
// May import: ./status.js and node built-ins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, makeStatus, StatusError, type KStatus } from './status.js';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends a Status with its code; a 429 or 503 with retryAfterSeconds also gets a Retry-After header. */
export function sendStatus(res: ServerResponse, status: KStatus): void {
  const headers: Record<string, string> = {};
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined) headers['Retry-After'] = String(retry);
  sendJson(res, status.code, status, headers);
}

export function unauthorized(): KStatus {
  return makeStatus(401, 'Unauthorized', 'Unauthorized');
}

export function unsupportedMediaType(mediaType: string): KStatus {
  return makeStatus(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${mediaType})`,
  );
}

/** The media type of a Content-Type header, lowercased and without parameters. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StatusError(makeStatus(413, 'RequestEntityTooLarge', 'the request body is too large')));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON body; an empty body gives `undefined`, anything unparsable a 400. */
export function parseJson(buf: Buffer): unknown {
  const text = buf.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(e as Error).message}`);
  }
}

/** A JSON object body, or a 400 when it is missing or not an object. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  const v = parseJson(buf);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest('the body of the request must be a JSON object');
  }
  return v as Record<string, unknown>;
}
