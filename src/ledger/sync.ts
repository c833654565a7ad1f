/**
 * `syncLedger`: brings a ledger store up to date with the API. Per series, from the first bucket that was not
 * final at the last read to the bucket holding "now", in chunks of one page: each chunk is read whole, then its
 * range is replaced and the cursor moved in one transaction (store.ts). So:
 * - the first run backfills from `since`, and a run killed at any instant resumes at the first chunk not committed;
 * - a later run reads only what is new plus the trailing window, correcting revised buckets in place;
 * - a bucket past the window (`grace` after it closed) is marked final and never read again;
 * - nothing is ever added to what is stored, only replaced: no run, repeated or concurrent, can double count.
 */
import { ResponseTooLargeError, type OpenAIAdmin } from '../index.js';
import { rowsOfBucket } from './rows.js';
import { BUCKETS_PER_PAGE, SERIES, WIDTH_SECONDS, type BucketWidth, type SeriesSpec } from './series.js';
import type { Cursor, LedgerRow, LedgerStore } from './store.js';
import { chunkAt, finalEdge, floorTo } from './windows.js';

/** Minute buckets change for about 15 minutes after they close (elastic/integrations 2.2.0: 15 min is accurate). */
export const DEFAULT_USAGE_GRACE = 15 * 60;
/** Costs are daily and arrive about a day late (Datadog: "within 24 hours"): re-read for two days. */
export const DEFAULT_COSTS_GRACE = 2 * 86_400;
/** Project names are re-read at most this often (2,000 projects are 20 requests). */
export const DEFAULT_NAMES_EVERY = 3_600;

export interface SyncOptions {
  /** The first bucket of a new ledger (Unix seconds; rounded down to the bucket width). Default: 30 days ago. */
  since?: number;
  /** The usage bucket width. Default '1d': the fewest requests (31 buckets a page); '1h' or '1m' for finer rows. */
  bucketWidth?: BucketWidth;
  /** Seconds after a usage bucket closes during which it is re-read. Default 900. */
  usageGrace?: number;
  /** Seconds after a cost bucket closes during which it is re-read. Default 172,800 (2 days). */
  costsGrace?: number;
  /** Only these series (names from SERIES_NAMES). Default: all. */
  series?: readonly string[];
  /** Also group usage by user_id and api_key_id (more rows). Default false. */
  keys?: boolean;
  /** Re-read project names when older than this many seconds. Default 3,600. */
  namesEvery?: number;
  /** The clock, Unix seconds. Default: Date.now. */
  now?: () => number;
  /** Hears each committed chunk (progress lines). */
  onChunk?: (event: { series: string; from: number; to: number; rows: number; requests: number }) => void;
  /** Hears values left out because they were no number. */
  warn?: (message: string) => void;
  /** @internal Test seam: called at each instant a kill test may choose ('after-fetch', 'after-commit'). */
  checkpoint?: (point: 'after-fetch' | 'after-commit', chunk: number) => void;
}

export interface SeriesSyncResult {
  series: string;
  requests: number;
  chunks: number;
  rows: number;
  /** Every bucket ending at or before this is final. */
  finalUntil: number;
}

export interface SyncResult {
  requests: number;
  series: SeriesSyncResult[];
}

/**
 * Syncs every series (or `options.series`) into `store`.
 * @example
 * import { OpenAIAdmin } from 'openai-admin';
 * import { openLedger, syncLedger } from 'openai-admin/ledger';
 * const store = await openLedger('usage.db');
 * const result = await syncLedger(new OpenAIAdmin(), store, { since: Date.UTC(2026, 0, 1) / 1000 });
 * console.log(`${result.requests} requests`);
 * await store.close();
 */
export async function syncLedger(
  admin: OpenAIAdmin,
  store: LedgerStore,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const wanted = options.series ?? SERIES.map((s) => s.name);
  for (const name of wanted)
    if (!SERIES.some((s) => s.name === name))
      throw new Error(`unknown series '${name}'; known: ${SERIES.map((s) => s.name).join(', ')}`);
  const cursors = new Map((await store.cursors()).map((c) => [c.series, c]));
  const result: SyncResult = { requests: 0, series: [] };
  let chunk = 0;
  const tick = () => ++chunk;

  result.requests += await syncNames(admin, store, now(), options.namesEvery ?? DEFAULT_NAMES_EVERY);
  for (const spec of SERIES.filter((s) => wanted.includes(s.name))) {
    const r = await syncSeries(admin, store, spec, cursors.get(spec.name), options, now, tick);
    result.requests += r.requests;
    result.series.push(r);
  }
  return result;
}

async function syncSeries(
  admin: OpenAIAdmin,
  store: LedgerStore,
  spec: SeriesSpec,
  cursor: Cursor | undefined,
  options: SyncOptions,
  now: () => number,
  tick: () => number,
): Promise<SeriesSyncResult> {
  const widthName: BucketWidth = spec.kind === 'costs' ? '1d' : (options.bucketWidth ?? '1d');
  const width = WIDTH_SECONDS[widthName];
  const grace =
    spec.kind === 'costs' ? (options.costsGrace ?? DEFAULT_COSTS_GRACE) : (options.usageGrace ?? DEFAULT_USAGE_GRACE);
  if (cursor && cursor.bucket_width !== widthName)
    throw new Error(
      `${spec.name} is kept in ${cursor.bucket_width} buckets in this ledger; --bucket-width ${widthName} needs a new ledger`,
    );
  const perPage = BUCKETS_PER_PAGE[spec.kind][widthName]!;
  const groupBy = [...spec.groupBy, ...(options.keys ? spec.keyGroups : [])];
  const since = cursor?.since ?? floorTo(options.since ?? now() - 30 * 86_400, width);
  const clock = now();
  const out: SeriesSyncResult = {
    series: spec.name,
    requests: 0,
    chunks: 0,
    rows: 0,
    finalUntil: cursor?.final_until ?? since,
  };
  // Buckets per request: the API's largest page, halved for the rest of this sync whenever a response is over the
  // client's maxResponseBytes (a large organisation's minute page can pass 64 MB): more requests, never a failure.
  let buckets = perPage;
  // Requests that were refused as too large: counted with the next commit (the cursor's tally of requests made).
  let wasted = 0;
  for (let next = chunkAt(cursor?.final_until ?? since, clock, width, buckets); next;) {
    const [from, to] = next;
    const n = tick();
    const fetchedAt = now();
    const edge = finalEdge(fetchedAt, width, grace);
    const rows: LedgerRow[] = [];
    let requests = wasted;
    try {
      for await (const page of spec
        .fetch(admin, {
          start_time: from,
          end_time: to,
          ...(spec.kind === 'usage' ? { bucket_width: widthName } : { bucket_width: '1d' }),
          group_by: groupBy,
          limit: buckets,
        })
        .pages()) {
        requests++;
        for (const bucket of page.data) {
          const { rows: bucketRows, refused } = rowsOfBucket(spec, groupBy, bucket, (end) => end <= edge);
          // A bucket outside the range asked for (a server that ignores end_time) would escape the range's delete.
          for (const row of bucketRows) if (row.start_time >= from && row.start_time < to) rows.push(row);
          for (const field of refused) options.warn?.(`${spec.name}: a ${field} that is not a number was left out`);
        }
      }
    } catch (err) {
      if (!(err instanceof ResponseTooLargeError) || buckets === 1) throw err;
      wasted = requests + 1;
      const asked = buckets;
      buckets = Math.ceil(buckets / 2);
      options.warn?.(
        `${spec.name}: a page of ${asked} buckets was over the client's maxResponseBytes; asking for ${buckets} a page`,
      );
      next = chunkAt(from, clock, width, buckets);
      continue;
    }
    wasted = 0;
    options.checkpoint?.('after-fetch', n);
    const finalUntil = Math.max(out.finalUntil, Math.min(to, edge));
    await store.replaceRange(spec.name, from, to, rows, {
      series: spec.name,
      bucket_width: widthName,
      since,
      final_until: finalUntil,
      fetched_until: to,
      synced_at: fetchedAt,
      requests,
    });
    options.checkpoint?.('after-commit', n);
    out.finalUntil = finalUntil;
    out.requests += requests;
    out.chunks++;
    out.rows += rows.length;
    options.onChunk?.({ series: spec.name, from, to, rows: rows.length, requests });
    next = chunkAt(to, clock, width, buckets);
  }
  return out;
}

/** Project names for labels and reports, re-read when older than `every` seconds. Returns the requests made. */
async function syncNames(admin: OpenAIAdmin, store: LedgerStore, now: number, every: number): Promise<number> {
  const at = await store.namesFetchedAt('project');
  if (at !== undefined && now - at < every) return 0;
  const names = new Map<string, string>();
  let requests = 0;
  for await (const page of admin.projects.list({ include_archived: true, limit: 100 }).pages()) {
    requests++;
    for (const p of page.data)
      if (typeof p.id === 'string') names.set(p.id, typeof p.name === 'string' ? p.name : p.id);
  }
  await store.setNames('project', names, now);
  return requests;
}
