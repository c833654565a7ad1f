/**
 * Issue 17 §1 with the real bin: tables fit the terminal (a pseudo-terminal of 80 and 160 columns, COLUMNS in a
 * pipe, no limit in a pipe), help wraps, a terminal list shows a first screenful and says how to get the rest,
 * remarks go to stderr when stdout is a pipe, an empty --csv keeps its header, an unknown --fields name is a
 * usage error, and -o FILE writes atomically.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from '../support/csv';
import { cleanEnv, runBin, runBinInSizedPty, screenText, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLITEST-fits-4b1d7e09';
const USERS = 60;
const fx = useCliFixture(KEY, { seed: 'cli-fits', users: USERS });

const env = (extra: Record<string, string> = {}) =>
  cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url, ...extra });
const cli = (args: string[], extra: Record<string, string> = {}) => runBin(fx.bundle.bin, args, { env: env(extra) });
const tty = (args: string[], cols: number, rows = 24) =>
  runBinInSizedPty(fx.bundle.bin, args, env(), { cols, rows }).then((r) => ({ ...r, screen: screenText(r.stdout) }));
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

async function projectWithKeys(): Promise<string> {
  const projects = await fx.admin.projects.list().toArray();
  for (const p of projects) if ((await fx.admin.projects.apiKeys.list(p.id).toArray()).length) return p.id;
  throw new Error('the seed has no project with keys');
}

describe('tables fit the terminal', () => {
  test('at 80 columns every line fits: long cells end in an ellipsis, dropped columns are named; at 160 more columns show', async () => {
    const project = await projectWithKeys();
    const args = ['projects', 'api-keys', 'list', project];
    const [narrow, wide, full] = await Promise.all([tty(args, 80), tty(args, 160), cli(args)]);
    expect(narrow.code).toBe(0);
    expect(widest(narrow.screen)).toBeLessThanOrEqual(80);
    expect(narrow.screen.replace(/\n/g, ' ')).toMatch(
      /not shown at 80 columns: [\w., ]+ \(--wide shows every column\)/,
    );
    // Ids are never cut: each key's id is on the screen whole.
    for (const key of await fx.admin.projects.apiKeys.list(project).toArray()) expect(narrow.screen).toContain(key.id);
    expect(wide.code).toBe(0);
    expect(widest(wide.screen)).toBeLessThanOrEqual(160);
    const header = (text: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith('id '))!
        .split(/\s{2,}/);
    expect(header(wide.screen).length).toBeGreaterThan(header(narrow.screen).length);
    // A pipe has no width limit: nothing cut, nothing dropped, nothing said.
    expect(full.stdout).not.toContain('…');
    expect(full.stderr).toBe('');
    expect(widest(full.stdout)).toBeGreaterThan(80);
  });

  test('COLUMNS sets the width in a pipe too; --wide prints every column uncut whatever the width', async () => {
    const [fitted, wide] = await Promise.all([
      cli(['users', 'list', '--limit', '100'], { COLUMNS: '75' }),
      cli(['users', 'list', '--wide'], { COLUMNS: '75' }),
    ]);
    expect(fitted.code).toBe(0);
    expect(widest(fitted.stdout)).toBeLessThanOrEqual(75);
    // id and email are kept whole; the name is cut; role and added_at do not fit.
    expect(fitted.stdout.split('\n')[0]).toMatch(/^id +email +name$/);
    expect(fitted.stdout).toContain('…');
    expect(fitted.stderr).toBe('not shown at 75 columns: role, added_at (--wide shows every column)\n');
    expect(fitted.stdout.trimEnd().split('\n')).toHaveLength(USERS + 2);
    expect(wide.stdout).not.toContain('…');
    expect(wide.stdout.split('\n')[0]).toMatch(/^id +email +name +role +added_at$/);
  });

  test('help wraps to the terminal: no line past 80 columns at 80, and longer lines at 160', async () => {
    const [root, narrow, wide] = await Promise.all([
      tty(['--help'], 80),
      tty(['projects', 'users', 'add', '--help'], 80),
      tty(['projects', 'users', 'add', '--help'], 160),
    ]);
    for (const r of [root, narrow]) {
      expect(r.code).toBe(0);
      // Example command lines are kept whole (they are to copy); everything else wraps.
      const prose = r.screen.split('\n').filter((l) => !l.startsWith('  openai-admin ') && !l.startsWith('Usage: '));
      expect(widest(prose.join('\n'))).toBeLessThanOrEqual(80);
    }
    expect(widest(wide.screen)).toBeGreaterThan(80);
    expect(widest(wide.screen)).toBeLessThanOrEqual(100);
  });
});

describe('a list on a terminal shows a first screenful', () => {
  test('24 rows: 20 users and how to get the rest; --all prints them all; a pipe gets every user unasked', async () => {
    const [first, all, piped] = await Promise.all([
      tty(['users', 'list', '--fields', 'id'], 80, 24),
      tty(['users', 'list', '--fields', 'id', '--all'], 80, 24),
      cli(['users', 'list', '--fields', 'id']),
    ]);
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('user_'));
    expect(first.code).toBe(0);
    expect(rows(first.screen)).toHaveLength(20);
    expect(first.screen.replace(/\n/g, ' ')).toContain(
      '(the first 20 shown: --max N for more, --all for every item; pipes get every item)',
    );
    expect(rows(all.screen)).toHaveLength(USERS);
    expect(all.screen).not.toContain('the first');
    expect(rows(piped.stdout)).toHaveLength(USERS);
    expect(piped.stderr).toBe('');
    const both = await cli(['users', 'list', '--all', '--max', '5']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--max and --all contradict each other');
  });
});

describe('remarks and empty lists', () => {
  test('an empty list: (no items) on stderr in a pipe, on the terminal otherwise; --csv still prints its header', async () => {
    const empty = await fx.admin.projects.create({ name: 'Empty' });
    const args = ['projects', 'service-accounts', 'list', empty.id];
    const [table, csv, csvFields, onTty, quiet] = await Promise.all([
      cli(args),
      cli([...args, '--csv']),
      cli([...args, '--csv', '--fields', 'id,name']),
      tty(args, 80),
      cli([...args, '--quiet']),
    ]);
    expect(table).toMatchObject({ code: 0, stdout: '', stderr: '(no items)\n' });
    expect(csv.stdout).toBe('id,name,role,created_at\r\n');
    expect(csvFields.stdout).toBe('id,name\r\n');
    expect(onTty.screen).toContain('(no items)');
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const noEvents = await cli(['audit-logs', 'list', '--summary', '--csv', '--actor-ids', 'nobody']);
    expect(noEvents).toMatchObject({ code: 0, stdout: 'event,actor,count\r\n', stderr: '0 events\n' });
  });

  test('an unknown --fields name on a list is a usage error with a suggestion, before anything is printed', async () => {
    const r = await cli(['users', 'list', '--fields', 'id,emial', '--csv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--fields: no field 'emial'");
    expect(r.stderr).toContain('did you mean email?');
  });
});

describe('-o FILE', () => {
  test('writes any format to the file and nothing to stdout; the file equals what stdout would have been', async () => {
    const file = join(fx.tmp, 'users.csv');
    const [toFile, piped] = await Promise.all([
      cli(['users', 'list', '--csv', '-o', file]),
      cli(['users', 'list', '--csv']),
    ]);
    expect(toFile).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(csvRecords(piped.stdout)).toHaveLength(USERS);
    const json = join(fx.tmp, 'p.json');
    expect((await cli(['projects', 'list', '--json', '--output', json])).code).toBe(0);
    expect((JSON.parse(readFileSync(json, 'utf8')) as unknown[]).length).toBeGreaterThan(0);
  });

  test('a failing command leaves the file as it was, and no temporary file behind', async () => {
    const dir = join(fx.tmp, 'atomic');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'out.json');
    writeFileSync(file, 'before\n');
    const r = await cli(['projects', 'retrieve', 'proj_does_not_exist', '--json', '-o', file]);
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('before\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
    const missing = await cli(['projects', 'list', '-o', join(dir, 'no', 'such', 'dir.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('-o ');
    expect(existsSync(join(dir, 'no'))).toBe(false);
    // keys rotate delivers a new key even when it stops part-way: -o (all or nothing) would lose it; refused.
    const rotate = await cli(['keys', 'rotate', 'proj_x', 'ci-bot', '--yes', '-o', join(dir, 'key.json')]);
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain('use --key-out');
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(fx.emu.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
