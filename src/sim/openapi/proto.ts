// The Swagger 2.0 document in protocol buffers, as client-go asks for it: `GET /openapi/v2` with Accept
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, decoded by client-go's discovery
// (OpenAPISchema) into the gnostic openapi_v2.Document message and parsed by kube-openapi's proto
// package. kubectl 1.27 reads it for validation, `apply`'s strategic patches and `explain`.
// Only the fields this document uses are written; field numbers are those of gnostic's OpenAPIv2.proto.
// Vendor extensions travel as YAML text (JSON is YAML), as gnostic's NamedAny.value.yaml does.
// May import: node built-ins.

type Json = Record<string, unknown>;

class Writer {
  private readonly parts: Buffer[] = [];
  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 127) {
      bytes.push((v & 127) | 128);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
  }
  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  string(field: number, v: unknown): this {
    if (typeof v !== 'string' || v === '') return this;
    const b = Buffer.from(v, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }
  strings(field: number, v: unknown): this {
    if (Array.isArray(v)) for (const s of v) this.string(field, s);
    return this;
  }
  bool(field: number, v: unknown): this {
    if (v !== true) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }
  message(field: number, m: Writer | undefined): this {
    if (m === undefined) return this;
    const b = m.bytes();
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const w = (): Writer => new Writer();
const named = (name: string, value: Writer): Writer => w().string(1, name).message(2, value);

function extensions(out: Writer, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-')) out.message(field, named(k, w().string(2, JSON.stringify(v))));
  }
}

function schema(s: Json): Writer {
  const out = w().string(1, s['$ref']).string(2, s['format']).string(4, s['description']);
  out.strings(19, s['required']);
  const add = s['additionalProperties'] as Json | undefined;
  if (add) out.message(21, w().message(1, schema(add)));
  if (typeof s['type'] === 'string') out.message(22, w().string(1, s['type']));
  const items = s['items'] as Json | undefined;
  if (items) out.message(23, w().message(1, schema(items)));
  const props = s['properties'] as Record<string, Json> | undefined;
  if (props) {
    const p = w();
    for (const [k, v] of Object.entries(props)) p.message(1, named(k, schema(v)));
    out.message(25, p);
  }
  extensions(out, 31, s);
  return out;
}

function parameter(p: Json): Writer {
  if (p['in'] === 'body') {
    const body = w()
      .string(1, p['description'])
      .string(2, p['name'])
      .string(3, 'body')
      .bool(4, p['required']);
    body.message(5, schema(p['schema'] as Json));
    return w().message(1, w().message(1, body));
  }
  const inPath = p['in'] === 'path';
  const sub = w().bool(1, p['required']).string(2, p['in']).string(3, p['description']).string(4, p['name']);
  if (inPath) sub.string(5, p['type']);
  else sub.string(6, p['type']).bool(20, p['uniqueItems']);
  return w().message(1, w().message(2, w().message(inPath ? 4 : 3, sub)));
}

function operation(op: Json): Writer {
  const out = w().string(3, op['description']).string(5, op['operationId']);
  out.strings(6, op['produces']).strings(7, op['consumes']);
  for (const p of (op['parameters'] as Json[] | undefined) ?? []) out.message(8, parameter(p));
  const responses = w();
  for (const [code, r] of Object.entries((op['responses'] as Record<string, Json>) ?? {})) {
    const resp = w().string(1, r['description']);
    if (r['schema']) resp.message(2, w().message(1, schema(r['schema'] as Json)));
    responses.message(1, named(code, w().message(1, resp)));
  }
  out.message(9, responses).strings(10, op['schemes']);
  extensions(out, 13, op);
  return out;
}

const METHOD_FIELDS: Record<string, number> = {
  get: 2,
  put: 3,
  post: 4,
  delete: 5,
  options: 6,
  head: 7,
  patch: 8,
};

/** Encodes a Swagger 2.0 JSON document (as openApiV2 builds it) as a gnostic openapi_v2.Document. */
export function encodeOpenApiV2(doc: Json): Buffer {
  const info = (doc['info'] as Json | undefined) ?? {};
  const out = w()
    .string(1, doc['swagger'])
    .message(2, w().string(1, info['title']).string(2, info['version']));
  const paths = w();
  for (const [path, item] of Object.entries((doc['paths'] as Record<string, Json>) ?? {})) {
    const pi = w();
    for (const [method, field] of Object.entries(METHOD_FIELDS)) {
      if (item[method]) pi.message(field, operation(item[method] as Json));
    }
    for (const p of (item['parameters'] as Json[] | undefined) ?? []) pi.message(9, parameter(p));
    paths.message(2, named(path, pi));
  }
  out.message(8, paths);
  const defs = w();
  for (const [name, s] of Object.entries((doc['definitions'] as Record<string, Json>) ?? {})) {
    defs.message(1, named(name, schema(s)));
  }
  out.message(9, defs);
  return out.bytes();
}
