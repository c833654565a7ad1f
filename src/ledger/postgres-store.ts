/**
 * The shared ledger store: Postgres through `pg`, for teams that keep one ledger. The same schema as SQLite
 * (store.ts). Every write transaction first takes one transaction-scoped advisory lock, so two syncs at once take
 * turns: a range replaced by one is never half-replaced by the other (READ COMMITTED alone would let both insert).
 */
import type * as Pg from 'pg';
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

/** The advisory lock key of ledger writes ("oaledger" as a number; any constant works, all writers share it). */
const LOCK = 0x6f61_6c65_6467;

/** Rows per INSERT statement: 13 parameters each, well under Postgres' 65,535. */
const BATCH = 1_000;

/** The connection string without its password, for messages. */
export const redactUrl = (url: string): string => url.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, '$1:***@');

/**
 * Opens the Postgres ledger at `url` (postgres://user:password@host:port/db), creating its tables when absent.
 * @example
 * const store = await openPostgresStore('postgres://ledger@db.internal/usage');
 * console.log(await store.cursors());
 * await store.close();
 */
export async function openPostgresStore(url: string): Promise<LedgerStore> {
  const mod = await loadDriver<typeof Pg | { default: typeof Pg }>('pg', '8', 'The Postgres ledger');
  const pg = 'Pool' in mod ? mod : mod.default;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle client that loses its server must not crash the process (pg emits 'error' on the pool).
  pool.on('error', () => undefined);

  async function transaction<T>(work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  await transaction(async (client) => {
    for (const sql of SCHEMA) await client.query(sql);
  });

  // pg returns BIGINT and NUMERIC as text: numbers again here.
  const num = <T extends object>(row: T, ...fields: (keyof T)[]): T => {
    for (const f of fields) (row as Record<string, unknown>)[f as string] = Number(row[f]);
    return row;
  };

  return {
    kind: 'postgres',
    where: redactUrl(url),
    async cursors() {
      const { rows } = await pool.query<Cursor>('SELECT * FROM ledger_cursors ORDER BY series');
      return rows.map((r) => num(r, 'since', 'final_until', 'fetched_until', 'synced_at', 'requests'));
    },
    replaceRange: (series, from, to, rows, cursor) =>
      transaction(async (client) => {
        const folded = await client
          .query<{ folded_until: string }>('SELECT folded_until FROM ledger_folded WHERE series = $1', [series])
          .then((r) => (r.rows[0] ? Number(r.rows[0].folded_until) : NOTHING_FOLDED));
        // Rows already counted in the running totals being replaced (a concurrent sync's older cursor): out, then in.
        const refold = from < folded ? Math.min(to, folded) : undefined;
        if (refold !== undefined) await client.query(FOLD_SQL(-1, ['$1', '$2', '$3']), [series, from, refold]);
        await client.query('DELETE FROM ledger_rows WHERE series = $1 AND start_time >= $2 AND start_time < $3', [
          series,
          from,
          to,
        ]);
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          const values = batch
            .map((_, r) => `(${ROW_COLUMNS.map((__, c) => `$${r * ROW_COLUMNS.length + c + 1}`).join(', ')})`)
            .join(', ');
          await client.query(
            `INSERT INTO ledger_rows (${ROW_COLUMNS.join(', ')}) VALUES ${values}`,
            batch.flatMap((row: LedgerRow) => ROW_COLUMNS.map((c) => row[c])),
          );
        }
        if (refold !== undefined) await client.query(FOLD_SQL(1, ['$1', '$2', '$3']), [series, from, refold]);
        await client
          .query(
            `INSERT INTO ledger_cursors (series, bucket_width, since, final_until, fetched_until, synced_at, requests)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (series) DO UPDATE SET bucket_width = excluded.bucket_width,
             final_until = GREATEST(ledger_cursors.final_until, excluded.final_until),
             fetched_until = GREATEST(ledger_cursors.fetched_until, excluded.fetched_until),
             synced_at = GREATEST(ledger_cursors.synced_at, excluded.synced_at),
             requests = ledger_cursors.requests + excluded.requests
           RETURNING final_until`,
            [
              cursor.series,
              cursor.bucket_width,
              cursor.since,
              cursor.final_until,
              cursor.fetched_until,
              cursor.synced_at,
              cursor.requests,
            ],
          )
          .then(async ({ rows: [row] }) => {
            // The rows that became final in this commit join the running totals.
            const edge = Number((row as { final_until: string }).final_until);
            if (edge <= folded) return;
            await client.query(FOLD_SQL(1, ['$1', '$2', '$3']), [series, folded, edge]);
            await client.query(
              `INSERT INTO ledger_folded (series, folded_until) VALUES ($1, $2)
             ON CONFLICT (series) DO UPDATE SET folded_until = excluded.folded_until`,
              [series, edge],
            );
          });
      }),
    async rows(series) {
      const { rows } = series
        ? await pool.query<LedgerRow>(ROWS_SQL('WHERE series = $1'), [series])
        : await pool.query<LedgerRow>(ROWS_SQL(''));
      return rows.map((r) => num(r, 'start_time', 'end_time', 'value', 'final'));
    },
    async totals(range) {
      if (range) {
        const { rows } = await pool.query<Total>(TOTALS_SQL('WHERE start_time >= $1 AND start_time < $2'), [
          range.from,
          range.to,
        ]);
        return rows.map((r) => num(r, 'value'));
      }
      // One snapshot (REPEATABLE READ): a commit cannot fall between the running totals and the window's rows.
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const parts = [(await client.query<Total>(FINAL_TOTALS_SQL)).rows];
        const { rows: series } = await client.query<{ series: string; folded_until: string | null }>(
          'SELECT c.series, f.folded_until FROM ledger_cursors c LEFT JOIN ledger_folded f ON f.series = c.series',
        );
        for (const s of series)
          parts.push(
            (
              await client.query<Total>(WINDOW_TOTALS_SQL(['$1', '$2']), [
                s.series,
                s.folded_until === null ? NOTHING_FOLDED : Number(s.folded_until),
              ])
            ).rows,
          );
        await client.query('COMMIT');
        return addTotals(...parts);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async dailyTotals(series, metric, from, to) {
      const { rows } = await pool.query<Total & { day: number }>(
        `SELECT series, metric, project_id, model, line_item, currency, (start_time / 86400) * 86400 AS day, SUM(value) AS value
         FROM ledger_rows WHERE series = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4
         GROUP BY series, metric, project_id, model, line_item, currency, day ORDER BY day`,
        [series, metric, from, to],
      );
      return rows.map((r) => num(r, 'value', 'day'));
    },
    async latest(series, metric) {
      const { rows } = await pool.query<{ project_id: string; value: number; start_time: number }>(
        `SELECT r.project_id, SUM(r.value) AS value, r.start_time FROM ledger_rows r
         WHERE r.series = $1 AND r.metric = $2 AND r.start_time = (SELECT start_time FROM ledger_rows WHERE series = r.series AND metric = r.metric ORDER BY start_time DESC LIMIT 1)
         GROUP BY r.project_id, r.start_time ORDER BY r.project_id`,
        [series, metric],
      );
      return rows.map((r) => num(r, 'value', 'start_time'));
    },
    async names(kind) {
      const { rows } = await pool.query<{ id: string; name: string }>(
        'SELECT id, name FROM ledger_names WHERE kind = $1',
        [kind],
      );
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    setNames: (kind, names, at) =>
      transaction(async (client) => {
        await client.query('DELETE FROM ledger_names WHERE kind = $1', [kind]);
        for (const [id, name] of names)
          await client.query('INSERT INTO ledger_names (kind, id, name) VALUES ($1, $2, $3)', [kind, id, name]);
        await client.query(
          'INSERT INTO ledger_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [`names.${kind}`, String(at)],
        );
      }),
    async namesFetchedAt(kind) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM ledger_meta WHERE key = $1', [
        `names.${kind}`,
      ]);
      return rows[0] ? Number(rows[0].value) : undefined;
    },
    close: () => pool.end(),
  };
}
