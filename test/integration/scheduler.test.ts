/**
 * The per-client scheduler (src/core/pacing/scheduler.ts) through the public client, against real node:http servers on
 * 127.0.0.1: 429s are pacing (no maxRetries used), a limited route's queued calls wait for its reset, the rate
 * is learned so that a fan-out settles with few 429s, concurrency is capped, aborts release queued calls.
 * Clocks and sleeps are injected (a clock that sleeps move forward, or sleeps held by the test): no assertion
 * depends on timing.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { APIUserAbortError, RateLimitError } from '../../src/core/base/errors.js';
import type { RateLimitInfo } from '../../src/core/pacing/scheduler.js';
import { rejectionOf, testClient, SECRET_KEY } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';
import { json, startServer, type LocalServer } from '../support/local-server.js';
import {
  clockedClient,
  startRateLimitedServer,
  steppingClock,
  type RateLimitedServer,
} from '../support/rate-limited-server.js';

const server = useTestServer();
const ok = { status: 200, body: project('proj_1') };
const limited = (
  message: string,
  headers: Record<string, string> = {},
  code: string | null = 'rate_limit_exceeded',
) => ({
  status: 429,
  headers,
  body: { error: { message, type: 'requests', code, param: null } },
});

describe('a 429 is pacing, not a failure', () => {
  test('the wait stated only in the message is waited, and 429s do not use up maxRetries', async () => {
    server.enqueue(
      limited('Please try again in 20s.'),
      limited('Please try again in 1m30s.'),
      limited('Please try again in 4.5s.'),
      ok,
    );
    const { admin, timers } = testClient(server, { maxRetries: 0 });
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(timers.sleeps).toEqual([20_000, 90_000, 4_500]);
    expect(server.requests).toHaveLength(4);
    expect(admin.rateLimitStats).toMatchObject({
      rateLimited: 3,
      totalWaitMs: 114_500,
      inFlight: 0,
      queued: 0,
      waiting: 0,
    });
  });

  test('admin.rateLimits, the deprecated name of rateLimitStats, still reads the same counters', async () => {
    server.enqueue(limited('Please try again in 2s.'), ok);
    const { admin } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(admin.rateLimits).toEqual(admin.rateLimitStats);
    expect(admin.rateLimitStats).toMatchObject({ rateLimited: 1, totalWaitMs: 2_000 });
  });

  test('x-ratelimit-reset-requests is taken over the message', async () => {
    server.enqueue(limited('Please try again in 20s.', { 'x-ratelimit-reset-requests': '1m0s' }), ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([60_000]);
  });

  test('a 429 stating no wait backs off from 1 s, doubling', async () => {
    server.enqueue(limited('Rate limit reached.'), limited('Rate limit reached.'), ok);
    const { admin, timers } = testClient(server, { maxRetries: 0 });
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1_000, 2_000]);
  });

  test('a create answered 429 was not processed: it is sent again, once it may be', async () => {
    server.enqueue(limited('Please try again in 2s.'), { status: 201, body: project('proj_new', 'New') });
    const { admin, timers } = testClient(server);
    await expect(admin.projects.create({ name: 'New' })).resolves.toMatchObject({ id: 'proj_new' });
    expect(server.requests.map((r) => [r.method, r.json])).toEqual([
      ['POST', { name: 'New' }],
      ['POST', { name: 'New' }],
    ]);
    expect(timers.sleeps).toEqual([2_000]);
  });

  test('a quota 429 (insufficient_quota) is not pacing: it follows maxRetries', async () => {
    server.enqueue(limited('You exceeded your current quota. Please try again in 20s.', {}, 'insufficient_quota'), ok);
    const { admin, timers } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(timers.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test('x-should-retry: false on a 429 is obeyed', async () => {
    server.enqueue(limited('Please try again in 1s.', { 'x-should-retry': 'false' }), ok);
    const { admin } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).rejects.toThrow(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('maxRateLimitWait and onRateLimit', () => {
  test('past the per-call budget the call fails with RateLimitError carrying retryAfterMs, nothing more sent', async () => {
    server.setFallback(limited('Please try again in 40s.'));
    const { admin, timers } = testClient(server, { maxRateLimitWait: 300_000 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { maxRateLimitWait: 100_000 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(40_000);
    expect(error.message).toMatch(/longer than maxRateLimitWait/);
    expect(timers.sleeps).toEqual([40_000, 40_000]);
    expect(server.requests).toHaveLength(3);
  });

  test('onRateLimit sees each wait (route, operation, wait, attempt, source) before it starts', async () => {
    server.enqueue(limited('Please try again in 20s.'), limited('x', { 'retry-after': '3' }), ok);
    const seen: RateLimitInfo[] = [];
    const { admin } = testClient(server, { onRateLimit: (info) => void seen.push(info) });
    await admin.projects.retrieve('proj_1');
    expect(seen).toEqual([
      {
        route: 'GET /organization/projects/{project_id}',
        operationId: 'retrieve-project',
        waitMs: 20_000,
        attempt: 1,
        source: 'message',
        limited: true,
        waitedMs: 0,
      },
      {
        route: 'GET /organization/projects/{project_id}',
        operationId: 'retrieve-project',
        waitMs: 3_000,
        attempt: 2,
        source: 'header',
        limited: true,
        waitedMs: 20_000,
      },
    ]);
  });

  test('onRateLimit returning false refuses the wait: RateLimitError at once with retryAfterMs', async () => {
    server.enqueue(limited('Please try again in 20s.'), ok);
    const { admin, timers } = testClient(server, { onRateLimit: () => false });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(20_000);
    expect(error.message).toMatch(/refused by onRateLimit/);
    expect(timers.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test('bad options are refused at construction, naming the option', () => {
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, maxConcurrency: 0 })).toThrow(/maxConcurrency/);
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, maxConcurrency: 1.5 })).toThrow(/maxConcurrency/);
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, maxRateLimitWait: -1 })).toThrow(/maxRateLimitWait/);
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, maxRateLimitWait: Number.NaN })).toThrow(/maxRateLimitWait/);
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, onRateLimit: 'no' as never })).toThrow(/onRateLimit/);
  });
});

describe('per-route pacing learned from what the server does', () => {
  let rl: RateLimitedServer;
  let clock: ReturnType<typeof steppingClock>;
  beforeEach(async () => {
    clock = steppingClock();
    rl = await startRateLimitedServer({ capacity: 10, periodMs: 6_000, now: clock.now });
  });
  afterEach(() => rl.close());
  const client = (options = {}) => clockedClient(rl.baseURL, clock, options);
  const ids = Array.from({ length: 40 }, (_, i) => `proj_${i}`);

  test('a sequential 40-project loop completes 40/40 with two 429s: one to find the limit, one to measure the window', async () => {
    const admin = client({ maxRetries: 0 });
    const pages = [];
    for (const id of ids) pages.push(await admin.projects.apiKeys.list(id));
    expect(pages.map((p) => p.data[0].id)).toEqual(ids.map((id) => `key_${id}`));
    expect(rl.limiter.limited).toBe(2);
    expect(rl.limiter.passed).toBe(40);
    expect(admin.rateLimitStats.routes).toEqual([
      {
        route: 'GET /organization/projects/{project_id}/api_keys',
        rateLimited: 2,
        resumesAt: null,
        estimate: { requests: 10, periodMs: 6_000 },
      },
    ]);
  });

  test('after learning, the calls beyond the window wait for the next one instead of firing into 429s', async () => {
    const admin = client();
    for (const id of ids.slice(0, 22)) await admin.projects.apiKeys.list(id); // two 429s: rate learned
    const before = rl.limiter.limited;
    for (const id of ids) await admin.projects.apiKeys.list(id);
    expect(rl.limiter.limited).toBe(before);
    expect(clock.sleeps.slice(2).every((ms) => ms > 0)).toBe(true);
  });

  test('Promise.all over 40 projects completes 40/40, 429s bounded by the in-flight cap in the two learning windows', async () => {
    const admin = client({ maxRetries: 0 });
    const pages = await Promise.all(ids.map((id) => admin.projects.apiKeys.list(id)));
    expect(pages.map((p) => p.data[0].id)).toEqual(ids.map((id) => `key_${id}`));
    expect(rl.limiter.passed).toBe(40);
    expect(rl.limiter.limited).toBeLessThanOrEqual(2 * 8);
    expect(admin.rateLimitStats).toMatchObject({ inFlight: 0, queued: 0, waiting: 0 });
  });

  test('onRateLimit also sees the waits of calls held back by the learned rate (source: estimate, not after a 429)', async () => {
    const seen: RateLimitInfo[] = [];
    const admin = client({ onRateLimit: (info: RateLimitInfo) => void seen.push(info) });
    for (const id of ids) await admin.projects.apiKeys.list(id);
    expect(seen.filter((i) => i.limited).map((i) => i.source)).toEqual(['message', 'message']);
    const paced = seen.filter((i) => !i.limited);
    expect(paced.length).toBeGreaterThan(0);
    expect(
      paced.every((i) => i.source === 'estimate' && i.route === 'GET /organization/projects/{project_id}/api_keys'),
    ).toBe(true);
  });

  test('a limited route does not hold up the others', async () => {
    const admin = client();
    for (const id of ids.slice(0, 11)) await admin.projects.apiKeys.list(id); // route limited now
    const served = rl.limiter.passed;
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(rl.limiter.passed).toBe(served + 1);
  });
});

describe('concurrency cap and cancellation', () => {
  let local: LocalServer;
  let held: (() => void)[];
  beforeEach(async () => {
    held = [];
    local = await startServer((_req, res) => void held.push(() => json(res, 200, project('proj_1'))));
  });
  afterEach(() => local.close());
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 2_000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    if (!cond()) throw new Error('condition not reached');
  };

  test('no more than maxConcurrency requests are on the wire; the rest queue in order', async () => {
    const admin = new OpenAIAdmin({ apiKey: SECRET_KEY, baseURL: `${local.url}/v1`, maxConcurrency: 2 });
    const calls = ['proj_a', 'proj_b', 'proj_c', 'proj_d'].map((id) => admin.projects.retrieve(id));
    await until(() => held.length === 2);
    expect(admin.rateLimitStats).toMatchObject({ inFlight: 2, queued: 2 });
    expect(local.requests.map((r) => r.url)).toEqual([
      '/v1/organization/projects/proj_a',
      '/v1/organization/projects/proj_b',
    ]);
    held.shift()!();
    await until(() => held.length === 2 && local.requests.length === 3);
    expect(local.requests[2].url).toBe('/v1/organization/projects/proj_c');
    while (local.requests.length < 4 || held.length) {
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(calls);
    expect(admin.rateLimitStats).toMatchObject({ inFlight: 0, queued: 0 });
  });

  test('an AbortSignal releases a queued call at once (APIUserAbortError), without sending it', async () => {
    const admin = new OpenAIAdmin({ apiKey: SECRET_KEY, baseURL: `${local.url}/v1`, maxConcurrency: 1 });
    const first = admin.projects.retrieve('proj_a');
    await until(() => held.length === 1);
    const controller = new AbortController();
    const queued = admin.projects.retrieve('proj_b', { signal: controller.signal });
    expect(admin.rateLimitStats.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toThrow(APIUserAbortError);
    expect(admin.rateLimitStats.queued).toBe(0);
    held.shift()!();
    await first;
    expect(local.requests).toHaveLength(1);
    // The slot is free again: the next call goes out.
    const next = admin.projects.retrieve('proj_c');
    await until(() => held.length === 1);
    held.shift()!();
    await next;
  });

  test('an AbortSignal ends a rate-limit wait at once', async () => {
    local.handle((_req, res) =>
      json(res, 429, { error: { message: 'Please try again in 60s.', type: 'requests', code: null } }),
    );
    const controller = new AbortController();
    let waiting!: () => void;
    const sleeping = new Promise<void>((r) => (waiting = r));
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        waiting();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    const admin = new OpenAIAdmin({ apiKey: SECRET_KEY, baseURL: `${local.url}/v1`, sleep });
    const call = admin.projects.retrieve('proj_a', { signal: controller.signal });
    await sleeping;
    expect(admin.rateLimitStats.waiting).toBe(1);
    controller.abort();
    await expect(call).rejects.toThrow(APIUserAbortError);
    expect(admin.rateLimitStats.waiting).toBe(0);
    expect(local.requests).toHaveLength(1);
  });
});
