/**
 * Per-route pacing, the scheduler's slow path (scheduler.ts has the design): loaded with the failure handling on the
 * first failed attempt (failure.ts), so that a client whose calls are never rate limited neither downloads nor runs
 * it. A route is tracked from its first 429 on; the scheduler's fast path asks only whether a pacer exists and
 * tracks the route.
 */
import { operationId, type OperationSpec } from './operation.js';
import { APIUserAbortError, RateLimitError } from './errors.js';
import { rateLimitWait, type WaitSource } from './rate-limit-wait.js';
import type { CallWaits, RateLimitInfo, RateLimitStats, SchedulerOptions } from './scheduler.js';

/** Added to a learned window so that a slightly early start does not draw a 429: 1 % of the window, at least 5 ms. */
const SLACK_SHARE = 0.01;
const MIN_SLACK_MS = 5;
/** Backoff for 429s that state no wait, when the route's rate is not known yet. */
const UNSTATED_INITIAL_MS = 1_000;
const UNSTATED_MAX_MS = 60_000;

export class RouteState {
  readonly route: string;
  rateLimited = 0;
  waiting = 0;
  /** No request starts before this time (the server's reset). */
  blockedUntil = 0;
  blockSource: WaitSource = 'estimate';
  /** Windows are numbered; a request remembers the window it started in, so that late answers are attributed right. */
  epoch = 0;
  /** Start of the current window (its first admission), or -1 before it. */
  windowStart = -1;
  admitted = 0;
  succeeded = 0;
  /** True once a 429 was seen: the windows from then on are measured. */
  measuring = false;
  /** The learned rate: `capacity` requests per `periodMs` (0 until learned). */
  capacity = 0;
  periodMs = 0;
  slackMs = 0;
  /** The window the rate was learned from: its late successes still raise the capacity. */
  learnedEpoch = -1;

  constructor(op: OperationSpec) {
    this.route = `${op.method} ${op.path}`;
  }

  /** 0 and the request is admitted (counted in the current window), else the ms to wait before asking again. */
  admit(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    if (this.capacity > 0 && this.windowStart >= 0 && now >= this.windowStart + this.periodMs + this.slackMs)
      this.newWindow();
    if (this.windowStart < 0) {
      if (this.measuring) this.windowStart = now;
    } else if (this.capacity > 0 && this.admitted >= this.capacity) {
      this.blockSource = 'estimate';
      return this.windowStart + this.periodMs + this.slackMs - now;
    }
    this.admitted++;
    return 0;
  }

  newWindow() {
    this.epoch++;
    this.windowStart = -1;
    this.admitted = 0;
    this.succeeded = 0;
  }

  success(epoch: number) {
    if (epoch === this.epoch) this.succeeded++;
    else if (epoch === this.learnedEpoch) this.capacity++;
  }

  /** A 429 answered at `now` to a request started in window `epoch`, asking to wait `waitMs`. */
  limited(now: number, waitMs: number, source: WaitSource, epoch: number) {
    this.rateLimited++;
    const until = now + waitMs;
    if (until > this.blockedUntil) {
      this.blockedUntil = until;
      this.blockSource = source;
    }
    if (!this.measuring) {
      // The first 429: the window after this reset is the one measured.
      this.measuring = true;
      this.newWindow();
      return;
    }
    if (epoch !== this.epoch) return; // an answer from a window already closed: nothing new to learn
    if (this.windowStart >= 0 && this.succeeded > 0) {
      if (this.capacity === 0) {
        this.capacity = this.succeeded;
        this.periodMs = until - this.windowStart;
        this.slackMs = Math.max(MIN_SLACK_MS, Math.round(this.periodMs * SLACK_SHARE));
        this.learnedEpoch = this.epoch;
      } else {
        // Paced and still limited: the server's window is longer or starts later than estimated.
        this.capacity = Math.min(this.capacity, this.succeeded);
        this.slackMs = Math.min(this.slackMs * 2, Math.max(MIN_SLACK_MS, this.periodMs));
      }
    }
    this.newWindow();
  }

  /** The wait until the route's next window, when its rate is known (for a 429 that states none). */
  estimatedWait(now: number): number | null {
    if (this.capacity === 0 || this.windowStart < 0) return null;
    return Math.max(0, this.windowStart + this.periodMs + this.slackMs - now);
  }
}

/** A 429's wait, decided and recorded, not yet slept. */
export interface LimitedWait {
  route: RouteState;
  waitMs: number;
  source: WaitSource;
  now: number;
}

/** The wait a call is about to take, as onRateLimit and the log see it (without its route and totals). */
export interface PlannedWait {
  waitMs: number;
  source: WaitSource;
  limited: boolean;
  attempt: number;
}

/**
 * The limited routes of one scheduler and the waits on them. Created on a client's first 429 and kept for the
 * client's life: a route, once limited, stays paced at the rate it was measured at.
 */
export class Pacer {
  readonly #options: SchedulerOptions;
  readonly routes = new Map<OperationSpec, RouteState>();
  /** Calls waiting for a route's reset or next window. */
  waiting = 0;
  rateLimited = 0;
  totalWaitMs = 0;
  /** The latest time any wait slept to: with a frozen test clock, time still moves forward by the sleeps. */
  #virtualNow = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  now(): number {
    const t = this.#options.now();
    return t > this.#virtualNow ? t : this.#virtualNow;
  }

  /**
   * A 429 that is pacing (not a quota error): records it on its route — synchronously, before the call frees its
   * slot, so that the call handed the slot already sees the route limited — and decides the wait (headers, message,
   * the learned rate, else backoff). The call then sleeps it through wait().
   */
  limited(
    op: OperationSpec,
    epoch: number,
    headers: Record<string, string>,
    error: RateLimitError,
    waits: CallWaits,
  ): LimitedWait {
    this.rateLimited++;
    let route = this.routes.get(op);
    if (!route) {
      route = new RouteState(op);
      this.routes.set(op, route);
    }
    const now = this.now();
    let waitMs: number;
    let source: WaitSource;
    const stated = rateLimitWait(headers, error.message, this.#options.now());
    if (stated) {
      waitMs = stated.ms;
      source = stated.source;
      waits.unstated = 0;
    } else {
      const estimate = route.estimatedWait(now);
      source = 'estimate';
      waitMs =
        estimate !== null && estimate > 0
          ? estimate
          : Math.round(
              Math.min(UNSTATED_INITIAL_MS * 2 ** waits.unstated, UNSTATED_MAX_MS) *
                (1 - 0.25 * this.#options.random()),
            );
      waits.unstated++;
    }
    route.limited(now, waitMs, source, epoch);
    return { route, waitMs, source, now };
  }

  /**
   * Waits for a route (after a 429, or before a request on a limited or paced route), after asking onRateLimit.
   * Throws the RateLimitError (`error`, or a new one when the call was not answered 429), carrying `retryAfterMs`,
   * when the wait would pass the call's maxRateLimitWait or onRateLimit refuses it.
   */
  async wait(
    route: RouteState,
    op: OperationSpec,
    what: PlannedWait,
    waits: CallWaits,
    signal: AbortSignal | undefined,
    now: number,
    error: RateLimitError | undefined,
  ): Promise<void> {
    const info: RateLimitInfo = { route: route.route, operationId: operationId(op), ...what, waitedMs: waits.waitedMs };
    const over = waits.waitedMs + what.waitMs > waits.maxMs;
    const vetoed = !over && this.#options.onRateLimit?.(info) === false;
    if (over || vetoed) throw refusedWait(error, route, what.waitMs, over ? 'maxRateLimitWait' : 'onRateLimit');
    this.#options.logWait?.(info);
    route.waiting++;
    this.waiting++;
    try {
      await this.#options.sleep(what.waitMs, signal);
    } finally {
      route.waiting--;
      this.waiting--;
    }
    if (signal?.aborted) throw new APIUserAbortError();
    waits.waitedMs += what.waitMs;
    this.totalWaitMs += what.waitMs;
    if (now + what.waitMs > this.#virtualNow) this.#virtualNow = now + what.waitMs;
  }

  routeStats(): RateLimitStats['routes'] {
    const now = this.now();
    return [...this.routes.values()].map((r) => ({
      route: r.route,
      rateLimited: r.rateLimited,
      resumesAt: r.blockedUntil > now ? r.blockedUntil : null,
      estimate: r.capacity > 0 ? { requests: r.capacity, periodMs: r.periodMs } : null,
    }));
  }
}

/** The RateLimitError for a wait that was not taken, carrying the wait in `retryAfterMs`. */
function refusedWait(
  error: RateLimitError | undefined,
  route: RouteState,
  waitMs: number,
  by: 'maxRateLimitWait' | 'onRateLimit',
): RateLimitError {
  const result =
    error ??
    new RateLimitError(429, undefined, `${route.route} is rate limited (waiting in the client, not sent)`, undefined);
  result.retryAfterMs = waitMs;
  const why = by === 'maxRateLimitWait' ? 'longer than maxRateLimitWait allows' : 'refused by onRateLimit';
  result.message += ` (rate limited: the next wait, ${Math.round(waitMs / 1000)} s, was ${why}; retry later)`;
  return result;
}
