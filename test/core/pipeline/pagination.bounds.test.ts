/**
 * Every list walk ends: a malformed page is a PaginationError saying what is wrong, whatever the validate
 * mode; item-less pages that keep saying "more" stop after MAX_EMPTY_PAGES; toArray bounds requests as well as
 * items, and maxPages bounds a walk page by page. The server is an injected fetch that counts requests and,
 * as a safety net, ends the list after 100 of them (so code without the bounds fails instead of hanging).
 */
import * as ops from '../../../generated/operations.gen.js';
import { OpenAIAdmin } from '../../../src/client.js';
import { MAX_EMPTY_PAGES, PaginationError, listPages, pageProblem } from '../../../src/core/pipeline/pagination.js';
import type { ValidateMode } from '../../../src/core/types/call.js';
import { rejectionOf, SECRET_KEY } from '../../support/client.js';

const SAFETY_NET = 100;
const project = (id: string) => ({
  id,
  object: 'organization.project',
  name: id,
  created_at: 1,
  archived_at: null,
  status: 'active',
});

function pagingClient(pageFor: (n: number, url: URL) => unknown, validate: ValidateMode = 'off') {
  const urls: URL[] = [];
  const fetch = (async (url: string) => {
    const parsed = new URL(url);
    urls.push(parsed);
    const body =
      urls.length > SAFETY_NET
        ? { object: 'list', data: [], has_more: false, last_id: null, next: null, next_page: null }
        : pageFor(urls.length, parsed);
    return Response.json(body);
  }) as unknown as typeof globalThis.fetch;
  const admin = new OpenAIAdmin({
    apiKey: SECRET_KEY,
    baseURL: 'http://127.0.0.1:9/v1',
    fetch,
    validate,
    maxRetries: 0,
    logger: { debug() {}, warn() {} },
  });
  return { admin, urls };
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('a malformed page is a PaginationError naming the problem, in every validate mode', () => {
  const malformed: Array<[string, unknown, RegExp]> = [
    ['data is an object', { object: 'list', data: {}, has_more: false }, /"data" is an object, not an array/],
    ['data is missing', { object: 'list', has_more: false }, /"data" is missing, not an array/],
    ['data is a string', { object: 'list', data: 'p1,p2', has_more: false }, /"data" is string "p1,p2", not an array/],
    [
      'has_more is the string "true"',
      { object: 'list', data: [project('p1')], has_more: 'true', last_id: 'p1' },
      /"has_more" is string "true", not true or false/,
    ],
    [
      'has_more is 1',
      { object: 'list', data: [project('p1')], has_more: 1, last_id: 'p1' },
      /"has_more" is number 1, not true or false/,
    ],
    [
      'last_id is a number',
      { object: 'list', data: [project('p1')], has_more: true, last_id: 7 },
      /"last_id" is number 7, not a string/,
    ],
    ['the page is an array', [project('p1')], /the page is an array, not an object/],
    ['the page is null', null, /the page is null, not an object/],
  ];
  for (const validate of ['off', 'warn'] as const) {
    test.each(malformed)(`validate '${validate}': %s`, async (_name, body, message) => {
      const { admin, urls } = pagingClient(() => body, validate);
      const viaArray = await rejectionOf(admin.projects.list().toArray());
      expect(viaArray).toBeInstanceOf(PaginationError);
      expect(viaArray.message).toMatch(message);
      const viaLoop = await rejectionOf(collect(admin.projects.list()));
      expect(viaLoop).toBeInstanceOf(PaginationError);
      expect(urls).toHaveLength(2);
    });
  }

  test('a next-style cursor that is not a string', async () => {
    const { admin, urls } = pagingClient(() => ({
      object: 'list',
      data: [{ id: 'g' }],
      has_more: true,
      next: { page: 2 },
    }));
    const error = await rejectionOf(listPages(admin, ops.listGroups, {}).toArray());
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toMatch(/"next" is an object, not a string/);
    expect(urls).toHaveLength(1);
  });

  test('a usage page whose next_page is not a string, and a bucket without results', async () => {
    const bucket = { object: 'bucket', start_time: 0, end_time: 86_400, results: [] };
    const bad = pagingClient(() => ({ object: 'page', data: [bucket], has_more: true, next_page: 42 }));
    await expect(bad.admin.usage.completions({ start_time: 1 }).toArray()).rejects.toThrow(
      /"next_page" is number 42, not a string/,
    );
    const noResults = pagingClient(() => ({
      object: 'page',
      data: [{ ...bucket, results: undefined }],
      has_more: false,
      next_page: null,
    }));
    const error = await rejectionOf(collect(noResults.admin.usage.completions({ start_time: 1 }).rows()));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toMatch(/a bucket has no "results" array/);
  });

  test('pageProblem accepts well-formed pages of each style', () => {
    expect(pageProblem(ops.listProjects.pagination, { data: [], has_more: false, last_id: null })).toBeNull();
    expect(pageProblem(ops.listGroups.pagination, { data: [], next: 'x' })).toBeNull();
    expect(pageProblem(ops.usageCompletions.pagination, { data: [], has_more: true, next_page: 'p2' })).toBeNull();
  });
});

describe('endless lists end with a PaginationError after a bounded number of requests', () => {
  const emptyForever = (n: number) => ({ object: 'list', data: [], has_more: true, last_id: `cursor_${n}` });
  const oneItemForever = (n: number) => ({
    object: 'list',
    data: [project(`p${n}`)],
    has_more: true,
    last_id: `p${n}`,
  });

  test(`item-less pages with a fresh cursor each: stopped after ${MAX_EMPTY_PAGES} pages in a row (for await)`, async () => {
    const { admin, urls } = pagingClient(emptyForever);
    const error = await rejectionOf(collect(admin.projects.list()));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toMatch(new RegExp(`${MAX_EMPTY_PAGES} pages in a row had no items`));
    expect(urls).toHaveLength(MAX_EMPTY_PAGES);
  });

  test('the same under toArray({ max }) and pages()', async () => {
    const viaArray = pagingClient(emptyForever);
    await expect(viaArray.admin.projects.list().toArray({ max: 5 })).rejects.toThrow(PaginationError);
    expect(viaArray.urls.length).toBeLessThanOrEqual(MAX_EMPTY_PAGES);
    const viaPages = pagingClient(emptyForever);
    await expect(collect(viaPages.admin.projects.list().pages())).rejects.toThrow(/pages in a row had no items/);
    expect(viaPages.urls).toHaveLength(MAX_EMPTY_PAGES);
  });

  test('a few item-less pages between full ones are walked through', async () => {
    const { admin } = pagingClient((n) =>
      n <= 3
        ? { object: 'list', data: [], has_more: true, last_id: `c${n}` }
        : { object: 'list', data: [project('p4')], has_more: false, last_id: 'p4' },
    );
    expect(await admin.projects.list().toArray()).toEqual([project('p4')]);
  });

  test('toArray({ maxPages }) bounds requests even when every page brings items', async () => {
    const { admin, urls } = pagingClient(oneItemForever);
    const error = await rejectionOf(admin.projects.list().toArray({ max: 50, maxPages: 3 }));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toMatch(/more than 3 pages \(maxPages\)/);
    expect(urls.length).toBeLessThanOrEqual(4); // 3 pages plus at most the one prefetched
  });

  test('toArray({ max }) alone requests at most max + 1 pages, however the pages are filled', async () => {
    const { admin, urls } = pagingClient((n) => (n % 2 ? emptyForever(n) : oneItemForever(n)));
    await expect(admin.projects.list().toArray({ max: 6 })).rejects.toThrow(PaginationError);
    expect(urls.length).toBeLessThanOrEqual(8);
  });

  test('pages({ maxPages }) stops by name after that many pages', async () => {
    const { admin, urls } = pagingClient(oneItemForever);
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of admin.projects.list().pages({ maxPages: 2 })) seen.push(page);
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toHaveLength(2);
    expect(urls).toHaveLength(2);
  });

  test.each([NaN, Infinity, -1, 1.5])('toArray({ max: %p }) is refused rather than bounding nothing', async (max) => {
    const { admin, urls } = pagingClient(oneItemForever);
    await expect(admin.projects.list().toArray({ max })).rejects.toThrow(/max must be a whole number ≥ 0/);
    expect(urls.length).toBeLessThanOrEqual(1);
  });

  test.each([NaN, 0, 2.5])('maxPages %p is refused', async (maxPages) => {
    const { admin } = pagingClient(oneItemForever);
    await expect(admin.projects.list().toArray({ maxPages })).rejects.toThrow(/maxPages must be a whole number ≥ 1/);
  });
});

describe('a page walk never quotes a long server string (its errors are not scrubbed: a page does not hold the key)', () => {
  const KEY_LIKE = 'sk-admin-PAGEWALK-0123456789abcdef0123456789';
  test.each([
    ['has_more', { object: 'list', data: [], has_more: KEY_LIKE, last_id: null }],
    ['data', { object: 'list', data: KEY_LIKE, has_more: false, last_id: null }],
  ])('a malformed %s holding a key-like string', (_field, body) => {
    const problem = pageProblem(
      { style: 'cursor', requestParam: 'after', cursorField: 'last_id', itemsField: 'data' },
      body,
    );
    expect(problem).not.toBeNull();
    expect(problem).not.toContain('PAGEWALK');
  });
});
