/** Auth, status codes, errors, archived projects, key redaction and the audit log. */
import { startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.emu.close());

const firstProject = () => [...api.emu.state.projects.keys()][0];
const someUser = () => [...api.emu.state.users.keys()][5];

describe('auth', () => {
  test('no Authorization header → 401 in the OpenAI error shape', async () => {
    const r = await api.call('GET', '/organization/projects', undefined, null);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      error: { message: expect.stringContaining('API key'), type: 'invalid_request_error', param: null, code: null },
    });
  });

  test('an empty bearer key → 401', async () => {
    const r = await api.call('GET', '/organization/projects', undefined, '');
    expect(r.status).toBe(401);
  });

  test('a project key (sk-proj-…) → 401 explaining an admin key is needed', async () => {
    const r = await api.call('GET', '/organization/projects', undefined, 'sk-proj-abc123');
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('invalid_api_key');
    expect(r.json.error.message).toMatch(/admin API key/);
  });

  test('any other non-empty key, including the demo key, is accepted', async () => {
    expect((await api.call('GET', '/organization/projects', undefined, 'sk-admin-emulator')).status).toBe(200);
    expect((await api.call('GET', '/organization/projects', undefined, 'sk-admin-anything-else')).status).toBe(200);
  });
});

describe('responses', () => {
  test('every response carries x-request-id, errors included, and ids differ per request', async () => {
    const a = await api.call('GET', '/organization/projects');
    const b = await api.call('GET', '/organization/nope');
    const c = await api.call('GET', '/organization/projects', undefined, null);
    const ids = [a, b, c].map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(3);
  });

  test('an unknown route or method → 404 Invalid URL', async () => {
    const r = await api.call('PUT', '/organization/projects');
    expect(r.status).toBe(404);
    expect(r.json.error).toEqual({
      message: 'Invalid URL (PUT /v1/organization/projects)',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const outside = await fetch(`${api.emu.url.replace(/\/v1$/, '')}/v2/organization/projects`, {
      headers: { authorization: 'Bearer sk-admin-emulator' },
    });
    expect(outside.status).toBe(404);
  });

  test('an unknown id → 404 naming the param', async () => {
    const r = await api.call('GET', '/organization/projects/proj_missing');
    expect(r.status).toBe(404);
    expect(r.json.error.param).toBe('project_id');
  });

  test('a missing required body field → 400 naming it', async () => {
    const r = await api.call('POST', '/organization/projects', {});
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'name' });
  });

  test('a nested invalid field is named with its path', async () => {
    const r = await api.call('POST', '/organization/invites', {
      email: 'x@example.com',
      role: 'reader',
      projects: [{ id: firstProject(), role: 'admin' }],
    });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('projects[0].role');
  });

  test('malformed JSON → 400', async () => {
    const res = await fetch(`${api.emu.url}/organization/projects`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-admin-emulator', 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.type).toBe('invalid_request_error');
  });

  test('creates answer 201 where the real API does', async () => {
    const project = await api.call('POST', '/organization/projects', { name: 'Created' });
    expect(project.status).toBe(201);
    const p = project.json.id;
    expect(p).toMatch(/^proj_[A-Za-z0-9]{24}$/);
    expect(
      (await api.call('POST', `/organization/projects/${p}/users`, { user_id: someUser(), role: 'member' })).status,
    ).toBe(201);
    expect((await api.call('POST', `/organization/projects/${p}/service_accounts`, { name: 'svc' })).status).toBe(201);
    expect(
      (await api.call('POST', '/organization/invites', { email: 'created@example.com', role: 'reader' })).status,
    ).toBe(201);
    expect((await api.call('POST', '/organization/groups', { name: 'Created group' })).status).toBe(200);
  });

  test('duplicates → 409 conflict', async () => {
    const p = firstProject();
    const existing = [...api.emu.state.projects.get(p)!.users.keys()][0];
    const r = await api.call('POST', `/organization/projects/${p}/users`, { user_id: existing, role: 'member' });
    expect(r.status).toBe(409);
    expect(r.json.error.type).toBe('invalid_request_error');
    await api.ok('POST', '/organization/invites', { email: 'twice@example.com', role: 'reader' }, 201);
    expect(
      (await api.call('POST', '/organization/invites', { email: 'twice@example.com', role: 'reader' })).status,
    ).toBe(409);
  });
});

describe('archived projects', () => {
  test('reject changes with a 400 but stay readable; archiving again is harmless', async () => {
    const p = (await api.ok('POST', '/organization/projects', { name: 'To archive' }, 201)).id;
    const archived = await api.ok('POST', `/organization/projects/${p}/archive`, undefined, 200);
    expect(archived.status).toBe('archived');
    expect(typeof archived.archived_at).toBe('number');
    for (const [method, path, body] of [
      ['POST', `/organization/projects/${p}`, { name: 'nope' }],
      ['POST', `/organization/projects/${p}/users`, { user_id: someUser(), role: 'member' }],
      ['POST', `/organization/projects/${p}/service_accounts`, { name: 'nope' }],
      ['POST', `/organization/projects/${p}/rate_limits/rl-gpt-4o`, { max_requests_per_1_minute: 1 }],
      ['POST', `/projects/${p}/roles`, { role_name: 'nope', permissions: [] }],
    ] as const) {
      const r = await api.call(method, path, body);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({
        type: 'invalid_request_error',
        message: expect.stringContaining('archived'),
      });
    }
    expect((await api.ok('GET', `/organization/projects/${p}`)).status).toBe('archived');
    await api.ok('POST', `/organization/projects/${p}/archive`, undefined, 200);
    const listed = await api.ok('GET', '/organization/projects?limit=100');
    expect(listed.data.some((x: { id: string }) => x.id === p)).toBe(false);
    const all = await api.ok('GET', '/organization/projects?limit=100&include_archived=true');
    expect(all.data.some((x: { id: string }) => x.id === p)).toBe(true);
  });
});

describe('service-account keys', () => {
  test('the key value is returned once on create and only redacted afterwards', async () => {
    const p = firstProject();
    const created = await api.ok('POST', `/organization/projects/${p}/service_accounts`, { name: 'deployer' }, 201);
    const value: string = created.api_key.value;
    expect(value).toMatch(/^sk-svcacct-[A-Za-z0-9]{48}$/);
    expect(created.id).toMatch(/^svc_acct_/);
    const reads = [
      await api.call('GET', `/organization/projects/${p}/service_accounts/${created.id}`),
      await api.call('GET', `/organization/projects/${p}/service_accounts?limit=100`),
      await api.call('GET', `/organization/projects/${p}/api_keys?limit=100`),
      await api.call('GET', `/organization/projects/${p}/api_keys/${created.api_key.id}`),
      await api.call('GET', '/organization/audit_logs?limit=100'),
    ];
    for (const r of reads) {
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.json)).not.toContain(value);
    }
    const key = reads[3].json;
    expect(key.redacted_value).toMatch(/^sk-svcacct-.{0,4}\.\.\..{4}$/);
    expect(key.redacted_value.endsWith(value.slice(-4))).toBe(true);
    expect(key.owner).toMatchObject({ type: 'service_account', service_account: { id: created.id } });
    expect(JSON.stringify([...api.emu.state.projectKeys.values()])).not.toContain(value);
  });

  test('create_service_account_only returns no key', async () => {
    const created = await api.ok(
      'POST',
      `/organization/projects/${firstProject()}/service_accounts`,
      { name: 'bare', create_service_account_only: true },
      201,
    );
    expect(created.api_key).toBeNull();
  });
});

describe('audit log', () => {
  test('every mutation appends one event, newest first, with the project and resource id', async () => {
    const before = api.emu.state.auditLogs.length;
    const p = (await api.ok('POST', '/organization/projects', { name: 'Audited' }, 201)).id;
    await api.ok('POST', `/organization/projects/${p}`, { name: 'Audited 2' });
    await api.ok('POST', `/organization/projects/${p}/rate_limits/rl-gpt-4o`, { max_tokens_per_1_minute: 5 });
    await api.ok('POST', '/organization/groups', { name: 'Audited group' });
    await api.ok('GET', `/organization/projects/${p}`);
    expect(api.emu.state.auditLogs.length - before).toBe(4);

    const page = await api.ok('GET', `/organization/audit_logs?limit=4`);
    expect(page.data.map((e: { type: string }) => e.type)).toEqual([
      'group.created',
      'rate_limit.updated',
      'project.updated',
      'project.created',
    ]);
    expect(page.data[3]).toMatchObject({ project: { id: p, name: 'Audited' }, 'project.created': { id: p } });
    expect(page.data[0].id).toMatch(/^audit_log-/);

    const filtered = await api.ok('GET', `/organization/audit_logs?event_types[]=project.updated&project_ids[]=${p}`);
    expect(filtered.data).toHaveLength(1);
    const byResource = await api.ok('GET', `/organization/audit_logs?resource_ids[]=${p}`);
    expect(byResource.data.map((e: { type: string }) => e.type)).toEqual(['project.updated', 'project.created']);
  });

  test('resuming after the last seen id yields older events only, without duplicates', async () => {
    const first = await api.ok('GET', '/organization/audit_logs?limit=3');
    const next = await api.ok('GET', `/organization/audit_logs?limit=3&after=${first.last_id}`);
    const ids = [...first.data, ...next.data].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const newer = await api.ok('GET', `/organization/audit_logs?before=${next.first_id}`);
    expect(newer.data.map((e: { id: string }) => e.id)).toEqual(first.data.map((e: { id: string }) => e.id));
  });
});
