/**
 * Data that agrees with itself (issue 17 §5): each project's usage is made with its own keys by its own members
 * (so `keys stale` calls no spending project's key "never used"), the seeded emulator's audit actors exist, and
 * "the last N days" is one definition (last-days.ts) that the spend report and the tour share, so their totals
 * match.
 */
import { OpenAIAdmin } from '../../src/index.js';
import { DEMO_ADMIN_KEY, startEmulator, type Emulator } from '../../src/testing/index.js';
import { lastDays } from '../../src/cli/workflows/last-days.js';
import { apiSpendSource } from '../../src/cli/workflows/spend-source.js';
import { buildSpendReport } from '../../src/cli/workflows/spend-report.js';
import { tourReadOnly } from '../../src/cli/workflows/tour.js';
import { bundleCli, cleanEnv, runBin } from './support';

let emu: Emulator;
let admin: OpenAIAdmin;
beforeEach(async () => {
  emu = await startEmulator({ seed: 'invariants' });
  admin = new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url });
});
afterEach(() => emu.close());

let bundle: ReturnType<typeof bundleCli>;
beforeAll(() => void (bundle = bundleCli()), 60_000);
afterAll(() => bundle.cleanup());

const DAY = 86_400;

/** Every project key of the organisation: its project and the user who owns it (null: a service account's). */
async function keysByProject(): Promise<Map<string, { projectId: string; userId: string | null }>> {
  const keys = new Map<string, { projectId: string; userId: string | null }>();
  for await (const p of admin.projects.list())
    for await (const k of admin.projects.apiKeys.list(p.id))
      keys.set(k.id, { projectId: p.id, userId: k.owner.type === 'user' ? (k.owner.user?.id ?? '?') : null });
  return keys;
}

describe('usage is made by each project with its own keys and members', () => {
  test('every usage and cost row grouped by project, user and key names a key of that project and its owner', async () => {
    const keys = await keysByProject();
    const now = Math.floor(Date.now() / 1000);
    const range = { start_time: now - 7 * DAY, bucket_width: '1d' as const, limit: 7 };
    const spending = new Set<string>();
    for (const family of ['completions', 'embeddings', 'images', 'audioSpeeches', 'fileSearchCalls'] as const) {
      const rows = admin.usage[family]({ ...range, group_by: ['project_id', 'user_id', 'api_key_id'] }).rows();
      let n = 0;
      for await (const row of rows as AsyncIterable<{
        project_id?: string | null;
        user_id?: string | null;
        api_key_id?: string | null;
      }>) {
        n++;
        const key = keys.get(row.api_key_id ?? '');
        expect({ family, key: row.api_key_id, project: key?.projectId, user: key?.userId }).toEqual({
          family,
          key: row.api_key_id,
          project: row.project_id,
          user: row.user_id,
        });
        spending.add(row.project_id!);
      }
      expect(n).toBeGreaterThan(0);
    }
    for await (const row of admin.costs({ start_time: now - 7 * DAY, group_by: ['project_id', 'api_key_id'] }).rows())
      expect(keys.get(row.api_key_id ?? '')?.projectId).toBe(row.project_id);
    // Default project, Production and Research all spend, each with its own keys.
    expect(spending.size).toBe(3);
  });

  test('keys stale (the bin) calls no key "never used" while it carries usage; a key made later is never used', async () => {
    const p = (await admin.projects.list().toArray())[1];
    expect(p.name).toBe('Production');
    const later = await admin.projects.serviceAccounts.create(p.id, { name: 'made later' });
    const r = runBin(bundle.bin, ['keys', 'stale', '--days', '30', '--json'], {
      env: cleanEnv({ OPENAI_ADMIN_KEY: DEMO_ADMIN_KEY, OPENAI_BASE_URL: emu.url }),
    });
    const run = await r;
    expect(run.code).toBe(0);
    const stale = JSON.parse(run.stdout) as { key_id?: string; keyId?: string; verdict: string }[];
    // Only the key made in this session: every seeded key of every project is in use.
    expect(stale.map((k) => [k.key_id ?? k.keyId, k.verdict])).toEqual([[later.api_key!.id, 'never used']]);
    const used = new Set<string>();
    const now = Math.floor(Date.now() / 1000);
    for await (const row of admin.usage
      .completions({ start_time: now - 30 * DAY, bucket_width: '1d', limit: 31, group_by: ['api_key_id'] })
      .rows())
      if (row.api_key_id) used.add(row.api_key_id);
    expect(used.has(later.api_key!.id)).toBe(false);
    expect(used.size).toBe((await keysByProject()).size - 1);
  });
});

describe('audit actors exist', () => {
  test('every actor of the seeded audit log and of a new change is an admin key in admin-api-keys list, owned by a listed user', async () => {
    await admin.projects.create({ name: 'Audited' });
    const keys = new Map((await admin.adminApiKeys.list().toArray()).map((k) => [k.id, k]));
    const users = new Set((await admin.users.list().toArray()).map((u) => u.id));
    const events = await admin.auditLogs.list().toArray();
    expect(events.some((e) => e.type === 'project.created' && e.project?.name === 'Audited')).toBe(true);
    for (const e of events) {
      const key = e.actor?.api_key;
      expect(key?.id && keys.has(key.id)).toBe(true);
      expect(key?.user?.id && users.has(key.user.id)).toBe(true);
      expect(keys.get(key!.id!)!.owner?.id).toBe(key?.user?.id);
    }
  });
});

describe('the last N days, defined once', () => {
  test('lastDays: N whole UTC days ending today, today included', () => {
    const now = Date.UTC(2026, 10, 30, 15, 30) / 1000;
    const range = lastDays(30, now);
    expect(range.dates).toHaveLength(30);
    expect(range.dates[0]).toBe('2026-11-01');
    expect(range.dates.at(-1)).toBe('2026-11-30');
    expect(range.start).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(range.end).toBe(Date.UTC(2026, 11, 1) / 1000);
    expect(lastDays(1, now).dates).toEqual(['2026-11-30']);
    expect(() => lastDays(0, now)).toThrow(RangeError);
  });

  test("the tour's 'last 30 days' per project equals report spend --days 30 (the same days, the same totals)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const lines: string[] = [];
    await tourReadOnly(
      admin,
      (t) => lines.push(t),
      undefined,
      () => now,
    );
    const report = await buildSpendReport(apiSpendSource(admin), { request: { days: 30 }, by: 'project', now });
    const block = lines.find((l) => l.includes('Last 30 days by project'))!;
    const tourUsd = new Map(
      block
        .split('\n')
        .slice(3)
        .map((row) => row.trim().split(/\s{2,}/))
        .map((cells) => [cells[0], cells.at(-1)!]),
    );
    expect(report.rows.length).toBeGreaterThan(0);
    for (const row of report.rows) expect(tourUsd.get(row.name)).toBe(row.cost.toFixed(2));
  }, 30_000);
});
