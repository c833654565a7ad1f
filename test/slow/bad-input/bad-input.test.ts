/**
 * Bad-input suite: each call is invalid in one way and must be rejected before any request reaches the server
 * (a real node:http server on 127.0.0.1 counts every request it receives: the count must stay zero), with an
 * error that names the offending field (`path.project_id`, `query.limit`, `body.role`, `headers.x-trace`, …).
 */
import { OpenAIAdmin, OpenAIAdminError, RequestValidationError, type ClientOptions } from '../../../src/index';
import { inspect } from 'node:util';
import { rejectionOf, thrownBy } from '../../support/client';
import { startServer, type Handler, type LocalServer } from '../../support/local-server';

/** What any request that slips through gets: 200 with `{}` (the request count is what the tests check). */
const answerEmpty: Handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');

let server: LocalServer;
beforeAll(async () => {
  server = await startServer(answerEmpty);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.handle(answerEmpty));

const START = 1_730_419_200;
const client = (options: Partial<ClientOptions> = {}): any =>
  new OpenAIAdmin({ apiKey: 'sk-admin-bad-input-suite', baseURL: server.url, maxRetries: 0, ...options });

interface Case {
  title: string;
  call: (admin: any) => unknown;
  /** The field the error must name: an issue path of RequestValidationError. */
  field: string;
}

const ids: Case[] = [
  { title: 'empty project id', call: (a) => a.projects.retrieve(''), field: 'path.project_id' },
  { title: '"." project id', call: (a) => a.projects.retrieve('.'), field: 'path.project_id' },
  { title: '".." project id', call: (a) => a.projects.retrieve('..'), field: 'path.project_id' },
  { title: 'slash in a project id', call: (a) => a.projects.retrieve('proj_a/users'), field: 'path.project_id' },
  {
    title: '"../x" as a nested user id',
    call: (a) => a.projects.users.retrieve('proj_abc', '../proj_other'),
    field: 'path.user_id',
  },
  {
    title: 'empty id in a group user removal',
    call: (a) => a.groups.users.remove('group_1', ''),
    field: 'path.user_id',
  },
  { title: 'missing (undefined) id', call: (a) => a.projects.retrieve(undefined), field: 'path.project_id' },
  { title: 'number as id', call: (a) => a.projects.retrieve(123), field: 'path.project_id' },
  { title: 'CR/LF inside an id', call: (a) => a.projects.retrieve('proj\r\nX-Injected: 1'), field: 'path.project_id' },
  {
    title: '".." rate limit id on an update',
    call: (a) => a.projects.rateLimits.update('proj_abc', '..', { max_requests_per_1_minute: 5 }),
    field: 'path.rate_limit_id',
  },
  {
    title: 'unpaired UTF-16 surrogate in an id',
    call: (a) => a.projects.retrieve('proj_\uD800'),
    field: 'path.project_id',
  },
];

const headers: Case[] = [
  {
    title: 'CR/LF in a default header',
    call: () => client({ defaultHeaders: { 'x-trace': 'a\r\nInjected: 1' } }).projects.list(),
    field: 'headers.x-trace',
  },
  {
    title: 'LF in a per-call header',
    call: (a) => a.projects.list(undefined, { headers: { 'x-request-tag': 'a\nb' } }),
    field: 'headers.x-request-tag',
  },
  {
    title: 'CR/LF in organization',
    call: () => client({ organization: 'org_abc\r\nX: 1' }).projects.list(),
    field: 'headers.openai-organization',
  },
  {
    title: 'LF in project',
    call: () => client({ project: 'proj_abc\nX: 1' }).projects.list(),
    field: 'headers.openai-project',
  },
];

const limits: Case[] = [
  { title: 'limit 0', call: (a) => a.projects.list({ limit: 0 }), field: 'query.limit' },
  { title: 'limit 101', call: (a) => a.projects.list({ limit: 101 }), field: 'query.limit' },
  {
    title: 'limit 101 on a nested list',
    call: (a) => a.projects.users.list('proj_abc', { limit: 101 }),
    field: 'query.limit',
  },
  { title: 'limit 0 on audit logs', call: (a) => a.auditLogs.list({ limit: 0 }), field: 'query.limit' },
  { title: 'fractional limit', call: (a) => a.projects.list({ limit: 2.5 }), field: 'query.limit' },
  { title: 'limit as a string', call: (a) => a.projects.list({ limit: '10' }), field: 'query.limit' },
  {
    title: "limit 32 with bucket_width '1d'",
    call: (a) => a.usage.completions({ start_time: START, bucket_width: '1d', limit: 32 }),
    field: 'query.limit',
  },
  {
    title: "limit 169 with bucket_width '1h'",
    call: (a) => a.usage.embeddings({ start_time: START, bucket_width: '1h', limit: 169 }),
    field: 'query.limit',
  },
  { title: 'limit 0 on costs', call: (a) => a.costs({ start_time: START, limit: 0 }), field: 'query.limit' },
];

const enums: Case[] = [
  { title: 'unknown order', call: (a) => a.adminApiKeys.list({ order: 'newest' }), field: 'query.order' },
  {
    title: "unknown bucket_width '1w'",
    call: (a) => a.usage.completions({ start_time: START, bucket_width: '1w' }),
    field: 'query.bucket_width',
  },
  {
    title: 'unknown group_by field',
    call: (a) => a.usage.completions({ start_time: START, group_by: ['model', 'region'] }),
    field: 'query.group_by.1',
  },
  {
    title: 'unknown invite role',
    call: (a) => a.invites.create({ email: 'ana@example.com', role: 'admin' }),
    field: 'body.role',
  },
  // Project and organization user roles are free strings now (custom roles), so they are not in this list.
  {
    title: 'unknown data retention type',
    call: (a) => a.dataRetention.update({ retention_type: 'forever' }),
    field: 'body.retention_type',
  },
  {
    title: 'unknown spend alert interval',
    call: (a) =>
      a.spendAlerts.create({
        threshold_amount: 100,
        currency: 'USD',
        interval: 'fortnight',
        notification_channel: { type: 'email', recipients: ['finance@example.com'] },
      }),
    field: 'body.interval',
  },
];

const required: Case[] = [
  { title: 'project without a name', call: (a) => a.projects.create({}), field: 'body.name' },
  { title: 'invite without an email', call: (a) => a.invites.create({ role: 'reader' }), field: 'body.email' },
  {
    title: 'project user without a role',
    call: (a) => a.projects.users.create('proj_abc', { user_id: 'user_abc' }),
    field: 'body.role',
  },
  { title: 'group member without user_id', call: (a) => a.groups.users.add('group_1', {}), field: 'body.user_id' },
  {
    title: 'certificate activation without ids',
    call: (a) => a.certificates.activate({}),
    field: 'body.certificate_ids',
  },
  {
    title: 'usage query without start_time',
    call: (a) => a.usage.completions({ bucket_width: '1d' }),
    field: 'query.start_time',
  },
];

const types: Case[] = [
  { title: 'project name as a number', call: (a) => a.projects.create({ name: 42 }), field: 'body.name' },
  {
    title: 'rate limit as a string',
    call: (a) => a.projects.rateLimits.update('proj_abc', 'rl-gpt-4o', { max_requests_per_1_minute: 'many' }),
    field: 'body.max_requests_per_1_minute',
  },
  {
    title: 'certificate_ids as a string',
    call: (a) => a.certificates.activate({ certificate_ids: 'cert_abc' }),
    field: 'body.certificate_ids',
  },
  {
    title: 'include_archived as a string',
    call: (a) => a.projects.list({ include_archived: 'yes' }),
    field: 'query.include_archived',
  },
];

const times: Case[] = [
  { title: 'NaN start_time', call: (a) => a.usage.completions({ start_time: Number.NaN }), field: 'query.start_time' },
  { title: 'negative start_time', call: (a) => a.usage.completions({ start_time: -1 }), field: 'query.start_time' },
  {
    title: 'fractional start_time',
    call: (a) => a.usage.images({ start_time: START + 0.5 }),
    field: 'query.start_time',
  },
  {
    title: 'start_time as a date string',
    call: (a) => a.costs({ start_time: '2024-11-01' }),
    field: 'query.start_time',
  },
  {
    title: 'Infinity end_time',
    call: (a) => a.usage.completions({ start_time: START, end_time: Number.POSITIVE_INFINITY }),
    field: 'query.end_time',
  },
  {
    title: 'end_time before start_time',
    call: (a) => a.usage.completions({ start_time: START, end_time: START - 3600 }),
    field: 'query.end_time',
  },
  {
    title: 'end_time equal to start_time on costs',
    call: (a) => a.costs({ start_time: START, end_time: START }),
    field: 'query.end_time',
  },
  {
    title: 'negative effective_at bound on audit logs',
    call: (a) => a.auditLogs.list({ effective_at: { gte: -5 } }),
    field: 'query.effective_at.gte',
  },
];

const values: Case[] = [
  {
    title: 'unpaired surrogate in a query value',
    call: (a) => a.projects.list({ after: 'proj_\uDC00' }),
    field: 'query.after',
  },
];

const all = [...ids, ...headers, ...limits, ...enums, ...required, ...types, ...times, ...values];

test('at least 40 bad calls', () => {
  expect(all.length).toBeGreaterThanOrEqual(40);
});

describe.each([
  ['ids', ids],
  ['headers', headers],
  ['limits', limits],
  ['enums', enums],
  ['required fields', required],
  ['types', types],
  ['timestamps', times],
  ['query values', values],
] as const)('%s', (_group, cases) => {
  test.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const error = await rejectionOf((async () => c.call(client()))());
    expect(server.requests).toHaveLength(0);
    expect(error).toBeInstanceOf(RequestValidationError);
    const issues = (error as RequestValidationError).issues.map((i) => i.path);
    expect(issues).toContain(c.field);
    expect((error as Error).message).toContain(c.field);
    expect((error as Error).message).toContain('Nothing was sent');
  });
});

describe('construction', () => {
  const construct: Array<[string, Partial<ClientOptions>, RegExp]> = [
    ['CR/LF in the key', { apiKey: 'sk-admin-abc\r\nX-Injected: 1' }, /apiKey must not contain CR, LF or NUL/],
    ['LF in the key', { apiKey: 'sk-admin-abc\n' }, /apiKey must not contain CR, LF or NUL/],
    ['an empty key', { apiKey: '  ' }, /apiKey must be a non-empty string/],
    [
      'plain http to a remote baseURL',
      { baseURL: 'http://api.example.com/v1' },
      /^baseURL: http:\/\/api\.example\.com uses plain http/,
    ],
    ['plain http to a private address', { baseURL: 'http://10.0.0.5:8080/v1' }, /^baseURL: .*plain http/],
    ['ftp baseURL', { baseURL: 'ftp://127.0.0.1/v1' }, /^baseURL: protocol ftp: is not supported/],
    ['relative baseURL', { baseURL: '/v1' }, /^baseURL: "\/v1" is not an absolute URL/],
    ['negative maxRetries', { maxRetries: -1 }, /maxRetries must be a whole number/],
    ['zero timeout', { timeout: 0 }, /timeout must be a positive number/],
  ];
  test.each(construct)('%s is refused at construction, nothing sent', (_title, options, message) => {
    expect(() => client(options)).toThrow(message);
    expect(server.requests).toHaveLength(0);
  });

  test('the refused key never appears in the error', () => {
    const error = thrownBy(() => client({ apiKey: 'sk-admin-secret-value\n' }));
    expect(error).toBeInstanceOf(OpenAIAdminError);
    expect(String(error)).not.toContain('secret-value');
    expect(inspect(error)).not.toContain('secret-value');
    expect(JSON.stringify(error)).not.toContain('secret-value');
  });
});
