/**
 * Shared by the bench server, the workers and the orchestrator: the deterministic data set and the checksums
 * that make a fast wrong answer lose (every task returns an item count and an order-sensitive hash).
 */

export const API_KEY = 'sk-admin-bench-0000000000000000';
export const PROJECT_EPOCH = 1_700_000_000;
/** 90 days of hourly buckets. */
export const USAGE_START = 1_735_689_600; // 2025-01-01T00:00:00Z
export const USAGE_BUCKETS = 90 * 24;
export const USAGE_END = USAGE_START + USAGE_BUCKETS * 3600;
/** Results per usage bucket (two models). */
export const USAGE_RESULTS_PER_BUCKET = 2;
export const USAGE_MODELS = ['gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18'];
/** Largest and default usage `limit` per bucket width, as the live API documents them. */
export const USAGE_LIMITS: Record<string, { max: number; default: number }> = {
  '1m': { max: 1440, default: 60 },
  '1h': { max: 168, default: 24 },
  '1d': { max: 31, default: 7 },
};

export const projectId = (i: number) => `proj_${String(i).padStart(8, '0')}`;
export const projectIndex = (id: string) => Number.parseInt(id.slice(5), 10);

export function project(i: number) {
  return {
    id: projectId(i),
    object: 'organization.project',
    name: `Project ${i}`,
    created_at: PROJECT_EPOCH + i,
    archived_at: null,
    status: 'active',
  };
}

export function usageResult(bucket: number, k: number) {
  return {
    object: 'organization.usage.completions.result',
    input_tokens: 1000 + bucket * 3 + k,
    output_tokens: 200 + k,
    input_cached_tokens: 0,
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: 1 + k,
    project_id: null,
    user_id: null,
    api_key_id: null,
    model: USAGE_MODELS[k],
    batch: null,
  };
}

/** Order-sensitive running hash (FNV-1a style over 32-bit words). */
export function mix(h: number, value: number): number {
  return Math.imul(h ^ (value >>> 0), 16777619) >>> 0;
}
export const HASH_SEED = 2166136261;

export interface Check {
  count: number;
  checksum: number;
}

/** What iterating projects 0..n-1 must produce. */
export function expectedProjects(n: number): Check {
  let h = HASH_SEED;
  for (let i = 0; i < n; i++) h = mix(h, PROJECT_EPOCH + i);
  return { count: n, checksum: h };
}

/** What `retrieve` repeated `times` must produce (the same project each time). */
export function expectedRetrieves(times: number): Check {
  let h = HASH_SEED;
  for (let i = 0; i < times; i++) h = mix(h, PROJECT_EPOCH + 42);
  return { count: times, checksum: h };
}

/** What exporting every usage row must produce: hash over start_time and input_tokens of each row in order. */
export function expectedUsage(): Check {
  let h = HASH_SEED;
  let count = 0;
  for (let b = 0; b < USAGE_BUCKETS; b++) {
    for (let k = 0; k < USAGE_RESULTS_PER_BUCKET; k++) {
      h = mix(mix(h, USAGE_START + b * 3600), usageResult(b, k).input_tokens);
      count++;
    }
  }
  return { count, checksum: h };
}

export const baseURLFor = (port: number, n: number) => `http://127.0.0.1:${port}/n/${n}/v1`;
