/**
 * `report spend` without a server: which days a request covers and what it is compared with (spend-period.ts), the
 * month-to-date forecast, weekly buckets, and the report built from a SpendSource that is a plain list of rows
 * (every project listed, previous period, tokens and cost per million, thresholds, the long CSV lines).
 */
import { chartBuckets, OKABE_ITO, renderSpendHtml, WEEKLY_AFTER_DAYS } from '../../src/cli/workflows/spend-html';
import { DAY, forecastMonth, reportPeriods } from '../../src/cli/workflows/spend-period';
import { reportHeader } from '../../src/cli/workflows/spend-render';
import { buildSpendReport, spendLines } from '../../src/cli/workflows/spend-report';
import type { SpendCostRow, SpendSource, SpendUsageRow } from '../../src/cli/workflows/spend-source';

const at = (iso: string) => Date.parse(iso) / 1000;
/** 2026-12-07 15:00 UTC: the 7th of a 31-day month, a Monday. */
const NOW = at('2026-12-07T15:00:00Z');

describe('reportPeriods', () => {
  test('--days N: N whole UTC days ending today (partial), against the N days before', () => {
    const p = reportPeriods({ days: 10 }, NOW);
    expect(p.current.dates[0]).toBe('2026-11-28');
    expect(p.current.dates.at(-1)).toBe('2026-12-07');
    expect(p.current.end - p.current.start).toBe(10 * DAY);
    expect([p.previous.dates[0], p.previous.dates.at(-1)]).toEqual(['2026-11-18', '2026-11-27']);
    expect(p.partialDay).toBe('2026-12-07');
    expect(p.month).toMatchObject({ daysInMonth: 31, dates: expect.arrayContaining(['2026-12-01', '2026-12-07']) });
    expect(p.month!.dates).toHaveLength(7);
  });

  test('--month of a past month: the whole calendar month, against the whole month before; nothing partial', () => {
    const p = reportPeriods({ month: '2026-11' }, NOW);
    expect([p.current.dates[0], p.current.dates.at(-1), p.current.dates.length]).toEqual([
      '2026-11-01',
      '2026-11-30',
      30,
    ]);
    expect([p.previous.dates[0], p.previous.dates.at(-1), p.previous.dates.length]).toEqual([
      '2026-10-01',
      '2026-10-31',
      31,
    ]);
    expect(p.comparison).toBe('2026-10');
    expect(p.partialDay).toBeUndefined();
    expect(p.month).toBeUndefined();
  });

  test('--month of the current month stops at today and compares like for like: the same days of the month before', () => {
    const p = reportPeriods({ month: '2026-12' }, NOW);
    expect(p.current.dates).toHaveLength(7);
    expect([p.previous.dates[0], p.previous.dates.at(-1)]).toEqual(['2026-11-01', '2026-11-07']);
    expect(p.comparison).toBe('the same days of 2026-11');
    expect(p.partialDay).toBe('2026-12-07');
  });

  test('--month after a longer month: the previous period never spills into this one (March against February)', () => {
    const p = reportPeriods({ month: '2026-03' }, NOW);
    expect([p.previous.dates[0], p.previous.dates.at(-1)]).toEqual(['2026-02-01', '2026-02-28']);
  });

  test('--since/--until: both days included, against as many days before; --until in the future stops at today', () => {
    const p = reportPeriods({ since: '2026-10-01', until: '2026-10-31' }, NOW);
    expect([p.current.dates[0], p.current.dates.at(-1)]).toEqual(['2026-10-01', '2026-10-31']);
    expect([p.previous.dates[0], p.previous.dates.at(-1)]).toEqual(['2026-08-31', '2026-09-30']);
    const open = reportPeriods({ since: '2026-12-01', until: '2027-01-31' }, NOW);
    expect(open.current.dates.at(-1)).toBe('2026-12-07');
    expect(open.partialDay).toBe('2026-12-07');
  });

  test.each([
    [{ month: '2026-13' }, /--month expects a UTC month as YYYY-MM, got '2026-13'/],
    [{ month: '2027-01' }, /--month 2027-01 has not started yet/],
    [{ since: '2026-02-30' }, /--since expects a UTC date as YYYY-MM-DD, got '2026-02-30'/],
    [{ since: '2026-11-02', until: '2026-11-01' }, /--until 2026-11-01 is before --since 2026-11-02/],
    [{ since: '2026-12-08' }, /--since 2026-12-08 is in the future/],
    [{ days: 0 }, /--days must be between 1 and 400, got 0/],
    [{ since: '2020-01-01' }, /the range covers \d+ days; at most 400/],
  ])('refuses %j naming the flag', (request, message) => {
    expect(() => reportPeriods(request, NOW)).toThrow(message);
  });
});

describe('forecastMonth', () => {
  test('run rate of the complete days: complete days plus their mean for every day left, today included', () => {
    // 6 complete days of 10, today 3 so far, 31 days: 60 + 10 × 25.
    const f = forecastMonth([10, 10, 10, 10, 10, 10, 3], 31);
    expect(f.monthToDate).toBe(63);
    expect(f.forecast).toBe(310);
    expect(f.basisDays).toBe(6);
    expect(f.method).toMatch(/^run rate: .*25 day\(s\) left, today included$/);
  });

  test('on the 1st the rate comes from the days before the month; never below month-to-date', () => {
    expect(forecastMonth([5], 30, [2, 4]).forecast).toBe(90);
    expect(forecastMonth([50], 30, [0, 0]).forecast).toBe(50);
    expect(forecastMonth([0], 30).method).toBe('no complete day yet: month-to-date only');
  });
});

describe('chartBuckets', () => {
  const days = (n: number, from = '2026-06-01') =>
    Array.from({ length: n }, (_, i) =>
      new Date(at(`${from}T00:00:00Z`) * 1000 + i * DAY * 1000).toISOString().slice(0, 10),
    );

  test(`days up to ${WEEKLY_AFTER_DAYS}; beyond, ISO weeks starting on Monday, the first one possibly shorter`, () => {
    expect(chartBuckets(days(90)).unit).toBe('day');
    const weeks = chartBuckets(days(120)); // 2026-06-01 is a Monday
    expect(weeks.unit).toBe('week');
    expect(weeks.starts.slice(0, 2)).toEqual(['2026-06-01', '2026-06-08']);
    expect(weeks.spans.reduce((s, [a, b]) => s + b - a, 0)).toBe(120);
    const offset = chartBuckets(days(100, '2026-06-03'));
    expect(offset.spans[0]).toEqual([0, 5]); // Wednesday to Sunday
    expect(offset.starts[1]).toBe('2026-06-08');
  });
});

/** A source answering from lists, as a ledger database could. */
function listSource(costs: SpendCostRow[], usage: SpendUsageRow[] = [], withThresholds = true): SpendSource {
  const inRange = <R extends { start_time?: unknown }>(rows: R[], start: number, end: number) =>
    rows.filter((r) => Number(r.start_time) >= start && Number(r.start_time) < end);
  return {
    async *costs(start, end, groupBy) {
      const merged = new Map<string, SpendCostRow>();
      for (const r of inRange(costs, start, end)) {
        const key = JSON.stringify([r.start_time, ...groupBy.map((g) => r[g])]);
        const prev = merged.get(key);
        const value = Number(r.amount?.value);
        if (prev) prev.amount = { value: Number(prev.amount!.value) + value, currency: 'usd' };
        else
          merged.set(key, {
            start_time: r.start_time,
            ...Object.fromEntries(groupBy.map((g) => [g, r[g]])),
            amount: { value, currency: 'usd' },
          });
      }
      yield* merged.values();
    },
    async *usage(start, end) {
      yield* inRange(usage, start, end);
    },
    async *projects() {
      yield* [
        { id: 'proj_a', name: 'Alpha', status: 'active' },
        { id: 'proj_b', name: 'Beta', status: 'active' },
        { id: 'proj_idle', name: 'Idle', status: 'active' },
        { id: 'proj_old', name: 'Old', status: 'archived' },
      ];
    },
    thresholds: async () => (withThresholds ? { currency: 'USD', limit: 400, alerts: [100, 250] } : undefined),
  };
}

const day = (iso: string) => at(`${iso}T00:00:00Z`);
const cost = (date: string, project: string, lineItem: string, value: number): SpendCostRow => ({
  start_time: day(date),
  project_id: project,
  line_item: lineItem,
  amount: { value, currency: 'usd' },
});

describe('buildSpendReport over a source', () => {
  const costs = [
    cost('2026-11-30', 'proj_a', 'gpt-4o, input', 4), // previous period of --days 7
    cost('2026-12-01', 'proj_a', 'gpt-4o, input', 10),
    cost('2026-12-01', 'proj_a', 'gpt-4o, output', 20),
    cost('2026-12-03', 'proj_b', 'web search tool calls', 5),
    cost('2026-12-07', 'proj_a', 'gpt-4o, input', 1),
  ];
  const usage: SpendUsageRow[] = [
    {
      start_time: day('2026-12-01'),
      project_id: 'proj_a',
      num_model_requests: 3,
      input_tokens: 1_000_000,
      output_tokens: 500_000,
    },
  ];

  test('lists every active project (zero spend too), compares with the period before, and prices tokens', async () => {
    const report = await buildSpendReport(listSource(costs, usage), { request: { days: 7 }, by: 'project', now: NOW });
    expect(report.rows.map((r) => [r.name, r.cost, r.previous_cost, r.change_pct])).toEqual([
      ['Alpha', 31, 4, 675],
      ['Beta', 5, 0, null],
      ['Idle', 0, 0, null],
    ]);
    const alpha = report.rows[0];
    expect([alpha.input_tokens, alpha.output_tokens, alpha.cost_per_1m_tokens]).toEqual([
      1_000_000, 500_000, 20.666667,
    ]);
    expect(report.rows[2].cost_per_1m_tokens).toBeNull();
    expect(report.totals).toMatchObject({ cost: 36, previous_cost: 4, change: 32, change_pct: 800 });
    expect(report.partialDay).toBe('2026-12-07');
    // Month to date: 31 + 5 + 0…; complete days 1st–6th: 35 over 6 days, 25 days left.
    expect(report.month).toMatchObject({ month: '2026-12', monthToDate: 36, daysInMonth: 31 });
    expect(report.month!.forecast).toBeCloseTo(35 + (35 / 6) * 25, 5);
    expect(report.thresholds).toEqual({ currency: 'USD', limit: 400, alerts: [100, 250] });
    expect(reportHeader(report).split('\n')).toEqual([
      'Spend by project, 2026-12-01 → 2026-12-07 (7 days, UTC), USD; total 36.00 USD',
      'Previous period 2026-11-24 → 2026-11-30 (the 7 day(s) before): 4.00 USD; change +32.00 USD (+800.0%)',
      'Today (2026-12-07) is a partial day: its costs are still coming in.',
      expect.stringMatching(
        /^Month to date \(2026-12\): 36\.00 USD; forecast to month end 180\.83 USD; method: run rate/,
      ),
      'Spend limit 400.00 USD/month; alerts at 100.00, 250.00 USD',
    ]);
  });

  test('the long CSV lines: one per day, project and line item, sorted, names joined, ISO dates', async () => {
    const source = listSource(costs, usage);
    const report = await buildSpendReport(source, { request: { month: '2026-12' }, by: 'model', now: NOW });
    expect(await spendLines(source, report)).toEqual([
      {
        date: '2026-12-01',
        project_id: 'proj_a',
        project_name: 'Alpha',
        line_item: 'gpt-4o, input',
        amount: 10,
        currency: 'USD',
      },
      {
        date: '2026-12-01',
        project_id: 'proj_a',
        project_name: 'Alpha',
        line_item: 'gpt-4o, output',
        amount: 20,
        currency: 'USD',
      },
      {
        date: '2026-12-03',
        project_id: 'proj_b',
        project_name: 'Beta',
        line_item: 'web search tool calls',
        amount: 5,
        currency: 'USD',
      },
      {
        date: '2026-12-07',
        project_id: 'proj_a',
        project_name: 'Alpha',
        line_item: 'gpt-4o, input',
        amount: 1,
        currency: 'USD',
      },
    ]);
  });

  test('the page: Okabe–Ito colours, the unit on the axis, today marked partial, limit and alerts drawn', async () => {
    const report = await buildSpendReport(listSource(costs, usage), { request: { days: 7 }, by: 'project', now: NOW });
    const page = renderSpendHtml(report, '2026-12-07T15:00:00Z');
    const fills = [...page.matchAll(/<g class="series"[^>]* fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual(OKABE_ITO.slice(0, 3));
    expect(page).toContain('data-unit="USD/day"');
    expect(page).toMatch(/<text class="unit"[^>]*>USD\/day<\/text>/);
    expect(page).toMatch(/data-date="2026-12-07" data-value="1" class="partial"><title>Alpha 2026-12-07 \(partial\)/);
    expect(
      [...page.matchAll(/<line class="(limit|alert)"[^>]* data-value="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['alert', '100'],
      ['alert', '250'],
      ['limit', '400'],
    ]);
    const without = renderSpendHtml(
      await buildSpendReport(listSource(costs, usage, false), { request: { days: 7 }, by: 'project', now: NOW }),
      'now',
    );
    expect(without).not.toMatch(/class="(limit|alert)"/);
    expect(without).toContain('spend limit and alerts could not be read');
  });

  test('beyond 90 days the page draws weekly bars (USD/week) whose values add up to the daily ones', async () => {
    const report = await buildSpendReport(listSource(costs), { request: { days: 120 }, by: 'project', now: NOW });
    const page = renderSpendHtml(report, 'now');
    expect(page).toContain('data-unit="USD/week"');
    const bars = [...page.matchAll(/data-date="([^"]+)" data-value="([^"]+)"/g)];
    expect(bars.every((m) => new Date(`${m[1]}T00:00:00Z`).getUTCDay() === 1 || m[1] === report.from)).toBe(true);
    expect(bars.reduce((s, m) => s + Number(m[2]), 0)).toBeCloseTo(report.totals.cost, 6);
  });
});
