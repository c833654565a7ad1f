/**
 * `openai-admin/ledger`: a revision-aware usage and cost ledger on SQLite (better-sqlite3) or Postgres (pg), both
 * optional peer dependencies loaded only when a ledger is opened. `syncLedger` keeps it up to date; the totals it
 * holds feed the exporter (`renderMetrics`) and `report spend --db`.
 *
 * @example
 * import { OpenAIAdmin } from 'openai-admin';
 * import { openLedger, syncLedger } from 'openai-admin/ledger';
 * const store = await openLedger('usage.db');
 * await syncLedger(new OpenAIAdmin({ apiKey: process.env.OPENAI_ADMIN_KEY }), store);
 * for (const t of await store.totals()) console.log(t.series, t.metric, t.project_id, t.value);
 * await store.close();
 * @module openai-admin/ledger
 */
export { openLedger, storeKind } from './open.js';
export { openSqliteStore } from './sqlite-store.js';
export { openPostgresStore } from './postgres-store.js';
export {
  syncLedger,
  DEFAULT_USAGE_GRACE,
  DEFAULT_COSTS_GRACE,
  DEFAULT_NAMES_EVERY,
  type SyncOptions,
  type SyncResult,
  type SeriesSyncResult,
} from './sync.js';
export { SERIES, SERIES_NAMES, WIDTH_SECONDS, type BucketWidth, type SeriesSpec } from './series.js';
export type { LedgerStore, LedgerRow, Cursor, Total } from './store.js';
export { rowsOfBucket } from './rows.js';
export { chunks, finalEdge, parseSeconds, parseSince } from './windows.js';
export { renderMetrics, labelValue, CONTENT_TYPE, type MetricsInput } from './metrics.js';
export { startExporter, metricsText, type Exporter, type ExporterOptions } from './exporter.js';
