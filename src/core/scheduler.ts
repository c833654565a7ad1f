/**
 * The per-client scheduler: bounded concurrency, and per-route pacing once a route has been rate limited.
 *
 * A route is an operation (method + path template, e.g. `GET /organization/projects/{project_id}/api_keys`): the
 * Administration API limits each endpoint separately (about 7–10 requests per minute on some), so a 429 on one
 * route must not slow the others. Rate-limit waits are pacing, not failures: they do not consume `maxRetries`;
 * only `maxRateLimitWait` (the total a call may spend waiting on rate limits) bounds them.
 *
 * Learning the rate: the first 429 on a route blocks it until the reset the server states (header or message).
 * The window after that reset is measured: its first admission starts it, the next 429 ends it, and the number of
 * requests that succeeded in it over its length (first admission → reset) is taken as the route's rate. From then
 * on at most that many requests start per window, and the rest wait for the next window instead of drawing 429s.
 * A 429 in a paced window means the estimate was too generous: the window gets a larger safety margin and the
 * server's wait is taken as is.
 *
 * Cost when nothing is limited: tryEnter is two comparisons and an increment; no clock read, no allocation.
 * The clock and sleep are the client's (injectable): the scheduler also keeps a virtual time (the latest wake-up
 * it slept to), so that with a frozen test clock a sleep still moves time forward and nothing waits twice.
 */
import type { OperationSpec } from '../../generated/operations.gen.js';
import { APIUserAbortError, RateLimitError } from './errors.js';
import { rateLimitWait, type WaitSource } from './rate-limit-wait.js';

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

/** Counters of one client's scheduler, as read through `admin.rateLimits`. */
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
  /** Routes this client has seen limited, with the rate learned for each (null until a full window was observed). */
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
  random: () => number;
  onRateLimit: OnRateLimit | undefined;
  /** Called with each wait, for the debug log; absent when logging is off. */
  logWait: ((info: RateLimitInfo) => void) | undefined;
}

/** The rate-limit budget of one call: created on its first wait, never on the fast path. */
export interface CallWaits {
  /** The most a call may wait on rate limits in total (maxRateLimitWait). */
  maxMs: number;
  waitedMs: number;
  /** Consecutive 429s that stated no wait: they back off exponentially. */
  unstated: number;
}

/** tryEnter's answer when the call must take the slow path. */
export const NOT_ADMITTED = -2;
/** An admission on a route the scheduler keeps no state for (never limited). */
export const UNTRACKED = -1;

/** Added to a learned window so that a slightly early start does not draw a 429: 1 % of the window, at least 5 ms. */
const SLACK_SHARE = 0.01;
const MIN_SLACK_MS = 5;
/** Backoff for 429s that state no wait, when the route's rate is not known yet. */
const UNSTATED_INITIAL_MS = 1_000;
const UNSTATED_MAX_MS = 60_000;

class RouteState {
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

interface SlotWaiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #routes = new Map<OperationSpec, RouteState>();
  #tracked = 0;
  #inFlight = 0;
  readonly #slotWaiters: (SlotWaiter | undefined)[] = [];
  #slotHead = 0;
  #queued = 0;
  #waiting = 0;
  #rateLimited = 0;
  #totalWaitMs = 0;
  /** The latest time any wait slept to: with a frozen test clock, time still moves forward by the sleeps. */
  #virtualNow = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  #now(): number {
    const t = this.#options.now();
    return t > this.#virtualNow ? t : this.#virtualNow;
  }

  /**
   * The fast path: admits the call at once when a slot is free, nobody queues and its route was never limited.
   * Returns the window epoch (UNTRACKED for a route without state) or NOT_ADMITTED (then call enter()).
   */
  tryEnter(op: OperationSpec): number {
    if (
      this.#inFlight < this.#options.maxInFlight &&
      this.#queued === 0 &&
      (this.#tracked === 0 || !this.#routes.has(op))
    ) {
      this.#inFlight++;
      return UNTRACKED;
    }
    return NOT_ADMITTED;
  }

  /** The slow path: waits for a slot and for the route's reset or next window. */
  async enter(op: OperationSpec, signal: AbortSignal | undefined, waits: CallWaits, attempt: number): Promise<number> {
    for (;;) {
      if (this.#inFlight < this.#options.maxInFlight && this.#queued === 0) this.#inFlight++;
      else await this.#waitForSlot(signal); // the slot is handed over: inFlight already counts this call
      const route = this.#routes.get(op);
      if (!route) return UNTRACKED;
      const now = this.#now();
      const waitMs = route.admit(now);
      if (waitMs <= 0) return route.epoch;
      // Waiting for a route must not hold a slot that calls on other routes could use.
      this.leave();
      const source = route.blockedUntil > now ? route.blockSource : 'estimate';
      await this.#wait(route, op, { waitMs, source, limited: false, attempt }, waits, signal, now, undefined);
    }
  }

  /** The request is off the wire: frees its slot for the next queued call. */
  leave(): void {
    this.#inFlight--;
    while (this.#queued > 0) {
      const waiter = this.#slotWaiters[this.#slotHead];
      this.#slotWaiters[this.#slotHead++] = undefined;
      if (this.#slotHead > 1024 && this.#slotHead * 2 > this.#slotWaiters.length) {
        this.#slotWaiters.splice(0, this.#slotHead);
        this.#slotHead = 0;
      }
      if (!waiter) continue; // aborted while queued
      this.#queued--;
      waiter.signal?.removeEventListener('abort', waiter.onAbort!);
      this.#inFlight++;
      waiter.resolve();
      return;
    }
  }

  /** A success on a tracked route (epoch ≥ 0), for the window count. */
  succeeded(op: OperationSpec, epoch: number): void {
    this.#routes.get(op)?.success(epoch);
  }

  /**
   * A 429 that is pacing (not a quota error): records it on its route — synchronously, before the call frees its
   * slot, so that the call handed the slot already sees the route limited — and decides the wait (headers, message,
   * the learned rate, else backoff). The call then sleeps it through waitOut().
   */
  limited(
    op: OperationSpec,
    epoch: number,
    headers: Record<string, string>,
    error: RateLimitError,
    waits: CallWaits,
  ): LimitedWait {
    this.#rateLimited++;
    let route = this.#routes.get(op);
    if (!route) {
      route = new RouteState(op);
      this.#routes.set(op, route);
      this.#tracked++;
    }
    const now = this.#now();
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
   * Sleeps the wait of a 429 through, after asking onRateLimit. Throws the RateLimitError, carrying `retryAfterMs`,
   * when the wait would pass the call's maxRateLimitWait or onRateLimit refuses it.
   */
  waitOut(
    op: OperationSpec,
    limit: LimitedWait,
    error: RateLimitError,
    waits: CallWaits,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return this.#wait(
      limit.route,
      op,
      { waitMs: limit.waitMs, source: limit.source, limited: true, attempt },
      waits,
      signal,
      limit.now,
      error,
    );
  }

  async #wait(
    route: RouteState,
    op: OperationSpec,
    what: { waitMs: number; source: WaitSource; limited: boolean; attempt: number },
    waits: CallWaits,
    signal: AbortSignal | undefined,
    now: number,
    error: RateLimitError | undefined,
  ): Promise<void> {
    const info: RateLimitInfo = { route: route.route, operationId: op.id, ...what, waitedMs: waits.waitedMs };
    const over = waits.waitedMs + what.waitMs > waits.maxMs;
    const vetoed = !over && this.#options.onRateLimit?.(info) === false;
    if (over || vetoed) throw refusedWait(error, route, what.waitMs, over ? 'maxRateLimitWait' : 'onRateLimit');
    this.#options.logWait?.(info);
    route.waiting++;
    this.#waiting++;
    try {
      await this.#options.sleep(what.waitMs, signal);
    } finally {
      route.waiting--;
      this.#waiting--;
    }
    if (signal?.aborted) throw new APIUserAbortError();
    waits.waitedMs += what.waitMs;
    this.#totalWaitMs += what.waitMs;
    if (now + what.waitMs > this.#virtualNow) this.#virtualNow = now + what.waitMs;
  }

  #waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new APIUserAbortError());
    return new Promise<void>((resolve, reject) => {
      const waiter: SlotWaiter = { resolve, reject, signal, onAbort: undefined };
      this.#slotWaiters.push(waiter);
      this.#queued++;
      if (signal) {
        waiter.onAbort = () => {
          // Released at once: out of the queue, without waiting for a slot. (Searched for: the queue compacts.)
          const index = this.#slotWaiters.indexOf(waiter, this.#slotHead);
          if (index < 0) return;
          this.#slotWaiters[index] = undefined;
          this.#queued--;
          reject(new APIUserAbortError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
    });
  }

  stats(): RateLimitStats {
    const now = this.#now();
    return {
      inFlight: this.#inFlight,
      queued: this.#queued,
      waiting: this.#waiting,
      rateLimited: this.#rateLimited,
      totalWaitMs: this.#totalWaitMs,
      routes: [...this.#routes.values()].map((r) => ({
        route: r.route,
        rateLimited: r.rateLimited,
        resumesAt: r.blockedUntil > now ? r.blockedUntil : null,
        estimate: r.capacity > 0 ? { requests: r.capacity, periodMs: r.periodMs } : null,
      })),
    };
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
