/**
 * The learned rate probes upward (src/core/pacing/pacing.ts, PROBE_AFTER_FULL_WINDOWS): against a real node:http server on
 * 127.0.0.1 that lets K requests per 6 s window through per route, on a stepping clock that only the client's
 * sleeps move (and never while a request is on the wire). A limit raised mid-run is found, and the client's
 * throughput follows it, for a bounded number of extra 429s; a limit that stays put costs at most one 429 per
 * PROBE_AFTER_FULL_WINDOWS windows, and no time. Counts and clock readings are asserted, never real time.
 */
import type { OpenAIAdmin } from '../../src/client.js';
import { PROBE_AFTER_FULL_WINDOWS } from '../../src/core/pacing/pacing.js';
import {
  clockedClient,
  startRateLimitedServer,
  steppingClock,
  type RateLimitedServer,
} from '../support/rate-limited-server.js';

const PERIOD = 6_000;
const N = PROBE_AFTER_FULL_WINDOWS;
const ROUTE = 'GET /organization/projects/{project_id}/api_keys';

let rl: RateLimitedServer;
let clock: ReturnType<typeof steppingClock>;
beforeEach(async () => {
  clock = steppingClock();
  rl = await startRateLimitedServer({ capacity: 5, periodMs: PERIOD, now: clock.now });
});
afterEach(() => rl.close());

const estimateOf = (admin: OpenAIAdmin) => admin.rateLimitStats.routes.find((r) => r.route === ROUTE)?.estimate;

/** `count` project key lists one after the other; the learned estimate after each. */
async function sequential(admin: OpenAIAdmin, count: number, from = 0): Promise<number[]> {
  const estimates: number[] = [];
  for (let i = from; i < from + count; i++) {
    const page = await admin.projects.apiKeys.list(`proj_${i}`);
    expect(page.data[0].id).toBe(`key_proj_${i}`);
    estimates.push(estimateOf(admin)?.requests ?? 0);
  }
  return estimates;
}

describe('a limit raised mid-run is found', () => {
  test('sequential: 5 → 10 per window, the estimate climbs to 10 one window at a time, for one extra 429', async () => {
    const admin = clockedClient(rl.baseURL, clock, { maxRetries: 0 });
    await sequential(admin, 30); // learns 5 per 6 s (two 429s), then N full windows at 5
    expect(estimateOf(admin)).toEqual({ requests: 5, periodMs: PERIOD });
    expect(rl.limiter.limited).toBe(2);

    rl.limiter.capacity = 10;
    const estimates = await sequential(admin, 60, 30);
    expect(estimates.every((e, i) => i === 0 || e >= estimates[i - 1])).toBe(true);
    expect(new Set(estimates)).toEqual(new Set([5, 6, 7, 8, 9, 10]));
    expect(estimateOf(admin)).toEqual({ requests: 10, periodMs: PERIOD });
    // The climb costs one 429: the probe for 11, which the server refuses.
    expect(rl.limiter.limited).toBe(3);
    expect(rl.limiter.passed).toBe(90);

    // Throughput follows: 40 more take 4 windows (at the old 5 per window they would take 8).
    const start = clock.now();
    await sequential(admin, 40, 90);
    expect(clock.now() - start).toBeLessThan(4 * PERIOD + 1_000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(3 * PERIOD);
    expect(admin.rateLimitStats.rateLimited).toBe(rl.limiter.limited);
  });

  test('Promise.all (8 in flight): the estimate reaches 10 and every call succeeds, 429s bounded', async () => {
    const admin = clockedClient(rl.baseURL, clock, { maxRetries: 0 });
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `proj_${from + i}`);
    const all = (list: string[]) => Promise.all(list.map((id) => admin.projects.apiKeys.list(id)));
    await all(ids(0, 30));
    expect(estimateOf(admin)).toEqual({ requests: 5, periodMs: PERIOD });
    const learning = rl.limiter.limited;

    rl.limiter.capacity = 10;
    const pages = await all(ids(30, 100));
    expect(pages.map((p) => p.data[0].id)).toEqual(ids(30, 100).map((id) => `key_${id}`));
    expect(estimateOf(admin)).toEqual({ requests: 10, periodMs: PERIOD });
    // A probe refused per probing round, plus the requests already in flight when its 429 came back.
    expect(rl.limiter.limited - learning).toBeGreaterThanOrEqual(1);
    expect(rl.limiter.limited - learning).toBeLessThanOrEqual(8);
    expect(admin.rateLimitStats).toMatchObject({ inFlight: 0, queued: 0, waiting: 0 });
  });
});

describe('a limit that stays put', () => {
  test(`probing costs at most one 429 per ${N} paced windows, the estimate stays, and no time is lost`, async () => {
    rl.limiter.capacity = 10;
    const admin = clockedClient(rl.baseURL, clock, { maxRetries: 0 });
    const start = clock.now();
    const estimates = await sequential(admin, 200);
    const windows = Math.round((clock.now() - start) / PERIOD) + 1;
    // 200 at 10 per window: 20 windows (the last starts 19 periods in), plus the margins the client adds.
    expect(windows).toBe(20);
    expect(clock.now() - start).toBeLessThan(19 * PERIOD + 1_000);
    expect(estimates.slice(20).every((e) => e === 10)).toBe(true);
    const paced = windows - 2; // two windows learn the rate (a 429 each)
    const probes = rl.limiter.limited - 2;
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(Math.floor(paced / N));
    expect(rl.limiter.passed).toBe(200);
  });
});
