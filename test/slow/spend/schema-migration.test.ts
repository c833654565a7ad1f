/**
 * The ledger's schema version (store.ts SCHEMA_VERSION) on real SQLite and Postgres: a ledger written by schema
 * version 1 (every row whole in `ledger_rows`) opens as the same ledger — the same rows, cursors and scrape totals —
 * and keeps syncing; a ledger of a newer version is refused with a message naming both versions, untouched; a
 * migration killed before its commit leaves version 1 whole on both stores.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../../src/ledger/index.js';
import type { Cursor, LedgerRow } from '../../../src/ledger/store.js';
import { useLedgerDatabases } from './support/components';

const dbs = useLedgerDatabases('openai-admin-migration-');

/** Version 1's tables as openai-admin wrote them before schema versions (the DDL of that release, verbatim). */
const V1_SCHEMA = [
  `CREATE TABLE ledger_rows (
    series TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT NOT NULL, group_key TEXT NOT NULL,
    project_id TEXT NOT NULL, model TEXT NOT NULL, line_item TEXT NOT NULL, dims TEXT NOT NULL, metric TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL, value_text TEXT NOT NULL, currency TEXT NOT NULL, final SMALLINT NOT NULL,
    PRIMARY KEY (series, start_time, group_key, metric))`,
  `CREATE TABLE ledger_cursors (series TEXT PRIMARY KEY, bucket_width TEXT NOT NULL, since BIGINT NOT NULL,
    final_until BIGINT NOT NULL, fetched_until BIGINT NOT NULL, synced_at BIGINT NOT NULL, requests BIGINT NOT NULL)`,
  `CREATE TABLE ledger_names (kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, id))`,
  `CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE ledger_final_totals (series TEXT NOT NULL, metric TEXT NOT NULL, project_id TEXT NOT NULL,
    model TEXT NOT NULL, line_item TEXT NOT NULL, currency TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, metric, project_id, model, line_item, currency))`,
  `CREATE TABLE ledger_folded (series TEXT PRIMARY KEY, folded_until BIGINT NOT NULL)`,
];

const D = 86_400;
const usage = (start: number, project: string, metric: string, value: number, final: number): LedgerRow => {
  const group_key = JSON.stringify({ model: 'gpt-4o', project_id: project });
  return {
    series: 'usage.completions',
    start_time: start,
    end_time: start + D,
    group_key,
    project_id: project,
    model: 'gpt-4o',
    line_item: '',
    dims: group_key,
    metric,
    value,
    value_text: String(value),
    currency: '',
    final,
  };
};
const cost = (start: number, project: string, text: string, final: number): LedgerRow => {
  const group_key = JSON.stringify({ line_item: 'gpt-4o, input', project_id: project });
  return {
    series: 'costs',
    start_time: start,
    end_time: start + D,
    group_key,
    project_id: project,
    model: '',
    line_item: 'gpt-4o, input',
    dims: group_key,
    metric: 'amount',
    value: Number(text),
    value_text: text,
    currency: 'usd',
    final,
  };
};

/** Day 0 final (and folded into the running totals, as version 1 did), day 1 in the window. */
const V1_ROWS = [
  usage(0, 'proj_a', 'input_tokens', 120, 1),
  usage(0, 'proj_a', 'num_model_requests', 3, 1),
  usage(0, 'proj_b', 'input_tokens', 7, 1),
  usage(D, 'proj_a', 'input_tokens', 50, 0),
  cost(0, 'proj_a', '0.0123456789012345678', 1),
  cost(D, 'proj_a', '1.25', 0),
];
const V1_CURSORS: Cursor[] = ['costs', 'usage.completions'].map((series) => ({
  series,
  bucket_width: '1d',
  since: 0,
  final_until: D,
  fetched_until: 2 * D,
  synced_at: 2 * D,
  requests: 2,
}));

/** SQL on the ledger behind the store's back, with each driver's placeholders written as `?`. */
async function raw(db: string) {
  if (db.startsWith('postgres')) {
    const { default: pgDriver } = await import('pg');
    const client = new pgDriver.Client({ connectionString: db });
    await client.connect();
    return {
      run: async (sql: string, params: unknown[] = []) => {
        let n = 0;
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as Array<Record<string, unknown>>;
      },
      close: () => client.end(),
    };
  }
  const Database = (await import('better-sqlite3')).default;
  const sqlite = new Database(db);
  return {
    run: async (sql: string, params: unknown[] = []) => {
      const stmt = sqlite.prepare(sql);
      return stmt.reader ? (stmt.all(...params) as Array<Record<string, unknown>>) : (stmt.run(...params), []);
    },
    close: async () => void sqlite.close(),
  };
}

async function writeV1(db: string) {
  const sql = await raw(db);
  for (const ddl of V1_SCHEMA) await sql.run(ddl);
  for (const r of V1_ROWS)
    await sql.run('INSERT INTO ledger_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      r.series,
      r.start_time,
      r.end_time,
      r.group_key,
      r.project_id,
      r.model,
      r.line_item,
      r.dims,
      r.metric,
      r.value,
      r.value_text,
      r.currency,
      r.final,
    ]);
  for (const c of V1_CURSORS)
    await sql.run('INSERT INTO ledger_cursors VALUES (?, ?, ?, ?, ?, ?, ?)', [
      c.series,
      c.bucket_width,
      c.since,
      c.final_until,
      c.fetched_until,
      c.synced_at,
      c.requests,
    ]);
  for (const r of V1_ROWS.filter((r) => r.final))
    await sql.run(
      `INSERT INTO ledger_final_totals VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series, metric, project_id, model, line_item, currency) DO UPDATE SET value = ledger_final_totals.value + excluded.value`,
      [r.series, r.metric, r.project_id, r.model, r.line_item, r.currency, r.value],
    );
  for (const series of ['costs', 'usage.completions'])
    await sql.run('INSERT INTO ledger_folded VALUES (?, ?)', [series, D]);
  await sql.run('INSERT INTO ledger_names VALUES (?, ?, ?)', ['project', 'proj_a', 'Alpha']);
  await sql.close();
}

const byKey = (rows: LedgerRow[]) =>
  [...rows].sort((a, b) =>
    [a.series, a.start_time, a.group_key, a.metric].join('\u0000') <
    [b.series, b.start_time, b.group_key, b.metric].join('\u0000')
      ? -1
      : 1,
  );

describe.each(['sqlite', 'postgres'] as const)('the ledger schema on %s', (kind) => {
  test('a version 1 ledger opens as the same ledger (rows, exact cost text, cursors, totals, names) and keeps syncing', async () => {
    const db = await dbs.freshDb(kind);
    await writeV1(db);
    const store = await openLedger(db);
    try {
      expect(byKey(await store.rows())).toEqual(byKey(V1_ROWS));
      expect(await store.cursors()).toEqual(V1_CURSORS);
      const totals = await store.totals();
      expect(totals).toEqual(await store.totals({ from: -1e15, to: 1e15 }));
      expect(totals.find((t) => t.series === 'costs')!.value).toBeCloseTo(0.012345678901234568 + 1.25, 12);
      expect(totals.find((t) => t.metric === 'input_tokens' && t.project_id === 'proj_a')!.value).toBe(170);
      expect(await store.names('project')).toEqual(new Map([['proj_a', 'Alpha']]));

      // A sync after the migration: day 1 revised (an existing key), day 2 new with a new project (a new key).
      const revised = [usage(D, 'proj_a', 'input_tokens', 55, 1), usage(2 * D, 'proj_c', 'input_tokens', 9, 0)];
      await store.replaceRange('usage.completions', D, 3 * D, revised, {
        ...V1_CURSORS[1],
        final_until: 2 * D,
        fetched_until: 3 * D,
        synced_at: 3 * D,
        requests: 1,
      });
      expect(byKey(await store.rows('usage.completions'))).toEqual(
        byKey([...V1_ROWS.filter((r) => r.series === 'usage.completions' && r.start_time < D), ...revised]),
      );
      const after = await store.totals();
      expect(after).toEqual(await store.totals({ from: -1e15, to: 1e15 }));
      expect(after.find((t) => t.metric === 'input_tokens' && t.project_id === 'proj_a')!.value).toBe(175);
    } finally {
      await store.close();
    }
    const sql = await raw(db);
    try {
      expect(await sql.run(`SELECT value FROM ledger_meta WHERE key = 'schema_version'`)).toEqual([{ value: '2' }]);
      // Version 1's table is now a view with its columns: SQL written for it reads the same rows.
      const kindOf =
        kind === 'sqlite'
          ? `SELECT type FROM sqlite_master WHERE name = 'ledger_rows'`
          : `SELECT table_type AS type FROM information_schema.tables WHERE table_name = 'ledger_rows' AND table_schema = current_schema()`;
      expect(await sql.run(kindOf)).toEqual([{ type: kind === 'sqlite' ? 'view' : 'VIEW' }]);
      expect(
        await sql.run(
          `SELECT project_id, SUM(value) AS value FROM ledger_rows WHERE series = 'costs' GROUP BY project_id`,
        ),
      ).toEqual([{ project_id: 'proj_a', value: 0.012345678901234568 + 1.25 }]);
    } finally {
      await sql.close();
    }
    // Opened again: nothing left to migrate, the same ledger.
    const again = await openLedger(db);
    expect(byKey(await again.rows('costs'))).toEqual(byKey(V1_ROWS.filter((r) => r.series === 'costs')));
    await again.close();
  });

  test('a ledger of a newer schema version is refused, naming both versions and what to do, and left as it was', async () => {
    const db = await dbs.freshDb(kind);
    const sql = await raw(db);
    await sql.run(`CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    await sql.run(`INSERT INTO ledger_meta VALUES ('schema_version', '3')`);
    await sql.close();
    await expect(openLedger(db)).rejects.toThrow(
      /schema version 3; this openai-admin knows versions 1 to 2: upgrade openai-admin/,
    );
    const check = await raw(db);
    const tables =
      kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table'`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`;
    expect((await check.run(tables)).map((r) => r.name)).toEqual(['ledger_meta']);
    await check.close();
  });
});

test.each(['sqlite', 'postgres'] as const)(
  'on %s, a migration killed (SIGKILL) before its commit leaves version 1 whole, and the next open migrates it',
  async (kind) => {
    const db = await dbs.freshDb(kind);
    await writeV1(db);
    // A process that migrates and kills itself at the last instant before the commit (on Postgres the server sees
    // its connection drop inside the transaction).
    const child = join(dbs.tmp, `migrate-and-die-${kind}.mts`);
    const [file, open] =
      kind === 'sqlite' ? ['sqlite-store.ts', 'openSqliteStore'] : ['postgres-store.ts', 'openPostgresStore'];
    writeFileSync(
      child,
      `import { ${open} } from ${JSON.stringify(join(__dirname, '../../../src/ledger', file))};\n` +
        `await ${open}(${JSON.stringify(db)}, () => process.kill(process.pid, 'SIGKILL'));\n`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { cwd: join(__dirname, '../../..') });
    expect([run.signal, run.stderr.toString()]).toEqual(['SIGKILL', '']);

    const sql = await raw(db);
    const tables =
      kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`;
    expect((await sql.run(tables)).map((t) => t.name)).not.toContain('ledger_values');
    expect((await sql.run('SELECT COUNT(*) AS n FROM ledger_rows')).map((r) => Number(r.n))).toEqual([V1_ROWS.length]);
    expect(await sql.run(`SELECT value FROM ledger_meta WHERE key = 'schema_version'`)).toEqual([]);
    await sql.close();

    const store = await openLedger(db);
    try {
      expect(byKey(await store.rows())).toEqual(byKey(V1_ROWS));
      expect(await store.cursors()).toEqual(V1_CURSORS);
    } finally {
      await store.close();
    }
  },
);
