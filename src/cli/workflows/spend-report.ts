/**
 * The data of `openai-admin report spend`: daily costs over a period of whole UTC days (spend-period.ts), grouped
 * by project, line item or model, joined with project names and (for projects and models) completions usage; the
 * previous period side by side; month-to-date and a forecast when the period includes today; the organization's
 * spend limit and alerts. Pure aggregation over a SpendSource (spend-source.ts); rendering lives in
 * spend-render.ts and spend-html.ts.
 *
 * Costs have no model dimension; a line item reads "gpt-4o-2024-08-06, input", so `--by model` groups line
 * items by the part before the comma (tool calls such as "web search tool calls" stay as they are).
 */
import {
  DAY,
  forecastMonth,
  reportPeriods,
  type Forecast,
  type PeriodRequest,
  type ReportPeriods,
} from './spend-period.js';
import type { SpendSource, SpendThresholds } from './spend-source.js';

export const SPEND_DIMENSIONS = ['project', 'line_item', 'model'] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

export interface SpendReportOptions {
  request: PeriodRequest;
  by: SpendDimension;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
  /** Hears what the report leaves out (a cost that is not a number), once per kind. */
  warn?: (message: string) => void;
}

/** The figures of a row and of the totals: cost, the comparison with the previous period, usage. */
export interface SpendFigures {
  cost: number;
  /** Cost in the previous period, and the change from it (null when the previous cost is 0: no percentage). */
  previous_cost: number;
  change: number;
  change_pct: number | null;
  /** Cost per day, aligned with SpendReport.dates. */
  daily: number[];
  requests?: number;
  input_tokens?: number;
  output_tokens?: number;
  /** All of the cost over its tokens (input + output), per million; null without tokens. */
  cost_per_1m_tokens?: number | null;
}

export interface SpendRow extends SpendFigures {
  key: string;
  name: string;
  /** Share of the total, 0..1. */
  share: number;
}

export interface SpendReport {
  by: SpendDimension;
  /** First and last UTC day included (YYYY-MM-DD). */
  from: string;
  to: string;
  startTime: number;
  endTime: number;
  dates: string[];
  /** Today (YYYY-MM-DD) when it is in the range: its costs are still coming in. */
  partialDay: string | null;
  /** Upper case, e.g. USD ('' when there are no costs). */
  currency: string;
  /** Most expensive first; with --by project every active project, zero spend included. */
  rows: SpendRow[];
  totals: SpendFigures;
  previous: { from: string; to: string; startTime: number; endTime: number; description: string; cost: number };
  /** The current UTC month to now, and its forecast, when the range includes today. */
  month: (Forecast & { month: string; daysInMonth: number; daily: number[]; dates: string[] }) | null;
  /** The organization's monthly spend limit and alert thresholds (currency units), when readable. */
  thresholds: SpendThresholds | null;
}

/** "gpt-4o-2024-08-06, input" → "gpt-4o-2024-08-06"; "web search tool calls" stays. Pure. */
export const modelOfLineItem = (lineItem: string): string => lineItem.split(',')[0].trim();

/**
 * A name or key from the server as text: the types say string, but a server may send anything (a number, an
 * object, null); a report must not crash on it (sorting calls localeCompare) nor print "[object Object]". Pure.
 */
export const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/** A counter as a number (the client coerces "5"); anything else counts as 0. */
const counter = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Money to a millionth: sums of floats stay readable and compare exactly in tests. */
export const round = (n: number): number => Math.round(n * 1e6) / 1e6;

const changeOf = (cost: number, previous: number) => ({
  previous_cost: round(previous),
  change: round(cost - previous),
  change_pct: previous > 0 ? Math.round(((cost - previous) / previous) * 1e4) / 100 : null,
});

const perMillion = (cost: number, tokens: number) => (tokens > 0 ? round((cost / tokens) * 1e6) : null);

/** Reads costs checked: a value that is no finite number is left out (and said), currencies must agree. */
class CostReader {
  currency = '';
  private readonly warned = new Set<string>();
  constructor(private readonly warnTo?: (message: string) => void) {}

  warn(message: string): void {
    if (!this.warned.has(message)) (this.warned.add(message), this.warnTo?.(message));
  }

  /** The row's amount, or undefined when it is left out. */
  amount(row: { amount?: { value?: unknown; currency?: unknown } | null }): number | undefined {
    // The client reads a decimal string as a number; anything else (NaN from text, an object) would make every
    // total NaN: left out, and said.
    const value: unknown = row.amount?.value ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.warn("a cost's amount.value is not a number; left out of the report");
      return undefined;
    }
    const cur = text(row.amount?.currency).toUpperCase();
    if (cur && this.currency && cur !== this.currency)
      throw new Error(`mixed currencies in the costs (${this.currency} and ${cur}); the report cannot add them up`);
    this.currency ||= cur;
    return value;
  }
}

/**
 * Builds the report from a source.
 * @example const report = await buildSpendReport(apiSpendSource(admin), { request: { month: '2026-11' }, by: 'project' });
 */
export async function buildSpendReport(source: SpendSource, options: SpendReportOptions): Promise<SpendReport> {
  const { by } = options;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const periods: ReportPeriods = reportPeriods(options.request, now);
  const { current, previous, month } = periods;
  const reader = new CostReader(options.warn);

  const names = new Map<string, string>();
  const active: string[] = [];
  if (by === 'project')
    for await (const p of source.projects()) {
      names.set(text(p.id), text(p.name) || text(p.id));
      if (p.status !== 'archived') active.push(text(p.id));
    }

  // Two walks over the costs: the period itself, then what comes before it that the comparison and the month so far
  // need (a week before the month start is kept for a forecast on the 1st). Adjacent ranges, the same numbers for
  // all three views, few requests.
  const fetchStart = Math.min(previous.start, current.start, month ? month.start - 7 * DAY : Infinity);
  const dayIndex = (start: number) => Math.floor((start - fetchStart) / DAY);
  const span = Math.round((current.end - fetchStart) / DAY);
  const byKey = new Map<string, number[]>();
  const orgDaily = new Array<number>(span).fill(0);
  const group = [by === 'project' ? 'project_id' : 'line_item'] as const;
  for (const [from, to] of [
    [current.start, current.end],
    [fetchStart, current.start],
  ]) {
    if (from >= to) continue;
    for await (const c of source.costs(from, to, group)) {
      const value = reader.amount(c);
      if (value === undefined) continue;
      const i = dayIndex(Number(c.start_time));
      if (!(i >= dayIndex(from) && i < dayIndex(to))) continue;
      const key =
        by === 'project' ? text(c.project_id) : by === 'model' ? modelOfLineItem(text(c.line_item)) : text(c.line_item);
      let days = byKey.get(key);
      if (!days) byKey.set(key, (days = new Array<number>(span).fill(0)));
      days[i] += value;
      orgDaily[i] += value;
    }
  }
  const slice = (days: readonly number[], p: { start: number; end: number }) =>
    days.slice(dayIndex(p.start), dayIndex(p.end));
  const sum = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0);

  const rows = new Map<string, SpendRow>();
  const row = (key: string): SpendRow => {
    let r = rows.get(key);
    if (!r) {
      const days = byKey.get(key) ?? new Array<number>(span).fill(0);
      const daily = slice(days, current);
      r = {
        key,
        name: by === 'project' ? (key ? (names.get(key) ?? key) : '(no project)') : key || '(none)',
        cost: sum(daily),
        share: 0,
        ...changeOf(sum(daily), sum(slice(days, previous))),
        daily,
      };
      rows.set(key, r);
    }
    return r;
  };
  // Every active project is listed, zero spend included (an archived one when it has costs); other groups are those
  // with costs in either period.
  for (const key of active) row(key);
  for (const key of byKey.keys()) row(key);

  const withUsage = by !== 'line_item';
  if (withUsage) {
    for (const r of rows.values()) Object.assign(r, { requests: 0, input_tokens: 0, output_tokens: 0 });
    for await (const u of source.usage(current.start, current.end, by === 'project' ? 'project_id' : 'model')) {
      // Usage for a group without costs gets a row too (zero cost): still worth seeing.
      const r = row(text(by === 'project' ? u.project_id : u.model));
      r.requests = (r.requests ?? 0) + counter(u.num_model_requests);
      r.input_tokens = (r.input_tokens ?? 0) + counter(u.input_tokens);
      r.output_tokens = (r.output_tokens ?? 0) + counter(u.output_tokens);
    }
  }

  const list = [...rows.values()];
  const total = sum(list.map((r) => r.cost));
  for (const r of list) {
    r.cost = round(r.cost);
    r.daily = r.daily.map(round);
    r.share = total > 0 ? r.cost / total : 0;
    if (withUsage) r.cost_per_1m_tokens = perMillion(r.cost, (r.input_tokens ?? 0) + (r.output_tokens ?? 0));
  }
  list.sort((a, b) => b.cost - a.cost || b.previous_cost - a.previous_cost || a.name.localeCompare(b.name));

  const previousTotal = sum(slice(orgDaily, previous));
  const totals: SpendReport['totals'] = {
    cost: round(total),
    daily: current.dates.map((_, i) => round(sum(list.map((r) => r.daily[i])))),
    ...changeOf(total, previousTotal),
  };
  if (withUsage) {
    totals.requests = sum(list.map((r) => r.requests ?? 0));
    totals.input_tokens = sum(list.map((r) => r.input_tokens ?? 0));
    totals.output_tokens = sum(list.map((r) => r.output_tokens ?? 0));
    totals.cost_per_1m_tokens = perMillion(total, totals.input_tokens + totals.output_tokens);
  }

  let monthReport: SpendReport['month'] = null;
  if (month) {
    const daily = slice(orgDaily, month).map(round);
    const f = forecastMonth(
      daily,
      month.daysInMonth,
      slice(orgDaily, { start: month.start - 7 * DAY, end: month.start }),
    );
    monthReport = {
      month: month.dates[0].slice(0, 7),
      daysInMonth: month.daysInMonth,
      dates: month.dates,
      daily,
      ...f,
      monthToDate: round(f.monthToDate),
      forecast: round(f.forecast),
    };
  }

  const thresholds = (await source.thresholds()) ?? null;
  return {
    by,
    from: current.dates[0],
    to: current.dates.at(-1)!,
    startTime: current.start,
    endTime: current.end,
    dates: current.dates,
    partialDay: periods.partialDay ?? null,
    currency: reader.currency,
    rows: list,
    totals,
    previous: {
      from: previous.dates[0],
      to: previous.dates.at(-1)!,
      startTime: previous.start,
      endTime: previous.end,
      description: periods.comparison,
      cost: round(previousTotal),
    },
    month: monthReport,
    thresholds,
  };
}

/** One line of the long CSV: a day, a project, a line item, an amount. */
export interface SpendLine {
  date: string;
  project_id: string;
  project_name: string;
  line_item: string;
  amount: number;
  currency: string;
}

/**
 * The current period's costs in long format (one row per day, project and line item with a cost), the shape
 * finance tools pivot: sorted by date, project id, line item. Reads the source again, grouped by both.
 */
export async function spendLines(
  source: SpendSource,
  report: Pick<SpendReport, 'startTime' | 'endTime' | 'rows' | 'by'>,
  warn?: (message: string) => void,
): Promise<SpendLine[]> {
  const names = new Map<string, string>();
  if (report.by === 'project') for (const r of report.rows) names.set(r.key, r.name);
  else for await (const p of source.projects()) names.set(text(p.id), text(p.name) || text(p.id));
  const reader = new CostReader(warn);
  const lines = new Map<string, SpendLine>();
  for await (const c of source.costs(report.startTime, report.endTime, ['project_id', 'line_item'])) {
    const value = reader.amount(c);
    if (value === undefined) continue;
    const start = Number(c.start_time);
    if (!(start >= report.startTime && start < report.endTime)) continue;
    const date = new Date(Math.floor(start / DAY) * DAY * 1000).toISOString().slice(0, 10);
    const projectId = text(c.project_id);
    const lineItem = text(c.line_item);
    const key = JSON.stringify([date, projectId, lineItem]);
    const line = lines.get(key);
    if (line) line.amount += value;
    else
      lines.set(key, {
        date,
        project_id: projectId,
        project_name: names.get(projectId) ?? '',
        line_item: lineItem,
        amount: value,
        currency: '',
      });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...lines.values()]
    .map((l) => ({ ...l, amount: round(l.amount), currency: reader.currency }))
    .sort((a, b) => cmp(a.date, b.date) || cmp(a.project_id, b.project_id) || cmp(a.line_item, b.line_item));
}
