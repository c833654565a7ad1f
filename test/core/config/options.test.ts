/**
 * Client and per-call options are checked by the same function per option (src/core/config/options.ts): a bad value
 * is an error naming the option, and nothing is sent; good values work alike in both places.
 */
import { OpenAIAdmin } from '../../../src/client.js';
import { OpenAIAdminError, RequestValidationError } from '../../../src/core/base/errors.js';
import { MAX_TIMER_MS } from '../../../src/core/config/options.js';
import { closestName, editDistance } from '../../../src/core/base/suggest.js';
import { rejectionOf, SECRET_KEY } from '../../support/client.js';

const PROJECT = {
  id: 'proj_1',
  object: 'organization.project',
  name: 'P',
  created_at: 1,
  archived_at: null,
  status: 'active',
};

/**
 * A client over an injected fetch that counts calls and answers 503 (retryable) until the 20th call, then
 * 400: an unbounded retry loop shows as 20 calls instead of hanging the test.
 */
function countingClient(options: Record<string, unknown> = {}, answer: 'busy' | 'ok' = 'busy') {
  const calls: { timeoutSignal: boolean }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    calls.push({ timeoutSignal: init.signal !== undefined });
    if (answer === 'ok') return Response.json(PROJECT);
    return calls.length < 20
      ? Response.json({ error: { message: 'busy' } }, { status: 503 })
      : Response.json({ error: { message: 'stop' } }, { status: 400 });
  }) as unknown as typeof globalThis.fetch;
  const admin = new OpenAIAdmin({
    apiKey: SECRET_KEY,
    baseURL: 'http://127.0.0.1:9/v1',
    fetch,
    sleep: async () => {},
    logger: { debug() {}, warn() {} },
    ...options,
  });
  return { admin, calls };
}

const BAD_VALUES: Array<[option: string, value: unknown, message: RegExp]> = [
  ['maxRetries', NaN, /maxRetries must be a whole number ≥ 0 \(got NaN\)/],
  ['maxRetries', Infinity, /maxRetries must be a whole number ≥ 0 \(got Infinity\)/],
  ['maxRetries', -1, /maxRetries must be a whole number ≥ 0/],
  ['maxRetries', 1.5, /maxRetries must be a whole number ≥ 0/],
  ['maxRetries', '2', /maxRetries must be a whole number ≥ 0 \(got "2"\)/],
  ['timeout', 2 ** 31, /timeout must be at most 2147483647 ms/],
  ['timeout', Number.MAX_SAFE_INTEGER, /timeout must be at most 2147483647 ms/],
  ['timeout', Infinity, /timeout must be a positive number of ms/],
  ['timeout', NaN, /timeout must be a positive number of ms/],
  ['timeout', 0, /timeout must be a positive number of ms/],
  ['timeout', -5, /timeout must be a positive number of ms/],
  ['timeout', '100', /timeout must be a positive number of ms/],
  ['validate', 'loud', /validate must be 'off', 'warn' or 'strict'/],
];

describe('per call: a bad option is a RequestValidationError naming it, and nothing is sent', () => {
  test.each([
    ...BAD_VALUES,
    ['signal', {}, /signal must be an AbortSignal/],
    ['headers', 'x-a: 1', /headers must be an object/],
  ] as Array<[string, unknown, RegExp]>)('%s: %p', async (option, value, message) => {
    const { admin, calls } = countingClient();
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { [option]: value }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([`options.${option}`]);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was sent/);
    expect(calls).toHaveLength(0);
  });

  test('an unknown option is refused by name, with the closest known one suggested', async () => {
    const { admin, calls } = countingClient();
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { timout: 5 } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([
      { path: 'options.timout', message: 'is not a request option (did you mean "timeout"?)' },
    ]);
    expect(calls).toHaveLength(0);
  });

  test('options that are not an object are refused', async () => {
    const { admin, calls } = countingClient();
    const error = await rejectionOf(admin.projects.retrieve('proj_1', 'fast' as never));
    expect(error.issues).toEqual([{ path: 'options', message: 'must be an object (got "fast")' }]);
    expect(calls).toHaveLength(0);
  });

  test('a bad option on a list call fails the first page, nothing sent', async () => {
    const { admin, calls } = countingClient();
    const error = await rejectionOf(admin.projects.list({}, { maxRetries: NaN }).toArray());
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(calls).toHaveLength(0);
  });
});

describe('per call: good values are taken', () => {
  test.each([0, 3])('maxRetries %p bounds the attempts to %p + 1', async (maxRetries) => {
    const { admin, calls } = countingClient();
    await rejectionOf(admin.projects.retrieve('proj_1', { maxRetries }));
    expect(calls).toHaveLength(maxRetries + 1);
  });

  test.each([1, 30_000, MAX_TIMER_MS])('timeout %p ms is accepted', async (timeout) => {
    const { admin, calls } = countingClient({}, 'ok');
    await expect(admin.projects.retrieve('proj_1', { timeout })).resolves.toMatchObject({ id: 'proj_1' });
    expect(calls).toHaveLength(1);
  });

  test('options set to undefined count as not given; a real AbortSignal and headers are fine', async () => {
    const { admin, calls } = countingClient({}, 'ok');
    await admin.projects.retrieve('proj_1', {
      timeout: undefined,
      maxRetries: undefined,
      signal: new AbortController().signal,
      headers: { 'x-a': '1' },
      validate: 'strict',
    });
    expect(calls).toHaveLength(1);
  });
});

describe('per client: the same checks, at construction', () => {
  test.each(BAD_VALUES)('%s: %p', (option, value, message) => {
    const make = () => countingClient({ [option]: value });
    expect(make).toThrow(OpenAIAdminError);
    expect(make).toThrow(message);
  });

  test.each([
    [{ maxDelayMs: NaN }, /retryPolicy\.maxDelayMs must be a number of ms from 0 to 2147483647 \(got NaN\)/],
    [{ initialDelayMs: Infinity }, /retryPolicy\.initialDelayMs must be a number of ms/],
    [{ maxServerWaitMs: -1 }, /retryPolicy\.maxServerWaitMs must be a number of ms/],
    [{ maxServerWaitMs: 2 ** 31 }, /retryPolicy\.maxServerWaitMs must be a number of ms/],
    [{ maxRetries: Infinity }, /retryPolicy\.maxRetries must be a whole number ≥ 0/],
    [{ retryStatuses: [500] }, /retryPolicy\.retryStatuses must be a Set of HTTP statuses/],
    [{ retryStatuses: new Set([5000]) }, /retryPolicy\.retryStatuses must be a Set of HTTP statuses/],
    [{ maxDelay: 5 }, /retryPolicy\.maxDelay is not a retry policy field \(did you mean "maxDelayMs"\?\)/],
    ['fast', /retryPolicy must be an object/],
  ])('retryPolicy %p is refused', (retryPolicy, message) => {
    expect(() => countingClient({ retryPolicy })).toThrow(message);
  });

  test.each([
    ['timout', 5, /timout is not a client option \(did you mean "timeout"\?\)/],
    ['organization', 5, /organization must be a string or null/],
    ['sleep', 'soon', /sleep must be a function/],
    ['allowInsecureHttp', 'yes', /allowInsecureHttp must be true or false/],
    ['logger', { warn: 'loud' }, /logger must have functions as debug and warn \(got warn: "loud"\)/],
    ['defaultHeaders', ['x'], /defaultHeaders must be an object/],
  ])('%s: %p is refused by name', (option, value, message) => {
    expect(() => countingClient({ [option]: value })).toThrow(message);
  });

  test('a retryPolicy field set to undefined keeps the default (no NaN backoff)', async () => {
    const sleeps: number[] = [];
    const { admin } = countingClient({
      maxRetries: 1,
      random: () => 0,
      retryPolicy: { initialDelayMs: undefined },
      sleep: async (ms: number) => void sleeps.push(ms),
    });
    await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(sleeps).toEqual([500]);
  });

  test('withOptions applies the same checks', () => {
    const { admin } = countingClient();
    expect(() => admin.withOptions({ timeout: 2 ** 31 })).toThrow(/timeout must be at most 2147483647 ms/);
    expect(() => admin.withOptions({ maxRetries: NaN })).toThrow(/maxRetries must be a whole number/);
    expect(admin.withOptions({ timeout: MAX_TIMER_MS, retryPolicy: { maxDelayMs: 0 } })).toBeInstanceOf(OpenAIAdmin);
  });
});

describe('suggestions', () => {
  test('edit distance and the closest name within 2 edits (1 for short names)', () => {
    expect(editDistance('timout', 'timeout')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(closestName('limt', ['limit', 'after'])).toBe('limit');
    expect(closestName('LIMIT', ['limit'])).toBe('limit');
    expect(closestName('nme', ['name'])).toBe('name');
    expect(closestName('zzzz', ['name'])).toBeNull();
    expect(closestName('completely_different', ['limit'])).toBeNull();
  });
});
