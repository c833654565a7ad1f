/**
 * Runs every example's `main` in-process against a fresh emulator and checks its real effect on the
 * organisation (not just that it printed something).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, OpenAIAdmin } from '../../src/index.js';
import { DEMO_ADMIN_KEY, startEmulator, type Emulator } from '../../src/testing/index.js';
import { main as syncAuditLog, readState } from '../../examples/audit-log-sync.js';
import { csvField, main as exportUsage, CSV_COLUMNS } from '../../examples/export-usage-csv.js';
import { main as provision } from '../../examples/provision-project.js';
import { main as rotate, matchesRedacted } from '../../examples/rotate-service-account-key.js';
import { main as findUnused } from '../../examples/unused-api-keys.js';
import { parseCsv } from '../support/csv';

let emu: Emulator;
let admin: OpenAIAdmin;
beforeEach(async () => {
  emu = await startEmulator({ seed: 'examples' });
  admin = new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url, validate: 'strict' });
});
afterEach(() => emu.close());

const DAY = 86_400;
const firstProject = () => [...emu.state.projects.values()][0];
const users = () => [...emu.state.users.values()];

describe('provision-project', () => {
  test('creates the project, adds org members, invites outsiders, creates a service account; a re-run changes nothing', async () => {
    const [a, b] = users();
    const options = {
      name: 'Provisioned',
      members: [
        { email: a.email!, role: 'owner' as const },
        { email: b.email!.toUpperCase(), role: 'member' as const }, // emails match case-insensitively
        { email: 'outsider@example.org', role: 'member' as const },
      ],
      serviceAccount: 'deployer',
    };
    const first = await provision(admin, options);

    expect(first.projectCreated).toBe(true);
    const project = await admin.projects.retrieve(first.projectId);
    expect(project.name).toBe('Provisioned');
    const members = await admin.projects.users.list(first.projectId).toArray();
    expect(members.map((m) => [m.id, m.role]).sort()).toEqual(
      [
        [a.id, 'owner'],
        [b.id, 'member'],
      ].sort(),
    );
    const invites = await admin.invites.list().toArray();
    const invite = invites.find((i) => i.email === 'outsider@example.org');
    expect(invite?.projects).toEqual([{ id: first.projectId, role: 'member' }]);
    expect(first.members.map((m) => m.outcome)).toEqual(['added', 'added', 'invited']);

    const accounts = await admin.projects.serviceAccounts.list(first.projectId).toArray();
    expect(accounts.map((s) => s.name)).toEqual(['deployer']);
    expect(first.serviceAccount).toMatchObject({ id: accounts[0].id, created: true });
    expect(first.serviceAccount!.apiKey!.value).toMatch(/^sk-svcacct-/);

    const again = await provision(admin, options);
    expect(again).toMatchObject({
      projectId: first.projectId,
      projectCreated: false,
      serviceAccount: { id: accounts[0].id, created: false },
    });
    expect(again.serviceAccount!.apiKey).toBeUndefined();
    expect(again.members.map((m) => m.outcome)).toEqual(['already a member', 'already a member', 'already invited']);
    expect(
      (await admin.projects.list({ include_archived: true }).toArray()).filter((p) => p.name === 'Provisioned'),
    ).toHaveLength(1);
    expect(await admin.projects.serviceAccounts.list(first.projectId).toArray()).toHaveLength(1);
  });
});

describe('rotate-service-account-key', () => {
  const serviceAccountKeys = async (projectId: string, saId: string) =>
    (await admin.projects.apiKeys.list(projectId).toArray()).filter((k) => k.owner.service_account?.id === saId);

  test('creates a new key, hands it to deploy, verifies it, and deletes the old key', async () => {
    const projectId = firstProject().id;
    const sa = [...emu.state.serviceAccounts.values()].find((s) => s.projectId === projectId)!;
    const before = await serviceAccountKeys(projectId, sa.id);
    expect(before).toHaveLength(1);

    const deployed: string[] = [];
    const result = await rotate(admin, {
      projectId,
      serviceAccountId: sa.id,
      keyName: 'next',
      deploy: async (k) => void deployed.push(k.value),
    });

    expect(deployed).toEqual([result.newKey.value]);
    expect(result.deleted).toEqual([before[0].id]);
    expect(result.kept).toEqual([]);
    const after = await serviceAccountKeys(projectId, sa.id);
    expect(after.map((k) => [k.id, k.name])).toEqual([[result.newKey.id, 'next']]);
    await expect(admin.projects.apiKeys.retrieve(projectId, before[0].id)).rejects.toBeInstanceOf(NotFoundError);
    expect(matchesRedacted(result.newKey.value, after[0].redacted_value)).toBe(true);
  });

  test('a failing deploy aborts before anything is deleted', async () => {
    const projectId = firstProject().id;
    const sa = [...emu.state.serviceAccounts.values()].find((s) => s.projectId === projectId)!;
    const [old] = await serviceAccountKeys(projectId, sa.id);
    await expect(
      rotate(admin, {
        projectId,
        serviceAccountId: sa.id,
        deploy: async () => {
          throw new Error('vault unavailable');
        },
      }),
    ).rejects.toThrow('vault unavailable');
    expect((await serviceAccountKeys(projectId, sa.id)).map((k) => k.id)).toContain(old.id);
  });

  test('matchesRedacted', () => {
    expect(matchesRedacted('sk-svcacct-abcdefWXYZ', 'sk-svcacct-abc...WXYZ')).toBe(true);
    expect(matchesRedacted('sk-svcacct-abcdefWXYZ', 'sk-svcacct-abc...WXYQ')).toBe(false);
  });
});

describe('export-usage-csv', () => {
  test('the CSV parses back to the same rows and totals as the API, with awkward project names intact', async () => {
    const nasty = 'Research, "R&D"\nteam ';
    const renamed = firstProject().id;
    await admin.projects.update(renamed, { name: nasty });
    const now = Math.floor(Date.now() / 1000);

    const result = await exportUsage(admin, { days: 10, now });
    const [header, ...records] = parseCsv(result.csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(result.rows.length);
    expect(records.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect(records.filter((r) => r[col('project_id')] === renamed).every((r) => r[col('project_name')] === nasty)).toBe(
      true,
    );
    expect(records.some((r) => r[col('project_id')] === renamed)).toBe(true);

    // Rows are grouped by project: each project's rows are contiguous, dates ascending within it.
    const order = records.map((r) => r[col('project_id')]);
    expect(new Set(order).size).toBe(order.filter((id, i) => id !== order[i - 1]).length);

    // Totals straight from the API, independently of the exporter.
    const start_time = Math.floor(now / DAY) * DAY - 9 * DAY;
    const end_time = Math.floor(now / DAY) * DAY + DAY;
    const api = { requests: 0, input: 0, output: 0, cost: 0 };
    for await (const u of admin.usage
      .completions({ start_time, end_time, bucket_width: '1d', group_by: ['project_id'] })
      .rows()) {
      api.requests += u.num_model_requests;
      api.input += u.input_tokens;
      api.output += u.output_tokens;
    }
    for await (const c of admin.costs({ start_time, end_time, group_by: ['project_id'] }).rows())
      api.cost += c.amount?.value ?? 0;
    expect(api.requests).toBeGreaterThan(0);

    const sum = (name: (typeof CSV_COLUMNS)[number]) => records.reduce((s, r) => s + Number(r[col(name)]), 0);
    expect(sum('requests')).toBe(api.requests);
    expect(sum('input_tokens')).toBe(api.input);
    expect(sum('output_tokens')).toBe(api.output);
    expect(sum('cost')).toBeCloseTo(api.cost, 4);
    expect(result.totals.requests).toBe(api.requests);
  });

  test('csvField quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
  });
});

describe('audit-log-sync', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-sync-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('two runs with nothing new add nothing; later events are picked up once, oldest first', async () => {
    const statePath = join(dir, 'state', 'state.json');
    const outPath = join(dir, 'events.jsonl');
    let clock = 1_750_000_000;
    emu.state.now = () => clock; // several events per second, and seconds that differ

    const p = await admin.projects.create({ name: 'Audited' });
    await admin.projects.serviceAccounts.create(p.id, { name: 'bot' }); // service_account.created + api_key.created
    const first = await syncAuditLog(admin, { statePath, outPath });
    // The seeded organisation's history comes first, oldest first, then the events of this test.
    expect(first.events.map((e) => e.type).slice(-3)).toEqual([
      'project.created',
      'service_account.created',
      'api_key.created',
    ]);
    expect(first.events).toHaveLength(emu.state.auditLogs.length);

    const second = await syncAuditLog(admin, { statePath, outPath });
    expect(second.events).toEqual([]);

    await admin.projects.update(p.id, { name: 'Audited 2' }); // same second as the anchor
    clock += 5;
    await admin.projects.archive(p.id);
    const third = await syncAuditLog(admin, { statePath, outPath });
    expect(third.events.map((e) => e.type)).toEqual(['project.updated', 'project.archived']);
    expect(await syncAuditLog(admin, { statePath, outPath })).toMatchObject({ events: [] });

    const written = (await readFile(outPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    const ids = written.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(emu.state.auditLogs.map((e) => e.id)); // every event, in chronological order
    expect(await readState(statePath)).toMatchObject({ lastId: ids.at(-1), lastEffectiveAt: clock });
  });

  test('resumes from the state file even when the anchor event is gone', async () => {
    const statePath = join(dir, 'state.json');
    emu.state.now = () => 1_750_000_000;
    await admin.projects.create({ name: 'A' });
    await syncAuditLog(admin, { statePath });
    emu.state.auditLogs.splice(0); // the anchor aged out of retention
    emu.state.now = () => 1_750_000_100;
    await admin.projects.create({ name: 'B' });
    const next = await syncAuditLog(admin, { statePath });
    expect(next.events.map((e) => (e as { project?: { name?: string } }).project?.name)).toEqual(['B']);
  });
});

describe('unused-api-keys', () => {
  test('finds never-used and long-idle keys, not recently used ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    const project = firstProject();
    const keys = [...emu.state.projectKeys.values()].filter((k) => k.projectId === project.id);
    keys[0].last_used_at = now - 2 * DAY; // in use
    keys[1].last_used_at = now - 100 * DAY; // idle
    const fresh = await admin.projects.serviceAccounts.create(project.id, { name: 'never-used' });

    const found = await findUnused(admin, { days: 30, now });
    const byId = new Map(found.map((k) => [k.keyId, k]));
    expect(byId.has(keys[0].id)).toBe(false);
    expect(byId.get(keys[1].id)).toMatchObject({ verdict: 'unused', idleDays: 100 });
    expect(byId.get(fresh.api_key!.id)).toMatchObject({
      verdict: 'never used',
      lastUsedAt: null,
      idleDays: null,
      ageDays: 0,
    });
    expect(found[0].verdict).toBe('never used'); // never-used first

    // Every key the example reports really is unused for 30 days by the API's own data.
    for (const k of found) {
      const key = await admin.projects.apiKeys.retrieve(k.projectId, k.keyId);
      expect(key.last_used_at === null || key.last_used_at < now - 30 * DAY).toBe(true);
    }
  });
});
