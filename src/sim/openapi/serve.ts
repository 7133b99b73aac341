// Answers /openapi/v2 and /openapi/v3[/GROUP-VERSION] as a real API server does: v2 in protobuf when the
// client accepts it (client-go always asks for it) and JSON otherwise; v3 as a discovery document whose
// paths point at each group/version's document by a `serverRelativeURL` carrying the document's hash
// (client-go's openapi client and kubectl's cache key on that URL), each document in JSON.
// May import: ./documents.js, ./proto.js, ../types.js, ../http.js, ../status.js, node built-ins.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ResourceType } from '../types.js';
import { sendJson, sendStatus } from '../http.js';
import { makeStatus } from '../status.js';
import { openApiV2, openApiV3, v3GroupVersions } from './documents.js';
import { encodeOpenApiV2 } from './proto.js';

/** What the answer says it is: client-go asks with an `@` in the subtype, which Go's mime parser refuses. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Served {
  readonly v2Json: string;
  readonly v2Proto: Buffer;
  readonly v3: ReadonlyMap<string, { readonly text: string; readonly hash: string }>;
}

const cache = new Map<string, Served>();

function build(types: readonly ResourceType[], version: string): Served {
  const v2 = openApiV2(types, version);
  const v3 = new Map<string, { text: string; hash: string }>();
  for (const gv of v3GroupVersions(types)) {
    const text = JSON.stringify(openApiV3(types, gv, version));
    v3.set(gv, { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() });
  }
  return { v2Json: JSON.stringify(v2), v2Proto: encodeOpenApiV2(v2), v3 };
}

function send(res: ServerResponse, type: string, body: string | Buffer): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}

/** Serves one /openapi/... path; false when the path is not an OpenAPI path. */
export function serveOpenApi(
  path: string,
  accept: string | undefined,
  res: ServerResponse,
  types: readonly ResourceType[],
  version: string,
): boolean {
  if (path !== '/openapi/v2' && path !== '/openapi/v3' && !path.startsWith('/openapi/v3/')) return false;
  const key = `${version}|${types.map((t) => t.resource).join(',')}`;
  const served = cache.get(key) ?? build(types, version);
  cache.set(key, served);
  if (path === '/openapi/v2') {
    if ((accept ?? '').includes('protobuf')) send(res, OPENAPI_V2_PROTOBUF, served.v2Proto);
    else send(res, 'application/json', served.v2Json);
    return true;
  }
  if (path === '/openapi/v3') {
    const paths = Object.fromEntries(
      [...served.v3].map(([gv, d]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${d.hash}` }]),
    );
    sendJson(res, 200, { paths });
    return true;
  }
  const doc = served.v3.get(path.slice('/openapi/v3/'.length));
  if (doc === undefined) {
    sendStatus(res, makeStatus(404, 'NotFound', 'the server could not find the requested resource'));
    return true;
  }
  send(res, 'application/json', doc.text);
  return true;
}
