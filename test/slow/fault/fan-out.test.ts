/**
 * Issue 11's fan-out as a fault test: the API keys of 40 projects against a real node:http server on 127.0.0.1
 * that limits each route to 10 requests per 6 s and states the wait only in the 429 message. The server's window
 * and the client run on one fake clock that the client's sleeps move forward: counts are asserted, never times.
 * Before the scheduler this completed 30/40 sequentially and 10/40 with Promise.all.
 */
import { clockedClient, startRateLimitedServer, steppingClock } from '../../support/rate-limited-server';

const N = 40;
const ids = Array.from({ length: N }, (_, i) => `proj_${String(i).padStart(3, '0')}`);

async function fanOut(mode: 'sequential' | 'parallel', options: { maxConcurrency?: number; maxRetries?: number } = {}) {
  const clock = steppingClock();
  const rl = await startRateLimitedServer({ capacity: 10, periodMs: 6_000, now: clock.now });
  try {
    const admin = clockedClient(rl.baseURL, clock, { random: () => 0.5, ...options });
    const errors: unknown[] = [];
    const one = (id: string) =>
      admin.projects.apiKeys.list(id).then(
        (page) => page.data[0].id,
        (error) => void errors.push(error),
      );
    const keys: unknown[] = [];
    if (mode === 'sequential') for (const id of ids) keys.push(await one(id));
    else keys.push(...(await Promise.all(ids.map(one))));
    return { keys, errors, served: rl.limiter.passed, limited: rl.limiter.limited, stats: admin.rateLimitStats };
  } finally {
    await rl.close();
  }
}

const CASES: [string, { maxConcurrency?: number; maxRetries?: number }][] = [
  ['default options', {}],
  ['maxRetries: 0 (rate-limit waits are not retries)', { maxRetries: 0 }],
  ['maxConcurrency: 1', { maxConcurrency: 1 }],
  ['maxConcurrency: Infinity', { maxConcurrency: Infinity }],
];

describe.each(CASES)('40-project fan-out, 10 requests per 6 s per route, %s', (_name, options) => {
  test.each(['sequential', 'parallel'] as const)(
    '%s: 40/40, no errors, each project listed once with success',
    async (mode) => {
      const r = await fanOut(mode, options);
      expect(r.errors).toEqual([]);
      expect(r.keys).toEqual(ids.map((id) => `key_${id}`));
      expect(r.served).toBe(N);
      expect(r.stats).toMatchObject({ inFlight: 0, queued: 0, waiting: 0, rateLimited: r.limited });
      // One 429 finds the limit and one measures the window; in parallel, also those already in flight then.
      const inFlight = mode === 'sequential' ? 1 : Math.min(options.maxConcurrency ?? 8, N);
      expect(r.limited).toBeGreaterThanOrEqual(2);
      expect(r.limited).toBeLessThanOrEqual(2 * inFlight);
      expect(r.stats.routes[0].estimate).toEqual({ requests: 10, periodMs: 6_000 });
    },
  );
});
