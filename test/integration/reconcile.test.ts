/**
 * Safe create-and-reconcile (src/core/pipeline/reconcile.ts) and read-after-write retries (RecentIds, src/core/pacing/scheduler.ts), against
 * a scripted node:http server on 127.0.0.1 with an injected clock: after an ambiguous failure the client lists and
 * resolves with the one item of the same natural key created since the request started, never sends the create
 * twice, and hands several candidates back rather than guess.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { NotFoundError, OutcomeUnknownError } from '../../src/core/base/errors.js';
import { rejectionOf, testClient, SECRET_KEY } from '../support/client.js';
import { cursorPage, project, useTestServer } from '../support/http-server.js';

const server = useTestServer();
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const fail = (code: number) => ({
  status: code,
  body: { error: { message: `status ${code}`, type: 'server_error', code: null, param: null } },
});
const listOf = (items: { id: string }[], hasMore = false) => ({
  status: 200,
  headers: { 'x-request-id': 'req_list' },
  body: cursorPage(items, hasMore),
});
const proj = (id: string, name: string, createdAt: number) => ({ ...project(id, name), created_at: createdAt });

describe('a create that failed ambiguously is looked for before OutcomeUnknownError', () => {
  test('exactly one item of that name created since the request started: the call resolves with it, marked reconciled', async () => {
    server.enqueue(
      fail(502),
      listOf([
        proj('proj_old', 'Ops', NOW_S - 86_400),
        proj('proj_other', 'Web', NOW_S),
        proj('proj_new', 'Ops', NOW_S + 1),
      ]),
    );
    const { admin } = testClient(server);
    const result = await admin.projects.create({ name: 'Ops' }).withResponse();
    expect(result.data).toMatchObject({ id: 'proj_new', name: 'Ops' });
    expect(result.reconciled).toBe(true);
    expect(result.requestID).toBe('req_list');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/organization/projects',
      'GET /v1/organization/projects?limit=100&include_archived=true',
    ]);
  });

  test('a create answered directly is not marked reconciled', async () => {
    server.enqueue({ status: 201, body: project('proj_new', 'Ops') });
    const { admin } = testClient(server);
    expect((await admin.projects.create({ name: 'Ops' }).withResponse()).reconciled).toBeUndefined();
  });

  test('none found: OutcomeUnknownError saying so, and the create is not sent again', async () => {
    server.enqueue(fail(500), listOf([proj('proj_old', 'Ops', NOW_S - 86_400)]));
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'Ops' }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.message).toMatch(
      /found no item of list-projects with this body.name created since the request started/,
    );
    expect(error.candidates).toBeUndefined();
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('several found: OutcomeUnknownError carrying them as candidates', async () => {
    server.enqueue(fail(504), listOf([proj('proj_a', 'Ops', NOW_S), proj('proj_b', 'Ops', NOW_S + 2)]));
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'Ops' }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.candidates.map((c: { id: string }) => c.id)).toEqual(['proj_a', 'proj_b']);
    expect(error.message).toMatch(/found 2 items/);
  });

  test('the clock-skew allowance: an item made up to 30 s before the request started counts, 31 s does not', async () => {
    server.enqueue(fail(500), listOf([proj('proj_skewed', 'Ops', NOW_S - 30)]));
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'Ops' })).resolves.toMatchObject({ id: 'proj_skewed' });
    server.enqueue(fail(500), listOf([proj('proj_older', 'Ops', NOW_S - 31)]));
    await expect(admin.projects.create({ name: 'Ops' })).rejects.toThrow(OutcomeUnknownError);
  });

  test('every page is read', async () => {
    server.enqueue(fail(500), listOf([proj('proj_1', 'A', NOW_S)], true), listOf([proj('proj_2', 'Ops', NOW_S)]));
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'Ops' })).resolves.toMatchObject({ id: 'proj_2' });
    expect(server.requests[2].url).toBe('/v1/organization/projects?limit=100&after=proj_1&include_archived=true');
  });

  test('a list that fails too: OutcomeUnknownError saying reconciliation could not list', async () => {
    server.enqueue(fail(500), { status: 403, body: { error: { message: 'nope', type: 'x' } } });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'Ops' }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.message).toMatch(/could not list list-projects/);
  });

  test('reconcile: false opts out: OutcomeUnknownError after one request', async () => {
    server.enqueue(fail(500), listOf([proj('proj_new', 'Ops', NOW_S)]));
    const { admin } = testClient(server);
    await expect(admin.projects.create({ name: 'Ops' }, { reconcile: false })).rejects.toThrow(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  test('roles are not reconciled (a Role has no created_at): OutcomeUnknownError after one request', async () => {
    server.enqueue(fail(500), listOf([]));
    const { admin } = testClient(server);
    await expect(admin.roles.create({ role_name: 'auditor', permissions: [] })).rejects.toThrow(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('each natural key', () => {
  test('invite: the e-mail without case, and the role sent must agree', async () => {
    server.enqueue(
      fail(500),
      listOf([
        {
          id: 'invite_owner',
          object: 'organization.invite',
          email: 'Ann@Example.com',
          role: 'owner',
          status: 'pending',
          created_at: NOW_S,
        } as never,
        {
          id: 'invite_reader',
          object: 'organization.invite',
          email: 'Ann@Example.com',
          role: 'reader',
          status: 'pending',
          created_at: NOW_S,
        } as never,
      ]),
    );
    const { admin } = testClient(server);
    await expect(admin.invites.create({ email: 'ann@example.com', role: 'reader' })).resolves.toMatchObject({
      id: 'invite_reader',
    });
    expect(server.requests[1].url).toBe('/v1/organization/invites?limit=100');
  });

  test('project user: user_id is the item id, added_at its creation time', async () => {
    server.enqueue(
      fail(500),
      listOf([
        {
          id: 'user_1',
          object: 'organization.project.user',
          name: 'A',
          email: 'a@x',
          role: 'member',
          added_at: NOW_S,
        } as never,
      ]),
    );
    const { admin } = testClient(server);
    await expect(admin.projects.users.create('proj_1', { user_id: 'user_1', role: 'member' })).resolves.toMatchObject({
      id: 'user_1',
    });
    expect(server.requests[1].url).toBe('/v1/organization/projects/proj_1/users?limit=100');
  });

  test('service account: found, but its key was only in the create response: api_key null and a warning saying what to do', async () => {
    server.enqueue(
      fail(500),
      listOf([
        {
          id: 'svc_1',
          object: 'organization.project.service_account',
          name: 'ci',
          role: 'member',
          created_at: NOW_S,
        } as never,
      ]),
    );
    const { admin, logger } = testClient(server);
    const result = await admin.projects.serviceAccounts.create('proj_1', { name: 'ci' }).withResponse();
    expect(result.data).toMatchObject({ id: 'svc_1', api_key: null });
    expect(result.reconciled).toBe(true);
    expect(result.warning).toMatch(/serviceAccounts\.apiKeys\.create/);
    expect(logger.lines.some((l) => l.level === 'warn' && /api_key is null/.test(l.message))).toBe(true);
  });
});

describe('read-after-write: a 404 for an id this client just created', () => {
  const sa = {
    id: 'svc_new',
    object: 'organization.project.service_account',
    name: 'ci',
    role: 'member',
    created_at: NOW_S,
  };
  const notFound = {
    status: 404,
    body: { error: { message: 'No such service account', type: 'invalid_request_error' } },
  };

  test('is retried briefly (250 ms, 500 ms) until the id is visible', async () => {
    server.enqueue(
      { status: 201, body: { ...sa, api_key: { id: 'key_1', value: 'sk-svcacct-x' } } },
      notFound,
      notFound,
      { status: 200, body: sa },
    );
    const { admin, timers } = testClient(server);
    await admin.projects.serviceAccounts.create('proj_1', { name: 'ci' });
    await expect(admin.projects.serviceAccounts.retrieve('proj_1', 'svc_new')).resolves.toMatchObject({
      id: 'svc_new',
    });
    expect(timers.sleeps).toEqual([250, 500]);
  });

  test('is bounded: three retries (1.75 s in all), then the 404', async () => {
    server.enqueue({ status: 201, body: { ...sa, api_key: null } });
    server.setFallback(notFound);
    const { admin, timers } = testClient(server);
    await admin.projects.serviceAccounts.create('proj_1', { name: 'ci' });
    await expect(admin.projects.serviceAccounts.retrieve('proj_1', 'svc_new')).rejects.toThrow(NotFoundError);
    expect(timers.sleeps).toEqual([250, 500, 1_000]);
    expect(server.requests).toHaveLength(5);
  });

  test('an id this client did not create, or created more than 2 s ago, gets its 404 at once', async () => {
    let now = NOW;
    server.enqueue({ status: 201, body: { ...sa, api_key: null } });
    server.setFallback(notFound);
    const admin = new OpenAIAdmin({
      apiKey: SECRET_KEY,
      baseURL: server.baseURL,
      now: () => now,
      sleep: async () => {},
      logger: { debug() {}, warn() {} },
    });
    await admin.projects.serviceAccounts.create('proj_1', { name: 'ci' });
    await expect(admin.projects.serviceAccounts.retrieve('proj_1', 'svc_other')).rejects.toThrow(NotFoundError);
    now += 2_001;
    await expect(admin.projects.serviceAccounts.retrieve('proj_1', 'svc_new')).rejects.toThrow(NotFoundError);
    expect(server.requests).toHaveLength(3);
  });
});
