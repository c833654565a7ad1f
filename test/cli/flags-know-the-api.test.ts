/**
 * Flags that know the API (issue 17 §3), with the real bin against an emulator whose request log proves that
 * nothing was sent: closed values curated into the spec are checked locally (exit 2, the flag and its values
 * named), and the spec's rules across fields (x-required-one-of, x-mutually-exclusive) show in help and refuse
 * locally.
 */
import { cliMetadata } from '../../generated/cli.gen.js';
import { checkFlagRules } from '../../src/cli/flags.js';
import { UsageError } from '../../src/cli/errors.js';
import { operationCommands } from '../../src/cli/operations.js';
import { cleanEnv, runBin, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-FLAGS-do-not-print-41c7';
const fx = useCliFixture(KEY, { seed: 'flags' });
const cli = (args: string[]) =>
  runBin(fx.bundle.bin, args, { env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url }) });

async function firstIds() {
  const project = (await fx.admin.projects.list().toArray())[0];
  const user = (await fx.admin.users.list().toArray()).find((u) => u.role !== 'owner')!;
  return { project: project.id, user: user.id, email: user.email! };
}

describe('closed values from the spec', () => {
  test('projects users add --role admin: exit 2 naming --role and its values, nothing sent', async () => {
    const { project, user } = await firstIds();
    const before = fx.emu.requests.length;
    const r = await cli(['projects', 'users', 'add', project, '--user-id', user, '--role', 'admin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--role must be one of owner, member; got 'admin'");
    expect(fx.emu.requests.length).toBe(before);
  });

  test('users update --role member: the organization roles are owner and reader', async () => {
    const { user } = await firstIds();
    const before = fx.emu.requests.length;
    const r = await cli(['users', 'update', user, '--role', 'member']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--role must be one of owner, reader; got 'member'");
    expect(fx.emu.requests.length).toBe(before);
  });

  test('a role given through --body is refused before sending too (the library checks the same enum)', async () => {
    const { project, user } = await firstIds();
    const before = fx.emu.requests.length;
    const r = await cli([
      'projects',
      'users',
      'add',
      project,
      '--body',
      JSON.stringify({ user_id: user, role: 'admin' }),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/body\.role must be one of "owner", "member"/);
    expect(fx.emu.requests.length).toBe(before);
  });

  test('a valid role reaches the server and succeeds', async () => {
    const { email } = await firstIds();
    const project = (await fx.admin.projects.create({ name: 'Roles' })).id; // a project the user is not in yet
    const r = await cli(['projects', 'users', 'add', project, '--email', email, '--role', 'member', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ object: 'organization.project.user', role: 'member' });
  });
});

describe('rules across flags, from the spec', () => {
  test('projects users add without --user-id or --email: exit 2 saying which flags, nothing sent', async () => {
    const { project } = await firstIds();
    const before = fx.emu.requests.length;
    const r = await cli(['projects', 'users', 'add', project, '--role', 'owner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: give one of --user-id, --email');
    expect(fx.emu.requests.length).toBe(before);
  });

  test('users update with both --role and --role-id: exit 2, nothing sent; also when one comes from --body', async () => {
    const { user } = await firstIds();
    const before = fx.emu.requests.length;
    const both = await cli(['users', 'update', user, '--role', 'owner', '--role-id', 'role_x']);
    const viaBody = await cli(['users', 'update', user, '--role-id', 'role_x', '--body', '{"role":"reader"}']);
    for (const r of [both, viaBody]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--role and --role-id cannot be given together: give one');
    }
    expect(fx.emu.requests.length).toBe(before);
  });

  test('help states the rules and lists the values as plain text', async () => {
    const [add, update] = await Promise.all([
      cli(['projects', 'users', 'add', '--help']),
      cli(['users', 'update', '--help']),
    ]);
    expect(add.stdout).toContain('Give one of --user-id, --email (at least one).');
    expect(add.stdout).toMatch(/--role <owner\|member> +\(required\) One of: owner, member\./);
    expect(update.stdout).toContain('Give at most one of --role, --role-id.');
    expect(update.stdout).toMatch(/--role <owner\|reader> +One of: owner, reader\./);
    for (const r of [add, update]) expect(r.stdout).not.toContain('`');
  });
});

describe('the rules are spec data', () => {
  test('generated/cli.gen.ts carries them for exactly the operations the spec marks', () => {
    const marked = Object.entries(cliMetadata)
      .filter(([, m]) => m.requiredOneOf || m.mutuallyExclusive)
      .map(([name]) => name)
      .sort();
    expect(marked).toEqual(['createProjectUser', 'updateUser']);
    expect(cliMetadata.createProjectUser.requiredOneOf).toEqual([['user_id', 'email']]);
    expect(cliMetadata.updateUser.mutuallyExclusive).toEqual([['role', 'role_id']]);
  });

  test('checkFlagRules: a JSON null counts as not given; one of a group is enough', () => {
    const add = operationCommands().find((c) => c.friendly === 'projects.users.add')!;
    expect(() => checkFlagRules(add, { user_id: null, role: 'owner' })).toThrow(UsageError);
    expect(() => checkFlagRules(add, { email: 'a@example.com', role: 'owner' })).not.toThrow();
    const update = operationCommands().find((c) => c.friendly === 'users.update')!;
    expect(() => checkFlagRules(update, { role: 'owner', role_id: null })).not.toThrow();
    expect(() => checkFlagRules(update, { role: 'owner', role_id: 'r' })).toThrow(/--role and --role-id/);
  });
});
