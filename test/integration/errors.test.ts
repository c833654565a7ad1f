/** Every error class by status, request ids, error-body fields, non-JSON bodies and .withResponse(). */
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OpenAIAdminError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/core/base/errors.js';
import * as sdk from '../../src/index.js';
import { rejectionOf, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';

const server = useTestServer();

const errorBody = (message: string) => ({
  error: { message, type: 'invalid_request_error', code: 'some_code', param: 'project_id' },
});

describe('each status gives its class, with status, request id and the body fields', () => {
  test.each([
    [400, BadRequestError, 'BadRequestError'],
    [401, AuthenticationError, 'AuthenticationError'],
    [403, PermissionDeniedError, 'PermissionDeniedError'],
    [404, NotFoundError, 'NotFoundError'],
    [409, ConflictError, 'ConflictError'],
    [422, UnprocessableEntityError, 'UnprocessableEntityError'],
    [429, RateLimitError, 'RateLimitError'],
    [500, InternalServerError, 'InternalServerError'],
    [503, InternalServerError, 'InternalServerError'],
  ])('%i → %p', async (status, Class, name) => {
    server.enqueue({ status, headers: { 'x-request-id': `req_${status}` }, body: errorBody(`problem ${status}`) });
    // maxRateLimitWait: 0, or the 429 would be waited out (pacing) rather than surface.
    const { admin } = testClient(server, { maxRetries: 0, maxRateLimitWait: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(OpenAIAdminError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.requestID).toBe(`req_${status}`);
    expect(error.message).toContain(`problem ${status}`);
    expect(error.message.startsWith(`${status} `)).toBe(true);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe('some_code');
    expect(error.param).toBe('project_id');
    expect(error.headers['x-request-id']).toBe(`req_${status}`);
    expect(error.error).toEqual(errorBody(`problem ${status}`));
    expect(server.requests).toHaveLength(1);
  });

  test('an unlisted 4xx gives the base APIError', async () => {
    server.enqueue({ status: 418, body: errorBody('teapot') });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error.constructor).toBe(APIError);
    expect(error.status).toBe(418);
  });

  test('a 5xx outside the table (e.g. 599) is an InternalServerError', () => {
    expect(APIError.generate(599, undefined, 'x', {})).toBeInstanceOf(InternalServerError);
  });

  test('no request id header gives requestID null; null body fields give null', async () => {
    server.enqueue({ status: 404, body: { error: { message: 'gone', type: null, code: null, param: null } } });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error.requestID).toBeNull();
    expect([error.type, error.code, error.param]).toEqual([null, null, null]);
  });
});

describe('401 and 403 explain admin keys versus project keys', () => {
  test.each([401, 403])('%i', async (status) => {
    server.enqueue({ status, body: errorBody('Invalid authorization') });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error.message).toContain('Invalid authorization');
    expect(error.message).toMatch(/admin key \(sk-admin-…\)/);
    expect(error.message).toMatch(/project keys \(sk-proj-…\).*rejected/);
  });

  test('other statuses carry no key hint', async () => {
    server.enqueue({ status: 404, body: errorBody('nope') });
    const { admin } = testClient(server);
    expect((await rejectionOf(admin.projects.retrieve('proj_1'))).message).not.toMatch(/sk-proj/);
  });
});

describe('non-JSON bodies', () => {
  test('an HTML 502 from a proxy gives InternalServerError with a short excerpt', async () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>
      <hr><center>nginx</center>${'<p>padding</p>'.repeat(200)}</body></html>`;
    server.enqueue({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^502 502 Bad Gateway 502 Bad Gateway nginx/);
    expect(error.message).not.toMatch(/[<>\n]/);
    expect(error.message.length).toBeLessThan(260);
    expect(error.message.endsWith('…')).toBe(true);
  });

  test('an empty error body still gives the right class and says it was empty', async () => {
    server.enqueue({ status: 404 });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('404 (empty body, status 404)');
  });

  test('a plain-text 401 keeps the text and the key hint', async () => {
    server.enqueue({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'Unauthorized' });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^401 Unauthorized The Administration API needs/);
  });

  test('a 200 with an empty body is an APIConnectionError', async () => {
    server.enqueue({ status: 200 });
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/retrieve-project: status 200 with an empty body/);
  });

  test('a 200 with truncated JSON is an APIConnectionError naming the problem', async () => {
    server.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"proj_1","obj' });
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/invalid JSON .*application\/json/);
  });

  test('a GET that got a truncated 200 is retried', async () => {
    server.enqueue({ status: 200, body: '{"id":' }, { body: project('proj_1') });
    const { admin, timers } = testClient(server);
    await expect(admin.projects.retrieve('proj_1')).resolves.toMatchObject({ id: 'proj_1' });
    expect(server.requests).toHaveLength(2);
    expect(timers.sleeps).toEqual([500]);
  });
});

describe('data, raw response and request id', () => {
  test('await resolves to the typed data itself', async () => {
    server.enqueue({ body: project('proj_1', 'Alpha') });
    const { admin } = testClient(server);
    const p = await admin.projects.retrieve('proj_1');
    expect(p).toEqual(project('proj_1', 'Alpha'));
  });

  test('.withResponse() gives the data, the Response and the request id', async () => {
    server.enqueue({ headers: { 'x-request-id': 'req_abc' }, body: project('proj_1') });
    const { admin } = testClient(server);
    const { data, response, requestID } = await admin.projects.retrieve('proj_1').withResponse();
    expect(data.id).toBe('proj_1');
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_abc');
    expect(requestID).toBe('req_abc');
    expect(server.requests).toHaveLength(1);
  });

  test('.withResponse() on a list gives the first page', async () => {
    server.enqueue({
      headers: { 'x-request-id': 'req_list' },
      body: { object: 'list', data: [project('a')], has_more: false, last_id: 'a' },
    });
    const { admin } = testClient(server);
    const { data, requestID } = await admin.projects.list().withResponse();
    expect(data.data.map((p) => p.id)).toEqual(['a']);
    expect(requestID).toBe('req_list');
  });

  test('.asResponse() gives the raw Response', async () => {
    server.enqueue({ status: 201, body: project('proj_new') });
    const { admin } = testClient(server);
    expect((await admin.projects.create({ name: 'x' }).asResponse()).status).toBe(201);
  });

  test('the request carries the method, JSON body, content type and accept header', async () => {
    server.enqueue({ status: 201, body: project('proj_new') });
    const { admin } = testClient(server);
    await admin.projects.create({ name: 'Data science' });
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/organization/projects');
    expect(request.json).toEqual({ name: 'Data science' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.accept).toBe('application/json');
  });
});

test('the package entry exports every error class', () => {
  for (const name of [
    'OpenAIAdminError',
    'APIError',
    'BadRequestError',
    'AuthenticationError',
    'PermissionDeniedError',
    'NotFoundError',
    'ConflictError',
    'UnprocessableEntityError',
    'RateLimitError',
    'InternalServerError',
    'APIConnectionError',
    'APIConnectionTimeoutError',
    'APIUserAbortError',
    'OutcomeUnknownError',
    'RequestValidationError',
    'ResponseValidationError',
    'PaginationError',
  ]) {
    expect(typeof (sdk as Record<string, unknown>)[name]).toBe('function');
  }
});
