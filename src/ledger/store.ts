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
  /** Totals per series, metric, project, model/line item and currency, over the whole ledger or [from, to). */
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

/** The message when a driver is missing (both are optional peer dependencies: the SDK has no runtime dependency). */
export const missingDriver = (pkg: string, version: string, what: string) =>
  new Error(
    `${what} needs the optional package ${pkg}, which is not installed: npm install ${pkg}@${version} ` +
      `(the SDK itself has no dependencies; only the ledger and exporter commands load it)`,
  );
