/**
 * Fault suite: the client in front of a real node:http server on 127.0.0.1 that misbehaves on purpose.
 * Each scenario asserts what the server saw (attempts), the waits the client asked of the injected sleep,
 * and the final result or error (class and message). Creates must reach the server exactly once whenever
 * the outcome of an attempt is ambiguous.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  InternalServerError,
  OpenAIAdmin,
  OutcomeUnknownError,
  PaginationError,
  RateLimitError,
  type ClientOptions,
} from '../../../src/index';
import { rejectionOf as failure } from '../../support/client';
import { cursorPage, fakeTimers } from '../../support/http-server';
import { freePort, json, startServer, type LocalServer } from '../../support/local-server';

const PROJECT = {
  id: 'proj_abc',
  object: 'organization.project',
  name: 'Demo',
  created_at: 1711471533,
  status: 'active',
};
const page = (ids: string[], hasMore: boolean) =>
  cursorPage(
    ids.map((id) => ({ ...PROJECT, id })),
    hasMore,
  );
// A fixed clock on a whole second, so an HTTP date header maps to an exact wait.
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

let server: LocalServer;
/** Fake sleep/clock/random (no jitter: backoff is exactly 500, 1000, 2000 … ms); waits are the sleeps asked for. */
let timers: ReturnType<typeof fakeTimers>;
let waits: number[];
/** The fetch the clients of the current block use; undefined means the Node default transport. */
let transportFetch: typeof fetch | undefined;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  timers = fakeTimers({ now: NOW });
  waits = timers.sleeps;
});

function client(options: Partial<ClientOptions> = {}) {
  return new OpenAIAdmin({
    apiKey: 'sk-admin-fault-suite-key',
    baseURL: server.url,
    sleep: timers.sleep,
    now: timers.now,
    random: timers.random,
    logger: { warn: () => {} },
    fetch: transportFetch,
    ...options,
  });
}

/** Answers the i-th request with the i-th step; the last step repeats. */
function sequence(
  ...steps: Array<(res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) => void>
) {
  server.handle((req, res, _seen, i) => steps[Math.min(i, steps.length - 1)](res, req));
}
const ok = (res: import('node:http').ServerResponse) => json(res, 200, PROJECT);
const status =
  (code: number, headers: Record<string, string> = {}) =>
  (res: import('node:http').ServerResponse) =>
    json(res, code, { error: { message: `injected ${code}`, type: 'server_error', code: null, param: null } }, headers);
const reset = (res: import('node:http').ServerResponse) => res.socket?.destroy();
const resetMidBody = (res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
  res.write('{"id":"proj_abc","object":"organiz');
  setTimeout(() => res.socket?.destroy(), 20);
};
const never = () => {
  /* keeps the socket open and never answers */
};

// Every scenario runs on both transports: node:http (the Node default) and fetch (browsers, or passed in).
describe.each([
  ['node:http', undefined],
  ['fetch', globalThis.fetch],
] as const)('%s transport', (_name, fetchImpl) => {
  beforeAll(() => {
    transportFetch = fetchImpl;
  });

  describe('429 and server-requested waits', () => {
    test('Retry-After in seconds is slept exactly, then success', async () => {
      sequence(status(429, { 'retry-after': '3' }), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([3000]);
    });

    test('Retry-After as an HTTP date waits until that date', async () => {
      sequence(status(429, { 'retry-after': new Date(NOW + 7_000).toUTCString() }), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([7000]);
    });

    test('retry-after-ms wins over Retry-After and keeps its fraction', async () => {
      sequence(status(429, { 'retry-after-ms': '1234.5', 'retry-after': '9' }), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([1234.5]);
    });

    test('a wait over maxRateLimitWait (default 5 min) is not slept: RateLimitError carrying the wait', async () => {
      sequence(status(429, { 'retry-after': '400' }), ok);
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBe(400_000);
      expect(error.message).toContain('429 injected 429');
      expect(error.message).toContain('400 s');
      expect(server.requests).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    test('429 forever: waits do not use up maxRetries; gives up past maxRateLimitWait with RateLimitError', async () => {
      sequence(status(429, { 'retry-after': '3' }));
      const error = await failure(client({ maxRetries: 0, maxRateLimitWait: 6_500 }).projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(server.requests).toHaveLength(3);
      expect(waits).toEqual([3000, 3000]);
    });
  });

  describe('5xx', () => {
    test.each([500, 502, 503, 504])('%i once, then success after one backoff', async (code) => {
      sequence(status(code), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });

    test('5xx forever: 1 + maxRetries attempts, exponential waits, InternalServerError', async () => {
      sequence(status(503));
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.message).toBe('503 injected 503');
      expect((error as InternalServerError).status).toBe(503);
      expect(server.requests).toHaveLength(3);
      expect(waits).toEqual([500, 1000]);
    });

    test('per-call maxRetries: 4 is honoured', async () => {
      sequence(status(500));
      const error = await failure(client().projects.retrieve('proj_abc', { maxRetries: 4 }));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(server.requests).toHaveLength(5);
      expect(waits).toEqual([500, 1000, 2000, 4000]);
    });

    test('an HTML 502 page from a proxy: InternalServerError with a short tag-free excerpt', async () => {
      sequence((res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(
          '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>',
        );
      });
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.message).toContain('502 Bad Gateway');
      expect(error.message).not.toContain('<');
      expect(server.requests).toHaveLength(3);
      expect(waits).toEqual([500, 1000]);
    });
  });

  describe('x-should-retry', () => {
    test('x-should-retry: false on a 503 is not retried', async () => {
      sequence(status(503, { 'x-should-retry': 'false' }), ok);
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(server.requests).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    test('x-should-retry: true on a 400 is retried', async () => {
      sequence(status(400, { 'x-should-retry': 'true' }), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });
  });

  describe('connections', () => {
    test('reset before headers, then success', async () => {
      sequence(reset, ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });

    test('reset before headers forever: APIConnectionError after 3 attempts', async () => {
      sequence(reset);
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toMatch(/^Connection error/);
      expect(server.requests).toHaveLength(3);
      expect(waits).toEqual([500, 1000]);
    });

    test('reset mid-body, then success', async () => {
      sequence(resetMidBody, ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });

    test('reset mid-body forever: APIConnectionError saying the response was cut', async () => {
      sequence(resetMidBody);
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toMatch(/Connection lost while reading the response/);
      expect(server.requests).toHaveLength(3);
    });

    test('a server that never answers: APIConnectionTimeoutError per attempt', async () => {
      sequence(never);
      const error = await failure(client({ timeout: 300, maxRetries: 1 }).projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      // The message names the endpoint (method, origin, path), as a refused connection's does.
      expect(error.message).toBe(
        `Request timed out after 300 ms calling GET ${server.url}/organization/projects/proj_abc.`,
      );
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });

    test('headers then a stalled body is a timeout too, and recovers', async () => {
      sequence((res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":');
      }, ok);
      await expect(client({ timeout: 300 }).projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([500]);
    });
  });

  describe('broken 2xx bodies', () => {
    test('truncated JSON with a matching content-length', async () => {
      sequence((res) => {
        const text = '{"id":"proj_abc","object":"organization.pro';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.end(text);
      });
      const error = await failure(client().projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toContain('retrieve-project: status 200 with invalid JSON');
      expect(server.requests).toHaveLength(3);
      expect(waits).toEqual([500, 1000]);
    });

    test('200 with an empty body', async () => {
      sequence((res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end(), ok);
      await expect(client().projects.retrieve('proj_abc')).resolves.toEqual(PROJECT);
      expect(server.requests).toHaveLength(2);
      sequence((res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end());
      const error = await failure(client().projects.retrieve('proj_abc', { maxRetries: 0 }));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toContain('status 200 with an empty body');
      expect(server.requests).toHaveLength(1);
    });

    test('wrong content type (text/html page with 200)', async () => {
      sequence((res) =>
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Captive portal: please log in</body></html>'),
      );
      const error = await failure(client({ maxRetries: 0 }).projects.retrieve('proj_abc'));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toContain('text/html');
      expect(error.message).toContain('Captive portal');
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('pagination', () => {
    test('a cursor that repeats raises PaginationError instead of looping', async () => {
      sequence(
        (res) => json(res, 200, page(['proj_1', 'proj_2'], true)),
        (res) => json(res, 200, page(['proj_3', 'proj_2'], true)),
      );
      const seen: string[] = [];
      const error = await failure(
        (async () => {
          for await (const p of client().projects.list({ limit: 2 })) seen.push(p.id);
        })(),
      );
      expect(error).toBeInstanceOf(PaginationError);
      expect(error.message).toContain('the same cursor (6 characters) a second time');
      expect(seen).toEqual(['proj_1', 'proj_2', 'proj_3', 'proj_2']);
      expect(server.requests.map((r) => r.url)).toEqual([
        '/organization/projects?limit=2',
        '/organization/projects?limit=2&after=proj_2',
      ]);
    });

    test('a 5xx in the middle of paging is retried for that page only', async () => {
      sequence(
        (res) => json(res, 200, page(['proj_1'], true)),
        status(502),
        (res) => json(res, 200, page(['proj_2'], false)),
      );
      const ids: string[] = [];
      for await (const p of client().projects.list()) ids.push(p.id);
      expect(ids).toEqual(['proj_1', 'proj_2']);
      expect(server.requests.map((r) => r.url)).toEqual([
        '/organization/projects',
        '/organization/projects?after=proj_1',
        '/organization/projects?after=proj_1',
      ]);
      expect(waits).toEqual([500]);
    });
  });

  describe('creates are never duplicated', () => {
    const created = { ...PROJECT, name: 'New' };
    const createdOnce = () => server.requests.filter((r) => r.method === 'POST');

    test('500 on a create: OutcomeUnknownError, received exactly once', async () => {
      sequence(status(500), (res) => json(res, 200, created));
      const error = await failure(client().projects.create({ name: 'New' }));
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error.message).toContain('create-project failed after the request was sent');
      expect(error.message).toContain('the outcome is unknown');
      expect(createdOnce()).toHaveLength(1);
      expect(JSON.parse(createdOnce()[0].body)).toEqual({ name: 'New' });
      expect(waits).toEqual([]);
    });

    test('reset after the body was received: OutcomeUnknownError, received exactly once', async () => {
      sequence(reset, (res) => json(res, 200, created));
      const error = await failure(client().projects.create({ name: 'New' }));
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error.message).toContain('the outcome is unknown');
      expect(createdOnce()).toHaveLength(1);
    });

    test('timeout on a create: OutcomeUnknownError, received exactly once', async () => {
      sequence(never, (res) => json(res, 200, created));
      const error = await failure(client({ timeout: 300 }).projects.create({ name: 'New' }));
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error.message).toContain('timed out');
      expect(createdOnce()).toHaveLength(1);
    });

    test('truncated 200 answer to a create: OutcomeUnknownError, received exactly once', async () => {
      sequence(resetMidBody, (res) => json(res, 200, created));
      const error = await failure(client().projects.create({ name: 'New' }));
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(createdOnce()).toHaveLength(1);
    });

    test('429 on a create is provably unprocessed: retried once, then created', async () => {
      sequence(status(429, { 'retry-after-ms': '10' }), (res) => json(res, 200, created));
      await expect(client().projects.create({ name: 'New' })).resolves.toEqual(created);
      expect(createdOnce()).toHaveLength(2);
      expect(waits).toEqual([1000]); // the 10 ms asked for, raised to the rate-limit floor
    });

    test('a refused connection never reached a server: a create may retry', async () => {
      const closedPort = await freePort();
      const error = await failure(
        client({ baseURL: `http://127.0.0.1:${closedPort}` }).projects.create({ name: 'New' }),
      );
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).not.toBeInstanceOf(OutcomeUnknownError);
      expect(error.message).toContain('ECONNREFUSED');
      expect(waits).toEqual([500, 1000]);
    });
  });
});
