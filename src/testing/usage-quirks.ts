/**
 * How the live usage and costs endpoints differ from a ledger's idea of them (`realism: 'api'`; sources in the
 * reference material's real-api.md):
 * - minute usage buckets are revised for about 15 minutes after they close: a bucket read as soon as it closes
 *   undercounts (elastic/integrations `packages/openai` 2.2.0 added a 15-minute "finalization grace": 0 s
 *   undercounts, 15 min is accurate);
 * - costs come in daily buckets only (the spec's `bucket_width` enum is `1d`, so anything else is a 400 before any
 *   handler runs) and about a day late (Datadog's OpenAI integration: cost data "within 24 hours"; Elastic and Sumo
 *   Logic poll costs daily);
 * - `group_by=api_key_id` on costs is in the spec and the SDKs, but the live API answers 400 (PostHog/posthog #71784,
 *   whose costs sync failed on it; the sources give the status, not the body: the message here is ours).
 *
 * The revision model is deterministic and reads only the emulator's clock, so a test can walk a bucket through its
 * revisions by moving the clock: a bucket that ended `age` seconds ago (or has not ended yet) reports
 * {@link revisedFraction} of its final counters, rounded down, from one half when it closes to all of it once
 * `revisionSeconds` have passed, one step per minute. Later readings never go down. The final numbers are what the
 * emulator answers without these quirks, and what `emu.truth()` gives.
 */
import { ApiError } from './errors.js';

/** The quirks' settings; each is off at its zero value (the default without `realism: 'api'`). */
export interface UsageQuirkSettings {
  /** Buckets still open or closed less than this many seconds ago report part of their final counters (0: off). */
  revisionSeconds: number;
  /** A daily costs bucket appears this many seconds after it ends; until then its results are empty (0: at once). */
  costsDelaySeconds: number;
  /** `group_by=api_key_id` on costs answers 400, as the live API does. */
  refuseCostsByApiKey: boolean;
}

/** Off: the emulator's behaviour without `realism: 'api'`. */
export const NO_USAGE_QUIRKS: UsageQuirkSettings = {
  revisionSeconds: 0,
  costsDelaySeconds: 0,
  refuseCostsByApiKey: false,
};

/** The live API's, from the evidence above: 15 minutes of revisions, costs a day late, api_key_id refused. */
export const LIVE_USAGE_QUIRKS: UsageQuirkSettings = {
  revisionSeconds: 900,
  costsDelaySeconds: 86_400,
  refuseCostsByApiKey: true,
};

/** Share of a bucket's final counters reported when a bucket first closes. */
const FIRST_READING = 0.5;

/**
 * The share of its final counters a bucket reports `age` seconds after it ended (negative: still open), when revisions
 * settle after `windowSeconds`: one half until the first minute has passed, then one more step each whole minute, all
 * of it from `windowSeconds` on. Non-decreasing in `age`. Pure.
 *
 * @example
 * revisedFraction(0, 900)   // 0.5: read as it closes
 * revisedFraction(450, 900) // 0.75
 * revisedFraction(900, 900) // 1: final
 */
export function revisedFraction(age: number, windowSeconds: number): number {
  if (windowSeconds <= 0 || age >= windowSeconds) return 1;
  const minutes = Math.floor(Math.max(0, age) / 60) * 60;
  return Math.min(1, FIRST_READING + ((1 - FIRST_READING) * minutes) / windowSeconds);
}

/** The 400 the live costs endpoint answers to `group_by=api_key_id`, or null for any other query. Pure. */
export function refuseCostsGrouping(settings: UsageQuirkSettings, query: Record<string, unknown>): ApiError | null {
  if (!settings.refuseCostsByApiKey) return null;
  const groupBy = query.group_by;
  const groups = Array.isArray(groupBy) ? groupBy : groupBy === undefined ? [] : [groupBy];
  if (!groups.includes('api_key_id')) return null;
  return new ApiError(
    400,
    "Invalid value for 'group_by': 'api_key_id' is not supported by the costs endpoint; group costs by 'project_id' " +
      "and 'line_item' (per-key usage is in the usage endpoints' group_by=api_key_id).",
    'invalid_request_error',
    'group_by',
    'invalid_value',
  );
}

interface Bucket {
  end_time: number;
  results: Record<string, unknown>[];
}

/**
 * A usage or costs page as the live API answers it at `now` (Unix seconds): costs buckets that ended less than
 * `costsDelaySeconds` ago are empty; usage buckets that ended less than `revisionSeconds` ago (or are still open)
 * carry {@link revisedFraction} of each counter, rounded down. Other fields are left alone. Pure.
 *
 * @example
 * atTime(LIVE_USAGE_QUIRKS, false, page, bucket.end_time) // every counter of that bucket halved, rounded down
 */
export function atTime<T>(settings: UsageQuirkSettings, costs: boolean, body: T, now: number): T {
  const page = body as { data: Bucket[] };
  if (costs) {
    if (settings.costsDelaySeconds <= 0) return body;
    return {
      ...page,
      data: page.data.map((b) => (b.end_time + settings.costsDelaySeconds > now ? { ...b, results: [] } : b)),
    } as T;
  }
  if (settings.revisionSeconds <= 0) return body;
  return {
    ...page,
    data: page.data.map((b) => {
      const share = revisedFraction(now - b.end_time, settings.revisionSeconds);
      if (share === 1) return b;
      return {
        ...b,
        results: b.results.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.floor(v * share) : v])),
        ),
      };
    }),
  } as T;
}
