/**
 * Request validation before any I/O (the server must see nothing), and response validation modes
 * 'off' | 'warn' | 'strict' against a real node:http server on 127.0.0.1.
 */
import * as ops from '../../generated/operations.gen.js';
import { listPages } from '../../src/core/pipeline/pagination.js';
import { usagePages } from '../../src/core/client/usage.js';
import { RequestValidationError, ResponseValidationError } from '../../src/core/base/errors.js';
import { rejectionOf, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';

const server = useTestServer();

const START = 1_736_000_000;

/** The issue paths of a rejected call, asserting nothing reached the server. */
async function rejectedPaths(call: () => PromiseLike<unknown>): Promise<string[]> {
  const error = await rejectionOf(call());
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(error.message).toMatch(/Nothing was sent\.$/);
  expect(server.requests).toHaveLength(0);
  return error.issues.map((i: { path: string }) => i.path);
}

describe('requests are validated before any I/O', () => {
  test.each([[0], [101], [-1]])('projects.list limit %i → query.limit', async (limit) => {
    const { admin } = testClient(server);
    expect(await rejectedPaths(() => admin.projects.list({ limit }))).toEqual(['query.limit']);
  });

  test('a fractional limit → query.limit must be an integer', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.list({ limit: 2.5 }));
    expect(error.issues).toEqual([{ path: 'query.limit', message: 'must be an integer' }]);
  });

  test('a limit of the wrong type → query.limit', async () => {
    const { admin } = testClient(server);
    expect(await rejectedPaths(() => admin.projects.list({ limit: '10' as unknown as number }))).toEqual([
      'query.limit',
    ]);
  });

  test('an unknown enum value → query.order, listing the allowed values', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(listPages(admin, ops.listAdminApiKeys, { query: { order: 'sideways' } } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([{ path: 'query.order', message: 'must be one of "asc", "desc"' }]);
    expect(server.requests).toHaveLength(0);
  });

  test('a missing required body field → body.name', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({} as { name: string }));
    expect(error.issues).toEqual([{ path: 'body.name', message: 'is required' }]);
    expect(server.requests).toHaveLength(0);
  });

  test('a missing body altogether is rejected', async () => {
    const { admin } = testClient(server);
    const paths = await rejectedPaths(() => admin.projects.create(undefined as unknown as { name: string }));
    expect(paths).toEqual(['body']);
  });

  test('a body field of the wrong type → body.name', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 42 as unknown as string }));
    expect(error.issues).toEqual([{ path: 'body.name', message: 'must be of type string' }]);
    expect(server.requests).toHaveLength(0);
  });

  test('an unknown query parameter → query.<name> is not a parameter of this operation', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.list({ bogus: 1 } as Record<string, unknown>));
    expect(error.issues).toEqual([{ path: 'query.bogus', message: 'is not a parameter of this operation' }]);
    expect(server.requests).toHaveLength(0);
  });

  test('undefined query values are ignored, not reported', async () => {
    server.enqueue({ body: { object: 'list', data: [], has_more: false } });
    const { admin } = testClient(server);
    await admin.projects.list({ limit: undefined, after: undefined });
    expect(server.requests[0].rawQuery).toBe('');
  });

  describe('usage times', () => {
    const usage = (query: Record<string, unknown>) =>
      usagePages(testClient(server).admin, ops.usageCompletions, query as never);

    test.each([
      ['NaN', NaN],
      ['negative', -1],
      ['fractional', 1.5],
      ['a string', '1736000000'],
    ])('a %s start_time → query.start_time', async (_name, start_time) => {
      expect(await rejectedPaths(() => usage({ start_time }))).toContain('query.start_time');
    });

    test('a missing start_time → query.start_time is required', async () => {
      const error = await rejectionOf(usage({}));
      expect(error.issues).toContainEqual({ path: 'query.start_time', message: 'is required' });
      expect(server.requests).toHaveLength(0);
    });

    test('end_time before (or equal to) start_time → query.end_time', async () => {
      expect(await rejectedPaths(() => usage({ start_time: START, end_time: START - 60 }))).toEqual(['query.end_time']);
      expect(await rejectedPaths(() => usage({ start_time: START, end_time: START }))).toEqual(['query.end_time']);
    });

    test('an unknown bucket_width → query.bucket_width', async () => {
      expect(await rejectedPaths(() => usage({ start_time: START, bucket_width: '1w' }))).toContain(
        'query.bucket_width',
      );
    });

    test('every failing field is listed at once', async () => {
      const paths = await rejectedPaths(() =>
        usage({ start_time: -5, bucket_width: '1h', limit: 500, group_by: 'model', bogus: true }),
      );
      expect(paths).toEqual(
        expect.arrayContaining(['query.start_time', 'query.limit', 'query.group_by', 'query.bogus']),
      );
    });

    test('a valid query passes and is sent', async () => {
      server.enqueue({ body: { object: 'page', data: [], has_more: false, next_page: null } });
      await usage({ start_time: START, end_time: START + 3600, bucket_width: '1h', group_by: ['model'] });
      expect(server.requests).toHaveLength(1);
    });
  });

  // Guards against a fixed bug: buildPath throws on a bad id before validateRequest runs, so the body and
  // query problems of the same call are not listed; expected: one error listing every failing field.
  test('path and body problems are reported together with their paths', async () => {
    const { admin } = testClient(server);
    const paths = await rejectedPaths(() =>
      admin._call(ops.updateProject, { path: { project_id: '' }, body: { name: 7 } } as never),
    );
    expect(paths).toEqual(expect.arrayContaining(['path.project_id', 'body.name']));
  });

  test('a bad id alone is reported as path.<name>', async () => {
    const { admin } = testClient(server);
    expect(
      await rejectedPaths(() => admin._call(ops.updateProject, { path: { project_id: '..' }, body: { name: 'ok' } })),
    ).toEqual(['path.project_id']);
  });
});

describe('response validation', () => {
  const incomplete = { id: 'proj_1', object: 'organization.project', name: 'x' }; // no created_at
  const invite = {
    object: 'organization.invite',
    id: 'invite-1',
    email: 'a@example.com',
    role: 'auditor', // an enum value this SDK does not know yet
    status: 'frozen',
    created_at: 1,
    expires_at: 2,
    brand_new_field: { nested: true }, // an unknown property
  };

  test("'off' (the default) returns whatever the server sent", async () => {
    server.enqueue({ body: incomplete });
    const { admin, logger } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).resolves.toEqual(incomplete);
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  test("'strict' throws ResponseValidationError for a missing required field, with the body", async () => {
    server.enqueue({ body: incomplete });
    const { admin } = testClient(server, { validate: 'strict' });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues).toContainEqual({ path: 'created_at', message: 'is required' });
    expect(error.body).toEqual(incomplete);
    expect(error.message).toMatch(/retrieve-project does not match the spec: .*created_at is required/);
    expect(server.requests).toHaveLength(1);
  });

  test("'strict' reports a wrong type", async () => {
    server.enqueue({ body: { ...project('proj_1'), created_at: 'yesterday' } });
    const { admin } = testClient(server, { validate: 'strict' });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error.issues).toContainEqual({ path: 'created_at', message: 'must be an integer' });
  });

  test("'strict' uses the responseValidators module passed in (a bundle's way to include them)", async () => {
    server.enqueue({ body: project('proj_1') });
    const checked: unknown[] = [];
    const retrieveProject = Object.assign((data: unknown) => (checked.push(data), false), {
      errors: [{ instancePath: '/name', keyword: 'type', params: { type: 'string' } }],
    });
    const { admin } = testClient(server, { validate: 'strict', responseValidators: { retrieveProject } });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues).toEqual([{ path: 'name', message: 'must be of type string' }]);
    expect(checked).toEqual([project('proj_1')]);
  });

  test('responseValidators must be an object (the module), refused before any request', async () => {
    const error = await rejectionOf(
      Promise.resolve().then(() => testClient(server, { responseValidators: 'responses.gen.js' as never })),
    );
    expect(error.message).toMatch(/responseValidators must be the module openai-admin\/response-validators/);
    expect(server.requests).toHaveLength(0);
  });

  test("'strict' accepts unknown properties and unknown enum values", async () => {
    server.enqueue({ body: invite });
    const { admin } = testClient(server, { validate: 'strict' });
    await expect(admin._call(ops.retrieveInvite, { path: { invite_id: 'invite-1' } })).resolves.toEqual(invite);
  });

  test("'strict' validates every page of a list", async () => {
    server.enqueue(
      { body: { object: 'list', data: [project('a')], last_id: 'a', has_more: true } },
      { body: { object: 'list', data: [incomplete], last_id: 'proj_1', has_more: false } },
    );
    const { admin } = testClient(server, { validate: 'strict' });
    await expect(admin.projects.list().toArray()).rejects.toThrow(ResponseValidationError);
  });

  test("'warn' logs through logger.warn and returns the data", async () => {
    server.enqueue({ body: incomplete });
    const { admin, logger } = testClient(server, { validate: 'warn' });
    await expect(admin.projects.retrieve('proj_1')).resolves.toEqual(incomplete);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/created_at is required/);
  });

  test("'warn' stays quiet for a valid response", async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin, logger } = testClient(server, { validate: 'warn' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  test('a per-call validate overrides the client', async () => {
    server.enqueue({ body: incomplete }, { body: incomplete });
    const { admin } = testClient(server, { validate: 'strict' });
    await expect(admin.projects.retrieve('proj_1', { validate: 'off' })).resolves.toEqual(incomplete);
    const { admin: lenient } = testClient(server);
    await expect(lenient.projects.retrieve('proj_1', { validate: 'strict' })).rejects.toThrow(ResponseValidationError);
  });
});
