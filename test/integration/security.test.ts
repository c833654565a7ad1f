/**
 * The key never leaks (errors, logs, the client itself), header injection is refused, path ids are safe,
 * and construction fails early and clearly.
 */
import { inspect } from 'node:util';
import { OpenAIAdmin } from '../../src/client.js';
import { OpenAIAdminError, RequestValidationError, OutcomeUnknownError } from '../../src/core/base/errors.js';
import { rejectionOf, SECRET_KEY, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';

const server = useTestServer();

/** Every printable form of a value. */
function printed(value: unknown): string {
  const forms = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) forms.push(value.message, String(value), value.stack ?? '');
  return forms.join('\n');
}

const SECRET_PART = 'SECRET-abcdef123456';

function expectNoKey(text: string) {
  expect(text).not.toContain(SECRET_KEY);
  expect(text).not.toContain(SECRET_PART);
}

describe('the key never appears', () => {
  test.each([
    [
      '401',
      {
        status: 401,
        body: { error: { message: 'Incorrect API key provided: sk-admin-****3456.', type: 'invalid_request_error' } },
      },
    ],
    ['403', { status: 403, body: { error: { message: 'Insufficient permissions' } } }],
    ['500 HTML', { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>boom</h1>' }],
    ['404', { status: 404, body: { error: { message: 'No project' } } }],
  ])('in a %s error: message, String, JSON.stringify, util.inspect', async (_name, reply) => {
    server.enqueue(reply);
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expectNoKey(printed(error));
  });

  test('in connection, timeout and outcome-unknown errors (with their causes)', async () => {
    server.enqueue({ destroy: true }, { hang: true });
    const { admin } = testClient(server, { maxRetries: 0, timeout: 50 });
    const reset = await rejectionOf(admin.projects.create({ name: 'x' }));
    expect(reset).toBeInstanceOf(OutcomeUnknownError);
    expectNoKey(printed(reset));
    const timeout = await rejectionOf(admin.projects.retrieve('proj_1'));
    expectNoKey(printed(timeout));
  });

  test('in a request validation error', async () => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('..', { headers: { 'x-bad': 'a\r\nb' } }));
    expectNoKey(printed(error));
  });

  test('in any logged line, through retries and validation warnings', async () => {
    server.enqueue(
      { status: 503, body: { error: { message: 'busy' } } },
      { body: { id: 'proj_1', object: 'organization.project' } },
    );
    const { admin, logger } = testClient(server, { validate: 'warn' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines.some((l) => l.level === 'debug')).toBe(true);
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
    expectNoKey(logger.all());
  });

  test('in JSON.stringify or util.inspect of the client, its resources or a copy', () => {
    const { admin } = testClient(server);
    for (const value of [
      admin,
      admin.projects,
      { admin },
      admin.withOptions({ timeout: 5 }),
      Object.assign({}, admin),
    ]) {
      expectNoKey(printed(value));
    }
    expect(JSON.parse(JSON.stringify(admin))).toEqual({
      baseURL: server.baseURL,
      apiKey: 'sk-admin…(redacted)',
      organization: null,
    });
    expect(inspect(admin)).toContain('(redacted)');
  });

  test('in the error for a key with a line break', () => {
    const error = rejectionOfSync(() => new OpenAIAdmin({ apiKey: `${SECRET_KEY}\n`, baseURL: server.baseURL }));
    expect(error.message).toMatch(/must not contain CR, LF or NUL/);
    expectNoKey(printed(error));
  });

  // Guards against a fixed bug: a server or proxy that echoes the
  // Authorization header back in its error body puts the full key into err.message and err.error.
  test('even when a proxy echoes the key back in an error body', async () => {
    server.enqueue({ status: 400, body: { error: { message: `Bad header: Authorization: Bearer ${SECRET_KEY}` } } });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expectNoKey(printed(error));
  });
});

function rejectionOfSync(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('headers', () => {
  test('sends the key as a Bearer token, and organization/project headers', async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server, {
      organization: 'org_1',
      project: 'proj_x',
      defaultHeaders: { 'x-team': 'ops' },
    });
    await admin.projects.retrieve('proj_1', { headers: { 'x-call': 'yes' } });
    const { headers } = server.requests[0];
    expect(headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(headers['openai-organization']).toBe('org_1');
    expect(headers['openai-project']).toBe('proj_x');
    expect(headers['x-team']).toBe('ops');
    expect(headers['x-call']).toBe('yes');
  });

  test.each([
    ['a per-call header', { call: { 'x-custom': 'a\r\nInjected: 1' } }, 'headers.x-custom'],
    ['a default header', { client: { defaultHeaders: { 'x-default': 'a\nb' } } }, 'headers.x-default'],
    ['the organization', { client: { organization: 'org_1\r\nX-Evil: 1' } }, 'headers.openai-organization'],
  ])('CR/LF in %s is rejected before sending', async (_name, where: any, path) => {
    const { admin } = testClient(server, where.client ?? {});
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { headers: where.call }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([{ path, message: 'must be a string without CR, LF or NUL' }]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('header names and values that no transport can send', () => {
  test.each([
    [
      'a value beyond Latin-1',
      { 'x-team': 'ops ☕' },
      'headers.x-team',
      'must be Latin-1 text without control characters (tab allowed)',
    ],
    [
      'a control character in a value',
      { 'x-team': 'a\u0001b' },
      'headers.x-team',
      'must be Latin-1 text without control characters (tab allowed)',
    ],
    ['a name with a space', { 'x team': 'ops' }, 'headers.x team', 'is not a valid HTTP header name'],
    ['a name with a colon', { 'x-team:': 'ops' }, 'headers.x-team:', 'is not a valid HTTP header name'],
  ])('%s is a RequestValidationError naming the header, nothing sent', async (_name, headers, path, message) => {
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1', { headers }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([{ path, message }]);
    expect(server.requests).toHaveLength(0);
  });

  test('Latin-1 letters and tabs are fine and arrive as sent', async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server);
    await admin.projects.retrieve('proj_1', { headers: { 'x-team': 'Zürich\tops' } });
    expect(server.requests[0].headers['x-team']).toBe('Zürich\tops');
  });
});

describe('path ids', () => {
  test('are percent-encoded on the wire', async () => {
    server.enqueue({ body: project('x') });
    const { admin } = testClient(server);
    await admin.projects.retrieve('a b=%d&ü');
    expect(server.requests[0].path).toBe('/v1/organization/projects/a%20b%3D%25d%26%C3%BC');
    expect(server.requests[0].rawQuery).toBe('');
  });

  test.each([[''], ['.'], ['..'], ['a/b'], ['x\r\ny'], ['a?b'], ['a#b']])(
    '%j is rejected before any request',
    async (id) => {
      const { admin } = testClient(server);
      const error = await rejectionOf(admin.projects.retrieve(id));
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(error.issues[0].path).toBe('path.project_id');
      expect(error.message).toMatch(/Nothing was sent/);
      expect(server.requests).toHaveLength(0);
    },
  );
});

describe('construction', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['OPENAI_ADMIN_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  test('a missing key (OPENAI_ADMIN_KEY unset) fails at construction with a clear message', () => {
    delete process.env.OPENAI_ADMIN_KEY;
    const error = rejectionOfSync(() => new OpenAIAdmin({ baseURL: server.baseURL }));
    expect(error).toBeInstanceOf(OpenAIAdminError);
    expect(error.message).toMatch(/Missing admin key: pass apiKey or set OPENAI_ADMIN_KEY/);
    expect(error.message).toMatch(/apiKey: null/);
  });

  test('an empty OPENAI_ADMIN_KEY counts as missing', () => {
    process.env.OPENAI_ADMIN_KEY = '';
    expect(() => new OpenAIAdmin({ baseURL: server.baseURL })).toThrow(/Missing admin key/);
  });

  test('the key and base URL default to OPENAI_ADMIN_KEY and OPENAI_BASE_URL', async () => {
    process.env.OPENAI_ADMIN_KEY = 'sk-admin-from-env';
    process.env.OPENAI_BASE_URL = server.baseURL;
    server.enqueue({ body: project('proj_1') });
    const admin = new OpenAIAdmin();
    expect(admin.baseURL).toBe(server.baseURL);
    await admin.projects.retrieve('proj_1');
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-admin-from-env');
  });

  test('the base URL defaults to https://api.openai.com/v1', () => {
    delete process.env.OPENAI_BASE_URL;
    expect(new OpenAIAdmin({ apiKey: 'k' }).baseURL).toBe('https://api.openai.com/v1');
  });

  test('apiKey: null works and sends no Authorization header', async () => {
    delete process.env.OPENAI_ADMIN_KEY;
    server.enqueue({ body: project('proj_1') });
    const admin = new OpenAIAdmin({ apiKey: null, baseURL: server.baseURL });
    await admin.projects.retrieve('proj_1');
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(JSON.parse(JSON.stringify(admin)).apiKey).toBe('null');
  });

  test.each([
    [{ apiKey: '' }, /apiKey must be a non-empty string or null/],
    [{ apiKey: '   ' }, /apiKey must be a non-empty string or null/],
    [{ maxRetries: -1 }, /maxRetries must be a whole number/],
    [{ maxRetries: 1.5 }, /maxRetries must be a whole number/],
    [{ timeout: 0 }, /timeout must be a positive number/],
    [{ timeout: Infinity }, /timeout must be a positive number/],
    [{ validate: 'loud' }, /validate must be 'off', 'warn' or 'strict'/],
  ])('invalid option %p fails at construction', (options, message) => {
    expect(() => new OpenAIAdmin({ apiKey: 'k', baseURL: server.baseURL, ...(options as object) })).toThrow(message);
  });

  test('plain http to a remote host is refused, unless allowInsecureHttp', () => {
    expect(() => new OpenAIAdmin({ apiKey: 'k', baseURL: 'http://admin-proxy.example.com/v1' })).toThrow(
      /non-loopback/,
    );
    expect(
      new OpenAIAdmin({ apiKey: 'k', baseURL: 'http://admin-proxy.example.com/v1', allowInsecureHttp: true }).baseURL,
    ).toBe('http://admin-proxy.example.com/v1');
  });

  test('withOptions keeps the key and changes only what is given', async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server, { organization: 'org_1' });
    const copy = admin.withOptions({ timeout: 1234 });
    await copy.projects.retrieve('proj_1');
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(server.requests[0].headers['openai-organization']).toBe('org_1');
  });

  test('withOptions of a client that allowed insecure http keeps allowing it', () => {
    const admin = new OpenAIAdmin({ apiKey: 'k', baseURL: 'http://proxy.internal/v1', allowInsecureHttp: true });
    expect(admin.withOptions({ timeout: 5 }).baseURL).toBe('http://proxy.internal/v1');
  });

  // Guards against a fixed bug: copies always pass allowInsecureHttp: true, so a copy can
  // point the admin key at plain http on a remote host although the original client never allowed it.
  test('withOptions cannot move the key to plain http on a remote host', () => {
    const admin = new OpenAIAdmin({ apiKey: 'k', baseURL: 'https://api.openai.com/v1' });
    expect(() => admin.withOptions({ baseURL: 'http://evil.example.com/v1' })).toThrow(/non-loopback/);
  });

  test('loopback http and https are accepted', () => {
    expect(() => new OpenAIAdmin({ apiKey: 'k', baseURL: server.baseURL })).not.toThrow();
    expect(() => new OpenAIAdmin({ apiKey: 'k', baseURL: 'https://gateway.example.com/v1' })).not.toThrow();
  });

  describe('in a browser', () => {
    let restore: () => void;
    beforeEach(() => {
      const g = globalThis as Record<string, unknown>;
      const processDescriptor = Object.getOwnPropertyDescriptor(g, 'process')!;
      const hadDocument = 'document' in g;
      Object.defineProperty(g, 'process', { value: undefined, configurable: true, writable: true });
      g.document = {};
      restore = () => {
        Object.defineProperty(g, 'process', processDescriptor);
        if (!hadDocument) delete g.document;
      };
    });
    afterEach(() => restore());

    test('an apiKey throws, explaining the risk', () => {
      expect(() => new OpenAIAdmin({ apiKey: 'sk-admin-x', baseURL: 'https://api.openai.com/v1' })).toThrow(
        /readable by anyone/,
      );
    });

    test('dangerouslyAllowBrowser: true allows it', () => {
      expect(
        () =>
          new OpenAIAdmin({
            apiKey: 'sk-admin-x',
            baseURL: 'https://api.openai.com/v1',
            dangerouslyAllowBrowser: true,
          }),
      ).not.toThrow();
    });

    // Guards against a fixed bug: copies always pass dangerouslyAllowBrowser: true.
    test('withOptions cannot add a key in a browser without dangerouslyAllowBrowser', () => {
      const admin = new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example.com/v1' });
      expect(() => admin.withOptions({ apiKey: 'sk-admin-x' })).toThrow(/readable by anyone/);
    });

    test('apiKey: null (a proxy adds the key) works', () => {
      expect(() => new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example.com/v1' })).not.toThrow();
    });
  });
});
