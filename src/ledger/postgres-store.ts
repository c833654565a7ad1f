/**
 * The shared ledger store: Postgres through `pg`, for teams that keep one ledger. The same schema as SQLite
 * (store.ts). Every write transaction first takes one transaction-scoped advisory lock, so two syncs at once take
 * turns: a range replaced by one is never half-replaced by the other (READ COMMITTED alone would let both insert).
 */
import type * as Pg from 'pg';
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

/** The advisory lock key of ledger writes ("oaledger" as a number; any constant works, all writers share it). */
const LOCK = 0x6f61_6c65_6467;

/** Values per INSERT statement: sent as 7 arrays (unnest), so one statement per this many rows whatever the count. */
const BATCH = 50_000;

/** The connection string without its password, for messages. */
export const redactUrl = (url: string): string => url.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, '$1:***@');

/**
 * Opens the Postgres ledger at `url` (postgres://user:password@host:port/db), creating its tables when absent.
 * @example
 * const store = await openPostgresStore('postgres://ledger@db.internal/usage');
 * console.log(await store.cursors());
 * await store.close();
 */
export async function openPostgresStore(
  url: string,
  /** @internal Test seam: called inside the set-up transaction, before it commits (a kill test's instant). */
  beforeSetUpCommit?: () => void,
): Promise<LedgerStore> {
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

  await setUp(pool, transaction, redactUrl(url), beforeSetUpCommit);

  /** Key ids seen committed (see sqlite-store.ts: keys are append-only, so a seen id stays true). */
  const known = new Map<string, number>();

  /** The key id of every row, adding the keys never seen in one statement; the added ones go to `added`. */
  async function keyIds(client: Pg.PoolClient, series: string, rows: LedgerRow[], added: Map<string, number>) {
    const ids = new Array<number>(rows.length);
    const missing: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const id = known.get(keyOf(series, rows[i]));
      if (id === undefined) missing.push(i);
      else ids[i] = id;
    }
    if (missing.length === 0) return ids;
    const { rows: stored } = await client.query<{ id: number; group_key: string; metric: string; currency: string }>(
      'SELECT id, group_key, metric, currency FROM ledger_keys WHERE series = $1',
      [series],
    );
    for (const k of stored) known.set(keyOf(series, k), k.id);
    const fresh: LedgerRow[] = [];
    let next = 0;
    for (const i of missing) {
      const key = keyOf(series, rows[i]);
      let id = known.get(key) ?? added.get(key);
      if (id === undefined) {
        if (fresh.length === 0)
          next =
            Number(
              (await client.query<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM ledger_keys')).rows[0].id,
            ) + 1;
        id = next + fresh.length;
        fresh.push(rows[i]);
        added.set(key, id);
      }
      ids[i] = id;
    }
    if (fresh.length > 0)
      await client.query(
        `INSERT INTO ledger_keys (id, series, group_key, metric, currency, project_id, model, line_item, dims)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
        [
          fresh.map((_, j) => next + j),
          fresh.map(() => series),
          ...(['group_key', 'metric', 'currency', 'project_id', 'model', 'line_item', 'dims'] as const).map((c) =>
            fresh.map((r) => r[c]),
          ),
        ],
      );
    return ids;
  }

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
    async replaceRange(series, from, to, rows, cursor) {
      const added = new Map<string, number>();
      await transaction(async (client) => {
        await client.query(SERIES_ID_SQL('$1'), [series]);
        const sid = Number(
          (await client.query<{ id: number }>('SELECT id FROM ledger_series WHERE name = $1', [series])).rows[0].id,
        );
        const folded = await client
          .query<{ folded_until: string }>('SELECT folded_until FROM ledger_folded WHERE series = $1', [series])
          .then((r) => (r.rows[0] ? Number(r.rows[0].folded_until) : NOTHING_FOLDED));
        // Rows already counted in the running totals being replaced (a concurrent sync's older cursor): out, then in.
        const refold = from < folded ? Math.min(to, folded) : undefined;
        if (refold !== undefined) await client.query(FOLD_SQL(-1, ['$1', '$2', '$3']), [series, from, refold]);
        await client.query('DELETE FROM ledger_values WHERE series_id = $1 AND start_time >= $2 AND start_time < $3', [
          sid,
          from,
          to,
        ]);
        const ids = await keyIds(client, series, rows, added);
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          await client.query(
            `INSERT INTO ledger_values (series_id, start_time, key_id, end_time, value, value_text, final)
             SELECT $1::int, * FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::float8[], $6::text[], $7::smallint[])`,
            [
              sid,
              batch.map((r) => r.start_time),
              ids.slice(i, i + BATCH),
              batch.map((r) => r.end_time),
              batch.map((r) => r.value),
              batch.map(storedText),
              batch.map((r) => r.final),
            ],
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
      });
      for (const [key, id] of added) known.set(key, id);
    },
    async rows(series) {
      const { rows } = series
        ? await pool.query<LedgerRow>(ROWS_SQL('WHERE k.series = $1'), [series])
        : await pool.query<LedgerRow>(ROWS_SQL(''));
      return rows.map((r) =>
        fromStored(num(r, 'start_time', 'end_time', 'value', 'final') as LedgerRow & { value_text: string | null }),
      );
    },
    async totals(range) {
      if (range) {
        const { rows } = await pool.query<Total>(TOTALS_SQL(['$1', '$2']), [range.from, range.to]);
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
      const { rows } = await pool.query<Total & { day: number }>(DAILY_TOTALS_SQL(['$1', '$2', '$3', '$4']), [
        series,
        metric,
        from,
        to,
      ]);
      return rows.map((r) => num(r, 'value', 'day'));
    },
    async latest(series, metric) {
      const { rows } = await pool.query<{ project_id: string; value: number; start_time: number }>(
        LATEST_SQL(['$1', '$2']),
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

/** What sqlite-store.ts's setUp does, under the writers' advisory lock: create, migrate from 1, or refuse newer. */
async function setUp(
  pool: Pg.Pool,
  transaction: <T>(work: (client: Pg.PoolClient) => Promise<T>) => Promise<T>,
  where: string,
  beforeCommit?: () => void,
): Promise<void> {
  /** Whether `name` is a table ('BASE TABLE') or a view ('VIEW') of the connection's schema. */
  const is = async (client: Pg.Pool | Pg.PoolClient, name: string, type: 'BASE TABLE' | 'VIEW') =>
    (
      await client.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1 AND table_type = $2`,
        [name, type],
      )
    ).rowCount! > 0;
  const table = (client: Pg.Pool | Pg.PoolClient, name: string) => is(client, name, 'BASE TABLE');
  const version = async (client: Pg.Pool | Pg.PoolClient) =>
    (await table(client, 'ledger_meta'))
      ? ((await client.query<{ value: string }>(VERSION_SQL)).rows[0]?.value as string | undefined)
      : undefined;
  if ((await version(pool)) === String(SCHEMA_VERSION) && !(await table(pool, 'ledger_rows'))) return;
  await transaction(async (client) => {
    const found = await version(client);
    if (found !== undefined && Number(found) > SCHEMA_VERSION) throw newerSchema(where, found);
    const v1 = await table(client, 'ledger_rows');
    for (const sql of SCHEMA('')) await client.query(sql);
    if (v1) for (const sql of MIGRATE_V1) await client.query(sql);
    else if (!(await is(client, 'ledger_rows', 'VIEW'))) await client.query(ROWS_VIEW);
    await client.query(SET_VERSION_SQL);
    beforeCommit?.();
  });
}
