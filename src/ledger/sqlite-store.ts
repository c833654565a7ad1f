/**
 * The embedded ledger store: one SQLite file through better-sqlite3 (synchronous; wrapped in promises to share the
 * LedgerStore contract with Postgres). WAL mode, a busy timeout, and `BEGIN IMMEDIATE` for writes: two syncs on one
 * file take turns, and a reader (the exporter) never waits for a writer.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadDriver } from './driver.js';
import {
  addTotals,
  DAILY_TOTALS_SQL,
  FINAL_TOTALS_SQL,
  FOLD_SQL,
  fromStored,
  keyOf,
  LATEST_SQL,
  MIGRATE_V1,
  newerSchema,
  NOTHING_FOLDED,
  ROWS_SQL,
  ROWS_VIEW,
  SCHEMA,
  SCHEMA_VERSION,
  SERIES_ID_SQL,
  SET_VERSION_SQL,
  storedText,
  TOTALS_SQL,
  VERSION_SQL,
  WINDOW_TOTALS_SQL,
  type Cursor,
  type LedgerRow,
  type LedgerStore,
  type Total,
} from './store.js';

type Driver = typeof BetterSqlite3;

/** better-sqlite3 is synchronous: its answers as promises, a throw as a rejection (the LedgerStore contract). */
const later = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

/**
 * Opens (creating when absent) the SQLite ledger at `file`.
 * @example
 * const store = await openSqliteStore('usage.db');
 * console.log(await store.cursors());
 * await store.close();
 */
export async function openSqliteStore(
  file: string,
  /** @internal Test seam: called inside the set-up transaction, before it commits (a kill test's instant). */
  beforeSetUpCommit?: () => void,
): Promise<LedgerStore> {
  const mod = await loadDriver<Driver | { default: Driver }>('better-sqlite3', '12', 'The SQLite ledger');
  const Database = 'default' in mod ? mod.default : mod;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 30000');
  // FULL: a commit is on disk when it returns, so a power cut after it loses nothing (NORMAL could lose the last one).
  db.pragma('synchronous = FULL');
  setUp(db, file, beforeSetUpCommit);

  /** Values per INSERT: 7 parameters each, far under SQLite's 32,766; one statement run per 128 rows, not per row. */
  const BATCH = 128;
  const insertSql = (n: number) =>
    `INSERT INTO ledger_values (series_id, start_time, key_id, end_time, value, value_text, final) VALUES ${Array(n)
      .fill('(?, ?, ?, ?, ?, ?, ?)')
      .join(', ')}`;
  const insertBatch = db.prepare(insertSql(BATCH));
  const insertOne = db.prepare(insertSql(1));
  const deleteRange = db.prepare(
    'DELETE FROM ledger_values WHERE series_id = ? AND start_time >= ? AND start_time < ?',
  );
  const addSeries = db.prepare(SERIES_ID_SQL());
  const seriesId = db.prepare('SELECT id FROM ledger_series WHERE name = ?').pluck();
  const keysOf = db.prepare('SELECT id, group_key, metric, currency FROM ledger_keys WHERE series = ?');
  const lastKey = db.prepare('SELECT COALESCE(MAX(id), 0) FROM ledger_keys').pluck();
  const addKey = db.prepare(
    `INSERT INTO ledger_keys (id, series, group_key, metric, currency, project_id, model, line_item, dims)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  /**
   * Key ids this connection has seen committed. Keys are never changed or deleted, so an id once seen stays true;
   * ids added by a transaction join it only once that transaction has committed (a rollback leaves no false id).
   */
  const known = new Map<string, number>();
  const upsertCursor = db.prepare(
    `INSERT INTO ledger_cursors (series, bucket_width, since, final_until, fetched_until, synced_at, requests)
     VALUES (@series, @bucket_width, @since, @final_until, @fetched_until, @synced_at, @requests)
     ON CONFLICT (series) DO UPDATE SET bucket_width = excluded.bucket_width,
       final_until = MAX(ledger_cursors.final_until, excluded.final_until),
       fetched_until = MAX(ledger_cursors.fetched_until, excluded.fetched_until),
       synced_at = MAX(ledger_cursors.synced_at, excluded.synced_at),
       requests = ledger_cursors.requests + excluded.requests`,
  );
  const foldedUntil = db.prepare('SELECT folded_until FROM ledger_folded WHERE series = ?').pluck();
  const finalUntil = db.prepare('SELECT final_until FROM ledger_cursors WHERE series = ?').pluck();
  const setFolded = db.prepare(
    `INSERT INTO ledger_folded (series, folded_until) VALUES (?, ?)
     ON CONFLICT (series) DO UPDATE SET folded_until = excluded.folded_until`,
  );
  const fold = db.prepare(FOLD_SQL(1, ['?', '?', '?']));
  const unfold = db.prepare(FOLD_SQL(-1, ['?', '?', '?']));

  /** The key id of every row, adding the keys never seen; the added ones go to `added` (see `known`). */
  const keyIds = (series: string, rows: LedgerRow[], added: Map<string, number>): number[] => {
    const ids = new Array<number>(rows.length);
    let next: number | undefined;
    let loaded = false;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const key = keyOf(series, row);
      let id = known.get(key) ?? added.get(key);
      if (id === undefined && !loaded) {
        // First unknown key of this commit: every committed key of the series, in one read.
        for (const k of keysOf.all(series) as Array<LedgerRow & { id: number }>) known.set(keyOf(series, k), k.id);
        loaded = true;
        id = known.get(key);
      }
      if (id === undefined) {
        next ??= (lastKey.get() as number) + 1;
        id = next++;
        addKey.run(
          id,
          series,
          row.group_key,
          row.metric,
          row.currency,
          row.project_id,
          row.model,
          row.line_item,
          row.dims,
        );
        added.set(key, id);
      }
      ids[i] = id;
    }
    return ids;
  };

  const insertRows = (sid: number, rows: LedgerRow[], ids: number[]) => {
    const params = new Array<unknown>(BATCH * 7);
    let i = 0;
    for (; i + BATCH <= rows.length; i += BATCH) {
      for (let j = 0; j < BATCH; j++) {
        const row = rows[i + j];
        const o = j * 7;
        params[o] = sid;
        params[o + 1] = row.start_time;
        params[o + 2] = ids[i + j];
        params[o + 3] = row.end_time;
        params[o + 4] = row.value;
        params[o + 5] = storedText(row);
        params[o + 6] = row.final;
      }
      insertBatch.run(params);
    }
    for (; i < rows.length; i++) {
      const row = rows[i];
      insertOne.run(sid, row.start_time, ids[i], row.end_time, row.value, storedText(row), row.final);
    }
  };

  const replace = db.transaction(
    (series: string, from: number, to: number, rows: LedgerRow[], cursor: Cursor, added: Map<string, number>) => {
      addSeries.run(series);
      const sid = seriesId.get(series) as number;
      const folded = (foldedUntil.get(series) as number | undefined) ?? NOTHING_FOLDED;
      // Rows already counted in the running totals being replaced (a concurrent sync's older cursor): out, then in.
      const refold = from < folded ? Math.min(to, folded) : undefined;
      if (refold !== undefined) unfold.run(series, from, refold);
      deleteRange.run(sid, from, to);
      insertRows(sid, rows, keyIds(series, rows, added));
      if (refold !== undefined) fold.run(series, from, refold);
      upsertCursor.run(cursor);
      // The rows that became final in this commit join the running totals.
      const edge = finalUntil.get(series) as number;
      if (edge > folded) (fold.run(series, folded, edge), setFolded.run(series, edge));
    },
  );
  const finalTotals = db.prepare(FINAL_TOTALS_SQL);
  const windowTotals = db.prepare(WINDOW_TOTALS_SQL(['@series', '@from']));
  const allFolded = db.prepare(
    'SELECT c.series, f.folded_until FROM ledger_cursors c LEFT JOIN ledger_folded f ON f.series = c.series',
  );
  // One read transaction: a snapshot (WAL), so a commit by another process cannot fall between the two reads.
  const runningTotals = db.transaction(() => {
    const parts = [finalTotals.all() as Total[]];
    for (const { series, folded_until } of allFolded.all() as Array<{ series: string; folded_until: number | null }>)
      parts.push(windowTotals.all({ series, from: folded_until ?? NOTHING_FOLDED }) as Total[]);
    return addTotals(...parts);
  });

  return {
    kind: 'sqlite',
    where: file,
    cursors: () => later(() => db.prepare('SELECT * FROM ledger_cursors ORDER BY series').all() as Cursor[]),
    replaceRange: (series, from, to, rows, cursor) =>
      later(() => {
        const added = new Map<string, number>();
        replace.immediate(series, from, to, rows, cursor, added);
        for (const [key, id] of added) known.set(key, id);
      }),
    rows: (series) =>
      later(() =>
        (series ? db.prepare(ROWS_SQL('WHERE k.series = ?')).all(series) : db.prepare(ROWS_SQL('')).all()).map((r) =>
          fromStored(r as LedgerRow & { value_text: string | null }),
        ),
      ),
    totals: (range) =>
      later(
        () =>
          (range ? db.prepare(TOTALS_SQL(['?', '?'])).all(range.from, range.to) : runningTotals.deferred()) as Total[],
      ),
    dailyTotals: (series, metric, from, to) =>
      later(
        () =>
          db
            .prepare(DAILY_TOTALS_SQL(['@series', '@metric', '@from', '@to']))
            .all({ series, metric, from, to }) as Array<Total & { day: number }>,
      ),
    latest: (series, metric) =>
      later(
        () =>
          db.prepare(LATEST_SQL(['@series', '@metric'])).all({ series, metric }) as Array<{
            project_id: string;
            value: number;
            start_time: number;
          }>,
      ),
    names: (kind) =>
      later(() => {
        const rows = db.prepare('SELECT id, name FROM ledger_names WHERE kind = ?').all(kind) as Array<{
          id: string;
          name: string;
        }>;
        return new Map(rows.map((r) => [r.id, r.name]));
      }),
    setNames: (kind, names, at) =>
      later(() =>
        db
          .transaction(() => {
            db.prepare('DELETE FROM ledger_names WHERE kind = ?').run(kind);
            const insert = db.prepare('INSERT INTO ledger_names (kind, id, name) VALUES (?, ?, ?)');
            for (const [id, name] of names) insert.run(kind, id, name);
            db.prepare(
              'INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
            ).run(`names.${kind}`, String(at));
          })
          .immediate(),
      ),
    namesFetchedAt: (kind) =>
      later(() => {
        const row = db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get(`names.${kind}`) as
          { value: string } | undefined;
        return row ? Number(row.value) : undefined;
      }),
    close: () => later(() => void db.close()),
  };
}

/**
 * Creates the tables of a new ledger, migrates one of schema version 1 (MIGRATE_V1), refuses one newer than this
 * code, all in one write transaction: a kill during a migration leaves version 1 whole, and the next open migrates
 * again. A ledger already at this version is only read (opening one never waits for a writer).
 */
function setUp(db: BetterSqlite3.Database, file: string, beforeCommit?: () => void): void {
  const table = (name: string) =>
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  const view = (name: string) =>
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?`).get(name) !== undefined;
  const version = () =>
    table('ledger_meta') ? (db.prepare(VERSION_SQL).pluck().get() as string | undefined) : undefined;
  if (version() === String(SCHEMA_VERSION) && !table('ledger_rows')) return;
  db.transaction(() => {
    const found = version();
    if (found !== undefined && Number(found) > SCHEMA_VERSION) throw newerSchema(file, found);
    const v1 = table('ledger_rows');
    for (const sql of SCHEMA(' WITHOUT ROWID')) db.exec(sql);
    if (v1) for (const sql of MIGRATE_V1) db.exec(sql);
    else if (!view('ledger_rows')) db.exec(ROWS_VIEW);
    db.prepare(SET_VERSION_SQL).run();
    beforeCommit?.();
  }).immediate();
}
