/**
 * `withOptions` copies share the route pacing of the client they copy (src/core/client/client-core.ts) when they talk to
 * the same account (key, base URL, organization, project): the server's limits are the account's, so a reset
 * learned by one holds for the other, whatever each one's timeout or concurrency cap. A copy for another account
 * starts fresh. Real node:http servers on 127.0.0.1; injected clocks and sleeps; requests counted on the server.
 */
import { RateLimitError } from '../../src/core/base/errors.js';
import type { RateLimitInfo } from '../../src/core/pacing/scheduler.js';
import { rejectionOf, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';
import { clockedClient, startRateLimitedServer, steppingClock } from '../support/rate-limited-server.js';

const server = useTestServer();
const ROUTE = 'GET /organization/projects/{project_id}';
const limited = {
  status: 429,
  body: { error: { message: 'Please try again in 20s.', type: 'requests', code: 'rate_limit_exceeded', param: null } },
};

/** A client whose retrieve route was answered 429 (wait 20 s) on a call that did not wait: the route is blocked. */
async function limitedParent() {
  server.enqueue(limited);
  server.setFallback(() => ({ status: 200, body: project('proj_1') }));
  const client = testClient(server);
  const error = await rejectionOf(client.admin.projects.retrieve('proj_1', { maxRateLimitWait: 0 }));
  expect(error).toBeInstanceOf(RateLimitError);
  expect(server.requests).toHaveLength(1);
  return client;
}

describe('a copy for the same account shares the pacing', () => {
  test('a reset the parent was told makes the copy wait for it before sending anything', async () => {
    const { admin, timers } = await limitedParent();
    const seen: (RateLimitInfo & { requestsAtWait: number })[] = [];
    const copy = admin.withOptions({
      timeout: 5_000,
      maxConcurrency: 2,
      onRateLimit: (info) => void seen.push({ ...info, requestsAtWait: server.requests.length }),
    });
    await expect(copy.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(seen).toMatchObject([
      { route: ROUTE, waitMs: 20_000, source: 'message', limited: false, requestsAtWait: 1 },
    ]);
    expect(timers.sleeps).toEqual([20_000]);
    expect(server.requests).toHaveLength(2);
    // The route is shared; the counters are each client's own.
    expect(copy.rateLimitStats).toMatchObject({ rateLimited: 0, totalWaitMs: 20_000, routes: [{ route: ROUTE }] });
    expect(admin.rateLimitStats).toMatchObject({ rateLimited: 1, totalWaitMs: 0, routes: [{ route: ROUTE }] });
  });

  test('a 429 answered to a copy paces the parent and the copy of the copy', async () => {
    server.enqueue(limited);
    server.setFallback(() => ({ status: 200, body: project('proj_1') }));
    const { admin, timers } = testClient(server);
    const copy = admin.withOptions({ timeout: 5_000 });
    const copyOfCopy = copy.withOptions({ maxRetries: 4 });
    await rejectionOf(copy.projects.retrieve('proj_1', { maxRateLimitWait: 0 }));
    const parentError = await rejectionOf(admin.projects.retrieve('proj_1', { maxRateLimitWait: 0 }));
    const grandchildError = await rejectionOf(copyOfCopy.projects.retrieve('proj_1', { maxRateLimitWait: 0 }));
    for (const error of [parentError, grandchildError]) {
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.retryAfterMs).toBe(20_000);
      expect(error.message).toMatch(/waiting in the client, not sent/);
    }
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  test('a copy with its own concurrency cap goes on at the rate the parent learned, without 429s of its own', async () => {
    const clock = steppingClock();
    const rl = await startRateLimitedServer({ capacity: 10, periodMs: 6_000, now: clock.now });
    try {
      const admin = clockedClient(rl.baseURL, clock);
      for (let i = 0; i < 22; i++) await admin.projects.apiKeys.list(`proj_${i}`); // two 429s: rate learned
      expect(rl.limiter.limited).toBe(2);
      const copy = admin.withOptions({ maxConcurrency: 3, timeout: 10_000 });
      clock.busy = () => admin.rateLimitStats.inFlight + copy.rateLimitStats.inFlight > 0;
      const ids = Array.from({ length: 30 }, (_, i) => `proj_${100 + i}`);
      const pages = await Promise.all(ids.map((id) => copy.projects.apiKeys.list(id)));
      expect(pages.map((p) => p.data[0].id)).toEqual(ids.map((id) => `key_${id}`));
      expect(rl.limiter.limited).toBe(2);
      expect(copy.rateLimitStats.routes[0].estimate).toEqual({ requests: 10, periodMs: 6_000 });
    } finally {
      await rl.close();
    }
  });
});

describe('a copy for another account starts fresh', () => {
  test.each([
    ['another apiKey', { apiKey: 'sk-admin-OTHER-0123456789ab' }],
    ['another organization', { organization: 'org_other' }],
    ['another project', { project: 'proj_other' }],
  ])('%s: sent at once, no wait', async (_name, options) => {
    const { admin, timers } = await limitedParent();
    const seen: RateLimitInfo[] = [];
    const copy = admin.withOptions({ ...options, onRateLimit: (info) => void seen.push(info) });
    await expect(copy.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(seen).toEqual([]);
    expect(timers.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(copy.rateLimitStats.routes).toEqual([]);
  });

  test('another base URL: sent at once, no wait', async () => {
    const { admin, timers } = await limitedParent();
    const other = await startRateLimitedServer({ capacity: 10, periodMs: 6_000, now: () => 0 });
    try {
      const copy = admin.withOptions({ baseURL: other.baseURL });
      await expect(copy.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
      expect(other.limiter.passed).toBe(1);
      expect(timers.sleeps).toEqual([]);
      expect(copy.rateLimitStats.routes).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
