/**
 * The retry loop, timeouts and cancellation against a real node:http server on 127.0.0.1, with injected
 * sleep/clock/random: attempts are counted by the server, waits are recorded by the fake sleep.
 */
import {
  ConflictError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  InternalServerError,
  OutcomeUnknownError,
  RateLimitError,
  BadRequestError,
} from '../../src/core/base/errors.js';
import { rejectionOf, testClient } from '../support/client.js';
import { defaultSleep } from '../../src/core/config/config.js';
import { deferred, project, useTestServer } from '../support/http-server.js';
import { freePort } from '../support/local-server.js';

const server = useTestServer();

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const ok = { status: 200, body: project('proj_1') };
const status = (code: number, headers: Record<string, string> = {}) => ({
  status: code,
  headers,
  body: { error: { message: `status ${code}`, type: 'server_error', code: null, param: null } },
});

describe('safe operations (GET)', () => {
  test('500, 503 then 200: three attempts with exponential waits 500 ms and 1000 ms', async () => {
    server.enqueue(status(500), status(503), ok);
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(server.requests).toHaveLength(3);
    expect(timers.sleeps).toEqual([500, 1000]);
  });

  test('jitter from the injected random takes off up to 25 %', async () => {
    server.enqueue(status(502), status(504), ok);
    const { admin, timers } = testClient(server, {}, { random: 1 });
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([375, 750]);
  });

  test.each([408, 409, 429, 500, 502, 503, 504])('status %i is retried', async (code) => {
    server.enqueue(status(code), ok);
    const { admin } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(server.requests).toHaveLength(2);
  });

  test('gives up after maxRetries (default 2) with the last error', async () => {
    server.enqueue(status(503), status(503), status(500));
    const { admin, timers } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(3);
    expect(timers.sleeps).toEqual([500, 1000]);
  });

  test('a client maxRetries applies to every call', async () => {
    server.setFallback(status(503));
    const { admin, timers } = testClient(server, { maxRetries: 4 });
    await expect(admin.projects.retrieve('proj_1')).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(5);
    expect(timers.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  test('retryPolicy.maxRetries applies when maxRetries is not given; maxRetries wins when both are', async () => {
    server.setFallback(status(503));
    const policyOnly = testClient(server, { retryPolicy: { maxRetries: 1, initialDelayMs: 10 } });
    await expect(policyOnly.admin.projects.retrieve('proj_1')).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(2);
    expect(policyOnly.timers.sleeps).toEqual([10]);
    const both = testClient(server, { maxRetries: 3, retryPolicy: { maxRetries: 1, initialDelayMs: 10 } });
    await expect(both.admin.projects.retrieve('proj_1')).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(2 + 4);
    expect(both.timers.sleeps).toEqual([10, 20, 40]);
  });

  test('a per-call maxRetries overrides the client: 0 means one attempt', async () => {
    server.setFallback(status(503));
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1', { maxRetries: 0 })).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  test('a per-call maxRetries can raise the client value', async () => {
    server.enqueue(status(503), status(503), status(503), status(503), ok);
    const { admin } = testClient(server, { maxRetries: 1 });
    await admin.projects.retrieve('proj_1', { maxRetries: 5 });
    expect(server.requests).toHaveLength(5);
  });

  test('a non-retryable status (400) is thrown at once', async () => {
    server.enqueue(status(400));
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).rejects.toThrow(BadRequestError);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  test('x-should-retry: false on a 500 stops the retry', async () => {
    server.enqueue(status(500, { 'x-should-retry': 'false' }), ok);
    const { admin } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  test('x-should-retry: true on a 400 retries it', async () => {
    server.enqueue(status(400, { 'x-should-retry': 'true' }), ok);
    const { admin } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(server.requests).toHaveLength(2);
  });

  test('a connection reset is retried', async () => {
    server.enqueue({ destroy: true }, ok);
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(server.requests).toHaveLength(2);
    expect(timers.sleeps).toEqual([500]);
  });

  test('a refused connection, retried until exhausted, gives APIConnectionError', async () => {
    const port = await freePort();
    const { admin, timers } = testClient(server, { baseURL: `http://127.0.0.1:${port}/v1` });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(timers.sleeps).toEqual([500, 1000]);
  });
});

describe('server-requested waits', () => {
  test('429 with Retry-After in seconds waits exactly that long', async () => {
    server.enqueue(status(429, { 'retry-after': '3' }), ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([3000]);
    expect(server.requests).toHaveLength(2);
  });

  test('429 with Retry-After as an HTTP date waits until then, by the injected clock', async () => {
    server.enqueue(status(429, { 'retry-after': new Date(NOW + 5000).toUTCString() }), ok);
    const { admin, timers } = testClient(server, {}, { now: NOW });
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([5000]);
  });

  test('429 with retry-after-ms takes precedence over Retry-After', async () => {
    server.enqueue(status(429, { 'retry-after-ms': '1234', 'retry-after': '9' }), ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1234]);
  });

  test('a 503 with Retry-After waits as asked too', async () => {
    server.enqueue(status(503, { 'retry-after': '2' }), ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([2000]);
  });

  test('a 429 wait above maxRateLimitWait (default 5 min) is not slept: RateLimitError carrying retryAfterMs', async () => {
    server.enqueue(status(429, { 'retry-after': '400', 'x-request-id': 'req_wait' }), ok);
    const { admin, timers } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(400_000);
    expect(error.message).toMatch(/next wait, 400 s, was longer than maxRateLimitWait/);
    expect(error.requestID).toBe('req_wait');
    expect(timers.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test('a 429 wait of two minutes is slept through: rate limits are pacing in batch jobs', async () => {
    server.enqueue(status(429, { 'retry-after': '120' }), ok);
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(timers.sleeps).toEqual([120_000]);
  });

  test('429s do not use up maxRetries; the total wait is bounded by maxRateLimitWait and reported', async () => {
    server.setFallback(status(429, { 'retry-after-ms': '5000' }));
    const { admin, timers } = testClient(server, { maxRetries: 1, maxRateLimitWait: 12_000 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(5_000);
    expect(timers.sleeps).toEqual([5_000, 5_000]);
    expect(server.requests).toHaveLength(3);
  });
});

/** The guarantee without reconciliation (reconcile.test.ts covers the listing that follows an ambiguous failure). */
const NO_RECONCILE = { reconcile: false };

describe('creates (not safe to retry): never duplicated', () => {
  test('a 500 gives OutcomeUnknownError after exactly one request', async () => {
    server.enqueue(status(500, { 'x-request-id': 'req_create' }), ok);
    const { admin, timers } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'New' }, NO_RECONCILE));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(500);
    expect(error.requestID).toBe('req_create');
    expect(error.message).toMatch(/outcome is unknown/);
    expect(error.message).toMatch(/List the resource to check/);
    expect(error.cause).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  test('a 409 is a definite answer: ConflictError after one request, not outcome-unknown', async () => {
    server.enqueue(status(409), ok);
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'New' }, NO_RECONCILE)).rejects.toThrow(ConflictError);
    expect(server.requests).toHaveLength(1);
  });

  test.each([502, 503, 504, 408])('status %i gives OutcomeUnknownError after one request', async (code) => {
    server.enqueue(status(code), ok);
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'New' }, NO_RECONCILE)).rejects.toThrow(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  test('a 429 is retried: the server did not process it', async () => {
    server.enqueue(status(429, { 'retry-after': '1' }), { status: 201, body: project('proj_new', 'New') });
    const { admin, timers } = testClient(server);
    await expect(admin.projects.create({ name: 'New' }, NO_RECONCILE)).resolves.toMatchObject({ id: 'proj_new' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => [r.method, r.json])).toEqual([
      ['POST', { name: 'New' }],
      ['POST', { name: 'New' }],
    ]);
    expect(timers.sleeps).toEqual([1000]);
  });

  test('a 503 with x-should-retry: true is retried', async () => {
    server.enqueue(status(503, { 'x-should-retry': 'true' }), ok);
    const { admin } = testClient(server);
    await admin.projects.create({ name: 'New' }, NO_RECONCILE);
    expect(server.requests).toHaveLength(2);
  });

  test('a reset after sending gives OutcomeUnknownError, not a retry', async () => {
    server.enqueue({ destroy: true }, ok);
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'New' }, NO_RECONCILE));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  test('a refused connection (nothing sent) is retried', async () => {
    const deadOrigin = `http://127.0.0.1:${await freePort()}`;
    let calls = 0;
    const fetchFirstRefused: typeof fetch = (input, init) =>
      fetch(calls++ === 0 ? (input as string).replace(server.origin, deadOrigin) : input, init);
    server.enqueue({ status: 201, body: project('proj_new') });
    const { admin, timers } = testClient(server, { fetch: fetchFirstRefused });
    await expect(admin.projects.create({ name: 'New' }, NO_RECONCILE)).resolves.toMatchObject({ id: 'proj_new' });
    expect(calls).toBe(2);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([500]);
  });

  test('a timeout gives OutcomeUnknownError after one request', async () => {
    server.enqueue({ hang: true }, ok);
    const { admin } = testClient(server, { timeout: 100 });
    const error = await rejectionOf(admin.projects.create({ name: 'New' }, NO_RECONCILE));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toMatch(/timed out/);
    expect(server.requests).toHaveLength(1);
  });

  test('a 200 with a truncated body gives OutcomeUnknownError (the server did process it)', async () => {
    server.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"proj_new","obj' }, ok);
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'New' }, NO_RECONCILE)).rejects.toThrow(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  test('an update (POST marked safe) is retried after a 500', async () => {
    server.enqueue(status(500), ok);
    const { admin } = testClient(server);
    await admin._call(await import('../../generated/operations.gen.js').then((m) => m.updateProject), {
      path: { project_id: 'proj_1' },
      body: { name: 'Renamed' },
    });
    expect(server.requests).toHaveLength(2);
  });
});

describe('timeouts', () => {
  test('a server that never answers times out each attempt; a GET is retried maxRetries times', async () => {
    server.setFallback({ hang: true });
    const { admin, timers } = testClient(server, { timeout: 100 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(
      /^Request timed out after 100 ms calling GET http:\/\/127\.0\.0\.1:\d+\/v1\/organization\/projects\/proj_1\.$/,
    );
    expect(server.requests).toHaveLength(3);
    expect(timers.sleeps).toEqual([500, 1000]); // the injected sleep: no real backoff was waited
  });

  test('a per-call timeout overrides the client timeout', async () => {
    server.setFallback({ hang: true });
    const { admin } = testClient(server, { timeout: 60_000 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { timeout: 50, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    // The message names the timeout that fired; on a loaded machine 50 ms may pass before the request arrives, so
    // the server's count is bounded, not exact.
    expect(error.message).toMatch(/timed out after 50 ms/);
    expect(server.requests.length).toBeLessThanOrEqual(1);
  });

  test('headers sent then a stalled body is a timeout too', async () => {
    server.enqueue({ status: 200, stallBody: true, headers: { 'content-type': 'application/json' } }, ok);
    const { admin } = testClient(server, { timeout: 100 });
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(server.requests).toHaveLength(2);
  });
});

describe('cancellation', () => {
  test('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const { admin } = testClient(server);
    await expect(admin.projects.retrieve('proj_1', { signal: controller.signal })).rejects.toThrow(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  test('aborting an in-flight request gives APIUserAbortError without retrying', async () => {
    const arrived = deferred();
    server.setFallback(() => (arrived.resolve(), { hang: true }));
    const controller = new AbortController();
    const { admin, timers } = testClient(server);
    const call = admin.projects.retrieve('proj_1', { signal: controller.signal });
    await arrived.promise; // in flight: at the server, unanswered
    controller.abort();
    await expect(call).rejects.toThrow(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  test('aborting during the wait between retries gives APIUserAbortError and no further attempt', async () => {
    server.setFallback(status(503));
    const controller = new AbortController();
    const waits: number[] = [];
    const { admin } = testClient(server, {
      sleep: async (ms) => {
        waits.push(ms);
        controller.abort();
      },
    });
    await expect(admin.projects.retrieve('proj_1', { signal: controller.signal })).rejects.toThrow(APIUserAbortError);
    expect(waits).toEqual([500]);
    expect(server.requests).toHaveLength(1);
  });

  test('the default sleep is cut short by the abort signal', async () => {
    server.setFallback(status(503, { 'retry-after': '30' }));
    const controller = new AbortController();
    // The real default sleep (30 s, from retry-after), aborted once it has started: if the abort did not cut it
    // short, the call would outlast the test's timeout. No clock involved.
    const waits: number[] = [];
    const { admin } = testClient(server, {
      sleep: (ms, signal) => {
        const sleeping = defaultSleep(ms, signal);
        waits.push(ms);
        controller.abort();
        return sleeping;
      },
    });
    const call = admin.projects.retrieve('proj_1', { signal: controller.signal });
    await expect(call).rejects.toThrow(APIUserAbortError);
    expect(waits).toEqual([30_000]);
    expect(server.requests).toHaveLength(1);
  });

  test('aborting a page walk stops it', async () => {
    server.enqueue({ body: { object: 'list', data: [project('a')], last_id: 'a', has_more: true } }, { hang: true });
    const controller = new AbortController();
    const { admin } = testClient(server);
    const seen: string[] = [];
    const walk = (async () => {
      for await (const p of admin.projects.list({}, { signal: controller.signal })) {
        seen.push(p.id);
        controller.abort(); // page 2 (held by the server) is in flight or about to be: either way the walk ends
      }
    })();
    await expect(walk).rejects.toThrow(APIUserAbortError);
    expect(seen).toEqual(['a']);
  });
});
