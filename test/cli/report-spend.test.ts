/**
 * `report spend` as finance reads it, through the real (bundled) bin against a seeded emulator: calendar months and
 * date ranges, the previous period, every project, the spend limit and alerts, the long CSV, and flags refused
 * locally (exit 2, nothing sent). The pure parts (periods, forecast, weekly bars, the page) are in
 * spend-period.test.ts.
 */
import { csvRecords } from '../support/csv';
import { cleanEnv, runBin, useCliFixture } from './support';

const KEY = 'sk-admin-CLI-report-spend-5e6f7a8b';
const fx = useCliFixture(KEY, { seed: 'cli-report-spend' });
const cli = (args: string[]) =>
  runBin(fx.bundle.bin, ['report', 'spend', ...args], {
    env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url }),
  });

/** YYYY-MM of the month `offset` months from now (UTC). */
const month = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};
const lastDay = (ym: string) =>
  new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).toISOString().slice(0, 10);

test('--month: the whole calendar month against the month before, equal to the API costs over the same days', async () => {
  const ym = month(-1);
  const r = await cli(['--month', ym, '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect([report.from, report.to]).toEqual([`${ym}-01`, lastDay(ym)]);
  expect([report.previous.from, report.previous.to]).toEqual([`${month(-2)}-01`, lastDay(month(-2))]);
  expect(report.partialDay).toBeNull();
  expect(report.month).toBeNull(); // a past month has no forecast
  let current = 0;
  let previous = 0;
  for await (const c of fx.admin
    .costs({ start_time: report.previous.startTime, end_time: report.endTime, group_by: ['project_id'] })
    .rows()) {
    if (c.start_time >= report.startTime) current += Number(c.amount?.value ?? 0);
    else previous += Number(c.amount?.value ?? 0);
  }
  expect(report.totals.cost).toBeCloseTo(current, 5);
  expect(report.previous.cost).toBeCloseTo(previous, 5);
  expect(report.totals.change).toBeCloseTo(current - previous, 5);
  expect(report.totals.change_pct).toBeCloseTo(((current - previous) / previous) * 100, 1);
});

test('--since/--until --csv: long format, one record per day, project and line item, inside the range', async () => {
  const ym = month(-1);
  const r = await cli(['--since', `${ym}-03`, '--until', `${ym}-09`, '--csv']);
  expect(r.code).toBe(0);
  const records = csvRecords(r.stdout);
  expect(Object.keys(records[0])).toEqual(['date', 'project_id', 'project_name', 'line_item', 'amount', 'currency']);
  const dates = [...new Set(records.map((rec) => rec.date))].sort();
  expect(dates[0] >= `${ym}-03` && dates.at(-1)! <= `${ym}-09`).toBe(true);
  const keys = records.map((rec) => `${rec.date}|${rec.project_id}|${rec.line_item}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(records.some((rec) => rec.line_item.includes(', '))).toBe(true); // quoted commas survive
});

test('every active project is listed, one without spend at 0; the spend limit and alerts are read and shown', async () => {
  const idle = await fx.admin.projects.create({ name: 'Idle project' });
  await fx.admin.spendLimit.update({ threshold_amount: 40_000, currency: 'USD', interval: 'month' });
  for (const cents of [25_000, 10_000])
    await fx.admin.spendAlerts.create({
      threshold_amount: cents,
      currency: 'USD',
      interval: 'month',
      notification_channel: { type: 'email', recipients: ['finance@example.com'] },
    });
  const [json, table] = await Promise.all([cli(['--days', '7', '--json']), cli(['--days', '7'])]);
  const report = JSON.parse(json.stdout);
  expect(report.rows.find((row: { key: string }) => row.key === idle.id)).toMatchObject({
    name: 'Idle project',
    cost: 0,
    cost_per_1m_tokens: null,
  });
  expect(report.thresholds).toEqual({ currency: 'USD', limit: 400, alerts: [100, 250] });
  expect(report.month.forecast).toBeGreaterThanOrEqual(report.month.monthToDate);
  expect(table.stdout).toMatch(/^Spend limit 400\.00 USD\/month; alerts at 100\.00, 250\.00 USD$/m);
  expect(table.stdout).toMatch(/^Today \(\d{4}-\d{2}-\d{2}\) is a partial day/m);
  expect(table.stdout).toMatch(
    /^Month to date \(\d{4}-\d{2}\): [\d,.]+ USD; forecast to month end [\d,.]+ USD; method: /m,
  );
  expect(table.stdout).toMatch(/^Idle project +proj_\S+ +0\.00 +0\.0% +0\.00 +0\.00 /m);
});

test.each([
  [['--days', '7', '--month', '2026-11'], /choose the days one way: --days or --month/],
  [['--until', '2026-11-30'], /--until needs --since/],
  [['--month', '2026-13'], /--month expects a UTC month as YYYY-MM, got '2026-13'/],
  [['--since', '2026-11-31'], /--since expects a UTC date as YYYY-MM-DD, got '2026-11-31'/],
  [['--days', '401'], /--days must be between 1 and 400, got 401/],
])('%j is a usage error (exit 2) naming the flag, and nothing is sent', async (args, message) => {
  const before = fx.emu.requests.length;
  const r = await cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(fx.emu.requests.length).toBe(before);
});
