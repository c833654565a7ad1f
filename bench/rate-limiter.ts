/**
 * A server-side rate limiter that behaves like the real Administration API as reported (issue 11): a fixed window
 * per route, opened by the route's first request, letting `capacity` requests through; the rest get a 429 whose
 * wait is stated only in the message ("Please try again in 350ms"), with no Retry-After and no x-ratelimit-*
 * headers. Pure apart from the injected clock: used by the bench server and by the tests (with a fake clock).
 */
export interface LimiterVerdict {
  ok: boolean;
  /** When refused: ms until the route's window resets. */
  waitMs: number;
}

export class FixedWindowLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  passed = 0;
  limited = 0;

  constructor(
    /** Writable: a test raises or lowers the server's limit mid-run. */
    public capacity: number,
    readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(route: string): LimiterVerdict {
    const t = this.now();
    let w = this.#windows.get(route);
    if (!w || t >= w.start + this.periodMs) {
      w = { start: t, count: 0 };
      this.#windows.set(route, w);
    }
    if (w.count < this.capacity) {
      w.count++;
      this.passed++;
      return { ok: true, waitMs: 0 };
    }
    this.limited++;
    return { ok: false, waitMs: w.start + this.periodMs - t };
  }

  reset(): void {
    this.#windows.clear();
    this.passed = 0;
    this.limited = 0;
  }
}

/** A wait written as Go formats durations, as OpenAI's messages do: "350ms", "1.5s", "6m0s". */
export function goDuration(ms: number): string {
  const whole = Math.ceil(ms);
  if (whole < 1000) return `${whole}ms`;
  if (whole < 60_000) return `${Number((whole / 1000).toFixed(3))}s`;
  const minutes = Math.floor(whole / 60_000);
  return `${minutes}m${Number(((whole % 60_000) / 1000).toFixed(3))}s`;
}

/** The body of a 429 as the Administration API sends it: the wait only in the text. */
export function rateLimitBody(route: string, capacity: number, waitMs: number): string {
  return JSON.stringify({
    error: {
      message: `Rate limit reached for ${route}: Limit ${capacity}, Used ${capacity}, Requested 1. Please try again in ${goDuration(waitMs)}.`,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  });
}
