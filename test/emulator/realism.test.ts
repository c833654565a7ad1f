/**
 * `startEmulator({ realism: 'api' })`: per-route rate limits whose 429s state the wait only in the message,
 * 200/201 flips on creates, decimal-string cost amounts and a read-after-write 404 window. Time is the
 * emulator's injected clock, moved by hand: nothing here depends on how fast the machine is.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { formatWait, type EmulatorOptions } from '../../src/testing/index.js';
import { ADMIN_KEY, DAY, startApi, type Api } from './helpers.js';

/** 2025-06-01T00:00:00Z, in ms. */
const T0 = Date.UTC(2025, 5, 1);

/** An emulator with a hand-moved clock. */
async function realistic(options: EmulatorOptions = {}) {
  const clock = { now: T0 };
  const api = await startApi({ realism: 'api', now: () => clock.now, ...options });
  return { api, clock };
}

const RATE_HEADERS = /^(retry-after|retry-after-ms|x-ratelimit-.*)$/i;

describe('per-route rate limits', () => {
  let api: Api;
  let clock: { now: number };
  beforeEach(async () => ({ api, clock } = await realistic({ rateLimit: { requests: 3, windowMs: 1_000 } })));
  afterEach(() => api.emu.close());

  test('a key gets `requests` calls per window on one route, then 429', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.call('GET', '/organization/projects')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  test('each route (method + path template) has its own budget; ids in the path share the template', async () => {
    const [a, b] = [...api.emu.state.projects.keys()];
    for (const id of [a, b, a]) expect((await api.call('GET', `/organization/projects/${id}`)).status).toBe(200);
    expect((await api.call('GET', `/organization/projects/${b}`)).status).toBe(429);
    // Other routes are untouched by the exhausted one.
    expect((await api.call('GET', '/organization/projects')).status).toBe(200);
    expect((await api.call('GET', `/organization/projects/${a}/users`)).status).toBe(200);
    expect((await api.call('POST', '/organization/projects', { name: 'Still allowed' })).status).toBeLessThan(300);
  });

  test('each key has its own budget', async () => {
    for (let i = 0; i < 3; i++) await api.call('GET', '/organization/users');
    expect((await api.call('GET', '/organization/users')).status).toBe(429);
    expect((await api.call('GET', '/organization/users', undefined, 'sk-admin-another-key')).status).toBe(200);
  });

  test('the 429 states the wait only in its message, in the API wording, with no Retry-After or x-ratelimit headers', async () => {
    for (let i = 0; i < 3; i++) await api.call('GET', '/organization/projects');
    clock.now += 250;
    const r = await api.call('GET', '/organization/projects');
    expect(r.status).toBe(429);
    expect(r.json.error).toEqual({
      message:
        'Rate limit reached for requests to GET /v1/organization/projects in organization org-emulator on requests per 1s: ' +
        'Limit 3, Used 3, Requested 1. Please try again in 750ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect([...r.headers.keys()].filter((h) => RATE_HEADERS.test(h))).toEqual([]);
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
  });

  test('the window reopens when the clock reaches its end, not before', async () => {
    for (let i = 0; i < 3; i++) await api.call('GET', '/organization/projects');
    clock.now += 999;
    expect((await api.call('GET', '/organization/projects')).status).toBe(429);
    clock.now += 1;
    const again = [];
    for (let i = 0; i < 4; i++) again.push((await api.call('GET', '/organization/projects')).status);
    expect(again).toEqual([200, 200, 200, 429]);
  });

  test('a rate-limited create changed nothing', async () => {
    for (let i = 0; i < 3; i++) await api.call('POST', '/organization/groups', { name: `g${i}` });
    const before = api.emu.state.groups.size;
    expect((await api.call('POST', '/organization/groups', { name: 'one too many' })).status).toBe(429);
    expect(api.emu.state.groups.size).toBe(before);
  });
});

describe('the default budget is the live API’s: 10 requests per 60 s per route', () => {
  test('the 11th call within a minute is refused, and the message counts down by the clock', async () => {
    const { api, clock } = await realistic();
    try {
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await api.call('GET', '/organization/invites')).status);
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
      clock.now += 40_000;
      const r = await api.call('GET', '/organization/invites');
      expect(r.json.error.message).toContain(
        'on requests per min (RPM): Limit 10, Used 10, Requested 1. Please try again in 20s.',
      );
      clock.now += 20_000;
      expect((await api.call('GET', '/organization/invites')).status).toBe(200);
    } finally {
      await api.emu.close();
    }
  });
});

describe('formatWait', () => {
  test('words a wait as the API does, rounded up: ms under a second, then s, then m and s', () => {
    expect([1, 350, 999, 1000, 1001, 19_200, 59_000, 60_000, 90_000, 150_500].map(formatWait)).toEqual([
      '1ms',
      '350ms',
      '999ms',
      '1s',
      '2s',
      '20s',
      '59s',
      '1m0s',
      '1m30s',
      '2m31s',
    ]);
  });
});

describe('200/201 flips on creates', () => {
  const createStatuses = async (seed: string) => {
    const { api } = await realistic({ seed, rateLimit: false, readAfterWriteMs: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++)
        statuses.push((await api.call('POST', '/organization/groups', { name: `Group ${i}` })).status);
      return statuses;
    } finally {
      await api.emu.close();
    }
  };

  test('over 24 creates both 200 and 201 occur, and the same seed gives the same sequence', async () => {
    const first = await createStatuses('flips');
    expect(new Set(first)).toEqual(new Set([200, 201]));
    expect(await createStatuses('flips')).toEqual(first);
  });

  test('every kind of create flips, not only groups: projects, service accounts, invites, project users', async () => {
    const { api } = await realistic({ rateLimit: false, readAfterWriteMs: 0 });
    try {
      const seen = new Map<string, Set<number>>();
      const note = (what: string, status: number) => seen.set(what, (seen.get(what) ?? new Set()).add(status));
      const p = [...api.emu.state.projects.keys()][0];
      const users = [...api.emu.state.users.keys()].slice(5, 12);
      for (let i = 0; i < 7; i++) {
        note('project', (await api.call('POST', '/organization/projects', { name: `P${i}` })).status);
        note(
          'service account',
          (await api.call('POST', `/organization/projects/${p}/service_accounts`, { name: `sa${i}` })).status,
        );
        note(
          'invite',
          (await api.call('POST', '/organization/invites', { email: `i${i}@example.com`, role: 'reader' })).status,
        );
        note(
          'project user',
          (await api.call('POST', `/organization/projects/${p}/users`, { user_id: users[i], role: 'member' })).status,
        );
      }
      const all = new Set([...seen.values()].flatMap((s) => [...s]));
      expect(all).toEqual(new Set([200, 201]));
      for (const statuses of seen.values()) for (const s of statuses) expect([200, 201]).toContain(s);
    } finally {
      await api.emu.close();
    }
  });

  test('without realism, creates keep fixed codes (201 for projects, 200 for groups)', async () => {
    const api = await startApi();
    try {
      for (let i = 0; i < 6; i++) {
        expect((await api.call('POST', '/organization/projects', { name: `P${i}` })).status).toBe(201);
        expect((await api.call('POST', '/organization/groups', { name: `G${i}` })).status).toBe(200);
      }
    } finally {
      await api.emu.close();
    }
  });
});

describe('decimal-string cost amounts', () => {
  const JAN_1_2025 = 1735689600;
  const query = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 7 * DAY}&group_by=line_item`;

  test('costs carry amount.value as a decimal string with more places than a double holds', async () => {
    const { api } = await realistic({ rateLimit: false });
    try {
      const page = await api.ok('GET', `/organization/costs?${query}`); // validated against the response schema
      const values = page.data.flatMap((b: { results: { amount: { value: unknown } }[] }) =>
        b.results.map((r) => r.amount.value),
      );
      expect(values.length).toBeGreaterThan(10);
      for (const v of values) expect(v).toMatch(/^\d+\.\d{19}$/);
    } finally {
      await api.emu.close();
    }
  });

  test('rows give value as a number and value_decimal as the exact text the API sent', async () => {
    const { api } = await realistic({ rateLimit: false });
    try {
      const wire = await api.ok('GET', `/organization/costs?${query}&limit=7`);
      const sent: string[] = wire.data.flatMap((b: { results: { amount: { value: string } }[] }) =>
        b.results.map((r) => r.amount.value),
      );
      const admin = new OpenAIAdmin({ apiKey: ADMIN_KEY, baseURL: api.emu.url, validate: 'strict' });
      const rows = [];
      for await (const row of admin
        .costs({ start_time: JAN_1_2025, end_time: JAN_1_2025 + 7 * DAY, group_by: ['line_item'], limit: 7 })
        .rows())
        rows.push(row);
      expect(rows.map((r) => r.amount?.value_decimal)).toEqual(sent);
      expect(rows.map((r) => r.amount?.value)).toEqual(sent.map(Number));
      for (const r of rows) expect(typeof r.amount?.value).toBe('number');
    } finally {
      await api.emu.close();
    }
  });

  test('without realism, amounts stay numbers', async () => {
    const api = await startApi();
    try {
      const page = await api.ok('GET', `/organization/costs?${query}`);
      expect(typeof page.data[0].results[0].amount.value).toBe('number');
    } finally {
      await api.emu.close();
    }
  });
});

describe('read-after-write 404 window', () => {
  test('a service account just created answers 404 until readAfterWriteMs have passed on the clock', async () => {
    const { api, clock } = await realistic({ rateLimit: false, readAfterWriteMs: 500 });
    try {
      const p = [...api.emu.state.projects.keys()][0];
      const sa = (await api.call('POST', `/organization/projects/${p}/service_accounts`, { name: 'fresh' })).json;
      const path = `/organization/projects/${p}/service_accounts/${sa.id}`;
      const gone = await api.call('GET', path);
      expect(gone.status).toBe(404);
      expect(gone.json.error).toMatchObject({ code: 'not_found', param: 'service_account_id' });
      expect((await api.call('POST', path, { name: 'renamed' })).status).toBe(404);
      clock.now += 499;
      expect((await api.call('GET', path)).status).toBe(404);
      clock.now += 1;
      expect((await api.call('GET', path)).status).toBe(200);
      expect((await api.call('POST', path, { name: 'renamed' })).status).toBe(200);
    } finally {
      await api.emu.close();
    }
  });

  test('only the new id is hidden: other resources and the project itself answer at once', async () => {
    const { api } = await realistic({ rateLimit: false });
    try {
      const p = [...api.emu.state.projects.keys()][0];
      const sa = (await api.call('POST', `/organization/projects/${p}/service_accounts`, { name: 'fresh' })).json;
      expect((await api.call('GET', `/organization/projects/${p}`)).status).toBe(200);
      const seededSa = [...api.emu.state.serviceAccounts.values()].find((s) => s.projectId === p && s.id !== sa.id)!;
      expect((await api.call('GET', `/organization/projects/${p}/service_accounts/${seededSa.id}`)).status).toBe(200);
      const project = (await api.call('POST', '/organization/projects', { name: 'New' })).json;
      expect((await api.call('GET', `/organization/projects/${project.id}`)).status).toBe(404);
    } finally {
      await api.emu.close();
    }
  });

  test('readAfterWriteMs: 0 turns the window off', async () => {
    const { api } = await realistic({ rateLimit: false, readAfterWriteMs: 0 });
    try {
      const g = (await api.call('POST', '/organization/groups', { name: 'visible' })).json;
      expect((await api.call('GET', `/organization/groups/${g.id}`)).status).toBe(200);
    } finally {
      await api.emu.close();
    }
  });
});

describe('the emulator clock and the default mode', () => {
  test('new objects are dated by the injected clock', async () => {
    const { api, clock } = await realistic({ rateLimit: false });
    try {
      clock.now = Date.UTC(2025, 6, 1, 12, 0, 0, 999);
      const p = (await api.call('POST', '/organization/projects', { name: 'Dated' })).json;
      expect(p.created_at).toBe(Date.UTC(2025, 6, 1, 12) / 1000);
    } finally {
      await api.emu.close();
    }
  });

  test('the default (no realism) never rate-limits: 40 calls to one route all answer 200', async () => {
    const api = await startApi();
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 40; i++) statuses.add((await api.call('GET', '/organization/projects')).status);
      expect(statuses).toEqual(new Set([200]));
    } finally {
      await api.emu.close();
    }
  });

  test('bad realism options fail at start, naming the option', async () => {
    await expect(startApi({ realism: 'live' as 'api' })).rejects.toThrow(/realism must be 'none' or 'api'/);
    await expect(startApi({ realism: 'api', rateLimit: { requests: 0 } })).rejects.toThrow(/rateLimit.requests/);
    await expect(startApi({ realism: 'api', rateLimit: { windowMs: -1 } })).rejects.toThrow(/rateLimit.windowMs/);
    await expect(startApi({ realism: 'api', readAfterWriteMs: Number.NaN })).rejects.toThrow(/readAfterWriteMs/);
  });
});
