/**
 * Memory while iterating a long list, in a fresh process started with --expose-gc:
 *   node --expose-gc memory.js <raw|admin|openai> <port> <items> <limit>
 * Baselines: (1) after import + construct + GC, before the first request; (2) after the first page and a GC.
 * RSS growth = peak RSS during the iteration − baseline (2); growth from (1) is reported as well.
 * Heap after a full GC is recorded at 10 checkpoints; "flat" means the last minus the first checkpoint is small.
 */
import { loadClient, type ClientKind } from './clients.js';
import { HASH_SEED, baseURLFor, mix } from './common.js';

const [kind, port, itemsArg, limitArg] = process.argv.slice(2);
const items = Number(itemsArg);
const limit = Number(limitArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const MB = 2 ** 20;

const client = await loadClient(kind as ClientKind, baseURLFor(Number(port), items));
gc();
gc();
const rss0 = process.memoryUsage.rss();
const heap0 = process.memoryUsage().heapUsed;
let peakRss = rss0;
// Second baseline after the first page: fetch (undici, loaded lazily by Node on first use) and the client's
// lazily loaded parts are in memory by then; growth from here is what the iteration itself costs.
let rss1 = 0;
let heap1 = 0;
const checkpoints: { items: number; heapMB: number; rssMB: number }[] = [];
const step = Math.max(limit, Math.floor(items / 10));
let next = step;
let count = 0;
let h = HASH_SEED;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
const onItem = (createdAt: number) => {
  h = mix(h, createdAt);
  count++;
  if (count === limit) {
    gc();
    rss1 = process.memoryUsage.rss();
    heap1 = process.memoryUsage().heapUsed;
    peakRss = rss1;
  }
  if (count % limit === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (count === next) {
    next += step;
    gc();
    checkpoints.push({
      items: count,
      heapMB: process.memoryUsage().heapUsed / MB,
      rssMB: process.memoryUsage.rss() / MB,
    });
  }
};
const t0 = performance.now();
const check = await client.paginate(limit, onItem);
const ms = performance.now() - t0;
clearInterval(sampler);
gc();
const heapEnd = process.memoryUsage().heapUsed;
if (check.count !== count || check.checksum !== h) throw new Error('checksum mismatch between loop and hook');
process.stdout.write(
  `${JSON.stringify({
    count,
    checksum: h,
    ms,
    rssBaselineMB: rss0 / MB,
    rssGrowthMB: (peakRss - rss1) / MB,
    rssAfterFirstPageMB: rss1 / MB,
    rssGrowthFromStartMB: (Math.max(peakRss, rss1) - rss0) / MB,
    heapAfterFirstPageMB: heap1 / MB,
    heapBaselineMB: heap0 / MB,
    heapAfterGcEndMB: heapEnd / MB,
    heapDriftMB: checkpoints.length ? checkpoints[checkpoints.length - 1].heapMB - checkpoints[0].heapMB : 0,
    checkpoints,
  })}\n`,
);
process.exit(0);
