import { ApiError } from './errors.js';
import { unit } from './random.js';

/** Fault knobs for resilience tests. Rates are probabilities per request, in [0, 1]. */
export interface FaultOptions {
  /** Share of requests answered 429 with a `Retry-After` header. */
  rateLimitRate?: number;
  /** The `Retry-After` value of injected 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Share of requests answered 500. */
  serverErrorRate?: number;
  /** Delay added before every response, in milliseconds. */
  latencyMs?: number;
}

export interface FaultDecision {
  latencyMs: number;
  error: ApiError | null;
}

/**
 * Decides faults from (seed, request number) only, so a test that sends the same requests in the same
 * order meets the same 429s and 500s on every run.
 */
export class FaultInjector {
  private count = 0;

  constructor(
    private readonly seed: string,
    public options: FaultOptions = {},
  ) {}

  next(): FaultDecision {
    const n = this.count++;
    const { rateLimitRate = 0, serverErrorRate = 0, retryAfterSeconds = 1, latencyMs = 0 } = this.options;
    let error: ApiError | null = null;
    if (rateLimitRate > 0 && unit(`${this.seed}|fault|429|${n}`) < rateLimitRate) {
      error = new ApiError(
        429,
        'Rate limit reached for requests (emulated). Please try again later.',
        'requests',
        null,
        'rate_limit_exceeded',
        { 'retry-after': String(retryAfterSeconds) },
      );
    } else if (serverErrorRate > 0 && unit(`${this.seed}|fault|5xx|${n}`) < serverErrorRate) {
      error = new ApiError(500, 'The server had an error while processing your request (emulated).', 'server_error');
    }
    return { latencyMs, error };
  }
}
