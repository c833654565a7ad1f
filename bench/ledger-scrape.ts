/**
 * `npx tsx bench/ledger-scrape.ts <db> <now>`: what an exporter process costs to scrape a ledger, measured in a process
 * of its own (bench/ledger.ts runs it after each backfill, so the backfill's memory is not counted): opens the
 * ledger, renders /metrics three times, prints `{"scrape_ms": <median>, "rss_mb": …, "heap_mb": …}`.
 */
import { metricsText, openLedger } from '../src/ledger/index.js';

const [db, now] = process.argv.slice(2);
const store = await openLedger(db);
const times: number[] = [];
let lines = 0;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  lines = (await metricsText(store, Number(now))).split('\n').length;
  times.push(performance.now() - t);
}
await store.close();
const mb = (n: number) => Math.round(n / 1e6);
const memory = process.memoryUsage();
console.log(
  JSON.stringify({
    scrape_ms: Math.round(times.sort((a, b) => a - b)[1]),
    lines,
    rss_mb: mb(memory.rss),
    heap_mb: mb(memory.heapUsed),
  }),
);
