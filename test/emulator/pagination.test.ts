/** Exact pagination for the three cursor styles, and limit bounds enforced as the API does. */
import { DAY, JAN_1_2025, startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await startApi({ users: 250 });
});
afterAll(() => api.emu.close());

describe('after → last_id / has_more (most lists)', () => {
  test('pages through every org user exactly once, in order, and ends with has_more false', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: { data: { id: string }[]; first_id: string | null; last_id: string | null; has_more: boolean } =
        await api.ok('GET', `/organization/users?limit=100${after ? `&after=${after}` : ''}`);
      pages++;
      expect(page.first_id).toBe(page.data[0]?.id ?? null);
      expect(page.last_id).toBe(page.data[page.data.length - 1]?.id ?? null);
      seen.push(...page.data.map((u) => u.id));
      if (!page.has_more) break;
      after = page.last_id;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...api.emu.state.users.keys()]);
    expect(new Set(seen).size).toBe(250);
  });

  test('an exact multiple of the limit ends on a full page with has_more false, not an extra empty page', async () => {
    const all = await api.ok('GET', '/organization/users?limit=100');
    const second = await api.ok('GET', `/organization/users?limit=100&after=${all.last_id}`);
    const third = await api.ok('GET', `/organization/users?limit=50&after=${second.last_id}`);
    expect(third.data).toHaveLength(50);
    expect(third.has_more).toBe(false);
  });

  test('an empty page has null first_id and last_id', async () => {
    const last = [...api.emu.state.users.keys()].pop();
    const page = await api.ok('GET', `/organization/users?after=${last}`);
    expect(page).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  test('before returns the page preceding the cursor', async () => {
    const project = [...api.emu.state.projects.keys()][0];
    const page = await api.ok(
      'GET',
      `/organization/projects/${project}/rate_limits?limit=2&before=o3`.replace('o3', 'rl-o3'),
    );
    expect(page.data.map((r: { id: string }) => r.id)).toEqual(['rl-gpt-4o', 'rl-gpt-4o-mini']);
    expect(page.has_more).toBe(false);
  });

  test('an unknown cursor is a 400 naming after', async () => {
    const r = await api.call('GET', '/organization/users?after=user_doesnotexist');
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('after');
  });
});

describe('after → next (groups, roles)', () => {
  test('pages through groups with next, which is null on the last page', async () => {
    for (let i = 0; i < 5; i++) await api.ok('POST', '/organization/groups', { name: `Paging ${i}` });
    const total = api.emu.state.groups.size;
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: { data: { id: string }[]; has_more: boolean; next: string | null } = await api.ok(
        'GET',
        `/organization/groups?limit=3${next ? `&after=${next}` : ''}`,
      );
      pages++;
      seen.push(...page.data.map((g) => g.id));
      expect(page.next === null).toBe(!page.has_more);
      next = page.next;
    } while (next);
    expect(seen).toEqual([...api.emu.state.groups.keys()]);
    expect(pages).toBe(Math.ceil(total / 3));
  });

  test('roles page the same way and order=desc reverses them', async () => {
    const asc = await api.ok('GET', '/organization/roles?limit=1');
    expect(asc.has_more).toBe(true);
    expect(typeof asc.next).toBe('string');
    const rest = await api.ok('GET', `/organization/roles?limit=100&after=${asc.next}`);
    expect(rest.has_more).toBe(false);
    expect(rest.next).toBeNull();
    const desc = await api.ok('GET', '/organization/roles?order=desc');
    expect(desc.data.map((r: { id: string }) => r.id)).toEqual(
      [...asc.data, ...rest.data].map((r: { id: string }) => r.id).reverse(),
    );
  });
});

describe('page → next_page (usage, costs)', () => {
  test('31 daily buckets in pages of 7: five pages, every bucket once, next_page null at the end', async () => {
    const base = `/organization/usage/completions?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 31 * DAY}&limit=7`;
    const starts: number[] = [];
    const tokens: string[] = [];
    let page: string | null = null;
    do {
      const body: { data: { start_time: number }[]; has_more: boolean; next_page: string | null } = await api.ok(
        'GET',
        `${base}${page ? `&page=${encodeURIComponent(page)}` : ''}`,
      );
      starts.push(...body.data.map((b) => b.start_time));
      expect(body.next_page === null).toBe(!body.has_more);
      page = body.next_page;
      if (page) tokens.push(page);
    } while (page);
    expect(starts).toEqual(Array.from({ length: 31 }, (_, i) => JAN_1_2025 + i * DAY));
    expect(tokens).toHaveLength(4);
    // Opaque base64 tokens; some end in '=' so clients must encode them.
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(tokens.some((t) => t.endsWith('='))).toBe(true);
  });

  test('costs page with next_page too', async () => {
    const first = await api.ok('GET', `/organization/costs?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 10 * DAY}`);
    expect(first.data).toHaveLength(7);
    expect(first.has_more).toBe(true);
    const second = await api.ok(
      'GET',
      `/organization/costs?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 10 * DAY}&page=${encodeURIComponent(first.next_page)}`,
    );
    expect(second.data).toHaveLength(3);
    expect(second.next_page).toBeNull();
  });

  test('a garbage page token is a 400 naming page', async () => {
    const r = await api.call('GET', `/organization/usage/embeddings?start_time=${JAN_1_2025}&page=not-a-token`);
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('page');
  });
});

describe('limit bounds', () => {
  const usage = `/organization/usage/completions?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 2 * DAY}`;
  test.each([
    ['/organization/projects?limit=0', 'limit'],
    ['/organization/projects?limit=101', 'limit'],
    ['/organization/groups?limit=1001', 'limit'],
    [`${usage}&bucket_width=1d&limit=32`, 'limit'],
    [`${usage}&bucket_width=1h&limit=169`, 'limit'],
    [`${usage}&bucket_width=1m&limit=1441`, 'limit'],
    [`/organization/costs?start_time=${JAN_1_2025}&limit=181`, 'limit'],
    [`${usage}&bucket_width=2d`, 'bucket_width'],
    ['/organization/usage/completions', 'start_time'],
  ])('GET %s → 400 invalid_request_error naming %s', async (path, param) => {
    const r = await api.call('GET', path);
    expect(r.status).toBe(400);
    expect(r.json.error.type).toBe('invalid_request_error');
    expect(r.json.error.param).toBe(param);
    expect(r.json.error.message).toContain(param);
  });

  test.each([
    ['/organization/projects?limit=1'],
    ['/organization/projects?limit=100'],
    [`${usage}&bucket_width=1d&limit=31`],
    [`${usage}&bucket_width=1h&limit=168`],
    [`${usage}&bucket_width=1m&limit=1440`],
    [`/organization/costs?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + DAY}&limit=180`],
  ])('GET %s (at the bound) → 200', async (path) => {
    await api.ok('GET', path, undefined, 200);
  });
});
