import { badRequest } from './errors.js';
import { MAX_USAGE_RESULTS_PER_PAGE } from './limits.js';
import { decodePageToken, encodePageToken } from './pagination.js';
import { LINE_ITEM_PRICES, type LineItemPrice, type PricedUsage } from './prices.js';
import { hash32, unit } from './random.js';
import type { EmulatorState } from './store.js';

/** A dimension usage can be grouped by (`group_by`) and usually filtered on. */
type Dim =
  | 'project_id'
  | 'user_id'
  | 'api_key_id'
  | 'model'
  | 'batch'
  | 'service_tier'
  | 'source'
  | 'size'
  | 'context_level'
  | 'vector_store_id'
  | 'line_item';

type DimValue = string | boolean;

/** The query parameter that filters each dimension (none for service_tier and line_item). */
const FILTER_PARAM: Partial<Record<Dim, string>> = {
  project_id: 'project_ids',
  user_id: 'user_ids',
  api_key_id: 'api_key_ids',
  model: 'models',
  batch: 'batch',
  source: 'sources',
  size: 'sizes',
  context_level: 'context_levels',
  vector_store_id: 'vector_store_ids',
};

/** One usage family: its result object, dimensions, and metrics as ratios of a per-day amount. */
export interface UsageKind {
  object: string;
  dims: readonly Dim[];
  models?: readonly string[];
  /** The total per day (tokens, images…) before it is split across dimension values (none for costs). */
  perDay: number;
  metrics: Readonly<Record<string, number>>;
  costs?: boolean;
}

const FOUR: readonly Dim[] = ['project_id', 'user_id', 'api_key_id', 'model'];

export const USAGE_KINDS = {
  usageCompletions: {
    object: 'organization.usage.completions.result',
    dims: [...FOUR, 'batch', 'service_tier'],
    models: ['gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18', 'o3-2025-04-16'],
    perDay: 2_000_000,
    metrics: {
      input_tokens: 1,
      output_tokens: 0.25,
      input_cached_tokens: 0.3,
      input_audio_tokens: 0.01,
      output_audio_tokens: 0.005,
      num_model_requests: 1 / 1500,
    },
  },
  usageEmbeddings: {
    object: 'organization.usage.embeddings.result',
    dims: FOUR,
    models: ['text-embedding-3-small', 'text-embedding-3-large'],
    perDay: 500_000,
    metrics: { input_tokens: 1, num_model_requests: 1 / 800 },
  },
  usageModerations: {
    object: 'organization.usage.moderations.result',
    dims: FOUR,
    models: ['omni-moderation-latest'],
    perDay: 100_000,
    metrics: { input_tokens: 1, num_model_requests: 1 / 300 },
  },
  usageImages: {
    object: 'organization.usage.images.result',
    dims: [...FOUR, 'source', 'size'],
    models: ['dall-e-3', 'gpt-image-1'],
    perDay: 400,
    metrics: { images: 1, num_model_requests: 0.9 },
  },
  usageAudioSpeeches: {
    object: 'organization.usage.audio_speeches.result',
    dims: FOUR,
    models: ['tts-1', 'gpt-4o-mini-tts'],
    perDay: 50_000,
    metrics: { characters: 1, num_model_requests: 1 / 400 },
  },
  usageAudioTranscriptions: {
    object: 'organization.usage.audio_transcriptions.result',
    dims: FOUR,
    models: ['whisper-1', 'gpt-4o-transcribe'],
    perDay: 7_200,
    metrics: { seconds: 1, num_model_requests: 1 / 60 },
  },
  usageVectorStores: {
    object: 'organization.usage.vector_stores.result',
    dims: ['project_id'],
    perDay: 500_000_000,
    metrics: { usage_bytes: 1 },
  },
  usageCodeInterpreterSessions: {
    object: 'organization.usage.code_interpreter_sessions.result',
    dims: ['project_id'],
    perDay: 60,
    metrics: { num_sessions: 1 },
  },
  usageFileSearchCalls: {
    object: 'organization.usage.file_searches.result',
    dims: ['project_id', 'user_id', 'api_key_id', 'vector_store_id'],
    perDay: 200,
    metrics: { num_requests: 1 },
  },
  usageWebSearchCalls: {
    object: 'organization.usage.web_searches.result',
    dims: [...FOUR, 'context_level'],
    models: ['gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18'],
    perDay: 100,
    metrics: { num_requests: 1, num_model_requests: 0.8 },
  },
  // Costs are not synthesised on their own: each line item is the usage it meters times its price (prices.ts).
  usageCosts: {
    object: 'organization.costs.result',
    dims: ['project_id', 'line_item', 'api_key_id'],
    perDay: 0,
    metrics: {},
    costs: true,
  },
} as const satisfies Record<string, UsageKind>;

export type UsageOperation = keyof typeof USAGE_KINDS;
/** The usage families prices.ts prices: the typecheck fails if one is not the emulator's (prices.ts imports nothing from here). */
export type PricedUsageFamily = IsUsage<PricedUsage>;
type IsUsage<T extends UsageOperation> = T;

const WIDTH_SECONDS: Record<string, number> = { '1m': 60, '1h': 3600, '1d': 86400 };
/** The API's default page sizes (buckets per page) per bucket_width. */
const DEFAULT_LIMIT: Record<string, number> = { '1m': 60, '1h': 24, '1d': 7 };

const LINE_ITEMS = LINE_ITEM_PRICES.map((p) => p.lineItem);
const PRICE_OF = new Map(LINE_ITEM_PRICES.map((p) => [p.lineItem, p]));

/** The dimensions that say who used the API: one joint dimension, a principal, never split independently. */
const PRINCIPAL_DIMS = ['project_id', 'user_id', 'api_key_id'] as const;
type PrincipalDim = (typeof PRINCIPAL_DIMS)[number];
const isPrincipalDim = (dim: Dim): dim is PrincipalDim => (PRINCIPAL_DIMS as readonly Dim[]).includes(dim);

/** The most seeded projects that carry usage (responses stay small however many projects were seeded). */
const USAGE_PROJECTS = 5;

/**
 * One key's usage: the project it belongs to, the user who owns it (null for a service account's key, which no
 * person holds) and the key. Usage is attributed to principals, so a project's usage is always made with its
 * own keys by its own members: grouped by api_key_id, every key is one of its project's keys.
 */
export interface UsagePrincipal {
  project_id: string;
  user_id: string | null;
  api_key_id: string;
}

/**
 * The usage population: the seeded keys of the first few seeded projects, in seeding order. Keys and projects
 * made during a session carry no usage, so a seed's numbers are stable however the session changes things.
 */
export function usagePrincipals(state: EmulatorState): UsagePrincipal[] {
  const byProject = new Map<string, UsagePrincipal[]>();
  for (const p of state.projects.values()) {
    if (byProject.size === USAGE_PROJECTS) break;
    if (p.seeded) byProject.set(p.id, []);
  }
  for (const k of state.projectKeys.values()) {
    if (k.seeded) {
      const user_id = k.owner.type === 'user' ? k.owner.id : null;
      byProject.get(k.projectId)?.push({ project_id: k.projectId, user_id, api_key_id: k.id });
    }
  }
  return [...byProject.values()].flat();
}

/** The values each other dimension takes (the principal's three come from usagePrincipals). */
function universe(state: EmulatorState, kind: UsageKind, dim: Exclude<Dim, PrincipalDim>): DimValue[] {
  switch (dim) {
    case 'model':
      return [...(kind.models ?? [])];
    case 'batch':
      return [false, true];
    case 'service_tier':
      return ['default', 'flex'];
    case 'source':
      return ['image.generation', 'image.edit'];
    case 'size':
      return ['1024x1024', '1024x1792'];
    case 'context_level':
      return ['low', 'medium', 'high'];
    case 'vector_store_id':
      return [0, 1].map(
        (i) => `vs_${hash32(`${state.seed}|vs|${i}`).toString(36)}${hash32(`${state.seed}|vs2|${i}`).toString(36)}`,
      );
    case 'line_item':
      return LINE_ITEMS;
  }
}

/** Share of each value in a bucket; some values are idle (0) in some buckets, like real usage. */
function shares(seed: string, op: string, dim: Dim, values: DimValue[], bucket: number): Map<DimValue, number> {
  const raw = values.map((v) => {
    const u = unit(`${seed}|${op}|${dim}|${String(v)}|${bucket}`);
    return u < 0.15 ? 0 : 0.2 + 1.6 * unit(`${seed}|${op}|${dim}|${String(v)}|${bucket}|w`);
  });
  const total = raw.reduce((a, b) => a + b, 0) || 1;
  return new Map(values.map((v, i) => [v, raw[i] / total]));
}

/** Each principal's share of a family's bucket, by key id (a key is one principal). */
const principalShares = (seed: string, op: string, keys: string[], bucket: number) =>
  shares(seed, op, 'api_key_id', keys, bucket);

/** The values a filter parameter allows, or null when the query does not filter this dimension. */
function allowedValues(query: Record<string, unknown>, dim: Dim, all: DimValue[]): DimValue[] | null {
  const param = FILTER_PARAM[dim];
  const filter = param ? query[param] : undefined;
  if (filter === undefined) return null;
  const wanted = Array.isArray(filter) ? filter : [filter];
  return all.filter((v) => wanted.includes(v));
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
}

function product(lists: DimValue[][]): DimValue[][] {
  return lists.reduce<DimValue[][]>((acc, list) => acc.flatMap((combo) => list.map((v) => [...combo, v])), [[]]);
}

/** Principals that share the values of the grouped principal dimensions: one result row's "who". */
interface PrincipalGroup {
  values: Partial<Record<PrincipalDim, string | null>>;
  keys: string[];
}

/**
 * How a query shapes the principal: every principal's key (the share population), the groups its rows are
 * split into (one group of every allowed principal when none of the three is grouped). Null when the query
 * neither groups nor filters by project, user or key: the principal's shares then sum to 1 and are skipped.
 */
interface PrincipalPlan {
  keys: string[];
  grouped: PrincipalDim[];
  groups: PrincipalGroup[];
}

function principalPlan(
  state: EmulatorState,
  kind: UsageKind,
  query: Record<string, unknown>,
  groupBy: ReadonlySet<string>,
): PrincipalPlan | null {
  const dims = kind.dims.filter(isPrincipalDim);
  const filters = dims.filter((dim) => FILTER_PARAM[dim] !== undefined && query[FILTER_PARAM[dim]] !== undefined);
  const grouped = dims.filter((dim) => groupBy.has(dim));
  if (!filters.length && !grouped.length) return null;
  const all = usagePrincipals(state);
  const allowed = all.filter((p) =>
    filters.every((dim) => (allowedValues(query, dim, [p[dim] ?? '']) ?? []).length > 0),
  );
  const groups = new Map<string, PrincipalGroup>();
  for (const p of allowed) {
    const values = Object.fromEntries(grouped.map((dim) => [dim, p[dim]]));
    const id = JSON.stringify(grouped.map((dim) => p[dim]));
    const group: PrincipalGroup = groups.get(id) ?? { values, keys: [] };
    group.keys.push(p.api_key_id);
    groups.set(id, group);
  }
  if (!grouped.length && !groups.size) groups.set('', { values: {}, keys: [] });
  return { keys: all.map((p) => p.api_key_id), grouped, groups: [...groups.values()] };
}

/** A principal group's share of a bucket: the sum of its keys' shares, in the same order for usage and costs. */
const groupShare = (group: PrincipalGroup, keyShares: Map<DimValue, number>) =>
  group.keys.reduce((sum, k) => sum + (keyShares.get(k) ?? 0), 0);

/**
 * Synthesises one page of usage or costs. Amounts are a product of a per-bucket base, the share of the principal
 * (project, user and key as one: usagePrincipals) and per-dimension shares of the rest, so totals agree whichever
 * `group_by` is used (up to integer rounding) and every number depends only on the seed, the bucket and the
 * dimension values.
 */
export function usagePage(state: EmulatorState, opName: UsageOperation, query: Record<string, unknown>) {
  const kind: UsageKind = USAGE_KINDS[opName];
  const widthName = typeof query.bucket_width === 'string' ? query.bucket_width : '1d';
  const width = WIDTH_SECONDS[widthName];
  // The limit per bucket width and an explicit end_time before start_time were checked with the client's
  // crossFieldIssues before any handler ran; an end_time left to default to now is checked here.
  const limit = typeof query.limit === 'number' ? query.limit : DEFAULT_LIMIT[widthName];
  const start = query.start_time as number;
  const now = state.now();
  const end = typeof query.end_time === 'number' ? query.end_time : now;
  if (end <= start) throw badRequest("Invalid 'end_time': must be after start_time.", 'end_time');
  const firstBucket = Math.floor(start / width) * width;
  let from = firstBucket;
  if (typeof query.page === 'string') {
    from = decodePageToken(query.page);
    if (from < firstBucket || (from - firstBucket) % width !== 0) {
      throw badRequest(`Invalid 'page': '${query.page}' does not belong to this query.`, 'page');
    }
  }
  const groupBy = new Set((query.group_by as string[] | undefined) ?? []);
  const fraction = width / 86400;
  // Decided once per query: who (the principal) and which other dimensions shape the numbers, and their values.
  const who = principalPlan(state, kind, query, groupBy);
  const plan: DimPlan[] = [];
  for (const dim of kind.dims) {
    if (isPrincipalDim(dim)) continue;
    const all = universe(state, kind, dim);
    const allowed = allowedValues(query, dim, all);
    if (groupBy.has(dim) || allowed) plan.push({ dim, all, allowed: allowed ?? all, grouped: groupBy.has(dim) });
  }
  const data = [];
  let rows = 0;
  let t = from;
  for (; t < end && data.length < limit; t += width) {
    // Buckets that have not happened yet are empty, as upstream.
    const results =
      t >= now
        ? []
        : kind.costs
          ? costResults(state.seed, who, plan, t, fraction)
          : bucketResults(state.seed, opName, kind, who, plan, t, fraction);
    // A page ends at the last whole bucket within MAX_USAGE_RESULTS_PER_PAGE rows (limits.ts); next_page resumes.
    if (data.length && rows + results.length > MAX_USAGE_RESULTS_PER_PAGE) break;
    rows += results.length;
    data.push({
      object: 'bucket',
      start_time: t,
      end_time: t + width,
      start_time_iso: iso(t),
      end_time_iso: iso(t + width),
      results,
    });
  }
  const hasMore = t < end;
  return { object: 'page', data, has_more: hasMore, next_page: hasMore ? encodePageToken(t) : null };
}

interface DimPlan {
  dim: Dim;
  all: DimValue[];
  allowed: DimValue[];
  grouped: boolean;
}

/** The principal dimensions of a row: the group's values where grouped, null elsewhere (as the API). */
function principalFields(kind: UsageKind, who: PrincipalPlan | null, group: PrincipalGroup | undefined) {
  const row: Record<string, unknown> = {};
  for (const dim of kind.dims.filter(isPrincipalDim)) {
    row[dim] = who?.grouped.includes(dim) ? group!.values[dim] : null;
  }
  return row;
}

/** A family's total for one bucket, before it is split across dimension values. */
const bucketBase = (seed: string, opName: string, kind: UsageKind, bucket: number, fraction: number) =>
  kind.perDay * fraction * (0.5 + unit(`${seed}|${opName}|base|${bucket}`));

/**
 * One bucket of costs, derived from usage: a line item charges the whole units (tokens, calls) that its usage
 * family reports for the same bucket, grouped and filtered by the same principal (project and key) and by its
 * model, times its price. The arithmetic mirrors bucketResults step for step, rounding included, so costs grouped
 * or filtered any way are usage × price to the micro-dollar. A row grouped by line_item carries the quantity.
 */
function costResults(
  seed: string,
  who: PrincipalPlan | null,
  plan: readonly DimPlan[],
  bucket: number,
  fraction: number,
) {
  const kind: UsageKind = USAGE_KINDS.usageCosts;
  const lineItem = plan.find((p) => p.dim === 'line_item');
  const groups = who?.groups ?? [undefined];
  const metered = new Map<LineItemPrice, { base: number; modelShare: number; keyShares?: Map<DimValue, number> }>();
  for (const price of LINE_ITEM_PRICES) {
    const source: UsageKind = USAGE_KINDS[price.usage];
    metered.set(price, {
      base: bucketBase(seed, price.usage, source, bucket, fraction),
      modelShare: price.model
        ? (shares(seed, price.usage, 'model', [...(source.models ?? [])], bucket).get(price.model) ?? 0)
        : 1,
      keyShares: who ? principalShares(seed, price.usage, who.keys, bucket) : undefined,
    });
  }
  const items = lineItem ? lineItem.allowed.map((v) => [PRICE_OF.get(v as string)!]) : [LINE_ITEM_PRICES];
  const grouped = Boolean(who?.grouped.length) || Boolean(lineItem?.grouped);
  const results = [];
  for (const group of groups) {
    for (const prices of lineItem?.grouped ? items : [items.flat()]) {
      let usd = 0;
      let quantity = 0;
      for (const price of prices) {
        const m = metered.get(price)!;
        let amount = m.base;
        if (group) amount *= groupShare(group, m.keyShares!);
        if (price.model) amount *= m.modelShare;
        const ratios = USAGE_KINDS[price.usage].metrics as Readonly<Record<string, number>>;
        const units =
          Math.round(amount * ratios[price.metric]) - (price.minus ? Math.round(amount * ratios[price.minus]) : 0);
        quantity += units;
        usd += units * price.usdPerUnit;
      }
      // Without group_by the API still answers one all-null row; with it, idle combinations are left out.
      if (grouped && usd <= 0) continue;
      const row: Record<string, unknown> = {
        object: kind.object,
        amount: { value: Math.round(usd * 1e6) / 1e6, currency: 'usd' },
      };
      const whoFields = principalFields(kind, who, group);
      for (const dim of kind.dims) {
        row[dim] = isPrincipalDim(dim) ? whoFields[dim] : lineItem?.grouped ? prices[0].lineItem : null;
      }
      row.quantity = lineItem?.grouped ? quantity : null;
      row.quantity_unit = lineItem?.grouped ? prices[0].quantityUnit : null;
      results.push(row);
    }
  }
  return results;
}

function bucketResults(
  seed: string,
  opName: string,
  kind: UsageKind,
  who: PrincipalPlan | null,
  plan: readonly DimPlan[],
  bucket: number,
  fraction: number,
) {
  const base = bucketBase(seed, opName, kind, bucket, fraction);
  const keyShares = who ? principalShares(seed, opName, who.keys, bucket) : undefined;
  const groups = (who?.groups ?? [undefined])
    .map((group) => ({ group, share: group ? groupShare(group, keyShares!) : 1 }))
    .filter(({ share }) => !who?.grouped.length || share > 0);
  const grouped: Dim[] = [];
  const groupedValues: DimValue[][] = [];
  const shareMaps = new Map<Dim, Map<DimValue, number>>();
  let ungroupedFactor = 1;
  // A dimension neither grouped nor filtered multiplies every row by the sum of its shares, 1: skipped.
  for (const { dim, all, allowed, grouped: isGrouped } of plan) {
    const s = shares(seed, opName, dim, all, bucket);
    if (isGrouped) {
      shareMaps.set(dim, s);
      grouped.push(dim);
      groupedValues.push(allowed.filter((v) => (s.get(v) ?? 0) > 0));
    } else {
      ungroupedFactor *= allowed.reduce((sum, v) => sum + (s.get(v) ?? 0), 0);
    }
  }
  const anyGrouped = grouped.length > 0 || Boolean(who?.grouped.length);
  const results = [];
  for (const { group, share } of groups) {
    for (const combo of product(groupedValues)) {
      let amount = base;
      if (group) amount *= share;
      amount *= ungroupedFactor;
      combo.forEach((v, i) => (amount *= shareMaps.get(grouped[i])!.get(v)!));
      // Without group_by the API still answers one all-null row; with it, idle combinations are left out.
      if (anyGrouped && amount <= 0) continue;
      const row: Record<string, unknown> = { object: kind.object };
      for (const [metric, ratio] of Object.entries(kind.metrics)) row[metric] = Math.round(amount * ratio);
      const whoFields = principalFields(kind, who, group);
      for (const dim of kind.dims) {
        const i = grouped.indexOf(dim);
        row[dim] = isPrincipalDim(dim) ? whoFields[dim] : i >= 0 ? combo[i] : null;
      }
      results.push(row);
    }
  }
  return results;
}

/**
 * When the synthetic usage last shows a key: the middle of the latest complete hour before now in which
 * completions grouped by `api_key_id` (1h buckets) carry traffic for it. Null for a key outside the usage
 * population, which has no usage at all. Seeding sets `last_used_at` from this, so the two agree.
 */
export function syntheticLastUsedAt(state: EmulatorState, keyId: string): number | null {
  const keys = usagePrincipals(state).map((p) => p.api_key_id);
  if (!keys.includes(keyId)) return null;
  const hour = Math.floor(state.now() / 3600) * 3600;
  // A share is idle (0) 15 % of the time, so a few hours back is nearly always enough; the bound keeps it finite.
  for (let t = hour - 3600; t > hour - 3600 * 72; t -= 3600) {
    if ((principalShares(state.seed, 'usageCompletions', keys, t).get(keyId) ?? 0) > 0) return t + 1800;
  }
  return null;
}
