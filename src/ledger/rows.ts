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
  // The group key is the canonical JSON of the sorted group fields: each field's `"name":` written once here.
  const prefixes = sorted.map((f, i) => (i === 0 ? '{' : ',') + JSON.stringify(f) + ':');
  const grouped = new Set(sorted);
  const isFinal = final(end) ? 1 : 0;
  const fieldsOf = counterFields(grouped);
  // Groups seen in this bucket: a second result of one group is merged (rare), not stored twice.
  const seen = new Set<string>();
  let repeated = false;
  for (const result of bucket.results as unknown[]) {
    if (!result || typeof result !== 'object') continue;
    const r = result as Record<string, unknown>;
    let group_key = sorted.length === 0 ? '{}' : '';
    for (let i = 0; i < sorted.length; i++) group_key += prefixes[i] + JSON.stringify(text(r[sorted[i]]));
    if (sorted.length > 0) group_key += '}';
    if (seen.has(group_key)) repeated = true;
    else seen.add(group_key);
    const project_id = grouped.has('project_id') ? text(r.project_id) : '';
    const model = grouped.has('model') ? text(r.model) : '';
    const line_item = grouped.has('line_item') ? text(r.line_item) : '';
    if (spec.kind === 'costs') {
      const amount = (r.amount ?? {}) as { value?: unknown; currency?: unknown };
      const value = finite(amount.value);
      if (value === undefined) {
        refused.push('amount.value');
        continue;
      }
      const value_text = typeof amount.value === 'string' ? amount.value.trim() : String(amount.value);
      const currency = text(amount.currency).toLowerCase();
      rows.push(
        row(
          spec.name,
          start,
          end,
          group_key,
          project_id,
          model,
          line_item,
          'amount',
          value,
          value_text,
          currency,
          isFinal,
        ),
      );
      continue;
    }
    for (const field of fieldsOf(r)) {
      const value = finite(r[field]);
      if (value === undefined) {
        if (r[field] !== null && r[field] !== undefined) refused.push(field);
        continue;
      }
      rows.push(
        row(spec.name, start, end, group_key, project_id, model, line_item, field, value, String(value), '', isFinal),
      );
    }
  }
  return { rows: repeated ? merged(rows) : rows, refused };
}

/** One row, every field in one order (one object shape for millions of rows). */
const row = (
  series: string,
  start_time: number,
  end_time: number,
  group_key: string,
  project_id: string,
  model: string,
  line_item: string,
  metric: string,
  value: number,
  value_text: string,
  currency: string,
  final: number,
): LedgerRow => ({
  series,
  start_time,
  end_time,
  group_key,
  project_id,
  model,
  line_item,
  dims: group_key,
  metric,
  value,
  value_text,
  currency,
  final,
});

/**
 * The counter fields of a result, sorted (the rows' order), excluding group fields. Results of one response share
 * their field names in one order: the answer for the last field list is kept and reused while it matches.
 */
function counterFields(grouped: ReadonlySet<string>): (r: Record<string, unknown>) => string[] {
  let lastKeys: string[] = [];
  let lastFields: string[] = [];
  return (r) => {
    const keys = Object.keys(r);
    if (keys.length === lastKeys.length && keys.every((k, i) => k === lastKeys[i])) return lastFields;
    lastKeys = keys;
    lastFields = [...keys].sort().filter((f) => COUNTER.test(f) && !grouped.has(f));
    return lastFields;
  };
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
