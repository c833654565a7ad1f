/**
 * Issue 17 §9: `audit-logs list` as a table a person reads (UTC ISO-8601 time, actor by email or key name, event,
 * target by name) with the real bin against the seeded emulator, `--summary` counted against the client's own
 * list, and the name resolution itself against a stub client (every lookup kind, failures falling back to ids).
 */
import type { OpenAIAdmin } from '../../src/index.js';
import { AuditNames, AuditSummary, isoUtc, targetOf, type AuditEvent } from '../../src/cli/workflows/audit-readable.js';
import { csvRecords } from '../support/csv';
import { cleanEnv, runBin, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLITEST-audit-3e8b1f40';
const fx = useCliFixture(KEY, { seed: 'cli-audit' });
const cli = (args: string[]) =>
  runBin(fx.bundle.bin, args, { env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url }) });

describe('audit-logs list with the real bin', () => {
  test('a readable table: ISO-8601 UTC times, the event, the actor by email, targets by name (users by email, projects by name)', async () => {
    const events = await fx.admin.auditLogs.list().toArray();
    const r = await cli(['audit-logs', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^time +event +actor +target +project +id$/);
    expect(lines).toHaveLength(events.length + 2);
    for (const line of lines.slice(2)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}/);
    const added = events.find((e) => e.type === 'user.added')!;
    const addedUser = await fx.admin.users.retrieve(
      (added as unknown as Record<string, { id: string }>)['user.added'].id,
    );
    const row = lines.find((l) => l.includes(added.id))!;
    expect(row).toContain(`${addedUser.email} (${addedUser.id})`);
    // The seeded actor is the admin key's owner, resolved with the key's name (both exist in the seed's lists).
    expect(row).toContain('ada.lovelace@example.com via "Emulator admin key"');
    expect(row).toContain(isoUtc(added.effective_at));
    const created = events.find((e) => e.type === 'project.created')!;
    const project = await fx.admin.projects.retrieve(
      (created as unknown as Record<string, { id: string }>)['project.created'].id,
    );
    expect(lines.find((l) => l.includes(created.id))).toContain(`${project.name} (${project.id})`);
  });

  test('--json and --csv print the events as sent; --summary counts by event type and actor over every page', async () => {
    const events = await fx.admin.auditLogs.list().toArray();
    const [asJson, summary, summaryCsv] = await Promise.all([
      cli(['audit-logs', 'list', '--json']),
      cli(['audit-logs', 'list', '--summary', '--json', '--limit', '5']),
      cli(['audit-logs', 'list', '--summary', '--csv']),
    ]);
    expect(JSON.parse(asJson.stdout)).toEqual(JSON.parse(JSON.stringify(events)));
    const counts = JSON.parse(summary.stdout) as Array<{ event: string; actor: string; count: number }>;
    const expected = new Map<string, number>();
    for (const e of events) expected.set(e.type, (expected.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(counts.map((c) => [c.event, c.count]))).toEqual(Object.fromEntries(expected));
    expect(counts.map((c) => c.count)).toEqual([...counts.map((c) => c.count)].sort((a, b) => b - a));
    expect(csvRecords(summaryCsv.stdout)).toHaveLength(counts.length);
    expect(summaryCsv.stderr).toBe(
      `${events.length} event(s) from ${isoUtc(events.at(-1)!.effective_at)} to ${isoUtc(events[0].effective_at)}\n`,
    );
  });
});

/** A client with just what AuditNames reads; `calls` counts lookups. */
function stubAdmin(calls: string[]) {
  const found = <T>(what: string, value: T) => (calls.push(what), Promise.resolve(value));
  const missing = (what: string) => (calls.push(what), Promise.reject(new Error('404')));
  return {
    adminApiKeys: {
      list: () => ({ toArray: () => found('adminApiKeys.list', [{ id: 'key_admin1', name: 'Deploy bot' }]) }),
    },
    projects: {
      retrieve: (id: string) =>
        id === 'proj_gone' ? missing('projects.retrieve') : found('projects.retrieve', { name: 'Research' }),
      serviceAccounts: { retrieve: () => found('serviceAccounts.retrieve', { name: 'ci-bot' }) },
      apiKeys: { retrieve: () => found('apiKeys.retrieve', { name: 'Secret key' }) },
    },
    users: { retrieve: () => found('users.retrieve', { email: 'grace@example.com' }) },
    groups: { retrieve: () => found('groups.retrieve', { name: 'Finance' }) },
  } as unknown as OpenAIAdmin;
}

const event = (type: string, details: Record<string, unknown>, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  id: 'audit_1',
  type,
  effective_at: 1_790_000_000,
  actor: { type: 'session', session: { user: { id: 'user_a', email: 'ada@example.com' } } },
  [type]: details,
  ...extra,
});

describe('AuditNames', () => {
  test('actors: a session by email; an API key by its name (with its user), unknown keys by id', async () => {
    const names = new AuditNames(stubAdmin([]));
    expect(await names.actor(event('project.created', {}))).toBe('ada@example.com');
    const byKey = (id: string, rest = {}) =>
      event('project.created', {}, { actor: { type: 'api_key', api_key: { id, type: 'user', ...rest } } });
    expect(await names.actor(byKey('key_admin1', { user: { email: 'ada@example.com' } }))).toBe(
      'ada@example.com via "Deploy bot"',
    );
    expect(await names.actor(byKey('key_other', { user: { email: 'ada@example.com' } }))).toBe('ada@example.com');
    expect(await names.actor(byKey('key_admin1', { type: 'service_account' }))).toBe('key "Deploy bot"');
    expect(await names.actor(byKey('key_other', { type: 'service_account', service_account: { id: 'svc_1' } }))).toBe(
      'service account svc_1',
    );
    expect(await names.actor(byKey('key_other'))).toBe('key key_other');
  });

  test('targets by kind, one lookup per id; a failed lookup falls back to the id; names the event carries win', async () => {
    const calls: string[] = [];
    const names = new AuditNames(stubAdmin(calls));
    const project = event('project.updated', { id: 'proj_1' });
    expect(await names.target(project)).toBe('Research (proj_1)');
    expect(await names.target(project)).toBe('Research (proj_1)');
    expect(calls.filter((c) => c === 'projects.retrieve')).toHaveLength(1);
    expect(await names.target(event('project.archived', { id: 'proj_gone' }))).toBe('proj_gone');
    expect(await names.target(event('user.added', { id: 'user_g', data: { role: 'reader' } }))).toBe(
      'grace@example.com (user_g)',
    );
    expect(await names.target(event('group.deleted', { id: 'group_1' }))).toBe('Finance (group_1)');
    expect(
      await names.target(event('service_account.created', { id: 'svc_1' }, { project: { id: 'proj_1', name: 'R' } })),
    ).toBe('ci-bot (svc_1)');
    expect(await names.target(event('api_key.created', { id: 'key_admin1' }))).toBe('Deploy bot (key_admin1)');
    expect(
      await names.target(event('api_key.updated', { id: 'key_p' }, { project: { id: 'proj_1', name: 'R' } })),
    ).toBe('Secret key (key_p)');
    expect(await names.target(event('invite.sent', { id: 'invite-1', email: 'new@example.com' }))).toBe(
      'new@example.com (invite-1)',
    );
    expect(await names.target(event('login.succeeded', {}))).toBe('');
    expect(targetOf(event('group.created', { id: 'g', data: { group_name: 'Eng' } }))).toEqual({
      id: 'g',
      name: 'Eng',
    });
  });

  test('a summary counts by event and actor, most frequent first, and states its range', () => {
    const s = new AuditSummary();
    s.add('user.added', 'a', 30);
    s.add('user.added', 'a', 10);
    s.add('project.created', 'b', 20);
    expect(s.rows()).toEqual([
      { event: 'user.added', actor: 'a', count: 2 },
      { event: 'project.created', actor: 'b', count: 1 },
    ]);
    expect(s.title()).toBe(`3 event(s) from ${isoUtc(10)} to ${isoUtc(30)}`);
    expect(new AuditSummary().title()).toBe('0 events');
  });
});
