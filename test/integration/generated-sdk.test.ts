/**
 * Contract of `openai-admin/generated`: hey-api's SDK functions over its bundled fetch client, the raw layer for
 * power users. One function per operation, typed by the spec, talking HTTP as the spec says; and, unlike
 * `OpenAIAdmin`, no retries and no pagination (so the README's "what it lacks" stays true).
 */
import { createClient, createConfig } from '../../generated/client/client/index.js';
import { listAuditLogs, listProjects, retrieveProject, updateProject } from '../../generated/client/index.js';
import { useTestServer } from '../support/http-server.js';

const project = { id: 'proj_1', object: 'organization.project', name: 'One', created_at: 1711471533, status: 'active' };

describe('openai-admin/generated against a real server', () => {
  const server = useTestServer();
  const raw = () => createClient(createConfig({ baseUrl: server.baseURL, auth: 'sk-admin-raw' }));

  test('a retrieve sends GET on the spec path with the bearer key and returns the parsed body', async () => {
    server.setFallback({ body: project });
    const { data, error, response } = await retrieveProject({ client: raw(), path: { project_id: 'proj_1' } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual(project);
    expect(server.requests).toHaveLength(1);
    expect(`${server.requests[0].method} ${server.requests[0].path}`).toBe('GET /v1/organization/projects/proj_1');
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-admin-raw');
  });

  test('an update sends its JSON body', async () => {
    server.setFallback({ body: { ...project, name: 'Two' } });
    const { data } = await updateProject({ client: raw(), path: { project_id: 'proj_1' }, body: { name: 'Two' } });
    expect(data?.name).toBe('Two');
    expect(server.requests[0].method).toBe('POST');
    expect(JSON.parse(server.requests[0].body)).toEqual({ name: 'Two' });
  });

  test('bracketed array parameters go on the wire under their wire names', async () => {
    server.setFallback({ body: { object: 'list', data: [], has_more: false } });
    await listAuditLogs({ client: raw(), query: { 'project_ids[]': ['p1', 'p2'] } });
    expect(server.requests[0].query.getAll('project_ids[]')).toEqual(['p1', 'p2']);
  });

  test('does not retry: a 500 comes back as the error of the one request made', async () => {
    server.enqueue(
      { status: 500, body: { error: { message: 'boom', type: 'server_error', param: null, code: null } } },
      { body: project },
    );
    const { data, error, response } = await retrieveProject({ client: raw(), path: { project_id: 'proj_1' } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(500);
    expect(error).toEqual({ error: { message: 'boom', type: 'server_error', param: null, code: null } });
    expect(server.requests).toHaveLength(1);
  });

  test('does not paginate: a list returns the first page only, has_more and all', async () => {
    server.enqueue(
      { body: { object: 'list', data: [project], first_id: 'proj_1', last_id: 'proj_1', has_more: true } },
      { body: { object: 'list', data: [], has_more: false } },
    );
    const { data } = await listProjects({ client: raw() });
    expect(data?.has_more).toBe(true);
    expect(data?.data).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});
