/**
 * Smaller leaks and crashes (issue 21, section 9), through the bundled bin against a real 127.0.0.1 server: base-URL
 * credentials in --debug lines, dry runs and errors; an item nested 100 000 levels deep in every output format;
 * `--fields` names that are Object.prototype members; plain-http base URLs; a refused connection's error.
 */
import { levelSinks, redactUserinfo } from '../../src/core/base/log.js';
import { OpenAIAdmin, APIConnectionError } from '../../src/index.js';
import { freePort, startServer, json } from '../support/local-server';
import { parseCsv } from '../support/csv';
import { useCliAgainst } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-LEAKS-do-not-print-0b5e55ed';
const SECRET = 's3cret-proxy-pass';
const DEPTH = 100_000;

const project = {
  id: 'proj_1',
  object: 'organization.project',
  name: 'One',
  status: 'active',
  created_at: 1_700_000_000,
};
/** `{"id":…,"name":{"a":{"a":…1…}}}`: 100 000 levels, written as text (JSON.stringify would overflow too). */
const deepProject = `{"id":"proj_deep","object":"organization.project","status":"active","name":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}`;

const fixture = useCliAgainst(KEY, () =>
  startServer((_req, res, seen) => {
    const path = seen.url.split('?')[0];
    if (path === '/v1/organization/projects/proj_1') return json(res, 200, project);
    if (path === '/v1/organization/projects/proj_own') return json(res, 200, { ...project, constructor: 'own field' });
    if (path === '/v1/organization/projects/proj_deep' || path === '/v1/organization/projects') {
      const body = path.endsWith('proj_deep')
        ? deepProject
        : `{"object":"list","data":[${JSON.stringify(project)},${deepProject}],"first_id":"proj_1","last_id":"proj_deep","has_more":false}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      return res.end(body);
    }
    return json(res, 404, {
      error: { message: 'No such thing', type: 'invalid_request_error', param: null, code: null },
    });
  }),
);
const { cli } = fixture;

const withCredentials = (url: string) => url.replace('http://', `http://admin:${SECRET}@`);

describe('base-URL credentials are never printed', () => {
  test('--debug lines, the dry run and the error line show the URL without its user:password', async () => {
    const base = withCredentials(`${fixture.server.url}/v1`);
    const [debug, failing, dry] = await Promise.all([
      cli(['projects', 'retrieve', 'proj_1', '--debug', '--base-url', base]),
      cli(['projects', 'retrieve', 'proj_missing', '--debug', '--base-url', base]),
      cli(['projects', 'list', '--dry-run', '--base-url', base]),
    ]);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain(`[debug] base URL http://(redacted)@127.0.0.1:${fixture.server.port}/v1`);
    expect(failing.code).toBe(1);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`GET http://(redacted)@127.0.0.1:${fixture.server.port}/v1/organization/projects`);
    for (const r of [debug, failing, dry]) {
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(KEY);
    }
  });

  test("the library's log lines have URL userinfo redacted, whatever the logger", () => {
    const lines: string[] = [];
    const sinks = levelSinks({ debug: (m) => lines.push(m), warn: (m) => lines.push(m) });
    sinks.debug(`openai-admin: base http://admin:${SECRET}@proxy.internal:8080/v1 and https://u@h/x`);
    sinks.warn(`see http://user:${SECRET}@10.0.0.1/v1?x=a@b`);
    expect(lines).toEqual([
      'openai-admin: base http://(redacted)@proxy.internal:8080/v1 and https://(redacted)@h/x',
      'see http://(redacted)@10.0.0.1/v1?x=a@b',
    ]);
    expect(redactUserinfo('no URL here: a@b, mailto:x@y, https://host/@user')).toBe(
      'no URL here: a@b, mailto:x@y, https://host/@user',
    );
  });
});

describe('an item nested 100 000 levels deep prints, cut at 100 levels with a warning, in every format', () => {
  const marker = '[nested deeper than 100 levels: not shown]';
  test.each([
    ['the object view', []],
    ['--json', ['--json']],
    ['--ndjson', ['--ndjson']],
    ['--csv', ['--csv']],
  ])('retrieve, %s', async (_what, flags) => {
    const r = await cli(['projects', 'retrieve', 'proj_deep', ...flags]);
    expect(r.stderr).not.toContain('RangeError');
    expect(r.stderr).toBe(
      'warning: values nested deeper than 100 levels are not printed (shown as a marker in their place)\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(marker);
    if (flags[0] === '--json' || flags[0] === '--ndjson') {
      let value = (JSON.parse(r.stdout) as { name: unknown }).name;
      // 100 levels of objects are kept, the item itself the first: name is the 2nd, its 98th `a` the 100th.
      for (let level = 2; level < 100; level++) value = (value as { a: unknown }).a;
      expect(value).toEqual({ a: marker });
    }
    if (flags[0] === '--csv') expect(parseCsv(r.stdout)).toHaveLength(2);
  });

  test.each([
    ['a table', []],
    ['--json', ['--json']],
    ['--ndjson', ['--ndjson']],
    ['--csv', ['--csv']],
  ])('list, %s: the shallow item is whole', async (_what, flags) => {
    const r = await cli(['projects', 'list', ...flags]);
    expect(r.stderr).not.toContain('RangeError');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nested deeper than 100 levels');
    expect(r.stdout).toContain('proj_1');
    expect(r.stdout).toContain('proj_deep');
  });
});

describe('--fields reads own fields only', () => {
  test('a prototype member (constructor, __proto__, toString) is an absent field: on one object printed empty and warned about, on a list a usage error', async () => {
    const [asJson, table, csv] = await Promise.all([
      cli(['projects', 'retrieve', 'proj_1', '--json', '--fields', 'id,constructor,__proto__,toString']),
      cli(['projects', 'list', '--fields', 'id,constructor', '--max', '1']),
      cli(['projects', 'retrieve', 'proj_1', '--csv', '--fields', 'id,constructor']),
    ]);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual({ id: 'proj_1', constructor: null, ['__proto__']: null, toString: null });
    expect(asJson.stdout).toContain('"__proto__": null');
    expect(asJson.stderr).toBe(
      "warning: --fields: no item has 'constructor', '__proto__', 'toString' (printed as empty)\n",
    );
    // A list checks --fields against its first page before printing: a name no item has is a usage error.
    expect(table.code).toBe(2);
    expect(table.stdout).toBe('');
    expect(table.stderr).toContain("--fields: no field 'constructor'");
    expect(parseCsv(csv.stdout)).toEqual([
      ['id', 'constructor'],
      ['proj_1', ''],
    ]);
  });

  test('a field the server really sends under such a name is printed, without a warning', async () => {
    const r = await cli(['projects', 'retrieve', 'proj_own', '--json', '--fields', 'id,constructor']);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'proj_1', constructor: 'own field' });
    expect(r.stderr).toBe('');
  });
});

describe('plain-http base URLs', () => {
  test('to another machine: a usage error naming --allow-insecure-http, nothing sent; with the flag it is accepted', async () => {
    const [flag, env, allowed] = await Promise.all([
      cli(['projects', 'list', '--base-url', withCredentials('http://10.255.255.1/v1')]),
      cli(['projects', 'list'], { OPENAI_BASE_URL: 'http://proxy.internal/v1' }),
      cli(['projects', 'list', '--dry-run', '--allow-insecure-http', '--base-url', 'http://10.255.255.1/v1']),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      'error: --base-url http://10.255.255.1 is plain http to another machine, which would send the admin key in clear text ' +
        '(use https, or pass --allow-insecure-http if a trusted proxy on your network terminates TLS)\n',
    );
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(
      /^error: \$OPENAI_BASE_URL http:\/\/proxy\.internal is plain http .*--allow-insecure-http/,
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('GET http://10.255.255.1/v1/organization/projects');
    for (const r of [flag, env, allowed]) expect(r.stderr).not.toContain(SECRET);
  });

  test('to this machine (127.0.0.0/8): works without a flag', async () => {
    const r = await cli([
      'projects',
      'retrieve',
      'proj_1',
      '--json',
      '--base-url',
      `http://127.0.0.1:${fixture.server.port}/v1`,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(project);
  });
});

describe('a refused connection names the URL: method, origin and path; no credentials, query or key', () => {
  test('from the CLI', async () => {
    const port = await freePort();
    const r = await cli(['projects', 'list', '--base-url', withCredentials(`http://127.0.0.1:${port}/v1`)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^APIConnectionError: Connection error \\(.*ECONNREFUSED.*\\) calling GET http://127\\.0\\.0\\.1:${port}/v1/organization/projects\\.\\n$`,
      ),
    );
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toContain('limit=');
  });

  test('from the library', async () => {
    const port = await freePort();
    const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const error = await admin.projects.retrieve('proj_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain(`calling GET http://127.0.0.1:${port}/v1/organization/projects/proj_1.`);
    expect((error as Error).message).not.toContain(KEY);
  });
});
