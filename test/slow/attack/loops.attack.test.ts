/**
 * Attack: servers on 127.0.0.1 that try to keep the client looping — endless list pages (item-less with a
 * fresh cursor every time, one item per page forever, in each cursor style), malformed pages that used to
 * yield `undefined` forever or truncate silently, and a server that is always busy against NaN/Infinity retry
 * and timeout options. Each attack is bounded: after SAFETY_NET requests the server gives up (ends the list
 * or answers 400), so a regression fails the request-count assertion instead of hanging the suite. Both
 * transports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIAdmin } from '../../../src/client';
import { OpenAIAdminError, RequestValidationError } from '../../../src/core/base/errors';
import { MAX_EMPTY_PAGES, PaginationError } from '../../../src/core/pipeline/pagination';
import { MAX_RATE_LIMITED_ATTEMPTS } from '../../../src/core/pacing/pacing';
import { RateLimitError } from '../../../src/core/base/errors';
import { steppingClock } from '../../support/rate-limited-server';

const SAFETY_NET = 200;
type Handler = (
  req: IncomingMessage,
  n: number,
) => { status?: number; headers?: Record<string, string>; body: unknown };

let handler: Handler = () => ({ body: {} });
let count = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  count++;
  req.resume();
  req.on('end', () => {
    const {
      status = 200,
      headers = {},
      body,
    } = count > SAFETY_NET
      ? { status: 400, body: { error: { message: 'safety net: too many requests' } } }
      : handler(req, count);
    res.writeHead(status, { ...headers, 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify(body));
  });
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  count = 0;
});

function attack(serve: Handler, fetch: typeof globalThis.fetch | undefined, options: Record<string, unknown> = {}) {
  handler = serve;
  const { port } = server.address() as AddressInfo;
  return new OpenAIAdmin({
    apiKey: 'sk-admin-loops',
    baseURL: `http://127.0.0.1:${port}/v1`,
    fetch,
    sleep: async () => {},
    logger: { debug() {}, warn() {} },
    ...options,
  });
}

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the attack to end in an error');
}

async function drain(iterable: AsyncIterable<unknown>) {
  for await (const _ of iterable);
}

const project = (n: number) => ({
  id: `proj_${n}`,
  object: 'organization.project',
  name: `P${n}`,
  created_at: 1,
  archived_at: null,
  status: 'active',
});
const bucket = { object: 'bucket', start_time: 0, end_time: 86_400, results: [] };
const rateLimited = (tail: string) => ({
  error: { message: `Rate limit reached for requests.${tail}`, type: 'requests', code: 'rate_limit_exceeded' },
});

describe.each([
  ['the node transport', undefined],
  ['fetch: globalThis.fetch', globalThis.fetch],
] as Array<[string, typeof fetch | undefined]>)('on %s', (_name, fetch) => {
  describe('endless lists', () => {
    test.each([
      [
        'cursor style',
        (n: number) => ({ object: 'list', data: [], has_more: true, last_id: `c_${n}` }),
        (a: OpenAIAdmin) => a.projects.list(),
      ],
      [
        'next style',
        (n: number) => ({ object: 'list', data: [], has_more: true, next: `n_${n}` }),
        (a: OpenAIAdmin) => a.groups.list(),
      ],
      [
        'usage next_page',
        (n: number) => ({ object: 'page', data: [], has_more: true, next_page: `p_${n}` }),
        (a: OpenAIAdmin) => a.usage.completions({ start_time: 1 }),
      ],
    ])(
      `%s: item-less pages with a fresh cursor each end after ${MAX_EMPTY_PAGES} requests`,
      async (_style, page, list) => {
        const admin = attack((_req, n) => ({ body: page(n) }), fetch);
        const error = await failure(() => drain(list(admin) as AsyncIterable<unknown>));
        expect(error).toBeInstanceOf(PaginationError);
        expect(count).toBe(MAX_EMPTY_PAGES);
      },
    );

    test('usage pages that always carry a bucket and never end: pages({ maxPages }) stops after maxPages requests', async () => {
      const admin = attack(
        (_req, n) => ({ body: { object: 'page', data: [bucket], has_more: true, next_page: `p_${n}` } }),
        fetch,
      );
      const error = await failure(() => drain(admin.usage.completions({ start_time: 1 }).pages({ maxPages: 25 })));
      expect(error).toBeInstanceOf(PaginationError);
      expect(count).toBe(25);
    });

    test('one item per page forever: toArray({ max }) stops within max + 1 requests', async () => {
      const admin = attack(
        (_req, n) => ({ body: { object: 'list', data: [project(n)], has_more: true, last_id: `proj_${n}` } }),
        fetch,
      );
      const error = await failure(() => admin.projects.list().toArray({ max: 30 }));
      expect(error).toBeInstanceOf(PaginationError);
      expect(count).toBeLessThanOrEqual(32);
    });

    test('alternating empty and one-item pages: toArray({ max }) still bounds requests', async () => {
      const admin = attack(
        (_req, n) => ({ body: { object: 'list', data: n % 2 ? [] : [project(n)], has_more: true, last_id: `c_${n}` } }),
        fetch,
      );
      const error = await failure(() => admin.projects.list().toArray({ max: 40 }));
      expect(error).toBeInstanceOf(PaginationError);
      expect(count).toBeLessThanOrEqual(42);
    });

    test.each([NaN, Infinity])('toArray({ max: %p }) is refused instead of walking forever', async (max) => {
      const admin = attack(
        (_req, n) => ({ body: { object: 'list', data: [project(n)], has_more: true, last_id: `proj_${n}` } }),
        fetch,
      );
      const list = admin.projects.list();
      await list; // the first page is requested when the list is created; let it land before counting
      const error = await failure(() => list.toArray({ max }));
      expect(error).toBeInstanceOf(PaginationError);
      expect((error as Error).message).toMatch(/max must be a whole number/);
      expect(count).toBe(1);
    });
  });

  describe('malformed pages, with validation off', () => {
    test.each([
      ['data is an object (used to yield undefined forever)', { object: 'list', data: {}, has_more: false }],
      [
        'has_more is the string "true" (used to stop silently after page 1)',
        { object: 'list', data: [project(1)], has_more: 'true', last_id: 'proj_1' },
      ],
      ['last_id is an object', { object: 'list', data: [project(1)], has_more: true, last_id: { id: 'proj_1' } }],
    ])('%s: PaginationError after one request', async (_name, body) => {
      const admin = attack(() => ({ body }), fetch, { validate: 'off' });
      const seen: unknown[] = [];
      const error = await failure(async () => {
        for await (const item of admin.projects.list()) if (seen.push(item) > SAFETY_NET) break;
      });
      expect(error).toBeInstanceOf(PaginationError);
      expect(seen).toEqual([]);
      expect(count).toBe(1);
    });
  });

  describe('options that would loop or misfire, against an always-busy server', () => {
    const busy: Handler = () => ({ status: 503, body: { error: { message: 'busy' } } });

    test.each([NaN, Infinity])('per-call maxRetries %p: RequestValidationError, nothing sent', async (maxRetries) => {
      const admin = attack(busy, fetch);
      const error = await failure(() => admin.projects.retrieve('proj_1', { maxRetries }));
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(count).toBe(0);
    });

    test.each([2 ** 31, Infinity, NaN])(
      'per-call timeout %p: RequestValidationError, nothing sent',
      async (timeout) => {
        const admin = attack(busy, fetch);
        const error = await failure(() => admin.projects.retrieve('proj_1', { timeout }));
        expect(error).toBeInstanceOf(RequestValidationError);
        expect(count).toBe(0);
      },
    );

    test.each([
      [{ maxRetries: Infinity }],
      [{ timeout: 2 ** 31 }],
      [{ retryPolicy: { maxRetries: NaN } }],
      [{ retryPolicy: { maxDelayMs: Infinity } }],
      [{ retryPolicy: { initialDelayMs: -1 } }],
    ])('client option %p is refused at construction', (options) => {
      expect(() => attack(busy, fetch, options)).toThrow(OpenAIAdminError);
      expect(count).toBe(0);
    });

    test('a good per-call maxRetries is honoured exactly', async () => {
      const admin = attack(busy, fetch);
      await failure(() => admin.projects.retrieve('proj_1', { maxRetries: 3 }));
      expect(count).toBe(4);
    });
  });
  describe('429s that name a tiny or zero wait (issue 21: one retrieve sent ~450 requests a second)', () => {
    const tiny: Array<[string, Handler]> = [
      ['retry-after-ms: 1', () => ({ status: 429, headers: { 'retry-after-ms': '1' }, body: rateLimited('') })],
      ['Retry-After: 0', () => ({ status: 429, headers: { 'retry-after': '0' }, body: rateLimited('') })],
      ['"Please try again in 1ms"', () => ({ status: 429, body: rateLimited(' Please try again in 1ms.') })],
    ];

    /** A client on a clock that only its sleeps move (never while a request is on the wire); request times kept. */
    function clocked(serve: Handler, options: Record<string, unknown> = {}) {
      const clock = steppingClock();
      const sent: number[] = [];
      const admin = attack(
        (req, n) => {
          sent.push(clock.now());
          return serve(req, n);
        },
        fetch,
        { now: clock.now, sleep: clock.sleep, random: () => 0, ...options },
      );
      clock.busy = () => admin.rateLimitStats.inFlight > 0;
      return { admin, sent, clock };
    }

    /** The most requests sent in any minute of the client's clock. */
    const busiestMinute = (sent: number[]) =>
      Math.max(...sent.map((t) => sent.filter((u) => u >= t && u < t + 60_000).length));

    test.each(tiny)(
      `%s forever: one call sends ${MAX_RATE_LIMITED_ATTEMPTS} requests, 6 in its busiest minute, then a RateLimitError`,
      async (_name, serve) => {
        const { admin, sent } = clocked(serve, { maxRateLimitWait: Infinity });
        const error = await failure(() => admin.projects.retrieve('proj_1'));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as Error).message).toMatch(/10 429s to this call, 243 s waited/);
        expect(count).toBe(MAX_RATE_LIMITED_ATTEMPTS);
        expect(busiestMinute(sent)).toBe(6);
      },
    );

    test.each(tiny)(
      '%s forever: 20 concurrent calls on one route are held together (one probe per floor), all end in a RateLimitError',
      async (_name, serve) => {
        const { admin, sent } = clocked(serve);
        const calls = Array.from({ length: 20 }, (_, i) => failure(() => admin.projects.retrieve(`proj_${i}`)));
        const errors = await Promise.all(calls);
        expect(errors.every((e) => e instanceof RateLimitError)).toBe(true);
        // The first round: as many as the concurrency cap lets out before the first 429 is back. After it, the
        // route lets one request (a probe) out per floor: never two at one time, and the floor doubles to 60 s.
        const cap = 8;
        expect(sent.filter((t) => t === sent[0])).toHaveLength(cap);
        const probes = sent.slice(cap);
        expect(new Set(probes).size).toBe(probes.length);
        expect(probes.map((t) => t - sent[0])).toEqual([
          1_000, 3_000, 7_000, 15_000, 31_000, 63_000, 123_000, 183_000, 243_000,
        ]);
        expect(count).toBe(17);
        expect(busiestMinute(sent)).toBe(13);
        expect(admin.rateLimitStats).toMatchObject({ inFlight: 0, queued: 0, waiting: 0 });
      },
    );
  });
});
