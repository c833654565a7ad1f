/**
 * Retry timing and policy as pure functions: every decision is a function of its inputs (headers, the clock
 * reading, a random number), so tests assert exact waits without timers.
 */

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff, doubled on each retry up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A server-requested wait longer than this is not slept through: the caller gets RateLimitError instead. */
  maxServerWaitMs: number;
  retryStatuses: ReadonlySet<number>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxServerWaitMs: 60_000,
  retryStatuses: new Set([408, 409, 429, 500, 502, 503, 504]),
};

/**
 * The wait the server asked for, in ms: `retry-after-ms` (OpenAI's own, fractional ms), else `Retry-After` as
 * seconds or as an HTTP date. Null when absent or unparseable; never negative.
 */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | null {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = headers['retry-after']?.trim();
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  // Every HTTP-date form starts with a day name and has a time of day; Date.parse alone reads "-3" as a date.
  if (!/^[A-Za-z]{3}/.test(raw) || !/\d{2}:\d{2}:\d{2}/.test(raw)) return null;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with up to 25% jitter taken off, so retrying clients spread out. */
export function backoffDelay(retriesDone: number, random: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const base = Math.min(policy.initialDelayMs * 2 ** retriesDone, policy.maxDelayMs);
  return Math.round(base * (1 - 0.25 * random));
}

/** What happened to one attempt. */
export type AttemptOutcome =
  | { kind: 'status'; status: number; headers: Record<string, string> }
  /** `sent: false` only when the connection provably failed before the request left (e.g. refused). */
  | { kind: 'connection'; sent: boolean }
  | { kind: 'timeout' };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not-retryable' | 'exhausted' | 'outcome-unknown' | 'wait-too-long'; waitMs?: number };

export interface RetryInput {
  outcome: AttemptOutcome;
  retriesDone: number;
  /** False for creates: retried only when the server provably did not process the request. */
  retrySafe: boolean;
  nowMs: number;
  random: number;
  policy?: RetryPolicy;
}

export function decideRetry({
  outcome,
  retriesDone,
  retrySafe,
  nowMs,
  random,
  policy = DEFAULT_RETRY_POLICY,
}: RetryInput): RetryDecision {
  let serverWait: number | null = null;
  if (outcome.kind === 'status') {
    const shouldRetry = outcome.headers['x-should-retry'];
    const retryable = shouldRetry === 'true' || (shouldRetry !== 'false' && policy.retryStatuses.has(outcome.status));
    if (!retryable) return { retry: false, reason: 'not-retryable' };
    // 429 means the request was turned away unprocessed; x-should-retry: true is the server vouching for it.
    const provablyUnprocessed = outcome.status === 429 || shouldRetry === 'true';
    // A 409 is a definite answer (the thing exists or conflicts); only timeouts and 5xx leave a create in doubt.
    const ambiguous = outcome.status === 408 || outcome.status >= 500;
    if (!retrySafe && !provablyUnprocessed)
      return { retry: false, reason: ambiguous ? 'outcome-unknown' : 'not-retryable' };
    serverWait = parseRetryAfter(outcome.headers, nowMs);
    if (serverWait !== null && serverWait > policy.maxServerWaitMs)
      return { retry: false, reason: 'wait-too-long', waitMs: serverWait };
  } else if (!retrySafe && !(outcome.kind === 'connection' && !outcome.sent)) {
    return { retry: false, reason: 'outcome-unknown' };
  }
  if (retriesDone >= policy.maxRetries)
    return { retry: false, reason: 'exhausted', ...(serverWait !== null ? { waitMs: serverWait } : {}) };
  // A server-requested wait is taken as is: jitter would only make us early or late.
  return { retry: true, delayMs: serverWait ?? backoffDelay(retriesDone, random, policy) };
}
