/**
 * Data that agrees with itself (issue 17 §5): the seeded emulator's audit actors exist, and "the last N days"
 * is one definition (last-days.ts) that the spend report and the tour share, so their totals match.
 */
import { OpenAIAdmin } from '../../src/index.js';
import { DEMO_ADMIN_KEY, startEmulator, type Emulator } from '../../src/testing/index.js';
import { lastDays } from '../../src/cli/workflows/last-days.js';
import { apiSpendSource } from '../../src/cli/workflows/spend-source.js';
import { buildSpendReport } from '../../src/cli/workflows/spend-report.js';
import { tourReadOnly } from '../../src/cli/workflows/tour.js';

let emu: Emulator;
let admin: OpenAIAdmin;
beforeEach(async () => {
  emu = await startEmulator({ seed: 'invariants' });
  admin = new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url });
});
afterEach(() => emu.close());

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
  });
});
