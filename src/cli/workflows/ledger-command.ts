/** `openai-admin ledger sync`: see src/ledger/sync.ts for the algorithm and src/ledger/store.ts for the schema. */
import type { Command } from '../command.js';
import { printRows } from './print-rows.js';
import { DB_OPTION, openLedgerOf, SYNC_OPTIONS, syncOptionsOf } from './ledger-flags.js';

const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');

export const ledgerSync: Command = {
  words: ['ledger', 'sync'],
  summary: 'Keep every usage endpoint and costs in a local ledger (SQLite or Postgres), correcting revised buckets.',
  description:
    'The first run backfills from --since, a page per request, committing each page: killed, it resumes where it stopped. ' +
    'Later runs read what is new plus a trailing window (usage: 15 minutes after a bucket closes; costs: 2 days), replacing ' +
    'revised buckets in place and marking older ones final. Running it twice, or twice at once, never counts anything twice. ' +
    'Needs the optional package better-sqlite3 (SQLite) or pg (Postgres).',
  positionals: [],
  options: { db: DB_OPTION, ...SYNC_OPTIONS },
  examples: [
    'openai-admin ledger sync --db usage.db --since 2026-01-01',
    'openai-admin ledger sync --db postgres://ledger@db.internal/usage',
    'openai-admin ledger sync --db hourly.db --bucket-width 1h --series usage.completions,costs',
  ],
  notes: [
    'Series: usage.completions, usage.embeddings, usage.moderations, usage.images, usage.audio_speeches, usage.audio_transcriptions,',
    'usage.vector_stores, usage.code_interpreter_sessions, usage.file_searches, usage.web_searches, costs.',
  ],
  async run(ctx, values) {
    const options = await syncOptionsOf(values, ctx.io.env);
    const admin = await ctx.client();
    const store = await openLedgerOf(values);
    try {
      const { syncLedger } = await import('../../ledger/sync.js');
      const result = await syncLedger(admin, store, {
        ...options,
        warn: (m) => void ctx.io.stderr.write(`warning: ${m}\n`),
        onChunk: (e) => ctx.progress(`${e.series}: ${iso(e.from)} → ${iso(e.to)} (${e.rows} rows)`),
      });
      ctx.clearProgress();
      await printRows(
        ctx,
        result.series.map((s) => ({
          series: s.series,
          requests: s.requests,
          rows: s.rows,
          final_until: iso(s.finalUntil),
        })),
        ['series', 'requests', 'rows', 'final_until'],
        `ledger ${store.where}: ${result.requests} requests`,
      );
    } finally {
      await store.close();
    }
  },
};
