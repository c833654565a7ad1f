/**
 * Pure: the OpenMetrics text of a ledger (https://openmetrics.io, text format 1.0.0), for the exporter's /metrics.
 *
 * Every usage counter and every cost is a counter whose value is the ledger's sum since its first bucket: a scrape
 * reads the store, never the API, and an exporter restarted anywhere serves the same values (no reset, no replay).
 * When a sync corrects a revised bucket the counter moves by the revision: up when usage or a cost arrived late
 * (the usual case), and down in the rare case of a downward revision, which Prometheus reads as a counter reset —
 * `increase()` over such a window then overstates by the corrected value; the instant value stays exact.
 */
import type { Cursor, Total } from './store.js';
import { WIDTH_SECONDS, type BucketWidth } from './series.js';

export interface MetricsInput {
  totals: Total[];
  /** Project id → name. */
  projects: Map<string, string>;
  cursors: Cursor[];
  /** The latest vector store bytes per project. */
  vectorStoreBytes: Array<{ project_id: string; value: number }>;
  /** Unix seconds. */
  now: number;
  syncs: { ok: number; error: number };
}

export const CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** A label value as OpenMetrics writes it: backslash, double quote and line feed escaped. */
export const labelValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(',')}}`;

/** A metric name part from a field: lower case letters, digits and underscores only. */
const part = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** A sample value: integers as such, other numbers in the shortest form that reads back the same. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'NaN');

/** A sum of amounts to a billionth of the currency unit: float noise (1.8861970000000001) off, every cent kept. */
const money = (n: number) => Math.round(n * 1e9) / 1e9;

/**
 * The metric families, in a stable order.
 * @example
 * renderMetrics({ totals, projects, cursors, vectorStoreBytes: [], now: 1_800_000_000, syncs: { ok: 1, error: 0 } })
 * // '# TYPE openai_admin_usage_input_tokens counter\n…openai_admin_usage_input_tokens_total{endpoint="completions",…} 1234\n…# EOF\n'
 */
export function renderMetrics(input: MetricsInput): string {
  const out: string[] = [];
  const name = (id: string) => (id ? (input.projects.get(id) ?? id) : '');
  const families = new Map<string, string[]>();
  const help = new Map<string, string>();
  const add = (family: string, text: string, sample: string) => {
    if (!families.has(family)) (families.set(family, []), help.set(family, text));
    families.get(family)!.push(sample);
  };

  for (const t of input.totals) {
    if (t.series === 'costs') {
      add(
        'openai_admin_cost',
        'counter|Costs since the ledger starts, by project and line item (currency as a label).',
        `openai_admin_cost_total${labels({ project_id: t.project_id, project: name(t.project_id), line_item: t.line_item, currency: t.currency })} ${num(money(t.value))}`,
      );
      continue;
    }
    // Bytes stored are a level, not a flow: summing buckets would be meaningless (see vector_store_bytes below).
    if (t.metric === 'usage_bytes') continue;
    const family = `openai_admin_usage_${part(t.metric)}`;
    add(
      family,
      `counter|Usage ${t.metric} since the ledger starts, by endpoint, project and model.`,
      `${family}_total${labels({ endpoint: t.series.replace(/^usage\./, ''), project_id: t.project_id, project: name(t.project_id), model: t.model })} ${num(t.value)}`,
    );
  }
  for (const v of input.vectorStoreBytes)
    add(
      'openai_admin_vector_store_bytes',
      'gauge|Vector store bytes in the latest bucket, by project.',
      `openai_admin_vector_store_bytes${labels({ project_id: v.project_id, project: name(v.project_id) })} ${num(v.value)}`,
    );
  for (const c of input.cursors) {
    const series = { series: c.series };
    const width = WIDTH_SECONDS[c.bucket_width as BucketWidth] ?? 86_400;
    add(
      'openai_admin_ledger_last_sync_timestamp_seconds',
      'gauge|When the series last committed a sync (Unix seconds).',
      `openai_admin_ledger_last_sync_timestamp_seconds${labels(series)} ${c.synced_at}`,
    );
    add(
      'openai_admin_ledger_data_lag_seconds',
      'gauge|Seconds since the series last committed a sync.',
      `openai_admin_ledger_data_lag_seconds${labels(series)} ${Math.max(0, input.now - c.synced_at)}`,
    );
    add(
      'openai_admin_ledger_final_until_timestamp_seconds',
      'gauge|Every bucket of the series ending at or before this is final (Unix seconds).',
      `openai_admin_ledger_final_until_timestamp_seconds${labels(series)} ${c.final_until}`,
    );
    add(
      'openai_admin_ledger_buckets_not_final',
      'gauge|Buckets of the series still inside the re-read window (their values may still change).',
      `openai_admin_ledger_buckets_not_final${labels(series)} ${Math.max(0, Math.round((c.fetched_until - c.final_until) / width))}`,
    );
  }
  add(
    'openai_admin_exporter_syncs',
    'counter|Sync loops of this exporter process, by result.',
    `openai_admin_exporter_syncs_total${labels({ result: 'ok' })} ${input.syncs.ok}`,
  );
  families
    .get('openai_admin_exporter_syncs')!
    .push(`openai_admin_exporter_syncs_total${labels({ result: 'error' })} ${input.syncs.error}`);

  for (const [family, samples] of families) {
    const [type, text] = help.get(family)!.split('|');
    out.push(`# TYPE ${family} ${type}`, `# HELP ${family} ${text}`, ...samples);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}
