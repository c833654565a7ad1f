/** `openai-admin exporter`: see src/ledger/exporter.ts (server and loop) and src/ledger/metrics.ts (metric reference). */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { DB_OPTION, openLedgerOf, SYNC_OPTIONS, syncOptionsOf } from './ledger-flags.js';
import { wholeNumber } from './print-rows.js';

export const exporter: Command = {
  words: ['exporter'],
  summary: 'Serve usage and costs from the ledger as OpenMetrics on /metrics, syncing the ledger in the background.',
  description:
    'Counters by endpoint, project (id and name) and model; costs by project and line item; freshness per series (last sync, ' +
    'data lag, buckets not final). A scrape reads the ledger and never calls the API; restarted, the exporter serves the same ' +
    'values. /healthz answers 200 once a sync succeeded. Stops on SIGINT or SIGTERM. See docs/spend.md for the metric reference.',
  positionals: [],
  options: {
    db: DB_OPTION,
    port: { type: 'string', placeholder: 'N', description: 'Port to listen on (default 9464).' },
    host: {
      type: 'string',
      placeholder: 'address',
      description: 'Address to listen on (default 127.0.0.1; 0.0.0.0 for a Prometheus on another host).',
    },
    interval: {
      type: 'string',
      placeholder: 'seconds',
      description: 'Seconds between the end of a sync and the start of the next (default 300).',
    },
    ...SYNC_OPTIONS,
  },
  examples: [
    'openai-admin exporter --db usage.db',
    'openai-admin exporter --port 9464 --host 0.0.0.0 --db postgres://ledger@db.internal/usage',
  ],
  async run(ctx, values) {
    const port = wholeNumber(values.port, 'port', 9464, UsageError);
    if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const interval = wholeNumber(values.interval, 'interval', 300, UsageError);
    if (interval < 1) throw new UsageError('--interval must be at least 1 second');
    const options = await syncOptionsOf(values, ctx.io.env);
    const admin = await ctx.client();
    const store = await openLedgerOf(values);
    const { startExporter } = await import('../../ledger/exporter.js');
    const running = await startExporter(admin, store, {
      port,
      host: typeof values.host === 'string' ? values.host : '127.0.0.1',
      intervalMs: interval * 1000,
      sync: { ...options, warn: (m) => void ctx.io.stderr.write(`warning: ${m}\n`) },
      onError: (err) => void ctx.io.stderr.write(`warning: sync failed: ${(err as Error).message}\n`),
    });
    ctx.io.stderr.write(`serving ${running.url}/metrics from ${store.where}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
    await store.close();
  },
};
