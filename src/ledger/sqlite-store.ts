/**
 * The embedded ledger store: one SQLite file through better-sqlite3 (synchronous; wrapped in promises to share the
 * LedgerStore contract with Postgres). WAL mode, a busy timeout, and `BEGIN IMMEDIATE` for writes: two syncs on one
 * file take turns, and a reader (the exporter) never waits for a writer.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadDriver } from './driver.js';
import {
  addTotals,
  FINAL_TOTALS_SQL,
  FOLD_SQL,
  NOTHING_FOLDED,
  ROW_COLUMNS,
  WINDOW_TOTALS_SQL,
  ROWS_SQL,
  SCHEMA,
  TOTALS_SQL,
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
export async function openSqliteStore(file: string): Promise<LedgerStore> {
  const mod = await loadDriver<Driver | { default: Driver }>('better-sqlite3', '12', 'The SQLite ledger');
  const Database = 'default' in mod ? mod.default : mod;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 30000');
  // FULL: a commit is on disk when it returns, so a power cut after it loses nothing (NORMAL could lose the last one).
  db.pragma('synchronous = FULL');
  for (const sql of SCHEMA) db.exec(sql);

  const insertRow = db.prepare(
    `INSERT INTO ledger_rows (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map((c) => '@' + c).join(', ')})`,
  );
  const deleteRange = db.prepare('DELETE FROM ledger_rows WHERE series = ? AND start_time >= ? AND start_time < ?');
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
  const replace = db.transaction((series: string, from: number, to: number, rows: LedgerRow[], cursor: Cursor) => {
    const folded = (foldedUntil.get(series) as number | undefined) ?? NOTHING_FOLDED;
    // Rows already counted in the running totals being replaced (a concurrent sync's older cursor): out, then in.
    const refold = from < folded ? Math.min(to, folded) : undefined;
    if (refold !== undefined) unfold.run(series, from, refold);
    deleteRange.run(series, from, to);
    for (const row of rows) insertRow.run(row);
    if (refold !== undefined) fold.run(series, from, refold);
    upsertCursor.run(cursor);
    // The rows that became final in this commit join the running totals.
    const edge = finalUntil.get(series) as number;
    if (edge > folded) (fold.run(series, folded, edge), setFolded.run(series, edge));
  });
  const finalTotals = db.prepare(FINAL_TOTALS_SQL);
  const windowTotals = db.prepare(WINDOW_TOTALS_SQL(['?', '?']));
  const allFolded = db.prepare(
    'SELECT c.series, f.folded_until FROM ledger_cursors c LEFT JOIN ledger_folded f ON f.series = c.series',
  );
  // One read transaction: a snapshot (WAL), so a commit by another process cannot fall between the two reads.
  const runningTotals = db.transaction(() => {
    const parts = [finalTotals.all() as Total[]];
    for (const { series, folded_until } of allFolded.all() as Array<{ series: string; folded_until: number | null }>)
      parts.push(windowTotals.all(series, folded_until ?? NOTHING_FOLDED) as Total[]);
    return addTotals(...parts);
  });

  return {
    kind: 'sqlite',
    where: file,
    cursors: () => later(() => db.prepare('SELECT * FROM ledger_cursors ORDER BY series').all() as Cursor[]),
    replaceRange: (series, from, to, rows, cursor) => later(() => replace.immediate(series, from, to, rows, cursor)),
    rows: (series) =>
      later(
        () =>
          (series
            ? db.prepare(ROWS_SQL('WHERE series = ?')).all(series)
            : db.prepare(ROWS_SQL('')).all()) as LedgerRow[],
      ),
    totals: (range) =>
      later(
        () =>
          (range
            ? db.prepare(TOTALS_SQL('WHERE start_time >= ? AND start_time < ?')).all(range.from, range.to)
            : runningTotals.deferred()) as Total[],
      ),
    dailyTotals: (series, metric, from, to) =>
      later(
        () =>
          db
            .prepare(
              `SELECT series, metric, project_id, model, line_item, currency, (start_time / 86400) * 86400 AS day, SUM(value) AS value
           FROM ledger_rows WHERE series = ? AND metric = ? AND start_time >= ? AND start_time < ?
           GROUP BY series, metric, project_id, model, line_item, currency, day ORDER BY day`,
            )
            .all(series, metric, from, to) as Array<Total & { day: number }>,
      ),
    latest: (series, metric) =>
      later(
        () =>
          db
            .prepare(
              `SELECT r.project_id, SUM(r.value) AS value, r.start_time FROM ledger_rows r
           WHERE r.series = ? AND r.metric = ? AND r.start_time = (SELECT start_time FROM ledger_rows WHERE series = r.series AND metric = r.metric ORDER BY start_time DESC LIMIT 1)
           GROUP BY r.project_id, r.start_time ORDER BY r.project_id`,
            )
            .all(series, metric) as Array<{ project_id: string; value: number; start_time: number }>,
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
