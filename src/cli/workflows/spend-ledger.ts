/**
 * `report spend --db`: the same report as spend-report.ts, answered from the ledger (src/ledger) without a request,
 * with how fresh it is: when each series last synced and up to where its buckets are final.
 */
import type { LedgerStore } from '../../ledger/store.js';
import { modelOfLineItem, type SpendDimension, type SpendReport, type SpendRow } from './spend-report.js';

const DAY = 86_400;
const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const round = (n: number) => Math.round(n * 1e6) / 1e6;

export interface LedgerFreshness {
  ledger: string;
  /** Latest sync of costs and of completions usage (Unix seconds; null when never synced). */
  costs_synced_at: number | null;
  usage_synced_at: number | null;
  /** Costs before this are final (no longer revised). */
  costs_final_until: number | null;
}

export async function spendReportFromLedger(
  store: LedgerStore,
  options: { days: number; by: SpendDimension; now: number },
): Promise<SpendReport & { freshness: LedgerFreshness }> {
  const { days, by } = options;
  const today = Math.floor(options.now / DAY) * DAY;
  const startTime = today - (days - 1) * DAY;
  const endTime = today + DAY;
  const dates = Array.from({ length: days }, (_, i) => day(startTime + i * DAY));
  const names = by === 'project' ? await store.names('project') : new Map<string, string>();
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
  for (const t of await store.dailyTotals('costs', 'amount', startTime, endTime)) {
    const cur = t.currency.toUpperCase();
    if (cur && currency && cur !== currency)
      throw new Error(`mixed currencies in the ledger (${currency} and ${cur}); the report cannot add them up`);
    currency ||= cur;
    const key = by === 'project' ? t.project_id : by === 'model' ? modelOfLineItem(t.line_item) : t.line_item;
    const r = row(key);
    const index = Math.floor((t.day - startTime) / DAY);
    if (index >= 0 && index < days) r.daily[index] += t.value;
    r.cost += t.value;
  }
  const withUsage = by !== 'line_item';
  if (withUsage) {
    for (const t of await store.totals({ from: startTime, to: endTime })) {
      if (t.series !== 'usage.completions') continue;
      const field = { num_model_requests: 'requests', input_tokens: 'input_tokens', output_tokens: 'output_tokens' }[
        t.metric
      ] as 'requests' | 'input_tokens' | 'output_tokens' | undefined;
      if (!field) continue;
      const r = row(by === 'project' ? t.project_id : t.model);
      r[field] = (r[field] ?? 0) + t.value;
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
  const cursors = new Map((await store.cursors()).map((c) => [c.series, c]));
  const freshness: LedgerFreshness = {
    ledger: store.where,
    costs_synced_at: cursors.get('costs')?.synced_at ?? null,
    usage_synced_at: cursors.get('usage.completions')?.synced_at ?? null,
    costs_final_until: cursors.get('costs')?.final_until ?? null,
  };
  return { by, from: dates[0], to: dates.at(-1)!, startTime, endTime, dates, currency, rows: list, totals, freshness };
}

/** One line for people: how old the answer is. Pure. */
export function freshnessLine(f: LedgerFreshness, now: number): string {
  const ago = (t: number | null) => {
    if (t === null) return 'never synced';
    const m = Math.max(0, Math.round((now - t) / 60));
    return `synced ${m < 120 ? `${m} min` : `${Math.round(m / 60)} h`} ago`;
  };
  const final = f.costs_final_until === null ? '' : `; costs final up to ${day(f.costs_final_until)}`;
  return `from the ledger ${f.ledger}: costs ${ago(f.costs_synced_at)}, usage ${ago(f.usage_synced_at)}${final} (no request made)`;
}
