/**
 * `--dry-run` prints the request built by the library's own buildRequest (src/core/pipeline/request.ts), the
 * function that builds the real one (issue 20): for several operations, the dry run's method, URL with its query,
 * headers (with --debug; never the key) and body are those of the request the same command then sends, as a real
 * 127.0.0.1 server receives it.
 */
import { json, startServer } from '../support/local-server';
import { useCliAgainst } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-DRYRUN-never-printed-7a1c';
const project = { id: 'proj_1', object: 'organization.project', name: 'P', status: 'active', created_at: 1 };
const user = { id: 'user_x', object: 'organization.project.user', email: 'x@example.com', role: 'member', added_at: 1 };

const fixture = useCliAgainst(KEY, () =>
  startServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'DELETE')
      return json(res, 200, { object: 'organization.project.user.deleted', id: 'user_x', deleted: true });
    if (path.endsWith('/users'))
      return json(
        res,
        200,
        req.method === 'POST'
          ? user
          : { object: 'list', data: [user], first_id: 'user_x', last_id: 'user_x', has_more: false },
      );
    if (req.method === 'POST') return json(res, 200, project);
    return json(res, 200, {
      object: 'list',
      data: [project],
      first_id: 'proj_1',
      last_id: 'proj_1',
      has_more: false,
    });
  }),
);
const { cli } = fixture;

const COMMANDS: [string, string[]][] = [
  ['a list with a query', ['projects', 'list', '--limit', '7', '--include-archived']],
  ['a create with a body', ['projects', 'create', '--name', 'Dry run']],
  [
    'a create with path ids and a body',
    ['projects', 'users', 'create', 'proj_1', '--role', 'member', '--user-id', 'user_x'],
  ],
  ['a delete with two path ids', ['projects', 'users', 'delete', 'proj_1', 'user_x', '--yes']],
];

describe.each(COMMANDS)('%s: the dry run shows the request the command sends', (_name, args) => {
  test('same method, URL with query, headers (key left out) and body', async () => {
    const before = fixture.server.requests.length;
    const dry = await cli([...args, '--dry-run', '--json', '--debug']);
    expect(dry.code).toBe(0);
    expect(fixture.server.requests.length).toBe(before);
    const planned = JSON.parse(dry.stdout) as { method: string; url: string; body?: unknown };
    const headers = Object.fromEntries(
      dry.stderr
        .split('\n')
        .map((line) => /^\[debug\] dry run header ([^:]+): (.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect(dry.stdout + dry.stderr).not.toContain(KEY);
    expect(headers).toHaveProperty('accept', 'application/json');
    expect(headers).not.toHaveProperty('authorization');

    const real = await cli([...args, '--json']);
    expect(real.code).toBe(0);
    expect(fixture.server.requests.length).toBe(before + 1);
    const sent = fixture.server.requests[before];
    expect(planned.method).toBe(sent.method);
    expect(planned.url).toBe(`${fixture.server.url}${sent.url}`);
    expect(planned.body).toEqual(sent.body === '' ? undefined : JSON.parse(sent.body));
    for (const [name, value] of Object.entries(headers)) expect([name, sent.headers[name]]).toEqual([name, value]);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
