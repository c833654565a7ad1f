/** Retry timing and policy as pure functions: exact waits, no timers. */
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type AttemptOutcome,
} from '../../../src/core/pacing/retry.js';
import { defaultSleep } from '../../../src/core/config/config.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  test('reads Retry-After in whole seconds as milliseconds', () => {
    expect(parseRetryAfter({ 'retry-after': '3' }, NOW)).toBe(3000);
  });

  test('reads fractional Retry-After seconds', () => {
    expect(parseRetryAfter({ 'retry-after': '1.5' }, NOW)).toBe(1500);
  });

  test('reads Retry-After as an HTTP date relative to the injected clock', () => {
    const date = new Date(NOW + 7000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': date }, NOW)).toBe(7000);
  });

  test('an HTTP date in the past means no wait, never a negative one', () => {
    const date = new Date(NOW - 60_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': date }, NOW)).toBe(0);
  });

  test('retry-after-ms takes precedence over Retry-After and keeps fractions', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250.5', 'retry-after': '30' }, NOW)).toBe(250.5);
  });

  test('an unusable retry-after-ms falls back to Retry-After', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '2' }, NOW)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '-5', 'retry-after': '2' }, NOW)).toBe(2000);
  });

  test.each([['garbage'], [''], ['   '], ['1e3x'], ['0x10']])('garbage Retry-After %j gives null', (value) => {
    expect(parseRetryAfter({ 'retry-after': value }, NOW)).toBeNull();
  });

  // Guards against a fixed bug: Date.parse is lenient, so strings that are neither seconds nor an HTTP date
  // ('-3', '1,5', 'abc 5' parse as dates in 2001) become a 0 ms wait instead of null (→ normal backoff).
  test.each([['-3'], ['1,5'], ['abc 5']])('non-date Retry-After %j gives null, not an immediate retry', (value) => {
    expect(parseRetryAfter({ 'retry-after': value }, NOW)).toBeNull();
  });

  test('no header gives null', () => {
    expect(parseRetryAfter({}, NOW)).toBeNull();
  });
});

describe('backoffDelay', () => {
  test('starts at 0.5 s and doubles with no jitter (random = 0)', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, 0))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('is capped at 8 s however many retries were done', () => {
    expect(backoffDelay(5, 0)).toBe(8000);
    expect(backoffDelay(50, 0)).toBe(8000);
  });

  test('jitter takes off at most 25 %', () => {
    expect(backoffDelay(0, 1)).toBe(375);
    expect(backoffDelay(4, 1)).toBe(6000);
    expect(backoffDelay(1, 0.5)).toBe(875);
  });

  test('every delay stays within [75 %, 100 %] of the exponential base for any random in [0, 1)', () => {
    for (let retries = 0; retries < 8; retries++) {
      const base = Math.min(500 * 2 ** retries, 8000);
      for (let i = 0; i <= 20; i++) {
        const delay = backoffDelay(retries, i / 21);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.75));
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  test('follows a custom policy', () => {
    expect(backoffDelay(3, 0, { ...DEFAULT_RETRY_POLICY, initialDelayMs: 10, maxDelayMs: 50 })).toBe(50);
  });
});

describe('decideRetry', () => {
  const status = (code: number, headers: Record<string, string> = {}): AttemptOutcome => ({
    kind: 'status',
    status: code,
    headers,
  });
  const decide = (outcome: AttemptOutcome, retrySafe = true, retriesDone = 0) =>
    decideRetry({ outcome, retriesDone, retrySafe, nowMs: NOW, random: 0 });

  test.each([408, 409, 429, 500, 502, 503, 504])('retries status %i on a safe operation with backoff', (code) => {
    expect(decide(status(code))).toEqual({ retry: true, delayMs: 500 });
  });

  test.each([400, 401, 403, 404, 422])('does not retry status %i', (code) => {
    expect(decide(status(code))).toEqual({ retry: false, reason: 'not-retryable' });
  });

  test('x-should-retry: true makes a non-retryable status retryable', () => {
    expect(decide(status(400, { 'x-should-retry': 'true' }))).toEqual({ retry: true, delayMs: 500 });
  });

  test('x-should-retry: false stops a retry of a 500', () => {
    expect(decide(status(500, { 'x-should-retry': 'false' }))).toEqual({ retry: false, reason: 'not-retryable' });
  });

  test('the backoff grows with the retries done', () => {
    expect(decide(status(503), true, 1)).toEqual({ retry: true, delayMs: 1000 });
  });

  test('stops when maxRetries is reached', () => {
    expect(decide(status(503), true, 2)).toEqual({ retry: false, reason: 'exhausted' });
  });

  test('a server-requested wait is used as is, without jitter', () => {
    const d = decideRetry({
      outcome: status(429, { 'retry-after': '2' }),
      retriesDone: 0,
      retrySafe: true,
      nowMs: NOW,
      random: 0.9,
    });
    expect(d).toEqual({ retry: true, delayMs: 2000 });
  });

  test('a server-requested wait above 60 s is not slept: wait-too-long with the wait', () => {
    expect(decide(status(429, { 'retry-after': '61' }))).toEqual({
      retry: false,
      reason: 'wait-too-long',
      waitMs: 61_000,
    });
  });

  test('a wait of exactly 60 s is still slept', () => {
    expect(decide(status(429, { 'retry-after': '60' }))).toEqual({ retry: true, delayMs: 60_000 });
  });

  describe('unsafe create (retrySafe: false)', () => {
    test('429 is retried: the server turned the request away unprocessed', () => {
      expect(decide(status(429), false)).toEqual({ retry: true, delayMs: 500 });
    });

    test.each([500, 502, 503, 504, 408])('status %i is outcome-unknown', (code) => {
      expect(decide(status(code), false)).toEqual({ retry: false, reason: 'outcome-unknown' });
    });

    test('409 is a definite answer, not retried and not outcome-unknown', () => {
      expect(decide(status(409), false)).toEqual({ retry: false, reason: 'not-retryable' });
    });

    test('a timeout is outcome-unknown', () => {
      expect(decide({ kind: 'timeout' }, false)).toEqual({ retry: false, reason: 'outcome-unknown' });
    });

    test('a connection lost after sending is outcome-unknown', () => {
      expect(decide({ kind: 'connection', sent: true }, false)).toEqual({ retry: false, reason: 'outcome-unknown' });
    });

    test('a refused connection (nothing sent) is retried', () => {
      expect(decide({ kind: 'connection', sent: false }, false)).toEqual({ retry: true, delayMs: 500 });
    });

    test('x-should-retry: true vouches that a 500 may be retried', () => {
      expect(decide(status(500, { 'x-should-retry': 'true' }), false)).toEqual({ retry: true, delayMs: 500 });
    });

    test('a non-retryable status stays not-retryable rather than outcome-unknown', () => {
      expect(decide(status(400), false)).toEqual({ retry: false, reason: 'not-retryable' });
    });
  });

  test('safe operations retry timeouts and connection failures', () => {
    expect(decide({ kind: 'timeout' })).toEqual({ retry: true, delayMs: 500 });
    expect(decide({ kind: 'connection', sent: true })).toEqual({ retry: true, delayMs: 500 });
  });

  test('exhausted on 429 carries the requested wait', () => {
    expect(decide(status(429, { 'retry-after-ms': '1200' }), true, 2)).toEqual({
      retry: false,
      reason: 'exhausted',
      waitMs: 1200,
    });
  });
});

describe('defaultSleep', () => {
  test('an abort signal cuts the wait short', async () => {
    // No clock: the sleep is an hour, so if the abort did not end it this await would outlast the test's timeout.
    const controller = new AbortController();
    const sleeping = defaultSleep(3_600_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  test('an already aborted signal resolves at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(defaultSleep(10_000, controller.signal)).resolves.toBeUndefined();
  });
});
