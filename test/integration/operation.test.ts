/**
 * The typed operation layer on a real server: callers write clean parameter names (`event_types`), the client
 * sends the wire names (`event_types[]`) and reports problems in the caller's spelling; copies keep their class
 * and options. The pure renaming functions are tested in test/core/types/operation.wire-names.test.ts.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { RequestValidationError } from '../../src/core/base/errors.js';
import { rejectionOf, testClient } from '../support/client.js';
import { useTestServer } from '../support/http-server.js';

describe('clean parameter names on a real server', () => {
  const server = useTestServer();
  beforeEach(() => server.setFallback({ body: { object: 'list', data: [], has_more: false } }));

  test('auditLogs.list sends event_types and project_ids under their bracketed wire names', async () => {
    const { admin } = testClient(server);
    await admin.auditLogs.list({ event_types: ['project.created', 'api_key.created'], project_ids: ['proj_1'] });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].rawQuery).toBe(
      'project_ids[]=proj_1&event_types[]=project.created&event_types[]=api_key.created',
    );
  });

  test('a bad value under a clean name is reported under that name, and nothing is sent', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.auditLogs.list({ project_ids: 'proj_1' as unknown as string[] }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([{ path: 'query.project_ids', message: 'must be of type array' }]);
    expect(error.message).not.toContain('[]');
    expect(server.requests).toHaveLength(0);
  });

  test('every page of a walk keeps the wire names', async () => {
    server.enqueue(
      { body: { object: 'list', data: [{ id: 'e1' }], last_id: 'e1', has_more: true } },
      { body: { object: 'list', data: [{ id: 'e2' }], last_id: 'e2', has_more: false } },
    );
    const { admin } = testClient(server);
    const events = await admin.auditLogs.list({ actor_ids: ['user_1'] }).toArray();
    expect(events.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(server.requests.map((r) => r.rawQuery)).toEqual(['actor_ids[]=user_1', 'actor_ids[]=user_1&after=e1']);
  });
});

describe('withOptions', () => {
  class Audited extends OpenAIAdmin {
    readonly tag = 'audited';
  }

  test('returns an instance of the same class with the change applied and the key kept', () => {
    const admin = new Audited({ apiKey: 'sk-admin-copy', baseURL: 'http://127.0.0.1:9/v1' });
    const copy = admin.withOptions({ baseURL: 'http://127.0.0.1:10/v1' });
    expect(copy).toBeInstanceOf(Audited);
    expect(copy.tag).toBe('audited');
    expect(copy.baseURL).toBe('http://127.0.0.1:10/v1');
    expect(copy.toJSON().apiKey).toBe(admin.toJSON().apiKey);
  });

  test('keeps every option it is not given (a copy of a copy still has the original settings)', async () => {
    const server = await import('../support/http-server.js').then((m) => m.startTestServer());
    try {
      server.setFallback({
        body: { id: 'proj_1', object: 'organization.project', name: 'x', created_at: 1, status: 'active' },
      });
      const admin = new OpenAIAdmin({
        apiKey: 'sk-admin-copy',
        baseURL: server.baseURL,
        organization: 'org_1',
        defaultHeaders: { 'x-team': 'a' },
      });
      await admin.withOptions({ timeout: 1_000 }).withOptions({ maxRetries: 0 }).projects.retrieve('proj_1');
      expect(server.requests[0].headers['openai-organization']).toBe('org_1');
      expect(server.requests[0].headers['x-team']).toBe('a');
    } finally {
      await server.close();
    }
  });
});
