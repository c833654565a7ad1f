/**
 * The `openai-admin` bin as a person uses it: real child processes against an emulator started here (its
 * request log proves what was and was not sent), every output format parsed back, exit codes, confirmation,
 * progress on a pseudo-terminal only, and the key never printed.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../support/local-server';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { csvRecords } from '../support/csv';
import { cleanEnv, runBin, runBinInPty, useCliFixture } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLITEST-do-not-print-7f3a9c21';
const USERS = 250;
const fx = useCliFixture(KEY, { seed: 'cli-bin', users: USERS });

/** The bin against this test's emulator, with the key in the environment. */
const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  runBin(fx.bundle.bin, args, {
    env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url, ...options.env }),
    input: options.input,
  });
const sent = () => fx.emu.requests.length;

describe('help', () => {
  test('at the top, a group and a command: from the spec summaries, with flags, enums, examples and exit codes', async () => {
    const [root, group, create, usage] = await Promise.all([
      cli(['--help']),
      cli(['projects', '--help']),
      cli(['projects', 'users', 'create', '--help']),
      cli(['usage', 'completions', '--help']),
    ]);
    for (const r of [root, group, create, usage]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Exit codes: 0 success, 1 API or runtime error, 2 usage error.');
    }
    expect(root.stdout).toMatch(/^ {2}projects {2,}/m);
    expect(root.stdout).toMatch(/^ {2}report {2,}Reports built from several endpoints/m);
    expect(root.stdout).toContain('npx openai-admin --emulator projects list');
    expect(group.stdout).toMatch(/^ {2}service-accounts {2,}/m);
    expect(group.stdout).toMatch(/^ {2}list {2,}Returns a list of projects\./m);

    // Help wraps (80 columns in a pipe): the summary is the first paragraph.
    expect(create.stdout.split('\n\n')[0].replace(/\n/g, ' ')).toBe(
      "Adds a user to the project. Users must already be members of the organization to be added to a project. (deprecated name of 'projects users add')",
    );
    expect(create.stdout).toContain('Usage: openai-admin projects users create <project-id> [flags]');
    // The closed roles come from the spec (x-curation): listed as plain text, no Markdown backticks.
    expect(create.stdout).toMatch(/--role <owner\|member> +\(required\) One of: owner, member\./);
    expect(create.stdout).not.toContain('`');
    expect(create.stdout).toContain('Give one of --user-id, --email (at least one).');
    expect(create.stdout).toMatch(/--user-id <value>/);
    // The example of a deprecated name teaches the current one, and names the user as the API requires.
    expect(create.stdout).toContain('openai-admin projects users add proj_abc --user-id user_abc --role owner');

    const flat = usage.stdout.replace(/\s+/g, ' '); // help wraps at 100 columns
    expect(flat).toMatch(/--bucket-width <1m\|1h\|1d> [^-]*One of: 1m, 1h, 1d\./);
    expect(flat).toMatch(/--start-time <time> \(required\) Start time [^-]*ISO-8601 date or Unix seconds\./);
    expect(flat).toMatch(
      /--group-by <project_id\|user_id\|api_key_id\|model\|batch\|service_tier> Group the usage data .* Repeat the flag for several values\./,
    );
    expect(flat).toContain('--batch If true, return batch jobs only.'); // plain text, not Markdown
    expect(flat).toContain('--no-batch Send batch=false.');
    expect(usage.stdout).not.toContain('--page'); // the cursor is the CLI's business
    expect(sent()).toBe(0);
  });
});

describe('usage errors exit 2 and send nothing', () => {
  test('unknown command or flag, with a suggestion; missing id, missing required flag, bad value, two formats, no key', async () => {
    const runs = await Promise.all([
      cli(['projects', 'lsit']),
      cli(['projects', 'list', '--jsno']),
      cli(['projets', 'list']),
      cli(['projects', 'retrieve']),
      cli(['projects', 'users', 'create', 'proj_x', '--user-id', 'u']),
      cli(['usage', 'completions', '--start-time', 'yesterday']),
      cli(['usage', 'completions', '--start-time', '2026-11-01', '--bucket-width', '2d']),
      cli(['projects', 'list', '--json', '--csv']),
      cli(['projects', 'list', '--max', '0']),
      runBin(fx.bundle.bin, ['projects', 'list'], { env: cleanEnv({ OPENAI_BASE_URL: fx.emu.url }) }),
    ]);
    const errors = runs.map((r) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      return r.stderr.trim();
    });
    expect(errors).toEqual([
      "error: unknown command 'lsit' for 'projects' (did you mean list?)",
      'error: unknown flag --jsno (did you mean --json?)',
      "error: unknown command 'projets' for openai-admin (did you mean projects?)",
      'error: missing <project-id> (usage: openai-admin projects retrieve <project-id>)',
      'error: missing required --role (one of owner, member)',
      "error: --start-time expects an ISO-8601 date (2026-11-01, 2026-11-01T12:00:00Z) or Unix seconds, got 'yesterday'",
      "error: --bucket-width must be one of 1m, 1h, 1d; got '2d'",
      'error: choose one output format, not --json and --csv',
      "error: --max expects a whole number ≥ 1, got '0'",
      'error: no admin key (set OPENAI_ADMIN_KEY, pass --api-key-file <path>, or try the command with --emulator)',
    ]);
    expect(sent()).toBe(0);
  });
});

describe('output formats, parsed back', () => {
  test('--json is one document (an array for a list, the object for a retrieve) equal to what the library returns', async () => {
    const expected = await fx.admin.projects.list().toArray();
    const before = sent();
    const [list, one] = await Promise.all([
      cli(['projects', 'list', '--json']),
      cli(['projects', 'retrieve', expected[1].id, '--json']),
    ]);
    expect([list.code, one.code]).toEqual([0, 0]);
    expect(JSON.parse(list.stdout)).toEqual(expected);
    expect(JSON.parse(one.stdout)).toEqual(expected[1]);
    expect(list.stderr + one.stderr).toBe('');
    expect(sent() - before).toBe(2);
  });

  test('--ndjson is one object per line for every item across pages; --max stops early and asks for no more than needed', async () => {
    const all = await fx.admin.users.list({ limit: 100 }).toArray();
    expect(all).toHaveLength(USERS);
    const r = await cli(['users', 'list', '--ndjson', '--limit', '100']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(all);
    expect(fx.emu.requests.filter((q) => q.url.startsWith('/v1/organization/users')).length).toBe(3 + 3); // three pages each (library + CLI)

    const before = sent();
    const few = await cli(['users', 'list', '--ndjson', '--max', '7', '--fields', 'id,email']);
    expect(
      few.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(all.slice(0, 7).map((u) => ({ id: u.id, email: u.email })));
    expect(fx.emu.requests.slice(before)).toEqual([{ method: 'GET', url: '/v1/organization/users?limit=7' }]);
  });

  test('--ndjson streams: page one is on stdout while page two is still held by the server', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let pageTwoAsked!: () => void;
    const asked = new Promise<void>((resolve) => (pageTwoAsked = resolve));
    // A proxy in front of the emulator that holds every follow-up page until the test lets it go.
    const proxy = await startServer(async (req, res, seen) => {
      if (seen.url.includes('after=')) (pageTwoAsked(), await held);
      const upstream = await fetch(`${fx.emu.url.replace(/\/v1$/, '')}${seen.url}`, {
        headers: { authorization: String(req.headers.authorization) },
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    const child = track(
      spawn(process.execPath, [fx.bundle.bin, 'users', 'list', '--ndjson', '--limit', '100'], {
        cwd: ROOT,
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${proxy.url}/v1` }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    try {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const firstPage = new Promise<void>((resolve) =>
        child.stdout!.on('data', (c) => ((out += c), out.split('\n').length > 100 && resolve())),
      );
      await Promise.all([firstPage, asked]);
      // Page two is held: these 100 lines were written before it was answered.
      expect(out.trimEnd().split('\n')).toHaveLength(100);
      release();
      expect(await exited).toBe(0);
      expect(out.trimEnd().split('\n')).toHaveLength(USERS);
    } finally {
      release();
      await stopProcess(child);
      await proxy.close();
    }
  });

  test('--csv is RFC 4180 with a header row: awkward names survive a real parser; --fields picks columns, nested ones by dotted path', async () => {
    const nasty = 'Research, "R&D"\nteam ';
    const [first] = await fx.admin.projects.list().toArray();
    await fx.admin.projects.update(first.id, { name: nasty });
    const [projects, keys] = await Promise.all([
      cli(['projects', 'list', '--csv']),
      cli(['projects', 'api-keys', 'list', first.id, '--csv', '--fields', 'id,owner.type,owner.user.email']),
    ]);
    expect(projects.stdout).toMatch(/\r\n$/);
    const rows = csvRecords(projects.stdout);
    const expected = await fx.admin.projects.list().toArray();
    expect(rows.map((r) => [r.id, r.name, Number(r.created_at)])).toEqual(
      expected.map((p) => [p.id, p.name, p.created_at]),
    );
    expect(rows[0].name).toBe(nasty);

    expect(keys.stdout.split('\r\n')[0]).toBe('id,owner.type,owner.user.email');
    const apiKeys = await fx.admin.projects.apiKeys.list(first.id).toArray();
    expect(csvRecords(keys.stdout)).toEqual(
      apiKeys.map((k) => ({ id: k.id, 'owner.type': k.owner.type, 'owner.user.email': k.owner.user?.email ?? '' })),
    );
  });

  test('a table on stdout: per-resource columns, times as dates, numbers right-aligned with separators', async () => {
    const start = '2026-11-01';
    const [projects, usage, usageJson] = await Promise.all([
      cli(['projects', 'list']),
      cli(['usage', 'completions', '--start-time', start, '--end-time', '2026-11-04', '--group-by', 'project_id']),
      cli([
        'usage',
        'completions',
        '--start-time',
        start,
        '--end-time',
        '2026-11-04',
        '--group-by',
        'project_id',
        '--json',
      ]),
    ]);
    const [header, rule, ...lines] = projects.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['id', 'name', 'status', 'created_at']);
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^proj_\w+ +.+ +active +\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/);

    // Usage rows: the same rows as --json, each metric right-aligned under its header with thousands separators.
    const rows = JSON.parse(usageJson.stdout) as Array<{
      start_time: number;
      input_tokens: number;
      project_id: string;
    }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.start_time >= Date.UTC(2026, 10, 1) / 1000)).toBe(true);
    const [uHeader, , ...uLines] = usage.stdout.trimEnd().split('\n');
    expect(uLines).toHaveLength(rows.length);
    const end = uHeader.indexOf('input_tokens') + 'input_tokens'.length;
    uLines.forEach((line, i) => {
      const shown = rows[i].input_tokens.toLocaleString('en-US');
      expect(line.slice(end - shown.length, end)).toBe(shown);
      expect(line.startsWith(new Date(rows[i].start_time * 1000).toISOString().slice(0, 10))).toBe(true);
    });
    expect(rows.some((r) => r.input_tokens >= 1000)).toBe(true);
  });
});

describe('errors', () => {
  test('an API error is one line (class, message, request id) with exit 1; --debug adds the stack and logs requests, never the key', async () => {
    const [plain, debug, listDebug] = await Promise.all([
      cli(['projects', 'retrieve', 'proj_missing']),
      cli(['projects', 'retrieve', 'proj_missing', '--debug']),
      cli(['--debug', 'projects', 'list', '--json']),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toMatch(/^NotFoundError: .*proj_missing.* \[request id req_[0-9a-f]+\]\n$/);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(
      /\[debug\] openai-admin: GET \/organization\/projects\/proj_missing → 404 in \d+ ms \(retrieve-project, attempt 1, request req_[0-9a-f]+\)/,
    );
    expect(debug.stderr).toMatch(/\n\s+at /); // the stack, only under --debug
    expect(listDebug.code).toBe(0);
    expect(listDebug.stderr).toMatch(
      /\[debug\] openai-admin: GET \/organization\/projects → 200 in \d+ ms \(list-projects, attempt 1, request req_[0-9a-f]+\)/,
    );
    for (const r of [plain, debug, listDebug]) {
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.stdout + r.stderr).not.toContain(KEY.slice(9));
    }
  });

  test('--api-key-file is read (its key is the one sent: a project key gets the 401) and a missing file is a usage error', async () => {
    const good = join(fx.tmp, 'admin.key');
    const projectKey = join(fx.tmp, 'project.key');
    // Mode 0600, as a key file should be (others' read access draws a warning: test/cli/user-files.test.ts).
    writeFileSync(good, `${KEY}\n`, { mode: 0o600 });
    writeFileSync(projectKey, 'sk-proj-not-an-admin-key\n', { mode: 0o600 });
    const env = cleanEnv({ OPENAI_BASE_URL: fx.emu.url });
    const [ok, rejected, missing] = await Promise.all([
      runBin(fx.bundle.bin, ['projects', 'list', '--json', '--api-key-file', good], { env }),
      runBin(fx.bundle.bin, ['projects', 'list', '--api-key-file', projectKey], { env }),
      runBin(fx.bundle.bin, ['projects', 'list', '--api-key-file', join(fx.tmp, 'nope')], { env }),
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveLength(3);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^AuthenticationError: /);
    expect(rejected.stderr).not.toContain('sk-proj-not-an-admin-key');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read it (ENOENT)');
  });
});

describe('--dry-run and destructive commands', () => {
  test('--dry-run prints method, URL and body and sends nothing, for a create and a delete; bad input still fails first', async () => {
    const project = (await fx.admin.projects.list().toArray())[0];
    const user = (await fx.admin.projects.users.list(project.id).toArray())[0];
    const before = sent();
    const [create, remove, table, invalid] = await Promise.all([
      cli(['projects', 'create', '--name', 'Dry', '--dry-run', '--json']),
      cli(['projects', 'users', 'delete', project.id, user.id, '--dry-run', '--json']),
      cli(['projects', 'users', 'create', project.id, '--role', 'member', '--user-id', 'user_x', '--dry-run']),
      cli([
        'projects',
        'rate-limits',
        'update',
        project.id,
        'rl_x',
        '--max-requests-per-1-minute',
        'lots',
        '--dry-run',
      ]),
    ]);
    expect(JSON.parse(create.stdout)).toEqual({
      method: 'POST',
      url: `${fx.emu.url}/organization/projects`,
      body: { name: 'Dry' },
    });
    expect(JSON.parse(remove.stdout)).toEqual({
      method: 'DELETE',
      url: `${fx.emu.url}/organization/projects/${project.id}/users/${user.id}`,
    });
    expect(table.stdout).toBe(
      `POST ${fx.emu.url}/organization/projects/${project.id}/users\n${JSON.stringify({ user_id: 'user_x', role: 'member' }, null, 2)}\n(dry run: nothing sent)\n`,
    );
    expect([create.code, remove.code, table.code]).toEqual([0, 0, 0]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("--max-requests-per-1-minute expects a whole number, got 'lots'");
    expect(sent()).toBe(before);
    expect((await fx.admin.projects.users.list(project.id).toArray()).map((u) => u.id)).toContain(user.id);
  });

  test('a destructive verb without --yes refuses when stdin is not a terminal (exit 2, nothing sent); with --yes it runs', async () => {
    const project = (await fx.admin.projects.list().toArray())[0];
    const before = sent();
    const refused = await cli(['projects', 'archive', project.id], { input: 'y\n' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `error: refusing to archive projects ${project.id} without --yes (stdin is not a terminal)\n`,
    );
    expect(sent()).toBe(before);
    expect((await fx.admin.projects.retrieve(project.id)).status).toBe('active');

    const done = await cli(['projects', 'archive', project.id, '--yes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ id: project.id, status: 'archived' });
    expect((await fx.admin.projects.retrieve(project.id)).status).toBe('archived');
  });
});

describe('terminals', () => {
  test('on a terminal a destructive verb asks: "n" leaves the project alone, "y" archives it', async () => {
    const project = (await fx.admin.projects.list().toArray())[0];
    const env = cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url });
    const no = await runBinInPty(fx.bundle.bin, ['projects', 'archive', project.id], env, 'n\n');
    expect(no.code).toBe(0);
    expect(no.stdout).toContain(`archive projects ${project.id}? [y/N]`);
    expect(no.stdout).toContain('not confirmed; nothing was done');
    expect((await fx.admin.projects.retrieve(project.id)).status).toBe('active');
    expect(fx.emu.requests.filter((q) => q.method === 'POST')).toEqual([]);

    const yes = await runBinInPty(fx.bundle.bin, ['projects', 'archive', project.id, '--json'], env, 'y\n');
    expect(yes.code).toBe(0);
    expect((await fx.admin.projects.retrieve(project.id)).status).toBe('archived');
  });

  test('progress goes to stderr only on a terminal: under a pseudo-terminal it shows, in a pipe stderr stays empty', async () => {
    const env = cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url });
    const [tty, piped] = await Promise.all([
      runBinInPty(fx.bundle.bin, ['users', 'list', '--limit', '100', '--fields', 'id', '--all'], env),
      cli(['users', 'list', '--limit', '100', '--fields', 'id']),
    ]);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('\r\x1b[2K100 item(s), 1 page(s)…');
    expect(tty.stdout).toContain(`${USERS} item(s), 3 page(s)…`);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout.trimEnd().split('\n')).toHaveLength(USERS + 2); // header, rule, one line per user
  });
});

describe('--emulator', () => {
  test('runs a command against a fresh seeded emulator with no key, printing nothing extra on stdout', async () => {
    const r = await runBin(fx.bundle.bin, ['--emulator', 'projects', 'list', '--json'], { env: cleanEnv() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as Array<{ name: string }>).map((p) => p.name)).toEqual([
      'Default project',
      'Production',
      'Research',
    ]);
  });
});
