/**
 * The wait a 429 asks for, as pure functions: headers first (retry-after-ms, Retry-After, x-ratelimit-reset-*),
 * else the message, which is where the Administration API usually states it ("Please try again in 20s").
 */
import {
  parseDuration,
  rateLimitWait,
  waitFromHeaders,
  waitFromMessage,
} from '../../../src/core/pacing/rate-limit-wait.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('waits stated in the message', () => {
  test.each([
    ['Rate limit reached for requests. Please try again in 20s.', 20_000],
    ['Please try again in 1m30s.', 90_000],
    ['Please try again in 6m0s.', 360_000],
    ['Please try again in 350ms.', 350],
    ['Please try again in 1.5s.', 1_500],
    ['Please retry after 20 seconds.', 20_000],
    ['Try again in 2 minutes', 120_000],
    ['try again in 1 minute and 30 seconds', 90_000],
    ['Please try again in 1h2m3.5s', 3_723_500],
    ['Too many requests, please retry after 1 second', 1_000],
    ['Rate limited: Limit 10 in 1m. Please try again in 12s.', 12_000],
    ['You can send more requests in 45s', 45_000],
    ['Please try again in 6ms.', 6],
    ['Please try again in 1.25s.', 1_250],
    ['PLEASE TRY AGAIN IN 20S.', 20_000],
    ['LIMIT 10 IN 1M. PLEASE TRY AGAIN IN 12S.', 12_000],
    ['Send more requests In 45 Seconds', 45_000],
    ['try again in 5 msec', 5],
    ['try again in 5 msecs', 5],
    ['try again in 1 millisecond', 1],
    ['try again in 2 sec', 2_000],
    ['try again in 2 secs', 2_000],
    ['try again in 1 second', 1_000],
    ['try again in 1 min', 60_000],
    ['try again in 3 mins', 180_000],
    ['try again in 1 hr', 3_600_000],
    ['try again in 2 hrs', 7_200_000],
    ['try again in 1 hour', 3_600_000],
    ['try again in 2 hours', 7_200_000],
    ['try again in 1m, 30s', 90_000],
  ])('%j → %i ms', (message, ms) => {
    expect(waitFromMessage(message)).toBe(ms);
  });

  test.each([
    'Rate limit reached for requests.',
    'You exceeded your current quota, please check your plan and billing details.',
    'within 5s',
    'in a moment',
    'in 5 sandwiches',
    '',
    `try again in ${'9'.repeat(400)}h`,
  ])('%j states no wait → null', (message) => {
    expect(waitFromMessage(message)).toBeNull();
  });
});

describe('Go-style durations (x-ratelimit-reset-*)', () => {
  test.each([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['0.5s', 500],
    ['1h2m3.5s', 3_723_500],
    ['1.25s', 1_250],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['2', 2_000],
    ['12', 12_000],
    ['2.25', 2_250],
    [' 2 ', 2_000],
    [' 1s\n', 1_000],
  ])('%j → %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    '',
    'soon',
    '1x',
    '-1s',
    '-1',
    's',
    '1s junk',
    'junk 1s',
    'x2',
    '2x',
    '1.s',
    '.5s',
    '9'.repeat(400),
    `${'9'.repeat(400)}h`,
  ])('%j is not a duration → null', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('headers', () => {
  test('retry-after-ms first, then Retry-After (seconds or HTTP date)', () => {
    expect(waitFromHeaders({ 'retry-after-ms': '1234', 'retry-after': '9' }, NOW)).toBe(1234);
    expect(waitFromHeaders({ 'retry-after': '9' }, NOW)).toBe(9_000);
    expect(waitFromHeaders({ 'retry-after': new Date(NOW + 5_000).toUTCString() }, NOW)).toBe(5_000);
  });

  test('x-ratelimit-reset-requests and -tokens: the longer of the two (a request needs both buckets)', () => {
    expect(waitFromHeaders({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, NOW)).toBe(
      360_000,
    );
    expect(waitFromHeaders({ 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '1s' }, NOW)).toBe(
      360_000,
    );
    expect(waitFromHeaders({ 'x-ratelimit-reset-requests': '20ms' }, NOW)).toBe(20);
    expect(waitFromHeaders({ 'x-ratelimit-reset-tokens': '0s' }, NOW)).toBe(0);
  });

  test('an unparseable reset header is skipped, the other one used', () => {
    expect(waitFromHeaders({ 'x-ratelimit-reset-requests': 'later', 'x-ratelimit-reset-tokens': '3s' }, NOW)).toBe(
      3_000,
    );
    expect(waitFromHeaders({ 'x-ratelimit-reset-requests': '3s', 'x-ratelimit-reset-tokens': '-1s' }, NOW)).toBe(3_000);
  });

  test('a negative retry-after-ms or Retry-After is no wait: the reset headers decide', () => {
    expect(waitFromHeaders({ 'retry-after-ms': '-5', 'x-ratelimit-reset-requests': '2s' }, NOW)).toBe(2_000);
    expect(waitFromHeaders({ 'retry-after': '-3', 'x-ratelimit-reset-tokens': '4s' }, NOW)).toBe(4_000);
    expect(waitFromHeaders({ 'retry-after-ms': '-5' }, NOW)).toBeNull();
  });

  test('zero is a wait (of 0 ms), not a missing one: the floor is pacing.ts’s business', () => {
    expect(waitFromHeaders({ 'retry-after': '0', 'x-ratelimit-reset-requests': '9s' }, NOW)).toBe(0);
    expect(rateLimitWait({ 'retry-after-ms': '0' }, 'Please try again in 20s.', NOW)).toEqual({
      ms: 0,
      source: 'header',
    });
  });

  test('no usable header → null', () => {
    expect(waitFromHeaders({}, NOW)).toBeNull();
    expect(waitFromHeaders({ 'retry-after': 'soon', 'x-ratelimit-reset-requests': 'later' }, NOW)).toBeNull();
  });
});

describe('rateLimitWait: headers before the message, with the source named', () => {
  test('a header wins over the message', () => {
    expect(rateLimitWait({ 'retry-after': '3' }, 'Please try again in 20s.', NOW)).toEqual({
      ms: 3_000,
      source: 'header',
    });
  });

  test('the message when no header says', () => {
    expect(rateLimitWait({}, '429 Please try again in 20s.', NOW)).toEqual({ ms: 20_000, source: 'message' });
  });

  test('fractional waits keep their fraction', () => {
    expect(rateLimitWait({ 'retry-after-ms': '1234.5' }, '', NOW)).toEqual({ ms: 1234.5, source: 'header' });
  });

  test('null when neither says', () => {
    expect(rateLimitWait({}, 'Rate limit reached.', NOW)).toBeNull();
  });
});
