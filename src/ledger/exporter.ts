/**
 * The exporter: an HTTP server with /metrics (OpenMetrics from the ledger, metrics.ts) and /healthz, and a
 * background loop that syncs the ledger every `interval`. A scrape reads the store only; it never calls the API.
 */
import { createServer, type Server } from 'node:http';
import type { OpenAIAdmin } from '../index.js';
import { CONTENT_TYPE, renderMetrics } from './metrics.js';
import type { LedgerStore } from './store.js';
import { syncLedger, type SyncOptions } from './sync.js';

/** How long a scrape's text is reused when this exporter has not synced since (see startExporter). */
export const CACHE_MS = 15_000;

export interface ExporterOptions {
  port?: number;
  host?: string;
  /** Milliseconds between the end of a sync and the start of the next. Default 300,000 (5 minutes). */
  intervalMs?: number;
  sync?: SyncOptions;
  /** Hears sync failures (the loop goes on). */
  onError?: (error: unknown) => void;
}

export interface Exporter {
  url: string;
  server: Server;
  /** Resolves after the first sync (successful or not). */
  firstSync: Promise<void>;
  close(): Promise<void>;
}

/** The metrics text of `store` now (what /metrics serves). */
export async function metricsText(store: LedgerStore, now: number, syncs = { ok: 0, error: 0 }): Promise<string> {
  const [totals, projects, cursors, vectorStoreBytes] = await Promise.all([
    store.totals(),
    store.names('project'),
    store.cursors(),
    store.latest('usage.vector_stores', 'usage_bytes'),
  ]);
  return renderMetrics({ totals, projects, cursors, vectorStoreBytes, now, syncs });
}

/**
 * Starts the server and the sync loop.
 * @example
 * const store = await openLedger('usage.db');
 * const exporter = await startExporter(new OpenAIAdmin(), store, { port: 9464 });
 * // scrape http://127.0.0.1:9464/metrics; later:
 * await exporter.close();
 */
export async function startExporter(
  admin: OpenAIAdmin,
  store: LedgerStore,
  options: ExporterOptions = {},
): Promise<Exporter> {
  const now = options.sync?.now ?? (() => Math.floor(Date.now() / 1000));
  const syncs = { ok: 0, error: 0 };
  let lastError: string | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // The text of the last scrape, reused for CACHE_MS unless this exporter synced since. A scrape reads the running
  // totals plus the trailing window (store.ts FOLD_SQL), so its cost no longer grows with the ledger's history; the
  // cache only spares the store from several Prometheus servers or dashboards scraping at once. Another writer's
  // sync (a cron, a second exporter on one Postgres) shows within CACHE_MS.
  let cache: { text: string; at: number } | undefined;
  // Bumped by each sync: a text computed while a sync committed is served once, not cached.
  let generation = 0;
  const scrape = async () => {
    if (cache && Date.now() - cache.at < CACHE_MS) return cache.text;
    const before = generation;
    const text = await metricsText(store, now(), syncs);
    if (generation === before) cache = { text, at: Date.now() };
    return text;
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === '/metrics')
      return void scrape().then(
        (text) => res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`ledger unreadable: ${err.message}\n`),
      );
    if (path === '/healthz' || path === '/health') {
      const ok = syncs.ok > 0;
      return void res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ status: ok ? 'ok' : 'no successful sync yet', syncs, last_error: lastError ?? null }) + '\n',
        );
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(options.port ?? 9464, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as { port: number; address: string };

  const loop = async () => {
    try {
      await syncLedger(admin, store, options.sync);
      syncs.ok++;
      lastError = undefined;
    } catch (err) {
      syncs.error++;
      lastError = (err as Error).message;
      options.onError?.(err);
    }
    cache = undefined;
    generation++;
    if (!closed) timer = setTimeout(() => void (running = loop()), options.intervalMs ?? 300_000);
  };
  running = loop();
  return {
    url: `http://${address.address}:${address.port}`,
    server,
    firstSync: running,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
