/** Picks the store from a `--db` value: a postgres:// URL is Postgres, anything else a SQLite file. */
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { LedgerStore } from './store.js';

/** Pure: which store a `--db` value names. */
export const storeKind = (db: string): 'postgres' | 'sqlite' =>
  /^postgres(ql)?:\/\//i.test(db) ? 'postgres' : 'sqlite';

/**
 * Opens the ledger at `db`: `postgres://…` (or `postgresql://…`) for Postgres, else the path of a SQLite file
 * (created when absent). The driver (better-sqlite3 or pg) is loaded here, only here.
 * @example
 * const store = await openLedger(process.env.LEDGER_DB ?? 'usage.db');
 */
export function openLedger(db: string): Promise<LedgerStore> {
  if (!db) throw new Error('--db: give a SQLite file path or a postgres:// URL');
  return storeKind(db) === 'postgres' ? openPostgresStore(db) : openSqliteStore(db);
}
