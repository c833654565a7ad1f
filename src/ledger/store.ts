/**
 * The ledger's storage contract and its schema, the same on SQLite and Postgres (sqlite-store.ts, postgres-store.ts).
 *
 * One row per bucket, group and metric (`input_tokens`, `num_model_requests`, …, `amount` for costs): a revised
 * bucket is corrected by replacing every row of the range that was re-read, in the transaction that also moves the
 * series' cursor, so a reader (the exporter, a report) sees either the old range or the new one, never both or
 * neither, and a process killed at any instant leaves the last committed state.
 */

/** One stored value: a metric of one group in one bucket. */
export interface LedgerRow {
  series: string;
  start_time: number;
  end_time: number;
  /** Canonical JSON of the group fields: the row's identity within its bucket. */
  group_key: string;
  project_id: string;
  /** The model (usage) or the line item (costs); '' when the series has neither. */
  model: string;
  line_item: string;
  /** Every group field, as JSON text. */
  dims: string;
  metric: string;
  value: number;
  /** The exact decimal text (a cost's `value_decimal`, a counter's digits). */
  value_text: string;
  currency: string;
  /** 1 once past the trailing window: never read again. */
  final: number;
}

/** Where a series stands. */
export interface Cursor {
  series: string;
  bucket_width: string;
  /** The first bucket the ledger holds. */
  since: number;
  /** Every bucket ending at or before this is final; the next sync reads from here. */
  final_until: number;
  /** The end of the latest range read. */
  fetched_until: number;
  /** The clock (Unix seconds) at the latest commit. */
  synced_at: number;
  /** Requests made for this series, ever (each page one). */
  requests: number;
}

/** A group's total of one metric (what reports and the exporter read). */
export interface Total {
  series: string;
  metric: string;
  project_id: string;
  model: string;
  line_item: string;
  currency: string;
  value: number;
}

export interface LedgerStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, without a password (for messages). */
  readonly where: string;
  cursors(): Promise<Cursor[]>;
  /**
   * One transaction: delete the series' rows with `start_time` in [from, to), insert `rows`, write `cursor`
   * (its `final_until` never moves back: two syncs at once keep the further one).
   */
  replaceRange(series: string, from: number, to: number, rows: LedgerRow[], cursor: Cursor): Promise<void>;
  /** The stored rows of a series (or all), oldest bucket first, in a stable order. */
  rows(series?: string): Promise<LedgerRow[]>;
  /**
   * Totals per series, metric, project, model/line item and currency, over the whole ledger or [from, to). Over the
   * whole ledger it reads the running totals of the final rows plus the rows of the trailing window (FOLD_SQL), in
   * one snapshot: its cost is bounded by the number of groups and the window, not by the ledger's history.
   */
  totals(range?: { from: number; to: number }): Promise<Total[]>;
  /** Daily totals of one metric (for report spend --db). */
  dailyTotals(series: string, metric: string, from: number, to: number): Promise<Array<Total & { day: number }>>;
  /** The latest bucket's value per project of a metric (a level, e.g. vector store bytes, not a flow). */
  latest(series: string, metric: string): Promise<Array<{ project_id: string; value: number; start_time: number }>>;
  names(kind: string): Promise<Map<string, string>>;
  /** Replaces the names of `kind` (project ids to names) and records when. */
  setNames(kind: string, names: Map<string, string>, at: number): Promise<void>;
  namesFetchedAt(kind: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The schema: portable SQL that both SQLite and Postgres accept. */
export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ledger_rows (
    series TEXT NOT NULL,
    start_time BIGINT NOT NULL,
    end_time BIGINT NOT NULL,
    group_key TEXT NOT NULL,
    project_id TEXT NOT NULL,
    model TEXT NOT NULL,
    line_item TEXT NOT NULL,
    dims TEXT NOT NULL,
    metric TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    value_text TEXT NOT NULL,
    currency TEXT NOT NULL,
    final SMALLINT NOT NULL,
    PRIMARY KEY (series, start_time, group_key, metric)
  )`,
  `CREATE TABLE IF NOT EXISTS ledger_cursors (
    series TEXT PRIMARY KEY,
    bucket_width TEXT NOT NULL,
    since BIGINT NOT NULL,
    final_until BIGINT NOT NULL,
    fetched_until BIGINT NOT NULL,
    synced_at BIGINT NOT NULL,
    requests BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS ledger_names (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  )`,
  `CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Running totals of the final rows (see FOLD_SQL): a scrape reads these plus the trailing window, not every row.
  `CREATE TABLE IF NOT EXISTS ledger_final_totals (
    series TEXT NOT NULL,
    metric TEXT NOT NULL,
    project_id TEXT NOT NULL,
    model TEXT NOT NULL,
    line_item TEXT NOT NULL,
    currency TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, metric, project_id, model, line_item, currency)
  )`,
  /* Per series: every row with start_time below folded_until is counted in ledger_final_totals. */
  `CREATE TABLE IF NOT EXISTS ledger_folded (series TEXT PRIMARY KEY, folded_until BIGINT NOT NULL)`,
];

export const ROW_COLUMNS = [
  'series',
  'start_time',
  'end_time',
  'group_key',
  'project_id',
  'model',
  'line_item',
  'dims',
  'metric',
  'value',
  'value_text',
  'currency',
  'final',
] as const;

export const ROWS_SQL = (where: string) =>
  `SELECT ${ROW_COLUMNS.join(', ')} FROM ledger_rows ${where} ORDER BY series, start_time, group_key, metric`;

export const TOTALS_SQL = (where: string) =>
  `SELECT series, metric, project_id, model, line_item, currency, SUM(value) AS value FROM ledger_rows ${where}
   GROUP BY series, metric, project_id, model, line_item, currency ORDER BY series, metric, project_id, model, line_item, currency`;

/** The total's identity: the columns a total is grouped by. */
const TOTAL_KEY = 'series, metric, project_id, model, line_item, currency';

/**
 * Adds (`sign` 1) or takes away (`sign` -1) the sums of a series' rows with start_time in [from, to) to the running
 * totals. Parameters: series, from, to, in the dialect's placeholders (`?` or `$1`…).
 *
 * Why running totals are exact and restart-safe: rows below a series' `final_until` are never re-read (a sync starts
 * at it), so once counted they stay counted; the fold runs in the very transaction that moves `final_until`, so a
 * kill leaves both or neither. A writer that replaces rows already folded (two syncs at once, one with an older
 * cursor) takes their sums away before the delete and adds the new ones after the insert, in its transaction.
 */
export const FOLD_SQL = (sign: 1 | -1, p: [string, string, string]) =>
  `INSERT INTO ledger_final_totals (${TOTAL_KEY}, value)
   SELECT ${TOTAL_KEY}, SUM(value) * ${sign} FROM ledger_rows
   WHERE series = ${p[0]} AND start_time >= ${p[1]} AND start_time < ${p[2]}
   GROUP BY ${TOTAL_KEY}
   ON CONFLICT (${TOTAL_KEY}) DO UPDATE SET value = ledger_final_totals.value + excluded.value`;

/** The sums of one series' rows from `start_time` >= the parameter on (the trailing window, read by a scrape). */
export const WINDOW_TOTALS_SQL = (p: [string, string]) =>
  `SELECT ${TOTAL_KEY}, SUM(value) AS value FROM ledger_rows WHERE series = ${p[0]} AND start_time >= ${p[1]}
   GROUP BY ${TOTAL_KEY}`;

export const FINAL_TOTALS_SQL = `SELECT ${TOTAL_KEY}, value FROM ledger_final_totals`;

/** Before any fold: every row of the series is in the window. */
export const NOTHING_FOLDED = Number.MIN_SAFE_INTEGER;

/**
 * Pure: the running totals of the final rows plus the window's sums, one total per group, in a stable order
 * (series, metric, project, model, line item, currency; code-unit order, the same on both stores).
 * @example
 * addTotals([{ ...t, value: 5 }], [{ ...t, value: 2 }]) // [{ ...t, value: 7 }]
 */
export function addTotals(...parts: Total[][]): Total[] {
  const byKey = new Map<string, Total>();
  for (const part of parts)
    for (const t of part) {
      const key = [t.series, t.metric, t.project_id, t.model, t.line_item, t.currency].join('\u0000');
      const seen = byKey.get(key);
      if (seen) seen.value += Number(t.value);
      else byKey.set(key, { ...t, value: Number(t.value) });
    }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

/** The message when a driver is missing (both are optional peer dependencies: the SDK has no runtime dependency). */
export const missingDriver = (pkg: string, version: string, what: string) =>
  new Error(
    `${what} needs the optional package ${pkg}, which is not installed: npm install ${pkg}@${version} ` +
      `(the SDK itself has no dependencies; only the ledger and exporter commands load it)`,
  );
