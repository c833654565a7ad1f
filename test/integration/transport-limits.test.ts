/**
 * What a hostile or broken server cannot do to either transport (issue 10): make the client hold an unbounded
 * body (maxResponseBytes, counted after decompression), send a create or the key elsewhere by redirecting, or
 * make it open a socket per concurrent call (maxSockets). Real node:http servers on 127.0.0.1, modest sizes; the
 * real bombs, in a child process, are in test/slow/attack/transport.attack.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { OpenAIAdmin } from '../../src/client.js';
import {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIAdminError,
  OutcomeUnknownError,
  ResponseTooLargeError,
} from '../../src/core/base/errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_SOCKETS } from '../../src/core/transport/transport.js';
import { rejectionOf } from '../support/client.js';
import { startServer, type LocalServer } from '../support/local-server.js';

const KEY = 'sk-admin-limits-test-SECRET-0000';

const transports: [string, typeof fetch | undefined][] = [
  ['node:http (the Node default)', undefined],
  ['fetch', globalThis.fetch],
];

/** A project-shaped JSON body of exactly `size` bytes (ASCII, so bytes = characters). */
function bodyOfSize(size: number): string {
  const head = '{"id":"proj_1","object":"organization.project","pad":"';
  const tail = '"}';
  return head + 'x'.repeat(size - head.length - tail.length) + tail;
}

const SIZE = 50_000;
const BODY = bodyOfSize(SIZE);

/** Content codings as a server applies them, first to last, and the header that names them. */
const codings: [string, string, (b: Buffer) => Buffer][] = [
  ['identity, with content-length', '', (b) => b],
  ['gzip', 'gzip', gzipSync],
  ['deflate (zlib-wrapped)', 'deflate', deflateSync],
  ['deflate (raw)', 'deflate', deflateRawSync],
  ['br', 'br', brotliCompressSync],
  ['gzip then br', 'gzip, br', (b) => brotliCompressSync(gzipSync(b))],
  ['raw deflate then gzip', 'deflate, gzip', (b) => gzipSync(deflateRawSync(b))],
];

/** Sends `payload` in 4 KB writes (so the client sees many chunks), with or without a content-length. */
function send(res: ServerResponse, payload: Buffer, headers: Record<string, string>, withLength: boolean) {
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-request-id': 'req_big',
    ...headers,
    ...(withLength ? { 'content-length': String(payload.length) } : {}),
  });
  for (let at = 0; at < payload.length; at += 4096) res.write(payload.subarray(at, at + 4096));
  res.end();
}

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe.each(transports)('%s', (_name, fetchImpl) => {
  const client = (options: Record<string, unknown> = {}) =>
    new OpenAIAdmin({
      apiKey: KEY,
      baseURL: `${server.url}/v1`,
      fetch: fetchImpl,
      maxRetries: 2,
      sleep: async () => {},
      ...options,
    });

  describe.each(codings)('a %s body', (_label, coding, encode) => {
    const payload = encode(Buffer.from(BODY));
    beforeEach(() =>
      server.handle((_q, res) => send(res, payload, coding ? { 'content-encoding': coding } : {}, true)),
    );

    test('of exactly maxResponseBytes (decoded) is accepted', async () => {
      const project = await client().projects.retrieve('proj_1', { maxResponseBytes: SIZE });
      expect(JSON.stringify(project)).toBe(BODY);
    });

    test('one byte over maxResponseBytes (per call) fails with ResponseTooLargeError, once, not retried', async () => {
      const error = await rejectionOf(client().projects.retrieve('proj_1', { maxResponseBytes: SIZE - 1 }));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error.limit).toBe(SIZE - 1);
      expect(error.status).toBe(200);
      expect(error.requestID).toBe('req_big');
      expect(error.message).toContain(`over maxResponseBytes, ${SIZE - 1} bytes`);
      expect(error.message).toContain('raise maxResponseBytes (client or per call)');
      expect(server.requests).toHaveLength(1);
    });

    test('over the client-wide maxResponseBytes fails the same way', async () => {
      const error = await rejectionOf(client({ maxResponseBytes: SIZE - 1 }).projects.retrieve('proj_1'));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(server.requests).toHaveLength(1);
    });
  });

  test('a per-call maxResponseBytes overrides the client one, upwards too', async () => {
    server.handle((_q, res) => send(res, gzipSync(Buffer.from(BODY)), { 'content-encoding': 'gzip' }, true));
    const admin = client({ maxResponseBytes: 1000 });
    await expect(admin.projects.retrieve('proj_1', { maxResponseBytes: SIZE })).resolves.toMatchObject({
      id: 'proj_1',
    });
    expect(await rejectionOf(admin.projects.retrieve('proj_1'))).toBeInstanceOf(ResponseTooLargeError);
  });

  test('an identity body without content-length (chunked) is counted as it arrives', async () => {
    server.handle((_q, res) => send(res, Buffer.from(BODY), {}, false));
    await expect(client().projects.retrieve('proj_1', { maxResponseBytes: SIZE })).resolves.toMatchObject({
      id: 'proj_1',
    });
    expect(await rejectionOf(client().projects.retrieve('proj_1', { maxResponseBytes: SIZE - 1 }))).toBeInstanceOf(
      ResponseTooLargeError,
    );
  });

  test('a content-length over the limit fails at once, without waiting for a body that never comes', async () => {
    // The server announces 10 MB, sends 1 KB and stalls: only a client that trusts the header fails before the timeout.
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000000' });
      res.write('x'.repeat(1024));
    });
    const error = await rejectionOf(
      client({ timeout: 60_000 }).projects.retrieve('proj_1', { maxResponseBytes: 1_000_000 }),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toContain('content-length 10000000');
  });

  test('by default the limit is 64 MiB', async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * 1024 * 1024);
    // Announced, not sent: the default client refuses one byte over without reading (and takes exactly 64 MiB).
    server.handle((_q, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1),
      });
      res.write('{');
    });
    const error = await rejectionOf(client({ timeout: 60_000 }).projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.limit).toBe(DEFAULT_MAX_RESPONSE_BYTES);
  });

  test('a create whose answer is too large is not retried and says it was most likely carried out', async () => {
    server.handle((_q, res) => send(res, gzipSync(Buffer.from(BODY)), { 'content-encoding': 'gzip' }, true));
    const error = await rejectionOf(client({ maxResponseBytes: 1000 }).projects.create({ name: 'x' }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).not.toBeInstanceOf(OutcomeUnknownError);
    expect(error.message).toContain('most likely carried out');
    expect(server.requests.map((r) => r.method)).toEqual(['POST']);
  });

  test('an error status with a body over the limit is ResponseTooLargeError carrying that status', async () => {
    server.handle((_q, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(BODY);
    });
    const error = await rejectionOf(client().projects.retrieve('proj_1', { maxResponseBytes: 1000 }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });

  test('the headers on ResponseTooLargeError have the key cut out', async () => {
    server.handle((_q, res) => send(res, Buffer.from(BODY), { 'x-echo': `Bearer ${KEY}` }, true));
    const error = await rejectionOf(client().projects.retrieve('proj_1', { maxResponseBytes: 1000 }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(JSON.stringify(error.headers) + error.message).not.toContain(KEY);
  });

  test('a body that stalls halfway through decoding is a timeout', async () => {
    const payload = gzipSync(Buffer.from(BODY));
    server.handle((_q, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(payload.length),
      });
      res.write(payload.subarray(0, payload.length >> 1));
    });
    expect(await rejectionOf(client({ timeout: 300, maxRetries: 0 }).projects.retrieve('proj_1'))).toBeInstanceOf(
      APIConnectionTimeoutError,
    );
  });

  test('an abort while the body streams rejects with APIUserAbortError and closes the connection', async () => {
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    let closed!: Promise<void>;
    server.handle((req, res) => {
      closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.write(gzipSync(Buffer.from(BODY)).subarray(0, 100), () => wrote());
    });
    const controller = new AbortController();
    const pending = client().projects.retrieve('proj_1', { signal: controller.signal });
    await written;
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(APIUserAbortError);
    await closed;
  });
});

describe('maxResponseBytes and maxSockets are checked like the other options', () => {
  const make = (options: Record<string, unknown>) => () =>
    new OpenAIAdmin({ apiKey: KEY, baseURL: `${server.url}/v1`, ...options });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1000'])(
    'client option %p is refused, naming the option',
    (value) => {
      const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
      expect(make({ maxResponseBytes: value })).toThrow(
        new OpenAIAdminError(`maxResponseBytes must be a positive whole number (got ${shown})`),
      );
      expect(make({ maxSockets: value })).toThrow(
        new OpenAIAdminError(`maxSockets must be a positive whole number (got ${shown})`),
      );
    },
  );

  test.each([0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '10'])(
    'per-call %p is refused, naming the option, and nothing is sent',
    async (value) => {
      server.handle((_q, res) => res.end('{}'));
      const error = await rejectionOf(make({})().projects.retrieve('proj_1', { maxResponseBytes: value as number }));
      expect(error).toBeInstanceOf(OpenAIAdminError);
      expect(error.message).toContain('options.maxResponseBytes must be a positive whole number');
      expect(server.requests).toHaveLength(0);
    },
  );

  test('withOptions keeps both', async () => {
    server.handle((_q, res) => send(res, Buffer.from(BODY), {}, true));
    const copy = new OpenAIAdmin({
      apiKey: KEY,
      baseURL: `${server.url}/v1`,
      maxResponseBytes: 1000,
      maxSockets: 3,
    }).withOptions({ timeout: 5_000 });
    expect(await rejectionOf(copy.projects.retrieve('proj_1'))).toBeInstanceOf(ResponseTooLargeError);
  });
});

/** A server that records everything that reaches it, including bare connections. */
async function recordingServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const srv: Server = createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  srv.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  return {
    url,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}

describe.each(transports)('redirects on %s', (_name, fetchImpl) => {
  let target: Awaited<ReturnType<typeof recordingServer>>;
  let redirecting: Awaited<ReturnType<typeof recordingServer>>;
  let status = 307;
  let location = '';
  beforeAll(async () => {
    target = await recordingServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id: 'proj_evil', object: 'organization.project', name: 'x', created_at: 1, status: 'active' }),
      );
    });
    redirecting = await recordingServer((_q, res) => {
      // x-should-retry: true would make any other status retried: a redirect must not be, even so.
      res.writeHead(status, { location, 'x-should-retry': 'true', 'content-type': 'text/html' });
      res.end('<a href="elsewhere">moved</a>');
    });
  });
  afterAll(async () => {
    await target.close();
    await redirecting.close();
  });
  beforeEach(() => {
    target.requests.length = 0;
    redirecting.requests.length = 0;
  });
  const client = () =>
    new OpenAIAdmin({
      apiKey: KEY,
      baseURL: `${redirecting.url}/v1`,
      fetch: fetchImpl,
      organization: 'org_1',
      project: 'proj_1',
      defaultHeaders: { 'x-custom': 'c' },
      maxRetries: 2,
      sleep: async () => {},
    });

  describe.each([301, 302, 303, 307, 308])('%i to another origin', (code) => {
    test.each([
      ['GET', (admin: OpenAIAdmin) => admin.projects.retrieve('proj_1')],
      ['POST', (admin: OpenAIAdmin) => admin.projects.create({ name: 'x' })],
    ] as const)(
      '%s: an APIError with the location; the other origin gets nothing; not retried',
      async (method, call) => {
        status = code;
        location = `${target.url}/v1/organization/projects`;
        const error = await rejectionOf(call(client()));
        expect(error).toBeInstanceOf(APIError);
        expect(error).not.toBeInstanceOf(OutcomeUnknownError);
        expect(error.status).toBe(code);
        expect(error.location).toBe(location);
        expect(error.message).toBe(
          `The server answered ${code} redirect to ${location}; not followed, so that a create is not re-sent and the key stays on the configured host (set baseURL to the final address).`,
        );
        expect(target.requests).toEqual([]);
        expect(target.connections).toBe(0);
        expect(redirecting.requests.map((r) => r.method)).toEqual([method]);
      },
    );
  });

  test('a same-origin 303 after a create is an error, not a GET that looks like the create succeeded', async () => {
    status = 303;
    location = `${redirecting.url}/v1/organization/projects/proj_1`;
    const error = await rejectionOf(client().projects.create({ name: 'x' }));
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(303);
    expect(redirecting.requests.map((r) => r.method)).toEqual(['POST']);
  });

  test('a location carrying the key is scrubbed', async () => {
    status = 302;
    location = `${target.url}/collect?k=${KEY}`;
    const error = await rejectionOf(client().projects.retrieve('proj_1'));
    expect(error.location).toBe(`${target.url}/collect?k=[redacted]`);
    expect(error.message + JSON.stringify(error.headers)).not.toContain(KEY);
  });

  test('a non-redirect status keeps location null', async () => {
    status = 404;
    location = `${target.url}/x`;
    const error = await rejectionOf(client().projects.retrieve('proj_1'));
    expect(error.status).toBe(404);
    expect(error.location).toBeNull();
  });
});

test("a browser's opaque redirect (status 0) is the same error, with the location unknown", async () => {
  let init: RequestInit | undefined;
  const opaque = (async (_url: string, i: RequestInit) => {
    init = i;
    return {
      type: 'opaqueredirect',
      status: 0,
      headers: new Headers(),
      body: null,
      text: async () => '',
    } as unknown as Response;
  }) as typeof fetch;
  const error = await rejectionOf(
    new OpenAIAdmin({
      apiKey: KEY,
      baseURL: 'https://api.example.com/v1',
      fetch: opaque,
      maxRetries: 2,
    }).projects.create({ name: 'x' }),
  );
  expect(init?.redirect).toBe('manual');
  expect(error).toBeInstanceOf(APIError);
  expect(error.status).toBe(0);
  expect(error.location).toBeNull();
  expect(error.message).toContain('answered a redirect to a location the browser hides; not followed');
});

describe('maxSockets (node:http transport)', () => {
  /**
   * 200 concurrent calls; the server holds each response until `batch` requests are waiting (or every call has
   * arrived), so that an unbounded client would have all 200 in flight at once. Counts the connections made.
   */
  async function connectionsFor(options: { maxSockets?: number }, batch: number) {
    const CALLS = 200;
    let held: ServerResponse[] = [];
    let arrived = 0;
    const srv = await recordingServer((_q, res) => {
      arrived++;
      held.push(res);
      if (held.length >= batch || arrived === CALLS) {
        for (const r of held) r.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"proj_1"}');
        held = [];
      }
    });
    try {
      // No client-side concurrency cap (the scheduler's, 8 by default): the bound under test is the transport's own.
      const admin = new OpenAIAdmin({
        apiKey: KEY,
        baseURL: `${srv.url}/v1`,
        maxRetries: 0,
        maxConcurrency: Infinity,
        ...options,
      });
      const results = await Promise.all(Array.from({ length: CALLS }, () => admin.projects.retrieve('proj_1')));
      expect(results).toHaveLength(CALLS);
      expect(srv.requests).toHaveLength(CALLS);
      return srv.connections;
    } finally {
      await srv.close();
    }
  }

  test(`by default at most ${DEFAULT_MAX_SOCKETS} connections per host, however many calls run at once`, async () => {
    expect(DEFAULT_MAX_SOCKETS).toBe(16);
    expect(await connectionsFor({}, DEFAULT_MAX_SOCKETS)).toBeLessThanOrEqual(DEFAULT_MAX_SOCKETS);
  });

  test('the client option sets the bound', async () => {
    expect(await connectionsFor({ maxSockets: 3 }, 3)).toBeLessThanOrEqual(3);
  });
});
