/**
 * Path and query building (src/core/pipeline/request.ts), path id checks (validation.ts), base URL checks (url.ts):
 * pure functions.
 */
import * as ops from '../../../generated/operations.gen.js';
import { RequestValidationError } from '../../../src/core/base/errors.js';
import { buildPath, buildURL, serializeQuery } from '../../../src/core/pipeline/request.js';
import { checkBaseURL } from '../../../src/core/validation/url.js';
import { pathIdProblem } from '../../../src/core/validation/validation.js';

const retrieve = ops.retrieveProject;
const twoIds = ops.retrieveProjectUser;

function validationIssues(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).issues;
  }
  throw new Error('expected a RequestValidationError');
}

describe('buildPath', () => {
  test('fills the placeholder with a plain id', () => {
    expect(buildPath(retrieve, { project_id: 'proj_abc' })).toBe('/organization/projects/proj_abc');
  });

  test.each([
    ['with space', 'with%20space'],
    ['100%', '100%25'],
    ['ünïcødé-✓', '%C3%BCn%C3%AFc%C3%B8d%C3%A9-%E2%9C%93'],
    ['a&b=c', 'a%26b%3Dc'],
    ['...', '...'],
  ])('percent-encodes the id %j', (id, encoded) => {
    expect(buildPath(retrieve, { project_id: id })).toBe(`/organization/projects/${encoded}`);
  });

  test('fills several placeholders in order', () => {
    expect(buildPath(twoIds, { project_id: 'p 1', user_id: 'u/1'.replace('/', '_') })).toBe(
      '/organization/projects/p%201/users/u_1',
    );
  });

  test('fills every occurrence of a placeholder, leaves braces that name no path parameter, and keeps text around them', () => {
    const op = { name: 'x', path: '/a/{id}/b{id}c/{other}/{}/{id', pathParams: ['id'] };
    expect(buildPath(op, { id: 'i d' })).toBe('/a/i%20d/bi%20dc/{other}/{}/{id');
    expect(buildPath(op, { id: 'j' })).toBe('/a/j/bjc/{other}/{}/{id'); // the same operation, called again
    expect(buildPath({ name: 'y', path: '/plain', pathParams: [] }, {})).toBe('/plain');
  });

  test.each([
    ['', 'must not be empty'],
    ['.', 'must not be "."'],
    ['..', 'must not be ".."'],
    ['a/b', 'must not contain "/", "?" or "#"'],
    ['what?x=1', 'must not contain "/", "?" or "#"'],
    ['a#b', 'must not contain "/", "?" or "#"'],
    ['a\r\nb', 'must not contain CR or LF'],
    ['a\nb', 'must not contain CR or LF'],
  ])('rejects the id %j before any I/O', (id, message) => {
    expect(validationIssues(() => buildPath(retrieve, { project_id: id }))).toEqual([
      { path: 'path.project_id', message },
    ]);
  });

  test('rejects a missing or non-string id', () => {
    expect(validationIssues(() => buildPath(retrieve, {}))).toEqual([
      { path: 'path.project_id', message: 'must be a string (got undefined)' },
    ]);
    expect(validationIssues(() => buildPath(retrieve, { project_id: null }))[0].message).toBe(
      'must be a string (got null)',
    );
    expect(validationIssues(() => buildPath(retrieve, { project_id: 42 }))[0].message).toBe(
      'must be a string (got number)',
    );
  });

  test('lists every bad id at once', () => {
    const issues = validationIssues(() => buildPath(twoIds, { project_id: '..', user_id: '' }));
    expect(issues.map((i) => i.path)).toEqual(['path.project_id', 'path.user_id']);
  });

  test('pathIdProblem accepts ordinary ids', () => {
    expect(pathIdProblem('user-abc_123')).toBeNull();
  });
});

describe('serializeQuery', () => {
  test('arrays repeat the key: group_by=a&group_by=b', () => {
    expect(serializeQuery(ops.usageCompletions, { start_time: 1, group_by: ['project_id', 'model'] })).toBe(
      'start_time=1&group_by=project_id&group_by=model',
    );
  });

  test('keys spelled with [] keep their brackets unencoded', () => {
    expect(serializeQuery(ops.listAuditLogs, { 'project_ids[]': ['proj_1', 'proj_2'] })).toBe(
      'project_ids[]=proj_1&project_ids[]=proj_2',
    );
  });

  test('objects use deepObject: effective_at[gte]=…&effective_at[lt]=…', () => {
    expect(serializeQuery(ops.listAuditLogs, { effective_at: { gte: 1700000000, lt: 1700003600 } })).toBe(
      'effective_at[gte]=1700000000&effective_at[lt]=1700003600',
    );
  });

  test('a page token ending in "=" round-trips exactly', () => {
    const token = 'cGFnZV90b2tlbj0xMjM+/x=';
    const qs = serializeQuery(ops.usageCompletions, { start_time: 1, page: token });
    expect(qs).toBe('start_time=1&page=cGFnZV90b2tlbj0xMjM%2B%2Fx%3D');
    expect(new URLSearchParams(qs).get('page')).toBe(token);
  });

  test('leaves out undefined and null, keeps false and 0', () => {
    expect(serializeQuery(ops.listProjects, { limit: undefined, after: null, include_archived: false })).toBe(
      'include_archived=false',
    );
    expect(serializeQuery(ops.usageCompletions, { start_time: 0 })).toBe('start_time=0');
  });

  test('follows the spec order, not the caller order', () => {
    expect(serializeQuery(ops.listProjects, { include_archived: true, after: 'x', limit: 5 })).toBe(
      'limit=5&after=x&include_archived=true',
    );
  });

  test('values with spaces, & and unicode are encoded', () => {
    expect(serializeQuery(ops.listProjects, { after: 'a b&c=ü' })).toBe('after=a%20b%26c%3D%C3%BC');
  });

  test('an empty query gives an empty string', () => {
    expect(serializeQuery(ops.listProjects, {})).toBe('');
    expect(serializeQuery(ops.listProjects)).toBe('');
  });
});

describe('buildURL', () => {
  test('joins base, path and query without doubling or dropping slashes', () => {
    expect(buildURL('https://api.openai.com/v1/', '/organization/projects', 'limit=1')).toBe(
      'https://api.openai.com/v1/organization/projects?limit=1',
    );
    expect(buildURL('https://api.openai.com/v1', '/organization/projects', '')).toBe(
      'https://api.openai.com/v1/organization/projects',
    );
  });
});

describe('checkBaseURL', () => {
  test('accepts https', () => {
    expect(checkBaseURL('https://api.openai.com/v1', false)).toBe('https://api.openai.com/v1');
  });

  test.each(['http://127.0.0.1:8080/v1', 'http://localhost:3000', 'http://[::1]:9000/v1', 'http://127.1.2.3/'])(
    'accepts loopback http %s',
    (url) => {
      expect(checkBaseURL(url, false)).toBe(url);
    },
  );

  test('refuses plain http to a remote host, explaining the risk', () => {
    expect(() => checkBaseURL('http://proxy.example.com/v1', false)).toThrow(
      /non-loopback host.*admin key.*allowInsecureHttp/,
    );
  });

  test('refuses a host that only looks like loopback', () => {
    expect(() => checkBaseURL('http://localhost.evil.com/v1', false)).toThrow(TypeError);
    expect(() => checkBaseURL('http://127.0.0.1.nip.io/v1', false)).toThrow(TypeError);
  });

  test('accepts remote http with allowInsecureHttp: true', () => {
    expect(checkBaseURL('http://proxy.internal/v1', true)).toBe('http://proxy.internal/v1');
  });

  test('refuses other protocols and relative URLs', () => {
    expect(() => checkBaseURL('ftp://example.com', true)).toThrow(/protocol ftp: is not supported/);
    expect(() => checkBaseURL('/v1', false)).toThrow(/not an absolute URL/);
  });
});
