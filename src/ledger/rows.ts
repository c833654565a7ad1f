/**
 * Pure: the ledger rows of one API bucket. Group fields become text (`batch` arrives as a string, a boolean or
 * null: foxdalas/openai-exporter); counters are numbers even when sent as numeric strings; a cost keeps its exact
 * decimal text (`amount.value` is sometimes a JSON string: mozilla/bigquery-etl#9739). Whatever is no finite number
 * is left out and counted in `refused`, never stored as NaN: one bad value must not poison every total.
 */
import type { SeriesSpec } from './series.js';
import type { LedgerRow } from './store.js';

/** Counters of usage results, by name (the client's rule: every number field of every usage result in the spec). */
const COUNTER = /_tokens$|^num_|^(characters|seconds|images|usage_bytes)$/;

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

const finite = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

export interface BucketRows {
  rows: LedgerRow[];
  /** Values left out (not a finite number), by field name. */
  refused: string[];
}

/**
 * @example
 * rowsOfBucket(spec, ['project_id', 'model'], { start_time: 0, end_time: 60, results: [{ project_id: 'p', model: 'm', input_tokens: 5 }] }, true)
 * // → one row: metric 'input_tokens', value 5, group_key '{"model":"m","project_id":"p"}'
 */
export function rowsOfBucket(
  spec: Pick<SeriesSpec, 'name' | 'kind'>,
  groupBy: readonly string[],
  bucket: { start_time: unknown; end_time: unknown; results: unknown },
  final: (endTime: number) => boolean,
): BucketRows {
  const start = finite(bucket.start_time);
  const end = finite(bucket.end_time);
  if (start === undefined || end === undefined || !Array.isArray(bucket.results))
    throw new Error(`${spec.name}: a bucket without a numeric start_time/end_time or a results array`);
  const rows: LedgerRow[] = [];
  const refused: string[] = [];
  const sorted = [...groupBy].sort();
  for (const result of bucket.results as unknown[]) {
    if (!result || typeof result !== 'object') continue;
    const r = result as Record<string, unknown>;
    const dims = Object.fromEntries(sorted.map((f) => [f, text(r[f])]));
    const group_key = JSON.stringify(dims);
    const base = {
      series: spec.name,
      start_time: start,
      end_time: end,
      group_key,
      project_id: dims.project_id ?? '',
      model: dims.model ?? '',
      line_item: dims.line_item ?? '',
      dims: group_key,
      final: final(end) ? 1 : 0,
    };
    if (spec.kind === 'costs') {
      const amount = (r.amount ?? {}) as { value?: unknown; currency?: unknown };
      const value = finite(amount.value);
      if (value === undefined) {
        refused.push('amount.value');
        continue;
      }
      const value_text = typeof amount.value === 'string' ? amount.value.trim() : String(amount.value);
      rows.push({ ...base, metric: 'amount', value, value_text, currency: text(amount.currency).toLowerCase() });
      continue;
    }
    for (const field of Object.keys(r).sort()) {
      if (!COUNTER.test(field) || sorted.includes(field)) continue;
      const value = finite(r[field]);
      if (value === undefined) {
        if (r[field] !== null && r[field] !== undefined) refused.push(field);
        continue;
      }
      rows.push({ ...base, metric: field, value, value_text: String(value), currency: '' });
    }
  }
  return { rows: merged(rows), refused };
}

/** Two results of one group in one bucket (a server that repeats itself) add up rather than collide on the key. */
function merged(rows: LedgerRow[]): LedgerRow[] {
  const byKey = new Map<string, LedgerRow>();
  for (const row of rows) {
    const key = `${row.group_key}\u0000${row.metric}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, row);
    else ((seen.value += row.value), (seen.value_text = String(seen.value)));
  }
  return [...byKey.values()];
}
