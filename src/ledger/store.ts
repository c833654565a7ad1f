/**
 * The ledger's storage contract and its schema, the same on SQLite and Postgres (sqlite-store.ts, postgres-store.ts).
 *
 * One row per bucket, group and metric (`input_tokens`, `num_model_requests`, …, `amount` for costs; stored as a
 * value of `ledger_values` under its key in `ledger_keys`, see SCHEMA, and read back whole as a LedgerRow): a revised
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

/**
 * The schema's version, kept in `ledger_meta` under `schema_version`. 1 (no entry) kept every row whole in
 * `ledger_rows`: its series, group key, dimensions and metric as text in every row and again in its primary key
 * index, about 365 bytes a row. 2 keeps each distinct (series, group, metric, currency) once in `ledger_keys` and
 * each value as a few integers in `ledger_values`, clustered on its natural key (see SCHEMA). A ledger of version 1
 * is migrated in place, in one transaction, when it is opened (MIGRATE_V1); a newer version than this code knows is
 * refused with a message naming both.
 */
export const SCHEMA_VERSION = 2;

/**
 * The schema: portable SQL that both SQLite and Postgres accept. `clustered` is the storage clause of the value
 * table: SQLite's `WITHOUT ROWID` (the rows live in the primary key's b-tree, in key order: no second copy of the
 * key in an index), nothing on Postgres (a heap and its primary key index). Tables and columns are the same.
 */
export const SCHEMA = (clustered: string) => [
  /* Series names as small integers: the first column of every value's key. */
  `CREATE TABLE IF NOT EXISTS ledger_series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`,
  /*
   * One entry per distinct (series, group, metric, currency): what every value of that key would otherwise repeat.
   * Append-only: an id, once committed, always names the same key (a writer's cache of ids stays true).
   */
  `CREATE TABLE IF NOT EXISTS ledger_keys (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL,
    group_key TEXT NOT NULL,
    metric TEXT NOT NULL,
    currency TEXT NOT NULL,
    project_id TEXT NOT NULL,
    model TEXT NOT NULL,
    line_item TEXT NOT NULL,
    dims TEXT NOT NULL,
    UNIQUE (series, group_key, metric, currency)
  )`,
  /*
   * One value per series, bucket and key, in key order: a range of buckets (what a sync replaces, what a fold or a
   * scrape sums) is one contiguous run. value_text is NULL when String(value) already says it (every counter); a
   * cost's exact decimal text is kept when it says more.
   */
  `CREATE TABLE IF NOT EXISTS ledger_values (
    series_id INTEGER NOT NULL,
    start_time BIGINT NOT NULL,
    key_id INTEGER NOT NULL,
    end_time BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    value_text TEXT,
    final SMALLINT NOT NULL,
    PRIMARY KEY (series_id, start_time, key_id)
  )${clustered}`,
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

/**
 * Version 1's table as a view over version 2's, with the same columns (value_text NULL where String(value) says
 * it): SQL written against a version 1 ledger (docs/spend.md's examples, a team's dashboards) reads on. Created once,
 * with the tables (a view has no IF NOT EXISTS on Postgres).
 */
export const ROWS_VIEW = `CREATE VIEW ledger_rows AS
  SELECT k.series, v.start_time, v.end_time, k.group_key, k.project_id, k.model, k.line_item, k.dims, k.metric,
    v.value, v.value_text, k.currency, v.final
  FROM ledger_values v JOIN ledger_keys k ON k.id = v.key_id`;

/** Reads the stored schema version: '2', or undefined before any was written. */
export const VERSION_SQL = `SELECT value FROM ledger_meta WHERE key = 'schema_version'`;
export const SET_VERSION_SQL = `INSERT INTO ledger_meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

/**
 * Version 1 to 2, after SCHEMA has created the new tables, in the transaction that then records version 2: the
 * series and keys of the old rows get ids in a stable order, every row becomes a value, the old table goes.
 * ledger_final_totals, ledger_folded, ledger_cursors and ledger_names mean the same in both versions and stay.
 * Portable SQL (window functions: SQLite 3.25+, every supported Postgres).
 */
export const MIGRATE_V1 = [
  `INSERT INTO ledger_series (id, name)
   SELECT ROW_NUMBER() OVER (ORDER BY series), series FROM (SELECT DISTINCT series FROM ledger_rows) s`,
  `INSERT INTO ledger_keys (id, series, group_key, metric, currency, project_id, model, line_item, dims)
   SELECT ROW_NUMBER() OVER (ORDER BY series, group_key, metric, currency), series, group_key, metric, currency,
     MAX(project_id), MAX(model), MAX(line_item), MAX(dims)
   FROM ledger_rows GROUP BY series, group_key, metric, currency`,
  `INSERT INTO ledger_values (series_id, start_time, key_id, end_time, value, value_text, final)
   SELECT s.id, r.start_time, k.id, r.end_time, r.value, r.value_text, r.final
   FROM ledger_rows r
   JOIN ledger_series s ON s.name = r.series
   JOIN ledger_keys k ON k.series = r.series AND k.group_key = r.group_key AND k.metric = r.metric AND k.currency = r.currency`,
  `DROP TABLE ledger_rows`,
  ROWS_VIEW,
];

/** Gives a series its id when it has none (p: the name's placeholder); ids are only taken in a write transaction. */
export const SERIES_ID_SQL = (p = '?') =>
  `INSERT INTO ledger_series (id, name) SELECT COALESCE(MAX(id), 0) + 1, CAST(${p} AS TEXT) FROM ledger_series WHERE true
   ON CONFLICT (name) DO NOTHING`;

/** The message for a ledger written by a newer openai-admin. */
export const newerSchema = (where: string, found: string) =>
  new Error(
    `the ledger ${where} has schema version ${found}; this openai-admin knows versions 1 to ${SCHEMA_VERSION}: ` +
      `upgrade openai-admin (npm install openai-admin@latest) to read it, or point --db at another ledger`,
  );

/** A row as stored, before its series and key are joined back in (value_text NULL: String(value)). */
export const ROWS_SQL = (where: string) =>
  `SELECT k.series, v.start_time, v.end_time, k.group_key, k.project_id, k.model, k.line_item, k.dims, k.metric,
     v.value, v.value_text, k.currency, v.final
   FROM ledger_values v JOIN ledger_keys k ON k.id = v.key_id ${where}
   ORDER BY k.series, v.start_time, k.group_key, k.metric`;

/** The series id of a series name, as a scalar subquery (p: the name's placeholder). */
const seriesId = (p: string) => `(SELECT id FROM ledger_series WHERE name = ${p})`;

/** The identity columns of a total, from the keys table. */
const KEY_TOTAL = 'k.series, k.metric, k.project_id, k.model, k.line_item, k.currency';

/**
 * Sums per key of the values matching `where` (on ledger_values), then per total through the keys: the big table
 * is read once, in key order, and joined only once per key.
 */
const keySums = (where: string) =>
  `SELECT ${KEY_TOTAL}, SUM(v.value) AS value
   FROM (SELECT key_id, SUM(value) AS value FROM ledger_values WHERE ${where} GROUP BY key_id) v
   JOIN ledger_keys k ON k.id = v.key_id WHERE true
   GROUP BY ${KEY_TOTAL}`;

/** Totals over [p[0], p[1]) of every series. */
export const TOTALS_SQL = (p: [string, string]) =>
  `${keySums(`start_time >= ${p[0]} AND start_time < ${p[1]}`)} ORDER BY ${KEY_TOTAL}`;

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
   SELECT ${KEY_TOTAL}, SUM(v.value) * ${sign}
   FROM (SELECT key_id, SUM(value) AS value FROM ledger_values
         WHERE series_id = ${seriesId(p[0])} AND start_time >= ${p[1]} AND start_time < ${p[2]} GROUP BY key_id) v
   JOIN ledger_keys k ON k.id = v.key_id WHERE true
   GROUP BY ${KEY_TOTAL}
   ON CONFLICT (${TOTAL_KEY}) DO UPDATE SET value = ledger_final_totals.value + excluded.value`;

/** The sums of one series' rows from `start_time` >= the parameter on (the trailing window, read by a scrape). */
export const WINDOW_TOTALS_SQL = (p: [string, string]) =>
  keySums(`series_id = ${seriesId(p[0])} AND start_time >= ${p[1]}`);

export const FINAL_TOTALS_SQL = `SELECT ${TOTAL_KEY}, value FROM ledger_final_totals`;

/** Daily totals of one series' metric over [p[2], p[3]) (params: series, metric, from, to). */
export const DAILY_TOTALS_SQL = (p: [string, string, string, string]) =>
  `SELECT ${KEY_TOTAL}, d.day, SUM(d.value) AS value
   FROM (SELECT key_id, (start_time / 86400) * 86400 AS day, SUM(value) AS value FROM ledger_values
         WHERE series_id = ${seriesId(p[0])} AND start_time >= ${p[2]} AND start_time < ${p[3]}
           AND key_id IN (SELECT id FROM ledger_keys WHERE series = ${p[0]} AND metric = ${p[1]})
         GROUP BY key_id, day) d
   JOIN ledger_keys k ON k.id = d.key_id WHERE true
   GROUP BY ${KEY_TOTAL}, d.day ORDER BY d.day, ${KEY_TOTAL}`;

/** The newest bucket's value per project of one series' metric (params: series, metric, each used twice). */
export const LATEST_SQL = (p: [string, string]) =>
  `SELECT k.project_id, SUM(v.value) AS value, v.start_time
   FROM ledger_values v JOIN ledger_keys k ON k.id = v.key_id
   WHERE v.series_id = ${seriesId(p[0])} AND k.series = ${p[0]} AND k.metric = ${p[1]}
     AND v.start_time = (SELECT l.start_time FROM ledger_values l
       WHERE l.series_id = ${seriesId(p[0])} AND l.key_id IN (SELECT id FROM ledger_keys WHERE series = ${p[0]} AND metric = ${p[1]})
       ORDER BY l.start_time DESC LIMIT 1)
   GROUP BY k.project_id, v.start_time ORDER BY k.project_id`;

/** A key's identity as one string (the writers' cache of key ids). */
export const keyOf = (series: string, row: Pick<LedgerRow, 'group_key' | 'metric' | 'currency'>): string =>
  `${series}\u0000${row.group_key}\u0000${row.metric}\u0000${row.currency}`;

/** What a value keeps of a row's text: nothing when String(value) says the same (every counter). */
export const storedText = (row: Pick<LedgerRow, 'value' | 'value_text'>): string | null =>
  row.value_text === String(row.value) ? null : row.value_text;

/** A stored row back as a LedgerRow (value_text NULL: String(value)). */
export const fromStored = (r: LedgerRow & { value_text: string | null }): LedgerRow => {
  if (r.value_text === null) r.value_text = String(r.value);
  return r;
};

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
