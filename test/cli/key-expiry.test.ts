/**
 * Key expiry on the command line (the API change of September 2026): `--expires-in <duration>` on the operations
 * that take `expires_in_seconds` and on `keys rotate`, `keys stale --expiring <duration>`, and the strict
 * duration parser behind them. The bin runs against an emulator whose clock the test sets.
 */
import { UsageError } from '../../src/cli/errors.js';
import { buildRequest, derivedFlags } from '../../src/cli/flags.js';
import { operationCommands } from '../../src/cli/operations.js';
import { MAX_DURATION_SECONDS, parseDuration } from '../../src/cli/duration.js';
import { cleanEnv, runBin, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-expiry-9a8b7c6d';
const DAY = 86_400;
// The emulator's clock is pinned here; keys stale reads the real clock, so expiries sit mid-day (± 12 h of slack).
const NOW = Math.floor(Date.now() / 1000);
const HALF = DAY / 2;
const fx = useCliFixture(KEY, { seed: 'cli-expiry' }, (emu) => void (emu.state.now = () => NOW));
const cli = (args: string[]) =>
  runBin(fx.bundle.bin, args, {
    env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url, XDG_STATE_HOME: fx.tmp }),
  });
const writes = () => fx.emu.requests.filter((q) => q.method !== 'GET').length;
const firstProject = () => [...fx.emu.state.projects.values()][0];

describe('durations', () => {
  test.each([
    ['90d', 90 * DAY],
    ['12h', 12 * 3600],
    ['30m', 1800],
    ['3600s', 3600],
    ['2w', 14 * DAY],
    ['1d12h', 36 * 3600],
    ['1w2d3h4m5s', 9 * DAY + 3 * 3600 + 4 * 60 + 5],
  ])('%s is %d seconds', (text, seconds) => expect(parseDuration(text, '--expires-in')).toBe(seconds));

  test.each([
    ['90', 'a unit is required'],
    ['', 'whole numbers with units'],
    ['1.5d', 'whole numbers with units'],
    ['-1d', 'whole numbers with units'],
    ['+1d', 'whole numbers with units'],
    [' 1d', 'whole numbers with units'],
    ['1d ', 'whole numbers with units'],
    ['1D', 'whole numbers with units'],
    ['1y', "unknown unit 'y'"],
    ['12h1d', 'each unit once, largest first'],
    ['1d1d', 'each unit once, largest first'],
    ['0d', 'at least 1s'],
    ['0s0m', 'each unit once'],
    [`${MAX_DURATION_SECONDS + 1}s`, 'at most 100 years'],
    ['9'.repeat(400) + 'd', 'at most 100 years'],
  ])('%#: %p is refused with an error naming the flag (%s)', (text, why) => {
    const attempt = () => parseDuration(text, '--expiring');
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/^--expiring expects a duration such as 90d/);
    expect(attempt).toThrow(why);
  });

  test('every body field in seconds gets a --<x>-in duration flag beside it; giving both is a usage error', () => {
    const create = operationCommands().find((c) => c.friendly === 'projects.serviceAccounts.create')!;
    expect(derivedFlags(create).map((f) => f.flag)).toEqual(
      expect.arrayContaining(['expires-in-seconds', 'expires-in']),
    );
    for (const friendly of ['projects.serviceAccounts.apiKeys.create', 'adminApiKeys.create'])
      expect(derivedFlags(operationCommands().find((c) => c.friendly === friendly)!).map((f) => f.flag)).toContain(
        'expires-in',
      );
    expect(buildRequest(create, { name: 'x', 'expires-in': '90d' }, ['proj_a']).body).toEqual({
      name: 'x',
      expires_in_seconds: 90 * DAY,
    });
    expect(() =>
      buildRequest(create, { name: 'x', 'expires-in': '1d', 'expires-in-seconds': '60' }, ['proj_a']),
    ).toThrow('--expires-in-seconds and --expires-in both set expires_in_seconds: give one');
  });
});

describe('--expires-in', () => {
  test('projects service-accounts create --expires-in 90d creates a key expiring in 90 days', async () => {
    const p = firstProject();
    const r = await cli([
      'projects',
      'service-accounts',
      'create',
      p.id,
      '--name',
      'ci',
      '--expires-in',
      '90d',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const account = JSON.parse(r.stdout) as { api_key: { id: string; expires_at: number } };
    expect(account.api_key.expires_at).toBe(NOW + 90 * DAY);
    expect(fx.emu.state.projectKeys.get(account.api_key.id)!.expires_at).toBe(NOW + 90 * DAY);
  });

  test('a bad duration, or --expires-in with --create-service-account-only, is a usage error and sends nothing', async () => {
    const p = firstProject();
    const before = writes();
    const bad = await cli(['projects', 'service-accounts', 'create', p.id, '--name', 'ci', '--expires-in', '90']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--expires-in expects a duration such as 90d, 12h, 30m, 2w or 1d12h (a unit is required',
    );
    const both = await cli([
      'projects',
      'service-accounts',
      'create',
      p.id,
      '--name',
      'ci',
      '--create-service-account-only',
      '--expires-in',
      '1d',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/create_service_account_only.*expires_in_seconds/);
    const rotate = await cli(['keys', 'rotate', p.id, 'whatever', '--yes', '--expires-in', '1.5d']);
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain('--expires-in expects a duration');
    expect(writes()).toBe(before);
  });

  test('keys rotate --expires-in 30d gives the new key that lifetime and says when it expires', async () => {
    const p = firstProject();
    const account = [...fx.emu.state.serviceAccounts.values()].find((s) => s.projectId === p.id)!;
    const r = await cli(['keys', 'rotate', p.id, account.name, '--yes', '--expires-in', '30d', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key_id: string; expires_at: number };
    expect(out.expires_at).toBe(NOW + 30 * DAY);
    expect(fx.emu.state.projectKeys.get(out.key_id)!.expires_at).toBe(NOW + 30 * DAY);
    expect(r.stderr).toContain(`expires ${new Date((NOW + 30 * DAY) * 1000).toISOString()}`);
  });
});

describe('keys stale', () => {
  test('--expiring 14d lists the project and admin keys expiring within 14 days, soonest first, used or not', async () => {
    const keys = [...fx.emu.state.projectKeys.values()];
    keys[0].expires_at = NOW + 13 * DAY + HALF; // in the window
    keys[0].last_used_at = NOW - 60; // in use: still listed
    keys[1].expires_at = NOW + 2 * DAY + HALF; // in the window, sooner
    keys[2].expires_at = NOW + 14 * DAY + HALF; // just outside
    const adminKey = [...fx.emu.state.adminKeys.values()][0];
    adminKey.expires_at = NOW + 7 * DAY + HALF;
    const r = await cli(['keys', 'stale', '--expiring', '14d', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((k) => [k.key_id, k.verdict, k.expires_at, k.expires_in_days])).toEqual([
      [keys[1].id, 'expiring', NOW + 2 * DAY + HALF, 2],
      [adminKey.id, 'expiring', NOW + 7 * DAY + HALF, 7],
      [keys[0].id, 'expiring', NOW + 13 * DAY + HALF, 13],
    ]);
    const table = await cli(['keys', 'stale', '--expiring', '14d']);
    // The title is not data: in a pipe it goes to stderr, the rows alone to stdout.
    expect(table.stderr).toBe('Keys expiring within 14d: 3\n');
    expect(table.stdout).toMatch(/^kind +project +key_id/);
    expect(table.stdout).toContain(new Date((NOW + 2 * DAY + HALF) * 1000).toISOString().slice(0, 10));
  });

  test('the unused-keys listing shows each key’s expiry; --days with --expiring, or a bad window, is a usage error', async () => {
    const key = [...fx.emu.state.projectKeys.values()][0];
    key.expires_at = NOW + 40 * DAY + HALF;
    key.last_used_at = null; // never used: listed
    const rows = JSON.parse((await cli(['keys', 'stale', '--days', '30', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(rows.find((k) => k.key_id === key.id)).toMatchObject({
      verdict: 'never used',
      expires_at: NOW + 40 * DAY + HALF,
      expires_in_days: 40,
    });
    expect(rows.filter((k) => k.key_id !== key.id).every((k) => k.expires_at === null)).toBe(true);
    const both = await cli(['keys', 'stale', '--days', '30', '--expiring', '14d']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--days and --expiring choose different keys');
    const bad = await cli(['keys', 'stale', '--expiring', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expiring expects a duration');
  });
});
