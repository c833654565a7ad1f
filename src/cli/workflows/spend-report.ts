/**
 * The data of `openai-admin report spend`: daily costs over the last N UTC days, grouped by project, line item
 * or model, joined with project names and (for projects and models) completions usage. Pure aggregation over
 * the client's paged `.rows()`; rendering lives in spend-render.ts and spend-html.ts.
 *
 * Costs have no model dimension; a line item reads "gpt-4o-2024-08-06, input", so `--by model` groups line
 * items by the part before the comma (tool calls such as "web search tool calls" stay as they are).
 */
import type { OpenAIAdmin } from '../../client.js';
import { lastDays } from './last-days.js';

const DAY = 86_400;

export const SPEND_DIMENSIONS = ['project', 'line_item', 'model'] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

export interface SpendReportOptions {
  /** Whole UTC days ending today (today included). */
  days: number;
  by: SpendDimension;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
  /** Hears what the report leaves out (a cost that is not a number), once per kind. */
  warn?: (message: string) => void;
}

export interface SpendRow {
  key: string;
  name: string;
  cost: number;
  /** Share of the total, 0..1. */
  share: number;
  /** Cost per day, aligned with SpendReport.dates. */
  daily: number[];
  requests?: number;
  input_tokens?: number;
  output_tokens?: number;
}

export interface SpendReport {
  by: SpendDimension;
  /** First and last UTC day included (YYYY-MM-DD). */
  from: string;
  to: string;
  startTime: number;
  endTime: number;
  dates: string[];
  /** Upper case, e.g. USD ('' when there are no costs). */
  currency: string;
  /** Most expensive first. */
  rows: SpendRow[];
  totals: { cost: number; daily: number[]; requests?: number; input_tokens?: number; output_tokens?: number };
}

/** "gpt-4o-2024-08-06, input" → "gpt-4o-2024-08-06"; "web search tool calls" stays. Pure. */
export const modelOfLineItem = (lineItem: string): string => lineItem.split(',')[0].trim();

/**
 * A name or key from the server as text: the types say string, but a server may send anything (a number, an
 * object, null); a report must not crash on it (sorting calls localeCompare) nor print "[object Object]". Pure.
 */
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

export async function buildSpendReport(admin: OpenAIAdmin, options: SpendReportOptions): Promise<SpendReport> {
  const { days, by } = options;
  const warned = new Set<string>();
  const warn = (message: string) => warned.has(message) || (warned.add(message), options.warn?.(message));
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // The one definition of "the last N days" (last-days.ts), shared with the tour.
  const { start: startTime, end: endTime, dates } = lastDays(days, now);

  const names = new Map<string, string>();
  if (by === 'project')
    for await (const p of admin.projects.list({ include_archived: true, limit: 100 }))
      names.set(text(p.id), text(p.name) || text(p.id));

  const rows = new Map<string, SpendRow>();
  const row = (key: string): SpendRow => {
    let r = rows.get(key);
    if (!r)
      rows.set(
        key,
        (r = {
          key,
          name: by === 'project' ? (key ? (names.get(key) ?? key) : '(no project)') : key || '(none)',
          cost: 0,
          share: 0,
          daily: dates.map(() => 0),
        }),
      );
    return r;
  };

  let currency = '';
  const group_by = [by === 'project' ? 'project_id' : 'line_item'] as const;
  // The costs endpoint allows 180 daily buckets per page; the client walks next_page for longer ranges.
  for await (const c of admin
    .costs({ start_time: startTime, end_time: endTime, bucket_width: '1d', group_by: [...group_by] })
    .rows()) {
    // The client reads a decimal string as a number; anything else (NaN from text, an object) would make every
    // total NaN: left out, and said.
    const value: unknown = c.amount?.value ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      warn("a cost's amount.value is not a number; left out of the report");
      continue;
    }
    const cur = text(c.amount?.currency).toUpperCase();
    if (cur && currency && cur !== currency)
      throw new Error(`mixed currencies in the costs (${currency} and ${cur}); the report cannot add them up`);
    currency ||= cur;
    const key =
      by === 'project' ? text(c.project_id) : by === 'model' ? modelOfLineItem(text(c.line_item)) : text(c.line_item);
    const r = row(key);
    const index = Math.floor((Number(c.start_time) - startTime) / DAY);
    if (index >= 0 && index < days) r.daily[index] += value;
    r.cost += value;
  }

  const withUsage = by !== 'line_item';
  if (withUsage) {
    const usageGroup = by === 'project' ? 'project_id' : 'model';
    for await (const u of admin.usage
      .completions({ start_time: startTime, end_time: endTime, bucket_width: '1d', group_by: [usageGroup] })
      .rows()) {
      const key = text(by === 'project' ? u.project_id : u.model);
      // Usage for a group without costs gets a row too (zero cost): still worth seeing.
      const r = row(key);
      // Counters are numbers in rows (the client coerces "5" and leaves out, with a warning, what is no number).
      r.requests = (r.requests ?? 0) + (u.num_model_requests ?? 0);
      r.input_tokens = (r.input_tokens ?? 0) + (u.input_tokens ?? 0);
      r.output_tokens = (r.output_tokens ?? 0) + (u.output_tokens ?? 0);
    }
  }

  const list = [...rows.values()];
  const total = list.reduce((s, r) => s + r.cost, 0);
  for (const r of list) {
    r.cost = round(r.cost);
    r.daily = r.daily.map(round);
    r.share = total > 0 ? r.cost / total : 0;
    if (withUsage) {
      r.requests ??= 0;
      r.input_tokens ??= 0;
      r.output_tokens ??= 0;
    }
  }
  list.sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));
  const totals: SpendReport['totals'] = {
    cost: round(total),
    daily: dates.map((_, i) => round(list.reduce((s, r) => s + r.daily[i], 0))),
  };
  if (withUsage) {
    totals.requests = list.reduce((s, r) => s + (r.requests ?? 0), 0);
    totals.input_tokens = list.reduce((s, r) => s + (r.input_tokens ?? 0), 0);
    totals.output_tokens = list.reduce((s, r) => s + (r.output_tokens ?? 0), 0);
  }
  return { by, from: dates[0], to: dates.at(-1)!, startTime, endTime, dates: [...dates], currency, rows: list, totals };
}

/** Money to a millionth: sums of floats stay readable and compare exactly in tests. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
