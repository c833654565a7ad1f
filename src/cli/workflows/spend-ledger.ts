/**
 * `report spend --db`: the ledger (src/ledger) as the report's source (spend-source.ts), answered without a request,
 * and how fresh it is: when each series last synced and up to where its buckets are final.
 */
import type { LedgerStore } from '../../ledger/store.js';
import type { CostGroup, SpendSource, SpendUsageRow } from './spend-source.js';

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** The completions counters the report reads. */
const USAGE_METRICS = ['num_model_requests', 'input_tokens', 'output_tokens'] as const;

/**
 * The ledger as a SpendSource: daily totals of costs and completions usage, the project names it stored, and no
 * spend limit or alerts (a ledger does not hold them).
 * @example const report = await buildSpendReport(ledgerSpendSource(store), { request: { days: 30 }, by: 'project' });
 */
export function ledgerSpendSource(store: LedgerStore): SpendSource {
  return {
    async *costs(start: number, end: number, _groupBy: readonly CostGroup[]) {
      // Rows by day, project and line item: finer than any grouping asked for; the report adds them up by its own.
      for (const t of await store.dailyTotals('costs', 'amount', start, end))
        yield {
          start_time: t.day,
          project_id: t.project_id,
          line_item: t.line_item,
          amount: { value: t.value, currency: t.currency },
        };
    },
    async *usage(start: number, end: number, groupBy: 'project_id' | 'model') {
      const rows = new Map<string, SpendUsageRow & Record<string, unknown>>();
      for (const metric of USAGE_METRICS)
        for (const t of await store.dailyTotals('usage.completions', metric, start, end)) {
          const group = groupBy === 'project_id' ? t.project_id : t.model;
          const key = JSON.stringify([t.day, group]);
          let row = rows.get(key);
          if (!row) rows.set(key, (row = { start_time: t.day, [groupBy]: group }));
          row[metric] = ((row[metric] as number | undefined) ?? 0) + t.value;
        }
      yield* rows.values();
    },
    async *projects() {
      for (const [id, name] of await store.names('project')) yield { id, name };
    },
    thresholds: () => Promise.resolve(undefined),
  };
}

export interface LedgerFreshness {
  ledger: string;
  /** Latest sync of costs and of completions usage (Unix seconds; null when never synced). */
  costs_synced_at: number | null;
  usage_synced_at: number | null;
  /** Costs before this are final (no longer revised). */
  costs_final_until: number | null;
}

/** Where the ledger's costs and completions usage stand. */
export async function ledgerFreshness(store: LedgerStore): Promise<LedgerFreshness> {
  const cursors = new Map((await store.cursors()).map((c) => [c.series, c]));
  return {
    ledger: store.where,
    costs_synced_at: cursors.get('costs')?.synced_at ?? null,
    usage_synced_at: cursors.get('usage.completions')?.synced_at ?? null,
    costs_final_until: cursors.get('costs')?.final_until ?? null,
  };
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
