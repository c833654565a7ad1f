/**
 * Issue 21, section 1: a server whose 429s name a tiny or zero wait must not turn one call, or one route, into a
 * request storm. A floor under every rate-limit wait (1 s doubling to 60 s per round of 429s on the route, reset by
 * a success), maxRateLimitWait counted in real time by the client's clock, and a ceiling of 429s per call
 * (MAX_RATE_LIMITED_ATTEMPTS) that ends in a RateLimitError saying what happened. Real node:http server on
 * 127.0.0.1; the clock and sleeps are injected: the tests count requests and read the waits asked for, never time.
 */
import { RateLimitError } from '../../src/core/base/errors.js';
import { MAX_RATE_LIMITED_ATTEMPTS } from '../../src/core/pacing/pacing.js';
import { rejectionOf, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';

const server = useTestServer();
const ok = { status: 200, body: project('proj_1') };
const limited = (message: string, headers: Record<string, string> = {}) => ({
  status: 429,
  headers,
  body: { error: { message, type: 'requests', code: 'rate_limit_exceeded', param: null } },
});
/** The floor for the 1st, 2nd, … round of 429s: 1 s doubling, 60 s at most. */
const FLOORS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000];

describe.each([
  ['retry-after-ms: 1', limited('Rate limit reached.', { 'retry-after-ms': '1' }), '1 ms'],
  ['Retry-After: 0', limited('Rate limit reached.', { 'retry-after': '0' }), '0 ms'],
  ['"Please try again in 1ms"', limited('Rate limit reached. Please try again in 1ms.'), '1 ms'],
  ['"Please try again in 6ms" (as the real API says on some limits)', limited('Please try again in 6ms.'), '6 ms'],
])('a server answering 429 with %s forever', (_name, answer, stated) => {
  test(`one call waits at least the floor, 1 s doubling to 60 s, and ends after ${MAX_RATE_LIMITED_ATTEMPTS} requests in a RateLimitError saying what happened`, async () => {
    server.setFallback(answer);
    // No budget: only the ceiling ends the call.
    const { admin, timers } = testClient(server, { maxRateLimitWait: Infinity });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(MAX_RATE_LIMITED_ATTEMPTS);
    expect(timers.sleeps).toEqual(FLOORS);
    expect(error.retryAfterMs).toBe(60_000);
    expect(error.message).toContain(
      `(rate limited: 10 429s to this call, 243 s waited, last stated wait ${stated}; the next wait, 60 s, was past the 10 429s one call takes; retry later)`,
    );
    expect(admin.rateLimitStats).toMatchObject({ rateLimited: 10, totalWaitMs: 243_000, inFlight: 0, waiting: 0 });
  });

  test('with the default maxRateLimitWait (5 min), the budget ends the call at the same point', async () => {
    server.setFallback(answer);
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(/243 s waited.*longer than maxRateLimitWait/);
    expect(server.requests).toHaveLength(10);
  });
});

describe('the floor', () => {
  test('a wait the server states above the floor is taken as is', async () => {
    server.enqueue(limited('Please try again in 1.5s.'), limited('x', { 'retry-after': '3' }), ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1_500, 3_000]);
  });

  test('a stated wait equal to the floor keeps its source', async () => {
    server.enqueue(limited('x', { 'retry-after': '1' }), ok);
    const seen: unknown[] = [];
    const { admin } = testClient(server, { onRateLimit: (info) => void seen.push([info.waitMs, info.source]) });
    await admin.projects.retrieve('proj_1');
    expect(seen).toEqual([[1_000, 'header']]);
  });

  test('a 429 stating no wait waits the floor: 1 s, 2 s, 4 s (the route’s rate not known yet)', async () => {
    server.enqueue(limited('Rate limit reached.'), limited('Rate limit reached.'), limited('Rate limit reached.'), ok);
    const { admin, timers } = testClient(server, {}, { random: 0.99 });
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1_000, 2_000, 4_000]);
  });

  test('a 429 stating no wait on a route whose rate is known waits for its next window when that is longer', async () => {
    // The route learns 3 requests per 6 s (a 429, a window of three successes, a 429), then a 429 states nothing.
    server.enqueue(limited('Please try again in 6s.'), ok, ok, ok, limited('Please try again in 6s.'));
    server.enqueue(limited('Rate limit reached.'), ok);
    const seen: unknown[] = [];
    const { admin, timers } = testClient(server, { onRateLimit: (info) => void seen.push(info.source) });
    for (let i = 0; i < 4; i++) await admin.projects.retrieve('proj_1');
    expect(admin.rateLimitStats.routes[0].estimate).toEqual({ requests: 3, periodMs: 6_000 });
    expect(timers.sleeps).toEqual([6_000, 6_000, 6_060]); // the window plus its 1 % margin, over the 2 s floor
    expect(seen).toEqual(['message', 'message', 'estimate']);
  });

  test('is told to onRateLimit as the client’s own estimate, not as the server’s header', async () => {
    server.enqueue(limited('x', { 'retry-after-ms': '1' }), ok);
    const seen: unknown[] = [];
    const { admin } = testClient(server, { onRateLimit: (info) => void seen.push([info.waitMs, info.source]) });
    await admin.projects.retrieve('proj_1');
    expect(seen).toEqual([[1_000, 'estimate']]);
  });

  test('starts over after a success on the route, and the next call is not held behind the probe', async () => {
    const tiny = limited('Please try again in 1ms.');
    server.enqueue(tiny, tiny, tiny, ok, ok, tiny, ok);
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1_000, 2_000, 4_000]);
    await admin.projects.retrieve('proj_1'); // straight through: the route let the probe through
    expect(timers.sleeps).toEqual([1_000, 2_000, 4_000]);
    await admin.projects.retrieve('proj_1');
    expect(timers.sleeps).toEqual([1_000, 2_000, 4_000, 1_000]);
    expect(server.requests).toHaveLength(7);
  });

  test('is per route: a route refused forever does not raise another route’s floor', async () => {
    server.enqueue(limited('in 1ms'), limited('in 1ms'), limited('in 1ms'), ok, limited('in 1ms'), {
      status: 200,
      body: { object: 'list', data: [], first_id: null, last_id: null, has_more: false },
    });
    const { admin, timers } = testClient(server);
    await admin.projects.retrieve('proj_1');
    await admin.projects.list();
    expect(timers.sleeps).toEqual([1_000, 2_000, 4_000, 1_000]);
  });
});

describe('the RateLimitError says what happened', () => {
  test('to a call refused while it waited behind another call’s 429: no 429 of its own, no stated wait', async () => {
    server.enqueue(limited('Please try again in 40s.'), ok);
    const { admin } = testClient(server, { maxConcurrency: 1 });
    const first = admin.projects.retrieve('proj_1');
    const second = rejectionOf(admin.projects.retrieve('proj_2', { maxRateLimitWait: 10_000 }));
    await expect(first).resolves.toMatchObject({ id: 'proj_1' });
    const error = await second;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toBe(
      '429 GET /organization/projects/{project_id} is rate limited (waiting in the client, not sent) (rate limited: 0 429s to this call, 0 ms waited, last stated wait none; the next wait, 40 s, was longer than maxRateLimitWait allows; retry later)',
    );
    expect(error.retryAfterMs).toBe(40_000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/v1/organization/projects/proj_1',
      '/v1/organization/projects/proj_1',
    ]);
  });

  test('waits under a second in ms, longer ones in whole seconds', async () => {
    server.setFallback(limited('x', { 'retry-after-ms': '999.5' }));
    const { admin } = testClient(server, { maxRateLimitWait: 1_500 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error.message).toContain(
      '(rate limited: 2 429s to this call, 1 s waited, last stated wait 999.5 ms; the next wait, 2 s, was longer',
    );
  });
});

describe('maxRateLimitWait counts the time that passed, by the client’s clock', () => {
  test('a wait that ends exactly at the budget is taken; the next one is not', async () => {
    server.setFallback(limited('Please try again in 20s.'));
    const { admin, timers } = testClient(server, { maxRateLimitWait: 40_000 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(timers.sleeps).toEqual([20_000, 20_000]);
    expect(server.requests).toHaveLength(3);
  });

  test('sleeps that overrun (a busy or suspended machine) use up the budget by what they took, not by what was asked', async () => {
    server.setFallback(limited('Please try again in 20s.'));
    let now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const sleeps: number[] = [];
    const { admin } = testClient(server, {
      maxRateLimitWait: 100_000,
      now: () => now,
      // Each sleep takes 30 s longer than asked.
      sleep: async (ms: number) => void (sleeps.push(ms), (now += ms + 30_000)),
    });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(sleeps).toEqual([20_000, 20_000]);
    expect(server.requests).toHaveLength(3);
    expect(error.message).toContain('3 429s to this call, 100 s waited, last stated wait 20 s');
    expect(admin.rateLimitStats.totalWaitMs).toBe(100_000);
  });
});
