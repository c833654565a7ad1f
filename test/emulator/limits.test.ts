/**
 * The emulator is a service too (issue 21 §10): its options, the fields of a request, its collections and a usage
 * page are bounded, each refusal a 4xx in OpenAI's error shape that stores nothing. Sizes and counts, never timings.
 */
import {
  COLLECTION_LIMITS,
  MAX_ARRAY_ITEMS,
  MAX_AUDIT_EVENTS,
  MAX_STRING_LENGTH,
  MAX_USAGE_RESULTS_PER_PAGE,
  SEED_BOUNDS,
  seedUsers,
  startEmulator,
  EmulatorState,
} from '../../src/testing/index.js';
import { Realism } from '../../src/testing/realism.js';
import { MAX_RATE_LIMIT_WINDOWS } from '../../src/testing/limits.js';
import { matchRoute } from '../../src/testing/router.js';
import { JAN_1_2025, startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => (api = await startApi({ seed: 'limits' })));
afterAll(() => api.emu.close());
// The HTTP cases come first: the pure ones below take seconds, longer than a kept-alive connection idles.

const errorShape = (code: string, param: string | null) => ({
  error: { message: expect.any(String), type: 'invalid_request_error', param, code },
});

describe('request fields', () => {
  test.each([
    ['a project name', 'POST', '/organization/projects', (s: string) => ({ name: s }), 'name'],
    ['an invite email', 'POST', '/organization/invites', (s: string) => ({ email: s, role: 'reader' }), 'email'],
    [
      'a nested project id',
      'POST',
      '/organization/invites',
      (s: string) => ({ email: 'a@b.c', role: 'reader', projects: [{ id: s, role: 'member' }] }),
      'projects[0].id',
    ],
  ])(
    '%s longer than 256 characters is a 400 string_above_max_length naming the param',
    async (_, method, path, body, param) => {
      const before = api.emu.state.auditLogs.length;
      const r = await api.call(method, path, body('x'.repeat(MAX_STRING_LENGTH + 1)));
      expect(r.status).toBe(400);
      expect(r.json).toEqual(errorShape('string_above_max_length', param));
      expect(r.json.error.message).toBe(
        `Invalid '${param}': string too long. Expected a string with maximum length 256, but got a string with length 257 instead.`,
      );
      expect(api.emu.state.auditLogs.length).toBe(before);
    },
  );

  test('a name of exactly 256 characters is stored', async () => {
    const created = await api.ok('POST', '/organization/projects', { name: 'n'.repeat(MAX_STRING_LENGTH) });
    expect(created.name).toHaveLength(MAX_STRING_LENGTH);
  });

  test('many creates with 1 MB names store nothing: state does not grow', async () => {
    const projects = api.emu.state.projects.size;
    const audit = api.emu.state.auditLogs.length;
    const huge = 'p'.repeat(1_000_000);
    for (let i = 0; i < 5; i++) {
      const r = await api.call('POST', '/organization/projects', { name: huge });
      expect(r.status).toBe(400);
    }
    expect(api.emu.state.projects.size).toBe(projects);
    expect(api.emu.state.auditLogs.length).toBe(audit);
  });

  test(`an array of more than ${MAX_ARRAY_ITEMS} items is a 400 array_above_max_length`, async () => {
    const [projectId] = api.emu.state.projects.keys();
    const r = await api.call('POST', `/organization/projects/${projectId}/model_permissions`, {
      mode: 'allow_list',
      model_ids: Array.from({ length: MAX_ARRAY_ITEMS + 1 }, (_, i) => `m${i}`),
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual(errorShape('array_above_max_length', 'model_ids'));
  });

  test('a PEM certificate may be longer than a name (up to 64 KiB)', async () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(4_000)}\n-----END CERTIFICATE-----\n`;
    const r = await api.call('POST', '/organization/certificates', { name: 'chain', certificate: pem });
    expect(r.status).toBe(200);
  });
});

describe('usage pages', () => {
  const everyDim = 'group_by=project_id,user_id,api_key_id,model,batch,service_tier';

  // 150 one-minute buckets grouped by every dimension: about 10,000 rows, more than one page may carry.
  test(`one page carries at most ${MAX_USAGE_RESULTS_PER_PAGE} rows, ending at a whole bucket, and next_page resumes`, async () => {
    const minutes = 150;
    const path = (page?: string) =>
      `/organization/usage/completions?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + minutes * 60}&bucket_width=1m&limit=${minutes}&${everyDim}${page ? `&page=${page}` : ''}`;
    const rows = (p: { data: { results: unknown[] }[] }) => p.data.reduce((n, b) => n + b.results.length, 0);
    let page = await api.ok('GET', path());
    const first = rows(page);
    expect(first).toBeLessThanOrEqual(MAX_USAGE_RESULTS_PER_PAGE);
    expect(page.data.length).toBeLessThan(minutes);
    expect(page.has_more).toBe(true);
    // Every bucket of the window arrives exactly once across the pages, none cut in half.
    const starts: number[] = page.data.map((b: { start_time: number }) => b.start_time);
    let total = first;
    for (let n = 0; page.has_more && n < minutes; n++) {
      page = await api.ok('GET', path(page.next_page));
      expect(rows(page)).toBeLessThanOrEqual(MAX_USAGE_RESULTS_PER_PAGE);
      total += rows(page);
      starts.push(...page.data.map((b: { start_time: number }) => b.start_time));
    }
    expect(starts).toEqual(Array.from({ length: minutes }, (_, i) => JAN_1_2025 + i * 60));
    expect(total).toBeGreaterThan(MAX_USAGE_RESULTS_PER_PAGE);
  }, 60_000);

  test('a page of 31 days grouped by every dimension is not cut', async () => {
    const page = await api.ok(
      'GET',
      `/organization/usage/completions?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 31 * 86400}&limit=31&${everyDim}`,
    );
    expect(page.data).toHaveLength(31);
    expect(page.has_more).toBe(false);
  });

  test('a limit above the API page limit of the bucket width is a 400 naming limit', async () => {
    for (const [width, max] of [
      ['1d', 31],
      ['1h', 168],
      ['1m', 1440],
    ] as const) {
      const r = await api.call(
        'GET',
        `/organization/usage/completions?start_time=${JAN_1_2025}&bucket_width=${width}&limit=${max + 1}`,
      );
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
    }
  });
});

describe('collections', () => {
  test('a create past a collection bound is a 400 limit_reached that stores nothing', async () => {
    const emu = await startEmulator({ seed: 'full', projects: 0 });
    try {
      // Filled directly (fast); the bound applies to the state's maps, whoever writes to them.
      const groups = emu.state.groups;
      for (let i = groups.size; i < COLLECTION_LIMITS.groups; i++)
        groups.set(`group_${i}`, { id: `group_${i}`, name: 'g', created_at: 0, members: new Map() });
      const audit = emu.state.auditLogs.length;
      const res = await fetch(`${emu.url}/organization/groups`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-admin-x', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'one too many' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(errorShape('limit_reached', null));
      expect(groups.size).toBe(COLLECTION_LIMITS.groups);
      expect(emu.state.auditLogs.length).toBe(audit);
    } finally {
      await emu.close();
    }
  });

  test('every collection of the state is bounded, each by its limit', () => {
    const state = new EmulatorState('bounds');
    const maps = {
      users: state.users,
      projects: state.projects,
      serviceAccounts: state.serviceAccounts,
      projectKeys: state.projectKeys,
      adminKeys: state.adminKeys,
      invites: state.invites,
      groups: state.groups,
      roles: state.roles,
      roleAssignments: state.roleAssignments,
      certificates: state.certificates,
      spendAlerts: state.orgSpendAlerts,
    };
    for (const [name, map] of Object.entries(maps)) {
      const max = COLLECTION_LIMITS[name as keyof typeof COLLECTION_LIMITS];
      for (let i = 0; i < max; i++) (map as Map<string, unknown>).set(`k${i}`, {});
      expect(() => (map as Map<string, unknown>).set('one more', {})).toThrow(`at most ${max}`);
      // Replacing an entry is not growth.
      (map as Map<string, unknown>).set('k0', { replaced: true });
      expect(map.size).toBe(max);
    }
  });

  test(`the audit log keeps the newest ${MAX_AUDIT_EVENTS} events`, () => {
    const state = new EmulatorState('audit');
    // Filled directly (fast), then audited through the one method every mutation calls.
    for (let i = 0; i < MAX_AUDIT_EVENTS; i++) state.auditLogs.push({ id: `old_${i}` } as never);
    for (let i = 0; i < 10; i++) state.audit('project.updated', { n: i });
    expect(state.auditLogs).toHaveLength(MAX_AUDIT_EVENTS);
    expect(state.auditLogs[0].id).toBe('old_10');
    expect(state.auditLogs.at(-1)!.type).toBe('project.updated');
  });

  test("realism: 'api' keeps a bounded number of rate-limit windows however many keys call", () => {
    let now = 0;
    const realism = new Realism(
      's',
      {
        rateLimit: { requests: 10, windowMs: 60_000 },
        readAfterWriteMs: 0,
        flipCreateStatus: false,
        decimalAmounts: false,
      },
      () => now,
      [],
    );
    const route = matchRoute('GET', '/organization/projects')!;
    for (let i = 0; i < 1.5 * MAX_RATE_LIMIT_WINDOWS; i++) {
      now += 1;
      expect(realism.before(`Bearer sk-admin-${i}`, route)).toBeNull();
    }
    expect(realism.windowCount).toBeLessThanOrEqual(MAX_RATE_LIMIT_WINDOWS);
  });
});

describe('startEmulator options', () => {
  test.each([
    ['users', 100_000_000],
    ['users', -1],
    ['users', 1.5],
    ['projects', 10_000_000],
    ['projects', Number.NaN],
  ])('%s: %p is a RangeError naming the option and its range, before anything is allocated', async (name, value) => {
    const started = startEmulator({ [name]: value });
    const { min, max } = SEED_BOUNDS[name as 'users' | 'projects'];
    await expect(started).rejects.toThrow(RangeError);
    await expect(started).rejects.toThrow(`${name} must be a whole number from ${min} to ${max}`);
  });

  test.each([
    [{ latencyMs: 1e12 }, 'faults.latencyMs must be a number from 0 to 60000 (got 1000000000000)'],
    [{ rateLimitRate: 2 }, 'faults.rateLimitRate must be a number from 0 to 1 (got 2)'],
    [{ serverErrorRate: Number.NaN }, 'faults.serverErrorRate must be a number from 0 to 1 (got NaN)'],
    [{ retryAfterSeconds: -1 }, 'faults.retryAfterSeconds must be a number from 0 to 86400 (got -1)'],
    [{ latencyMS: 5 }, 'faults.latencyMS is not a fault option'],
  ])('faults %p is a RangeError naming the knob, at start and on setFaults', async (faults, message) => {
    await expect(startEmulator({ faults: faults as never })).rejects.toThrow(message);
    const emu = await startEmulator({ projects: 0, users: 1 });
    try {
      expect(() => emu.setFaults(faults as never)).toThrow(message);
    } finally {
      await emu.close();
    }
  });

  test('seedUsers adds up to the bound and names the room left past it', () => {
    const state = new EmulatorState('limits');
    for (let i = 0; i < SEED_BOUNDS.users.max - 5; i++) state.users.set(`user_${i}`, {} as never);
    seedUsers(state, 5);
    expect(state.users.size).toBe(SEED_BOUNDS.users.max);
    expect(() => seedUsers(state, 1)).toThrow('seedUsers: count must be a whole number from 0 to 0 (got 1)');
  });
});
