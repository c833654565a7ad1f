/**
 * What the scheduler (scheduler.ts) and the route pacing (pacing.ts) share, and what users see of them: the wait
 * onRateLimit is told about, the counters of rateLimitStats, a call's rate-limit budget.
 */
import type { WaitSource } from './rate-limit-wait.js';

/** What onRateLimit is told about a wait before it starts. */
export interface RateLimitInfo {
  /** Method and path template, e.g. `GET /organization/projects/{project_id}/api_keys`. */
  route: string;
  operationId: string;
  /** How long the call is about to wait, in ms. */
  waitMs: number;
  /** Attempts this call has made so far (0 when it waits before its first). */
  attempt: number;
  /** header: `retry-after(-ms)` or `x-ratelimit-reset-*`; message: the 429's text; estimate: the client's own pacing or backoff. */
  source: WaitSource;
  /** True when this call's own request was answered 429; false when it waits because its route is paced or limited. */
  limited: boolean;
  /** Rate-limit waits this call has already spent, in ms. */
  waitedMs: number;
}

/**
 * Observes every rate-limit wait before it starts; return `false` to refuse it (the call then fails at once
 * with a RateLimitError carrying `retryAfterMs`).
 */
export type OnRateLimit = (info: RateLimitInfo) => boolean | void;

/**
 * Counters of one client's scheduler, as read through `admin.rateLimitStats`. `routes` is the pacing the client
 * shares with its copies for the same account (withOptions); the other counters are the client's own.
 */
export interface RateLimitStats {
  /** Requests on the wire now. */
  inFlight: number;
  /** Calls waiting for a free slot (concurrency cap). */
  queued: number;
  /** Calls waiting for a route's rate limit to reset. */
  waiting: number;
  /** 429s answered to this client. */
  rateLimited: number;
  /** Total time calls have spent waiting on rate limits, in ms (summed over calls). */
  totalWaitMs: number;
  /**
   * Routes seen limited (by this client or a copy sharing its pacing), with the rate learned for each (null until a
   * full window was observed); it rises while probing finds the server lets more through.
   */
  routes: {
    route: string;
    rateLimited: number;
    resumesAt: number | null;
    estimate: { requests: number; periodMs: number } | null;
  }[];
}

export interface SchedulerOptions {
  maxInFlight: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRateLimit: OnRateLimit | undefined;
  /** Where each wait is logged (pacing.ts words the line); absent below the info level. */
  logWait: ((line: string) => void) | undefined;
}

/** The rate-limit budget of one call: created on its first wait, never on the fast path. */
export interface CallWaits {
  /** The most a call may wait on rate limits in total (maxRateLimitWait). */
  maxMs: number;
  waitedMs: number;
  /** 429s answered to this call (pacing.ts: MAX_RATE_LIMITED_ATTEMPTS), and the wait the last one stated. */
  limited?: number;
  statedMs?: number;
}

/** One client's rate-limit counters, kept by the pacing (pacing.ts) from the client's first 429 on. */
export interface WaitCounts {
  /** Calls waiting for a route's rate limit to reset. */
  waiting: number;
  /** 429s answered to this client. */
  rateLimited: number;
  /** Total time calls have spent waiting on rate limits, in ms. */
  totalWaitMs: number;
}
