/**
 * The two transports against a real node:http server on 127.0.0.1: the Node default (node:http with
 * keep-alive) and fetch (what browsers use, and what a user may inject). What they share is tested on both;
 * where they differ on purpose (redirects, the built-on-demand Response) the difference is asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { OpenAIAdmin } from '../../src/client.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '../../src/core/base/errors.js';
import { nodeTransport } from '../../src/core/transport/node-transport.js';
import { VERSION } from '../../src/version.js';
import { globalFetchCalls, rejectionOf } from '../support/client.js';
import { deferred } from '../support/http-server.js';
import { freePort, startServer, type LocalServer } from '../support/local-server.js';
import { run } from '../support/processes.js';

const KEY = 'sk-admin-transport-test-0000';
const PROJECT = { id: 'proj_1', object: 'organization.project', name: 'Café ☕', created_at: 1, status: 'active' };

let server: LocalServer;
beforeAll(async () => {
  // Long enough that Node's agent keeps sockets: it will not reuse one whose server announced timeout=1.
  server = await startServer(undefined, { keepAliveMs: 10_000 });
});
afterAll(() => server.close());

const transports: [string, typeof fetch | undefined][] = [
  ['node:http (the Node default)', undefined],
  ['fetch', globalThis.fetch],
];

const client = (fetchImpl: typeof fetch | undefined, options: Record<string, unknown> = {}) =>
  new OpenAIAdmin({ apiKey: KEY, baseURL: `${server.url}/v1`, fetch: fetchImpl, maxRetries: 0, ...options });

const json =
  (body: unknown, headers: Record<string, string> = {}) =>
  (_q: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_42', ...headers });
    res.end(JSON.stringify(body));
  };

describe.each(transports)('%s', (_name, fetchImpl) => {
  test.each([
    ['gzip', 'gzip', gzipSync],
    ['deflate (zlib-wrapped)', 'deflate', deflateSync],
    ['deflate (raw, as some servers send it)', 'deflate', deflateRawSync],
    ['br', 'br', brotliCompressSync],
  ] as const)('a %s body is decoded', async (_label, coding, compress) => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
      res.end(compress(Buffer.from(JSON.stringify(PROJECT))));
    });
    await expect(client(fetchImpl).projects.retrieve('proj_1')).resolves.toEqual(PROJECT);
  });

  test('a body with a byte-order mark parses', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(PROJECT))]));
    });
    await expect(client(fetchImpl).projects.retrieve('proj_1')).resolves.toEqual(PROJECT);
  });

  test('a non-ASCII request body arrives whole (content-length counts bytes, not characters)', async () => {
    server.handle(json(PROJECT));
    await client(fetchImpl).projects.create({ name: 'Café ☕ 東京' });
    expect(JSON.parse(server.requests[0].body)).toEqual({ name: 'Café ☕ 東京' });
    expect(Number(server.requests[0].headers['content-length'])).toBe(Buffer.byteLength(server.requests[0].body));
  });

  test('withResponse gives a standard Response with status, headers and the request id', async () => {
    server.handle(json(PROJECT, { 'x-extra': 'yes' }));
    const { data, response, requestID } = await client(fetchImpl).projects.retrieve('proj_1').withResponse();
    expect(data).toEqual(PROJECT);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(requestID).toBe('req_42');
  });

  test('an error status carries the headers, with repeated ones joined', async () => {
    server.handle((_q, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req_404' });
      res.end(
        JSON.stringify({
          error: { message: 'No such project', type: 'invalid_request_error', code: null, param: null },
        }),
      );
    });
    const error = await rejectionOf(client(fetchImpl).projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(404);
    expect(error.headers['x-request-id']).toBe('req_404');
    expect(error.headers['set-cookie']).toBe('a=1, b=2');
  });

  test('a caller abort mid-request rejects with APIUserAbortError and closes the request', async () => {
    let closed: Promise<void> = Promise.resolve();
    const arrived = deferred();
    server.handle((req) => {
      closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      arrived.resolve();
    });
    const controller = new AbortController();
    const pending = client(fetchImpl).projects.retrieve('proj_1', { signal: controller.signal });
    await arrived.promise; // the request is at the server: the abort is mid-request, not before sending
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(APIUserAbortError);
    await closed;
  });

  test('a server that never answers times out and its socket is closed', async () => {
    let closed: Promise<void> = Promise.resolve();
    server.handle((req) => {
      closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
    });
    const error = await rejectionOf(client(fetchImpl, { timeout: 100 }).projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await closed;
  });

  test('a body that is not valid gzip is a connection error with the zlib code', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('not gzip at all');
    });
    const error = await rejectionOf(client(fetchImpl).projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain('Z_DATA_ERROR');
  });
});

/** A GET of /v1/x through `transport` with a deadline, settled as text: "answered <status>" or "<failure> (<detail>)". */
const getWithDeadline =
  (transport: ReturnType<typeof nodeTransport>, label: (timeoutMs: number, outcome: string) => string) =>
  (timeoutMs: number) =>
    transport({
      url: `${server.url}/v1/x`,
      method: 'GET',
      headers: {},
      body: undefined,
      timeoutMs,
      signal: undefined,
      maxResponseBytes: 1_000_000,
    }).then(
      (response) => label(timeoutMs, `answered ${response.status}`),
      (failure: { failure: string; detail: string }) => label(timeoutMs, `${failure.failure} (${failure.detail})`),
    );

describe('node:http transport', () => {
  test('sequential calls reuse one keep-alive connection', async () => {
    const seen = new Set<unknown>();
    server.handle((req, res) => {
      seen.add(req.socket);
      json(PROJECT)(req, res);
    });
    const admin = client(undefined);
    for (let i = 0; i < 5; i++) await admin.projects.retrieve('proj_1');
    expect(server.requests).toHaveLength(5);
    expect(seen.size).toBe(1);
  });

  test('sends the request line and Host header that node:http makes of the URL itself, whether the URL is taken apart here or not', async () => {
    server.handle(json(PROJECT));
    const paths = [
      '/v1/organization/audit_logs?effective_at[gte]=1&event_types[]=api_key.created', // taken apart here
      '/v1/organization/users/a%2Fb?limit=2', // taken apart here
      "/v1/organization/projects?name=it's", // left to node:http: its ' is percent-encoded
      '/v1/organization/projects/../users', // left to node:http: the dot segment is resolved
      '/v1/organization/projects?', // left to node:http: the empty query is dropped
    ];
    const http = await import('node:http');
    for (const path of paths) {
      const url = `${server.url}${path}`;
      await new Promise((resolve, reject) =>
        http.get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject),
      );
    }
    const bare = server.requests.map((r) => [r.url, r.headers.host]);
    server.handle(json(PROJECT));
    const send = nodeTransport({ maxSockets: 4 });
    for (const path of paths) {
      const request = { method: 'GET', headers: {}, body: undefined, timeoutMs: 5_000, signal: undefined };
      await send({ ...request, url: `${server.url}${path}`, maxResponseBytes: 1 << 20 });
    }
    expect(server.requests.map((r) => [r.url, r.headers.host])).toEqual(bare);
    expect(bare[2][0]).toBe('/v1/organization/projects?name=it%27s');
    expect(bare[3][0]).toBe('/v1/organization/users');
  });

  test('asks for compressed responses, as fetch does', async () => {
    server.handle(json(PROJECT));
    await client(undefined).projects.retrieve('proj_1');
    expect(server.requests[0].headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  test('names itself in user-agent, unless the caller sets one', async () => {
    server.handle(json(PROJECT));
    await client(undefined).projects.retrieve('proj_1');
    await client(undefined, { defaultHeaders: { 'User-Agent': 'ops-bot/2' } }).projects.retrieve('proj_1');
    expect(server.requests.map((r) => r.headers['user-agent'])).toEqual([
      `openai-admin/${VERSION} node/${process.version}`,
      'ops-bot/2',
    ]);
  });

  test('VERSION is the version in package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
  });

  test('a redirect is not followed: the 3xx is an APIError and the target is never asked', async () => {
    server.handle((req, res) => {
      if (req.url!.startsWith('/elsewhere')) return json(PROJECT)(req, res);
      res.writeHead(302, { location: '/elsewhere/v1/organization/projects' }).end();
    });
    const error = await rejectionOf(client(undefined).projects.create({ name: 'x' }));
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(302);
    expect(error.headers.location).toBe('/elsewhere/v1/organization/projects');
    expect(server.requests.map((r) => r.method + ' ' + r.url)).toEqual(['POST /v1/organization/projects']);
  });

  test('the Response is built on first use and its body is still readable', async () => {
    server.handle(json(PROJECT));
    const { response } = await client(undefined).projects.retrieve('proj_1').withResponse();
    expect(response.bodyUsed).toBe(false);
    await expect(response.json()).resolves.toEqual(PROJECT);
  });

  test('idle keep-alive sockets do not keep a script running', async () => {
    server.handle(json(PROJECT));
    // No clock: after the call, the script lists what still keeps its event loop alive (unref'd handles are not
    // listed); an idle pooled socket that is still referenced would show up as a TCPSocketWrap. The script must
    // then exit by itself (code 0, not killed by run()'s safety-net timeout).
    const script = `
      import { OpenAIAdmin } from ${JSON.stringify(join(__dirname, '../../src/index.ts'))};
      await new OpenAIAdmin({ apiKey: ${JSON.stringify(KEY)}, baseURL: ${JSON.stringify(`${server.url}/v1`)} }).projects.retrieve('proj_1');
      console.log('alive ' + JSON.stringify(process.getActiveResourcesInfo()));`;
    const { code, stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: join(__dirname, '../..'), timeoutMs: 15_000 },
    );
    const out = stdout + stderr;
    expect(out).toMatch(/^alive \[/);
    const alive = JSON.parse(out.slice('alive '.length).split('\n')[0]) as string[];
    expect(alive.filter((r) => /TCP|Timeout/.test(r))).toEqual([]);
    expect(code).toBe(0);
  }, 20_000);

  test('a refused connection is reported as never sent (a create may be retried)', async () => {
    const port = await freePort();
    const transport = nodeTransport({ maxSockets: 16 });
    const failure = await rejectionOf(
      transport({
        url: `http://127.0.0.1:${port}/v1/x`,
        method: 'POST',
        headers: {},
        body: '{}',
        timeoutMs: 1000,
        signal: undefined,
        maxResponseBytes: 1_000_000,
      }),
    );
    expect(failure).toMatchObject({ failure: 'connection', sent: false, detail: 'ECONNREFUSED' });
  });

  test('a timeout once the connection is up is reported as possibly sent', async () => {
    server.handle(() => {});
    const failure = await rejectionOf(
      nodeTransport({ maxSockets: 16 })({
        url: `${server.url}/v1/x`,
        method: 'POST',
        headers: {},
        body: '{}',
        timeoutMs: 50,
        signal: undefined,
        maxResponseBytes: 1_000_000,
      }),
    );
    expect(failure).toMatchObject({ failure: 'timeout', sent: true });
  });

  test('requests in flight together each time out at their own deadline, a later shorter one first', async () => {
    // The transport keeps one timer for all its deadlines: the long request arms it first, the short one must re-arm
    // it sooner, and the long one must still expire after the short one is gone. Order, not durations, is asserted.
    const answer = deferred();
    server.handle((_req, res) => void answer.promise.then(() => res.end('{}')));
    const send = getWithDeadline(nodeTransport({ maxSockets: 16 }), (timeoutMs, outcome) => `${timeoutMs}: ${outcome}`);
    const settled: string[] = [];
    const long = send(400).then((r) => settled.push(r));
    const short = send(40).then((r) => settled.push(r));
    await short;
    await long;
    expect(settled).toEqual(['40: timeout (timed out after 40 ms)', '400: timeout (timed out after 400 ms)']);
    answer.resolve();
  });

  test('deadlines found due together (a process stalled past both) expire earliest first', async () => {
    const answer = deferred();
    server.handle((_req, res) => void answer.promise.then(() => res.end('{}')));
    const send = getWithDeadline(nodeTransport({ maxSockets: 16 }), (timeoutMs, outcome) => `${timeoutMs}: ${outcome}`);
    const settled: string[] = [];
    const long = send(200).then((r) => settled.push(r));
    const short = send(20).then((r) => settled.push(r));
    // Blocks the event loop past both deadlines: the one timer then finds both due at once.
    for (const until = performance.now() + 400; performance.now() < until;);
    await Promise.all([short, long]);
    expect(settled).toEqual(['20: timeout (timed out after 20 ms)', '200: timeout (timed out after 200 ms)']);
    answer.resolve();
  });

  test("where timers cannot be unref'd (Deno: setTimeout gives a number), none is left once nothing is in flight", async () => {
    server.handle(json(PROJECT));
    const [realSetTimeout, realClearTimeout] = [globalThis.setTimeout, globalThis.clearTimeout];
    // Numbers, as Deno's (Node's clearTimeout takes the id back); the test tracks which are still set.
    const live = new Set<number>();
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      const id: number = +realSetTimeout(() => (live.delete(id), fn()), ms);
      live.add(id);
      return id;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((id?: number) => (live.delete(id!), realClearTimeout(id))) as typeof clearTimeout;
    try {
      const response = await nodeTransport({ maxSockets: 16 })({
        url: `${server.url}/v1/organization/projects/proj_1`,
        method: 'GET',
        headers: {},
        body: undefined,
        timeoutMs: 600_000,
        signal: undefined,
        maxResponseBytes: 1_000_000,
      });
      expect(response.status).toBe(200);
      expect(live.size).toBe(0);
    } finally {
      for (const id of live) realClearTimeout(id);
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    }
  });

  test('a request that settles before its deadline leaves the others their own', async () => {
    const answers = [deferred(), deferred()];
    let seen = 0;
    server.handle((_req, res) => void answers[seen++].promise.then(() => res.end('{}')));
    const send = getWithDeadline(nodeTransport({ maxSockets: 16 }), (_timeoutMs, outcome) => outcome);
    const first = send(30_000);
    const second = send(60);
    while (seen < 2) await new Promise((r) => setImmediate(r));
    answers[0].resolve();
    await expect(first).resolves.toBe('answered 200');
    await expect(second).resolves.toBe('timeout (timed out after 60 ms)');
    answers[1].resolve();
  });
});

describe('choosing a transport', () => {
  test('without process.getBuiltinModule (a browser, an old Node) the global fetch is used', async () => {
    server.handle(json(PROJECT));
    const calls = await globalFetchCalls(undefined, async (Fresh) => {
      await new Fresh({ apiKey: KEY, baseURL: `${server.url}/v1` }).projects.retrieve('proj_1');
    });
    expect(calls).toEqual([`${server.url}/v1/organization/projects/proj_1`]);
  });

  test('in Node the default does not go through the global fetch', async () => {
    const realFetch = globalThis.fetch;
    let called = 0;
    server.handle(json(PROJECT));
    try {
      globalThis.fetch = (...args: Parameters<typeof fetch>) => (called++, realFetch(...args));
      await client(undefined).projects.retrieve('proj_1');
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(called).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  test('a fetch that is not a function is refused at construction', () => {
    expect(() => client('nope' as unknown as typeof fetch)).toThrow('fetch must be a function');
  });
});
