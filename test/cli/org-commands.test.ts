/**
 * `export`, `plan` and `apply` through the real bin against the emulator: exit codes (0, 2 for a bad file or a
 * refusal, 3 for drift with --check and for a partial apply), what reaches stdout and stderr, the key file, and —
 * from the emulator's request log — that a refused command sent nothing.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, runBin, runBinInPty, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-org-1a2b3c4d';
const fx = useCliFixture(KEY, { seed: 'cli-org', users: 8, projects: 2 });
const env = () => cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url });
const cli = (args: string[], input?: string) =>
  runBin(fx.bundle.bin, args, { env: env(), ...(input ? { input } : {}) });
const writes = (from = 0) => fx.emu.requests.slice(from).filter((r) => r.method !== 'GET');
let n = 0;
const tmpFile = (name: string) => join(fx.tmp, `${++n}-${name}`);

async function exported(): Promise<string> {
  const file = tmpFile('org.yaml');
  const run = await cli(['export', '-o', file]);
  expect(run).toMatchObject({ code: 0, stdout: '' });
  expect(run.stderr).toMatch(/^wrote .*: 8 users, 0 invites, 2 groups, 2 projects, 1 admin api keys\n$/);
  return file;
}

test('export writes the organisation; plan --check on it exits 0, and 3 once the organisation drifts', async () => {
  const file = await exported();
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('# yaml-language-server: $schema=');
  expect(text).not.toMatch(/proj_|user_|svc_acct_|sk-/);
  expect(await cli(['plan', '-f', file, '--check'])).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('No changes'),
  });
  const project = [...fx.emu.state.projects.values()][0];
  [...project.users.values()][1].role = 'owner';
  const drift = await cli(['plan', '-f', file, '--check']);
  expect(drift.code).toBe(3);
  expect(drift.stdout).toContain(`~ project "${project.name}" › user`);
  expect(drift.stdout).toContain('role: owner → member');
  expect(drift.stderr).toContain('the organisation differs from the file: 1 change(s)');
});

test('plan --json gives the summary and the changes', async () => {
  const file = tmpFile('org.yaml');
  writeFileSync(file, 'version: 1\ngroups:\n  - name: Platform\n');
  const run = await cli(['plan', '-f', file, '--json']);
  expect(run.code).toBe(0);
  const plan = JSON.parse(run.stdout);
  expect(plan.summary).toEqual({ create: 1, update: 0, delete: 0, unchanged: 0 });
  expect(plan.changes).toMatchObject([{ action: 'create', type: 'group', key: 'group "Platform"' }]);
});

test('a bad file is exit 2 with every problem on its own line, and nothing is sent', async () => {
  const file = tmpFile('bad.yaml');
  writeFileSync(file, 'version: 1\nprojects:\n  - name: A\n    users:\n      - email: nobody\n        rol: member\n');
  const run = await cli(['apply', '-f', file, '--yes']);
  expect(run.code).toBe(2);
  expect(run.stderr.split('\n')).toEqual(
    expect.arrayContaining([
      `  ${file}:5: projects[0].users[0].email: 'nobody' is not an email address`,
      `  ${file}:6: projects[0].users[0].rol: unknown field 'rol' (did you mean role?)`,
      `error: ${file}: 3 problems, nothing was sent`,
    ]),
  );
  expect(fx.emu.requests).toEqual([]);
});

test('a reference to someone the organisation does not have is refused before any write', async () => {
  const file = tmpFile('org.yaml');
  writeFileSync(
    file,
    `version: 1\nprojects:\n  - name: ${[...fx.emu.state.projects.values()][0].name}\n    users:\n      - email: ghost@example.com\n        role: member\n`,
  );
  const run = await cli(['apply', '-f', file, '--yes']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "'ghost@example.com' is not in the organisation, and the file neither lists them under users nor invites them",
  );
  expect(writes()).toEqual([]);
});

test('apply without a terminal needs --yes: refused, nothing sent', async () => {
  const file = tmpFile('org.yaml');
  writeFileSync(file, 'version: 1\ngroups:\n  - name: Platform\n');
  const run = await cli(['apply', '-f', file]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('refusing to apply 1 change(s) without --yes');
  expect(writes()).toEqual([]);
});

test('on a terminal, apply lists every destructive change by name and asks; "n" changes nothing', async () => {
  const file = tmpFile('org.yaml');
  writeFileSync(file, 'version: 1\ngroups:\n  - name: Engineering\n');
  const run = await runBinInPty(fx.bundle.bin, ['apply', '-f', file, '--prune'], env(), 'n\n');
  expect(run.stdout).toContain('Destructive changes:');
  expect(run.stdout).toContain('- group "Finance": delete the group (its members stay in the organisation)');
  expect(run.stdout).toMatch(/apply 1 change\(s\), 1 of them destructive\? \[y\/N\]/);
  expect(run.stdout).toContain('not confirmed; nothing was done');
  expect(writes()).toEqual([]);
});

test('a created service account key goes to --keys-out (a new 0600 file) and nowhere else', async () => {
  const project = [...fx.emu.state.projects.values()][0];
  const file = tmpFile('org.yaml');
  writeFileSync(
    file,
    `version: 1\nprojects:\n  - name: ${project.name}\n    service_accounts:\n      - name: deploy-bot\n`,
  );
  const refused = await cli(['apply', '-f', file, '--yes']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('pass --keys-out FILE');
  expect(writes()).toEqual([]);

  const existing = tmpFile('keys.jsonl');
  writeFileSync(existing, 'precious\n');
  expect((await cli(['apply', '-f', file, '--yes', '--keys-out', existing])).code).toBe(2);
  expect(readFileSync(existing, 'utf8')).toBe('precious\n');
  expect(writes()).toEqual([]);

  const keys = tmpFile('keys.jsonl');
  const run = await cli(['apply', '-f', file, '--yes', '--keys-out', keys]);
  expect(run.code).toBe(0);
  expect(statSync(keys).mode & 0o777).toBe(0o600);
  const written = JSON.parse(readFileSync(keys, 'utf8'));
  expect(written).toMatchObject({
    project: project.name,
    service_account: 'deploy-bot',
    key: expect.stringMatching(/^sk-svcacct-/),
  });
  expect(run.stdout + run.stderr).not.toContain(written.key);
});

test('apply --plan applies a saved plan, and refuses (sending nothing) when the organisation changed since', async () => {
  const file = tmpFile('org.yaml');
  const project = [...fx.emu.state.projects.values()][0];
  const member = [...project.users.entries()][1];
  const email = fx.emu.state.users.get(member[0])!.email!;
  writeFileSync(
    file,
    `version: 1\nprojects:\n  - name: ${project.name}\n    users:\n      - email: ${email}\n        role: owner\n`,
  );
  const saved = tmpFile('plan.json');
  const planned = await cli(['plan', '-f', file, '--json']);
  writeFileSync(saved, planned.stdout);

  member[1].role = 'owner'; // someone else made the change meanwhile
  const stale = await cli(['apply', '--plan', saved, '--yes']);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain('the organisation changed since the plan was made, for 1 of its entries');
  expect(stale.stderr).toContain(`project "${project.name}" › user ${email}`);
  expect(writes()).toEqual([]);

  member[1].role = 'member';
  const run = await cli(['apply', '--plan', saved, '--yes']);
  expect(run.code).toBe(0);
  expect(writes()).toEqual([{ method: 'POST', url: `/v1/organization/projects/${project.id}/users/${member[0]}` }]);
  expect(member[1].role).toBe('owner');
});

test('a file that is not a regular file, or too big, is refused before reading', async () => {
  const run = await cli(['plan', '-f', '/dev/zero']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--file /dev/zero');
  expect(existsSync('/dev/zero')).toBe(true);
  expect(fx.emu.requests).toEqual([]);
});
