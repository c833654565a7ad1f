import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { operations, type OperationName, type OperationSpec } from '../../generated/operations.gen.js';
import { OpenAIAdmin } from '../../src/client.js';
import { APIResource } from '../../src/resources/base.js';
import { FRIENDLY_NAMES } from '../../src/resources/naming.js';

/**
 * The naming table against the spec and the real resource tree: every operation has a friendly name, every
 * name is a method of a real client, and calling it sends exactly that operation's method and path.
 */

const OPS = operations as Record<OperationName, OperationSpec>;
const NAMES = FRIENDLY_NAMES as Record<string, string>;
const opNames = Object.keys(OPS) as OperationName[];

// --- Minimal valid arguments, derived from the request schemas in openapi.yaml -------------------------------

const specFile = typeof __dirname === 'string' ? join(__dirname, '../../openapi.yaml') : 'openapi.yaml';
const spec = parse(readFileSync(specFile, 'utf8'));
const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function deref(schema: any): any {
  let s = schema;
  while (s && s.$ref) s = (s.$ref as string).split('/').slice(1).reduce((node: any, key: string) => node[key], spec);
  return s;
}

/** The smallest value a schema accepts: required properties only, first enum value, minimum lengths. */
function minimal(schema: any): unknown {
  const s = deref(schema);
  if (!s) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.allOf) return Object.assign({}, ...s.allOf.map(minimal));
  if (s.oneOf || s.anyOf) return minimal((s.oneOf ?? s.anyOf)[0]);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) {
    return Object.fromEntries((s.required ?? []).map((key: string) => [key, minimal(s.properties?.[key] ?? {})]));
  }
  if (type === 'array') return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items));
  if (type === 'string') return s.format === 'email' ? 'ada@example.com' : 'x'.repeat(Math.max(1, s.minLength ?? 1));
  if (type === 'integer' || type === 'number') return s.minimum ?? (typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1);
  if (type === 'boolean') return true;
  return null;
}

const specOps = new Map<string, any>();
for (const item of Object.values<any>(spec.paths)) {
  for (const op of Object.values<any>(item)) if (op?.operationId) specOps.set(camel(op.operationId), op);
}

interface Call {
  args: unknown[];
  expectedPath: string;
  body: unknown;
  requiredQuery: Record<string, unknown>;
}

/** Positional ids id_1, id_2, … in path order, then the body or (required) query, as the resource methods take them. */
function callFor(name: OperationName): Call {
  const row = OPS[name];
  const op = specOps.get(name);
  if (!op) throw new Error(`${name} is not in openapi.yaml`);
  const ids = row.pathParams.map((_, i) => `id_${i + 1}`);
  const expectedPath = row.path.replace(/\{(\w+)\}/g, (_, p: string) => ids[row.pathParams.indexOf(p)]);
  const requiredQuery: Record<string, unknown> = {};
  for (const param of (op.parameters ?? []).map(deref)) {
    if (param.in === 'query' && param.required) requiredQuery[param.name] = param.name === 'start_time' ? 1700000000 : minimal(param.schema);
  }
  const args: unknown[] = [...ids];
  let body: unknown = undefined;
  if (row.body) {
    body = minimal(deref(op.requestBody).content['application/json'].schema);
    args.push(body);
  } else if (Object.keys(requiredQuery).length) {
    args.push(requiredQuery);
  }
  return { args, expectedPath, body, requiredQuery };
}

/** The method at a friendly path, bound to its resource, or undefined. */
function resolve(client: OpenAIAdmin, friendly: string): ((...args: unknown[]) => PromiseLike<unknown>) | undefined {
  const segments = friendly.split('.');
  let owner: any = client;
  for (const segment of segments.slice(0, -1)) owner = owner?.[segment];
  const fn = owner?.[segments[segments.length - 1]];
  return typeof fn === 'function' ? fn.bind(owner) : undefined;
}

/** Every method reachable on the tree: resource methods, plus `costs` on the client itself. */
function treeMethods(client: OpenAIAdmin): string[] {
  const found: string[] = ['costs'];
  const walk = (resource: APIResource, prefix: string) => {
    for (const method of Object.getOwnPropertyNames(Object.getPrototypeOf(resource))) {
      if (method !== 'constructor' && typeof (resource as any)[method] === 'function') found.push(`${prefix}.${method}`);
    }
    for (const [key, value] of Object.entries(resource)) if (value instanceof APIResource) walk(value, `${prefix}.${key}`);
  };
  for (const [key, value] of Object.entries(client)) if (value instanceof APIResource) walk(value, key);
  return found.sort();
}

// --- 1. the table covers the spec ---------------------------------------------------------------------------

describe('FRIENDLY_NAMES', () => {
  test('every operation in the spec has a friendly name', () => {
    const missing = opNames.filter((name) => typeof NAMES[name] !== 'string' || NAMES[name] === '');
    expect(missing).toEqual([]);
    expect(opNames).toHaveLength(119);
  });

  test('names only operations that exist, each name once', () => {
    expect(Object.keys(NAMES).filter((name) => !(name in OPS))).toEqual([]);
    const values = Object.values(NAMES);
    expect(values.filter((v, i) => values.indexOf(v) !== i)).toEqual([]);
  });

  test('the resource tree has exactly the named methods, nothing unnamed', () => {
    const client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: 'http://127.0.0.1:9/v1' });
    expect(treeMethods(client)).toEqual(Object.values(NAMES).sort());
  });
});

// --- 2. every name resolves on a real client ----------------------------------------------------------------

describe('friendly names resolve on a real client', () => {
  const client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: 'http://127.0.0.1:9/v1' });
  test.each(opNames.map((name) => [NAMES[name], name]))('admin.%s (%s) is a function', (friendly) => {
    expect(typeof resolve(client, friendly)).toBe('function');
  });
});

// --- 3. every name sends its operation ----------------------------------------------------------------------

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

describe('each friendly method hits its operation on a real HTTP server', () => {
  let server: Server;
  let client: OpenAIAdmin;
  const received: Recorded[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        received.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[],"has_more":false}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: 5_000 });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  test.each(opNames.map((name) => [NAMES[name], name] as const))('admin.%s → %s', async (friendly, name) => {
    const row = OPS[name];
    const { args, expectedPath, body, requiredQuery } = callFor(name);
    const fn = resolve(client, friendly);
    expect(fn).toBeDefined();
    received.length = 0;
    await fn!(...args);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(`${request.method} ${request.path}`).toBe(`${row.method} /v1${expectedPath}`);
    for (const [key, value] of Object.entries(requiredQuery)) expect(request.query.get(key)).toBe(String(value));
    if (row.body) expect(JSON.parse(request.body)).toEqual(body);
    else expect(request.body).toBe('');
  });
});
