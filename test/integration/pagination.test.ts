/** Every page style walked against a real node:http server on 127.0.0.1. */
import { Socket } from 'node:net';
import * as ops from '../../generated/operations.gen.js';
import { PaginationError, listPages } from '../../src/core/pipeline/pagination.js';
import { usagePages } from '../../src/core/client/usage.js';
import { RequestValidationError } from '../../src/core/base/errors.js';
import { rejectionOf, testClient } from '../support/client.js';
import { cursorPage, deferred, project, useTestServer, type ScriptedResponse } from '../support/http-server.js';

const server = useTestServer();

const projects = (...ids: string[]) => ids.map((id) => project(id));
const group = (id: string) => ({ object: 'group', id, name: id, created_at: 1, scim_managed: false });
const bucket = (start: number, results: object[]) => ({
  object: 'bucket',
  start_time: start,
  end_time: start + 3600,
  results,
});
const completions = (project_id: string, input_tokens: number) => ({
  object: 'organization.usage.completions.result',
  input_tokens,
  output_tokens: input_tokens * 2,
  num_model_requests: 1,
  project_id,
});

describe('a failing next page', () => {
  test('surfaces when the walk reaches it, after every item before it was yielded', async () => {
    server.enqueue(
      { body: cursorPage(projects('p1', 'p2'), true) },
      { status: 404, body: { error: { message: 'gone' } } },
    );
    const { admin } = testClient(server);
    const ids: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const p of admin.projects.list({ limit: 2 }, { maxRetries: 0 })) ids.push(p.id);
      })(),
    );
    expect(ids).toEqual(['p1', 'p2']);
    expect(String(error)).toContain('404 gone');
  });
});

describe('cursor style (projects.list: after → last_id + has_more)', () => {
  beforeEach(() =>
    server.enqueue(
      { body: cursorPage(projects('p1', 'p2'), true) },
      { body: cursorPage(projects('p3', 'p4'), true) },
      { body: cursorPage(projects('p5'), false) },
    ),
  );

  test('for await yields every item across pages exactly once, in order', async () => {
    const { admin } = testClient(server);
    const ids: string[] = [];
    for await (const p of admin.projects.list({ limit: 2 })) ids.push(p.id);
    expect(ids).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/organization/projects?limit=2',
      '/v1/organization/projects?limit=2&after=p2',
      '/v1/organization/projects?limit=2&after=p4',
    ]);
  });

  test('await gives the first page; hasNextPage and getNextPage walk on', async () => {
    const { admin } = testClient(server);
    const first = await admin.projects.list({ limit: 2 });
    expect(first.data.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(server.requests).toHaveLength(1);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.data.map((p) => p.id)).toEqual(['p3', 'p4']);
    const third = await second.getNextPage();
    expect(third.data.map((p) => p.id)).toEqual(['p5']);
    expect(third.hasNextPage()).toBe(false);
    await expect(third.getNextPage()).rejects.toThrow(PaginationError);
    expect(server.requests).toHaveLength(3);
  });

  /**
   * Pages p1–p2 and p3–p4 (then `rest`): the server reports when page 2 is requested and holds its answer until
   * the test releases it (a handshake, no timers).
   */
  function holdPage2(...rest: ScriptedResponse[]) {
    server.reset();
    const page2Requested = deferred();
    const releasePage2 = deferred();
    server.enqueue(
      { body: cursorPage(projects('p1', 'p2'), true) },
      () => (
        page2Requested.resolve(),
        { body: cursorPage(projects('p3', 'p4'), true), heldUntil: releasePage2.promise }
      ),
      ...rest,
    );
    return { page2Requested, releasePage2 };
  }

  test('for await requests the next page while the current one is consumed', async () => {
    // Handshake, no timers: the server holds page 2 until the test releases it, and reports when its request arrives.
    // Without prefetch that request would only come once the consumer asks past page 1, so the await below
    // would never settle and the test would fail on its (safety-net) timeout.
    const { page2Requested, releasePage2 } = holdPage2({ body: cursorPage(projects('p5'), false) });
    const { admin } = testClient(server);
    const walk = admin.projects.list({ limit: 2 })[Symbol.asyncIterator]();
    const consumed: string[] = [];
    for (let i = 0; i < 2; i++) consumed.push(((await walk.next()).value as { id: string }).id);
    expect(consumed).toEqual(['p1', 'p2']); // page 1 in hand; nothing has asked for item 3 yet
    await page2Requested.promise;
    expect(server.requests.map((r) => r.query.get('after'))).toEqual([null, 'p2']);
    releasePage2.resolve();
    for (let r = await walk.next(); !r.done; r = await walk.next()) consumed.push((r.value as { id: string }).id);
    expect(consumed).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(server.requests).toHaveLength(3);
  }, 15_000);

  test('the next page is written to the socket before the first item of the current page is handed out', async () => {
    // node:http writes a request in a process.nextTick, after every pending microtask: without the walk's wait for
    // one tick, page 2's request would leave only once both items of page 1 were consumed (writes at [0, 2]).
    const { page2Requested, releasePage2 } = holdPage2({ body: cursorPage(projects('p5'), false) });
    const { admin } = testClient(server);
    let handedOut = 0;
    const requestWrittenAt: number[] = [];
    const write = Socket.prototype.write;
    const spy = jest.spyOn(Socket.prototype, 'write').mockImplementation(function (this: Socket, ...args: any[]) {
      if (/^GET /.test(String(args[0]))) requestWrittenAt.push(handedOut);
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    });
    try {
      const walk = admin.projects.list({ limit: 2 })[Symbol.asyncIterator]();
      for (let i = 0; i < 2; i++, handedOut++) await walk.next();
      await page2Requested.promise;
      expect(requestWrittenAt).toEqual([0, 0]);
      releasePage2.resolve();
      while (!(await walk.next()).done);
    } finally {
      spy.mockRestore();
    }
  }, 15_000);

  test('a walk abandoned after the first item requests only the one page it prefetched, and break does not wait for it', async () => {
    const { page2Requested, releasePage2 } = holdPage2();
    const { admin } = testClient(server);
    // page 2 is held, so leaving the loop must not wait for it (it would hang otherwise).
    for await (const _p of admin.projects.list({ limit: 2 })) break;
    await page2Requested.promise;
    releasePage2.resolve();
    // A correct walk never asks for page 3; a third request here would be answered by the fallback and recorded.
    expect(server.requests).toHaveLength(2);
  }, 15_000);

  test('pages() walks page by page', async () => {
    const { admin } = testClient(server);
    const sizes: number[] = [];
    for await (const page of admin.projects.list().pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2, 1]);
  });

  test('toArray({ max }) collects every item when they fit', async () => {
    const { admin } = testClient(server);
    expect((await admin.projects.list().toArray({ max: 5 })).map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  test('toArray({ max }) throws rather than truncating when there are more than max items', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.list().toArray({ max: 4 }));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toMatch(/more than 4 items/);
  });
});

test('cursor style without last_id continues from the id of the last item', async () => {
  server.enqueue(
    { body: cursorPage(projects('a', 'b'), true, null) },
    { body: cursorPage(projects('c'), false, null) },
  );
  const { admin } = testClient(server);
  expect((await admin.projects.list().toArray()).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  expect(server.requests[1].query.get('after')).toBe('b');
});

test('an empty list yields nothing after one request', async () => {
  server.enqueue({ body: cursorPage([], false, null) });
  const { admin } = testClient(server);
  expect(await admin.projects.list().toArray()).toEqual([]);
  expect(server.requests).toHaveLength(1);
});

test('a repeating cursor raises PaginationError instead of looping', async () => {
  server.setFallback({ body: cursorPage(projects('same'), true) });
  const { admin } = testClient(server);
  const seen: string[] = [];
  const error = await rejectionOf(
    (async () => {
      for await (const p of admin.projects.list()) {
        seen.push(p.id);
        if (seen.length > 10) throw new Error('looped');
      }
    })(),
  );
  expect(error).toBeInstanceOf(PaginationError);
  expect(error.message).toMatch(/the same cursor \(4 characters\) a second time/);
  expect(seen).toEqual(['same', 'same']);
  expect(server.requests).toHaveLength(2);
});

test('a cursor seen two pages earlier is also caught', async () => {
  server.enqueue(
    { body: cursorPage(projects('x'), true) },
    { body: cursorPage(projects('y'), true) },
    { body: cursorPage(projects('x'), true) },
  );
  const { admin } = testClient(server);
  await expect(admin.projects.list().toArray()).rejects.toThrow(PaginationError);
  expect(server.requests).toHaveLength(3);
});

test('has_more without any cursor raises PaginationError, never a silent end', async () => {
  server.enqueue({ body: { object: 'list', data: [], has_more: true } });
  const { admin } = testClient(server);
  await expect(admin.projects.list().toArray()).rejects.toThrow(/has_more is true but "last_id" is missing/);
});

describe('next style (groups: after → next)', () => {
  test('walks every item across pages until next is null', async () => {
    server.enqueue(
      { body: { object: 'list', data: [group('g1'), group('g2')], has_more: true, next: 'cur_A' } },
      { body: { object: 'list', data: [group('g3')], has_more: true, next: 'cur_B' } },
      { body: { object: 'list', data: [group('g4')], has_more: false, next: null } },
    );
    const { admin } = testClient(server);
    const items = await listPages(admin, ops.listGroups, { query: { limit: 2 } }).toArray();
    expect(items.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(server.requests.map((r) => r.query.get('after'))).toEqual([null, 'cur_A', 'cur_B']);
    expect(server.requests.every((r) => r.query.get('limit') === '2')).toBe(true);
  });

  test('first page, hasNextPage and getNextPage', async () => {
    server.enqueue(
      { body: { object: 'list', data: [group('g1')], has_more: true, next: 'n1' } },
      { body: { object: 'list', data: [group('g2')], has_more: false, next: null } },
    );
    const { admin } = testClient(server);
    const first = await listPages(admin, ops.listGroups, {});
    expect(first.hasNextPage()).toBe(true);
    const last = await first.getNextPage();
    expect(last.data.map((g) => g.id)).toEqual(['g2']);
    expect(last.hasNextPage()).toBe(false);
  });

  test('a repeating next cursor raises PaginationError', async () => {
    server.setFallback({ body: { object: 'list', data: [group('g')], has_more: true, next: 'loop' } });
    const { admin } = testClient(server);
    await expect(listPages(admin, ops.listGroups, {}).toArray()).rejects.toThrow(PaginationError);
    expect(server.requests).toHaveLength(2);
  });
});

describe('page style (usage: page → next_page)', () => {
  const start_time = 1_736_000_000;

  function usage(query: Record<string, unknown>) {
    const { admin } = testClient(server);
    return usagePages<'usageCompletions', any>(admin, ops.usageCompletions, query as never);
  }

  test('walks every bucket across next_page and flattens rows', async () => {
    const token = 'cGFnZTI+/Zz=';
    server.enqueue(
      {
        body: {
          object: 'page',
          data: [bucket(start_time, [completions('p1', 10), completions('p2', 20)])],
          has_more: true,
          next_page: token,
        },
      },
      {
        body: {
          object: 'page',
          data: [bucket(start_time + 3600, [completions('p1', 30)])],
          has_more: false,
          next_page: null,
        },
      },
    );
    const rows = [];
    for await (const row of usage({ start_time, bucket_width: '1h', group_by: ['project_id', 'model'] }).rows())
      rows.push(row);
    expect(rows).toEqual([
      {
        start_time,
        end_time: start_time + 3600,
        input_tokens: 10,
        output_tokens: 20,
        num_model_requests: 1,
        project_id: 'p1',
      },
      {
        start_time,
        end_time: start_time + 3600,
        input_tokens: 20,
        output_tokens: 40,
        num_model_requests: 1,
        project_id: 'p2',
      },
      {
        start_time: start_time + 3600,
        end_time: start_time + 7200,
        input_tokens: 30,
        output_tokens: 60,
        num_model_requests: 1,
        project_id: 'p1',
      },
    ]);
    expect(server.requests).toHaveLength(2);
    // arrays repeat the key, and the page token (ending in '=') is sent exactly as received
    expect(server.requests[0].rawQuery).toBe(
      `start_time=${start_time}&bucket_width=1h&group_by=project_id&group_by=model&limit=168`,
    );
    expect(server.requests[1].query.get('page')).toBe(token);
    expect(server.requests[1].query.getAll('group_by')).toEqual(['project_id', 'model']);
  });

  test('for await yields buckets', async () => {
    server.enqueue(
      { body: { object: 'page', data: [bucket(1, []), bucket(2, [])], has_more: true, next_page: 'p2' } },
      { body: { object: 'page', data: [bucket(3, [])], has_more: false, next_page: null } },
    );
    const starts: number[] = [];
    for await (const b of usage({ start_time })) starts.push(b.start_time);
    expect(starts).toEqual([1, 2, 3]);
  });

  test.each([
    ['1d', 31],
    ['1h', 168],
    ['1m', 1440],
  ])(
    'the default limit for bucket_width %s is the largest allowed (%i), visible in the query',
    async (bucket_width, limit) => {
      server.enqueue({ body: { object: 'page', data: [], has_more: false, next_page: null } });
      await usage({ start_time, bucket_width });
      expect(server.requests[0].query.get('limit')).toBe(String(limit));
    },
  );

  test('without bucket_width the default (1d) limit is 31', async () => {
    server.enqueue({ body: { object: 'page', data: [], has_more: false, next_page: null } });
    await usage({ start_time });
    expect(server.requests[0].query.get('limit')).toBe('31');
  });

  test('costs default to a limit of 180', async () => {
    server.enqueue({ body: { object: 'page', data: [], has_more: false, next_page: null } });
    const { admin } = testClient(server);
    await usagePages(admin, ops.usageCosts, { start_time });
    expect(server.requests[0].query.get('limit')).toBe('180');
  });

  test('an explicit limit is kept', async () => {
    server.enqueue({ body: { object: 'page', data: [], has_more: false, next_page: null } });
    await usage({ start_time, bucket_width: '1h', limit: 5 });
    expect(server.requests[0].query.get('limit')).toBe('5');
  });

  test.each([
    ['1h', 169, 168],
    ['1d', 32, 31],
    ['1m', 1441, 1440],
    ['1d', 0, 31],
  ])(
    'bucket_width %s with limit %i is rejected before any request, naming the range',
    async (bucket_width, limit, max) => {
      const error = await rejectionOf(usage({ start_time, bucket_width, limit }));
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(error.issues.map((i: { path: string }) => i.path)).toContain('query.limit');
      expect(error.message).toContain(`between 1 and ${max}`);
      expect(server.requests).toHaveLength(0);
    },
  );

  test('has_more without next_page raises PaginationError', async () => {
    server.enqueue({ body: { object: 'page', data: [bucket(1, [])], has_more: true, next_page: null } });
    await expect(usage({ start_time }).toArray()).rejects.toThrow(PaginationError);
  });
});

describe('through the public resource tree', () => {
  test('admin.groups.list() walks the next style', async () => {
    server.enqueue(
      { body: { object: 'list', data: [group('g1')], has_more: true, next: 'n=' } },
      { body: { object: 'list', data: [group('g2')], has_more: false, next: null } },
    );
    const { admin } = testClient(server);
    expect((await admin.groups.list({ limit: 1 }).toArray()).map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/organization/groups?limit=1',
      '/v1/organization/groups?limit=1&after=n%3D',
    ]);
  });

  test('admin.projects.users.list(projectId) walks the cursor style under the encoded parent id', async () => {
    const user = (id: string) => ({
      object: 'organization.project.user',
      id,
      name: id,
      email: `${id}@x.io`,
      role: 'member',
      added_at: 1,
    });
    server.enqueue({ body: cursorPage([user('u1'), user('u2')], true) }, { body: cursorPage([user('u3')], false) });
    const { admin } = testClient(server);
    const ids: string[] = [];
    for await (const u of admin.projects.users.list('proj 1')) ids.push(u.id);
    expect(ids).toEqual(['u1', 'u2', 'u3']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/organization/projects/proj%201/users',
      '/v1/organization/projects/proj%201/users?after=u2',
    ]);
  });

  test('admin.usage.completions(...).rows() walks the page style with the width-based default limit', async () => {
    server.enqueue(
      { body: { object: 'page', data: [bucket(100, [completions('p1', 1)])], has_more: true, next_page: 'tok==' } },
      { body: { object: 'page', data: [bucket(3700, [completions('p2', 2)])], has_more: false, next_page: null } },
    );
    const { admin } = testClient(server);
    const rows = [];
    for await (const row of admin.usage
      .completions({ start_time: 100, bucket_width: '1h', group_by: ['project_id'] })
      .rows())
      rows.push(row);
    expect(rows.map((r) => [r.start_time, r.project_id, r.input_tokens])).toEqual([
      [100, 'p1', 1],
      [3700, 'p2', 2],
    ]);
    expect(server.requests[0].query.get('limit')).toBe('168');
    expect(server.requests[1].query.get('page')).toBe('tok==');
  });

  test('admin.costs(...) rows carry amount', async () => {
    const cost = {
      object: 'organization.costs.result',
      amount: { value: 1.25, currency: 'usd' },
      line_item: 'Image models',
      project_id: 'p1',
    };
    server.enqueue({
      body: {
        object: 'page',
        data: [{ object: 'bucket', start_time: 0, end_time: 86400, results: [cost] }],
        has_more: false,
        next_page: null,
      },
    });
    const { admin } = testClient(server);
    const rows = [];
    for await (const row of admin.costs({ start_time: 0, group_by: ['line_item', 'project_id'] }).rows())
      rows.push(row);
    expect(rows).toEqual([
      {
        start_time: 0,
        end_time: 86400,
        amount: { value: 1.25, value_decimal: '1.25', currency: 'usd' },
        line_item: 'Image models',
        project_id: 'p1',
      },
    ]);
    expect(server.requests[0].rawQuery).toBe('start_time=0&group_by=line_item&group_by=project_id&limit=180');
  });

  test('admin.auditLogs.list sends bracketed array keys and deepObject filters', async () => {
    server.enqueue({ body: { object: 'list', data: [], has_more: false, first_id: null, last_id: null } });
    const { admin } = testClient(server);
    await admin.auditLogs.list({ 'project_ids[]': ['p1', 'p2'], effective_at: { gte: 10, lt: 20 } });
    expect(server.requests[0].rawQuery).toBe(
      'effective_at[gte]=10&effective_at[lt]=20&project_ids[]=p1&project_ids[]=p2',
    );
  });

  test('admin.usage.completions rejects an out-of-range limit before any request', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.usage.completions({ start_time: 0, bucket_width: '1m', limit: 2000 }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.message).toMatch(/between 1 and 1440 when bucket_width is "1m"/);
    expect(server.requests).toHaveLength(0);
  });
});
