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

/** The range of each fault knob: probabilities, and waits a test can sit through (a minute). */
const FAULT_RANGES: Record<keyof FaultOptions, [min: number, max: number]> = {
  rateLimitRate: [0, 1],
  serverErrorRate: [0, 1],
  retryAfterSeconds: [0, 86_400],
  latencyMs: [0, 60_000],
};

/**
 * The fault knobs, checked: each a finite number in its range, else a RangeError naming it. An unbounded latency
 * would hold every request (and its socket) open for as long as it says.
 */
export function checkFaultOptions(options: FaultOptions): FaultOptions {
  for (const [name, value] of Object.entries(options)) {
    const range = FAULT_RANGES[name as keyof FaultOptions] as [number, number] | undefined;
    if (!range) throw new RangeError(`faults.${name} is not a fault option (${Object.keys(FAULT_RANGES).join(', ')})`);
    if (value === undefined) continue;
    const [min, max] = range;
    if (typeof value !== 'number' || !(value >= min && value <= max))
      throw new RangeError(
        `faults.${name} must be a number from ${min} to ${max} (got ${typeof value === 'number' ? value : typeof value})`,
      );
  }
  return { ...options };
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
