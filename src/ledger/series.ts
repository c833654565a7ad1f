/**
 * What the ledger keeps: one series per usage endpoint plus costs, each read with the widest grouping that still
 * answers by-project / by-model / by-line-item questions, so one request per page serves every rollup.
 *
 * `user_id` and `api_key_id` are left out by default: they multiply the rows by the number of people and keys
 * and no report here needs them (`keys: true` adds them to usage). Costs are never grouped by `api_key_id`: the
 * spec offers it, the live API answers 400 (PostHog/posthog#71784).
 */
import type { OpenAIAdmin } from '../index.js';

export type BucketWidth = '1m' | '1h' | '1d';

export const WIDTH_SECONDS: Record<BucketWidth, number> = { '1m': 60, '1h': 3_600, '1d': 86_400 };

/** Buckets per page the API allows, per width (the spec's limits): one request per chunk of this many buckets. */
export const BUCKETS_PER_PAGE: Record<'usage' | 'costs', Partial<Record<BucketWidth, number>>> = {
  usage: { '1m': 1440, '1h': 168, '1d': 31 },
  costs: { '1d': 180 },
};

/** A bucket as the API sends it (fields checked by the caller: the server may send anything). */
export interface RawBucket {
  start_time: unknown;
  end_time: unknown;
  results: unknown;
}
/** The pages of one query: each page is one request. */
export type Fetch = (
  admin: OpenAIAdmin,
  query: Record<string, unknown>,
) => { pages(): AsyncIterable<{ data: RawBucket[] }> };

export interface SeriesSpec {
  /** The ledger's name for it: `usage.completions`, …, `costs`. */
  name: string;
  kind: 'usage' | 'costs';
  /** The group fields asked for (always `project_id`; `model` where the endpoint has it). */
  groupBy: readonly string[];
  /** Extra group fields added when `keys` is on. */
  keyGroups: readonly string[];
  fetch: Fetch;
}

const usage =
  (method: keyof OpenAIAdmin['usage']): Fetch =>
  (admin, query) =>
    (admin.usage[method] as unknown as (q: Record<string, unknown>) => ReturnType<Fetch>).call(admin.usage, query);

const KEYS = ['user_id', 'api_key_id'] as const;

/**
 * A usage series: `usage.<endpoint>` read with the client's `usage[method]`, grouped by `groupBy` (and by user and
 * key when `keys` is on, unless `keyable` is false: sessions and stored bytes have no per-key grouping).
 */
const usageSeries = (
  endpoint: string,
  method: keyof OpenAIAdmin['usage'],
  groupBy: readonly string[],
  keyable = true,
): SeriesSpec => ({
  name: `usage.${endpoint}`,
  kind: 'usage',
  groupBy,
  keyGroups: keyable ? KEYS : [],
  fetch: usage(method),
});

const BY_MODEL = ['project_id', 'model'] as const;

/** Every series, in the order a sync walks them. */
export const SERIES: readonly SeriesSpec[] = [
  usageSeries('completions', 'completions', [...BY_MODEL, 'batch', 'service_tier']),
  usageSeries('embeddings', 'embeddings', BY_MODEL),
  usageSeries('moderations', 'moderations', BY_MODEL),
  usageSeries('images', 'images', [...BY_MODEL, 'size', 'source']),
  usageSeries('audio_speeches', 'audioSpeeches', BY_MODEL),
  usageSeries('audio_transcriptions', 'audioTranscriptions', BY_MODEL),
  usageSeries('vector_stores', 'vectorStores', ['project_id'], false),
  usageSeries('code_interpreter_sessions', 'codeInterpreterSessions', ['project_id'], false),
  usageSeries('file_searches', 'fileSearchCalls', ['project_id', 'vector_store_id']),
  usageSeries('web_searches', 'webSearchCalls', [...BY_MODEL, 'context_level']),
  {
    name: 'costs',
    kind: 'costs',
    groupBy: ['project_id', 'line_item'],
    keyGroups: [],
    fetch: (admin, query) => admin.costs(query as unknown as Parameters<OpenAIAdmin['costs']>[0]),
  },
];

export const SERIES_NAMES = SERIES.map((s) => s.name);
