/**
 * Per-route pacing, the scheduler's slow path (scheduler.ts has the design): loaded with the failure handling on the
 * first failed attempt (failure.ts), so that a client whose calls are never rate limited neither downloads nor runs
 * it. A route is tracked from its first 429 on; the scheduler's fast path asks only whether a pacer exists and
 * tracks the route.
 */
import { operationId, type OperationSpec } from '../types/operation.js';
import { APIUserAbortError, RateLimitError } from '../base/errors.js';
import { rateLimitWait, type WaitSource } from './rate-limit-wait.js';
import type { CallWaits, RateLimitInfo, RateLimitStats, SchedulerOptions, WaitCounts } from './types.js';

/** Added to a learned window so that a slightly early start does not draw a 429: 1 % of the window, at least 5 ms. */
const SLACK_SHARE = 0.01;
const MIN_SLACK_MS = 5;
/**
 * The client's own backoff, 1 s doubling up to 60 s: the floor under every rate-limit wait, whatever the server
 * states (issue 21: "retry-after-ms: 1", "Retry-After: 0" or "try again in 1ms" made one call send ~450 requests a
 * second), and so the wait after a 429 that states none while the route's rate is not known. The floor grows with
 * the route's rounds of 429s since its last success, not with each 429 (20 calls refused at once are one round),
 * and starts over on a success: an honest "in 20s" is never raised, and a real "in 6ms" costs 1 s. Why these
 * numbers: the API lets about 7–10 requests a minute through per route and refills in about 60 s, so 60 s is the
 * most a client ever needs to wait; a route refused forever gets 6 requests in its first minute (at 0, 1, 3, 7, 15
 * and 31 s) and then one a minute, below the API's own rate. (octokit's throttling plugin takes a blank or zero
 * Retry-After as 60 s; openai-node takes any wait from 0 to 60 s as is, but counts 429s in maxRetries, 2 by
 * default.) No jitter: the scheduler holds the route's calls together anyway, and jitter would only take time off.
 */
export const backoffMs = (n: number) => Math.min(1_000 * 2 ** n, 60_000);
/**
 * The most requests one call may have answered 429 (issue 21): the next 429 ends it in a RateLimitError. With the
 * floor, 10 429s take at least 4 minutes (1 + 2 + … + 32 + 60 + 60 + 60 s), about the default maxRateLimitWait, so
 * by default both end a call a server keeps refusing at about the same time; the ceiling still holds when
 * maxRateLimitWait is raised. A paced call rarely meets more than 2 or 3 429s (the route's learning windows).
 */
export const MAX_RATE_LIMITED_ATTEMPTS = 10;
/**
 * Probing upward: after this many consecutive full windows (the estimate's requests all admitted and all answered
 * with success), a route admits one request more per window, and one more again each window while the server lets
 * them through. Without it, an estimate learned while the server's limit was briefly lower, or from a window
 * measured short, would hold the route below the server's limit for the client's life.
 * Why 4: a failed probe on a route whose limit stays fixed costs one 429 and nothing else (the refused request waits
 * for the server's reset, the same next window it would have waited for unprobed), so a fixed limit costs at most
 * one extra 429 per 5 windows (2 % of the requests at 10 per window); an estimate that is too low starts to recover
 * after 4 windows (4 minutes at the API's one-minute windows) and then climbs by one per window. Fewer would add
 * 429s for a gain of a window or two; more would leave a low estimate in place for longer. It also leaves a short
 * fan-out (two windows to learn, then two paced: the bench's rate-limit storm) unprobed: its only 429s stay the two
 * that learn the rate.
 */
export const PROBE_AFTER_FULL_WINDOWS = 4;

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
  /**
   * Consecutive windows that ran out with `capacity` successes and no 429 (PROBE_AFTER_FULL_WINDOWS or more: the
   * route probes, admitting one request more per window).
   */
  fullWindows = 0;
  /**
   * The last window a 429 closed: its successes still on their way (answers come back in any order) raise the
   * capacity, up to `creditMax` (what that window can have let through: all but the refused request).
   */
  creditEpoch = -1;
  creditMax = 0;
  /** Rounds of 429s since the route's last success; a round is the 429s to requests started after the last one. */
  strikes = 0;

  constructor(op: OperationSpec) {
    this.route = `${op.method} ${op.path}`;
  }

  /** 0 and the request is admitted (counted in the current window), else the ms to wait before asking again. */
  admit(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    // Refused two rounds in a row, nothing let through: one request (a probe) per floor until one succeeds.
    if (this.strikes > 1) {
      this.blockedUntil = now + backoffMs(this.strikes - 1);
      this.blockSource = 'estimate';
    }
    if (this.capacity > 0 && this.windowStart >= 0 && now >= this.windowStart + this.periodMs + this.slackMs)
      this.windowElapsed();
    if (this.windowStart < 0) {
      if (this.measuring) this.windowStart = now;
    } else if (this.capacity > 0 && this.admitted >= this.windowCapacity()) {
      this.blockSource = 'estimate';
      return this.windowStart + this.periodMs + this.slackMs - now;
    }
    this.admitted++;
    return 0;
  }

  /** The requests the current window may start: the estimate, and one more while probing. */
  windowCapacity(): number {
    return this.fullWindows >= PROBE_AFTER_FULL_WINDOWS ? this.capacity + 1 : this.capacity;
  }

  /**
   * A paced window ran out without a 429. Full (every request it could start answered with success): one more
   * towards probing, or, when it was probing, the extra request went through and the estimate rises by one (and
   * the next window probes again). Not full: the demand was below the estimate, which says nothing about the
   * server's limit and makes probing pointless, so the count starts over. (A success that comes back after its
   * window ran out is not counted: then the window is not taken as full, and the estimate stays where it is.)
   */
  windowElapsed() {
    if (this.succeeded < this.windowCapacity()) this.fullWindows = 0;
    else if (this.fullWindows >= PROBE_AFTER_FULL_WINDOWS) this.capacity++;
    else this.fullWindows++;
    this.newWindow();
  }

  newWindow() {
    this.epoch++;
    this.windowStart = -1;
    this.admitted = 0;
    this.succeeded = 0;
  }

  success(epoch: number) {
    // The route lets requests through again: the floor starts over, and the calls held behind a probe may go.
    if (this.strikes > 1) this.blockedUntil = 0;
    this.strikes = 0;
    if (epoch === this.epoch) this.succeeded++;
    else if (epoch === this.creditEpoch && this.capacity < this.creditMax) this.capacity++;
  }

  /** A 429 to a request started in window `epoch`, before limited(): the floor under its wait. */
  strike(epoch: number): number {
    if (epoch === this.epoch || !this.strikes) this.strikes++;
    return backoffMs(this.strikes - 1);
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
      this.creditEpoch = this.epoch;
      if (this.capacity === 0) {
        this.capacity = this.succeeded;
        this.periodMs = until - this.windowStart;
        this.slackMs = Math.max(MIN_SLACK_MS, Math.round(this.periodMs * SLACK_SHARE));
        this.creditMax = Infinity;
      } else {
        // Paced and still limited: the window let through fewer than it started, and the estimate becomes what it
        // let through (successes still on their way count too, up to all but the refused request). While probing,
        // that is the probe refused: the estimate falls back to the confirmed one, the margin stays (the timing
        // was right), and probing resumes after another PROBE_AFTER_FULL_WINDOWS full windows. Otherwise the
        // server's window is longer or starts later than estimated: the margin doubles as well.
        if (this.fullWindows < PROBE_AFTER_FULL_WINDOWS)
          this.slackMs = Math.min(this.slackMs * 2, Math.max(MIN_SLACK_MS, this.periodMs));
        this.creditMax = this.windowCapacity() - 1;
        this.capacity = Math.min(this.succeeded, this.creditMax);
      }
    }
    this.fullWindows = 0;
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

/** A wait on a route: after a 429 (`error` is it), or before a request on a limited or paced route. */
export interface RouteWait {
  route: RouteState;
  op: OperationSpec;
  planned: PlannedWait;
  /** The call's rate-limit budget. */
  waits: CallWaits;
  signal: AbortSignal | undefined;
  /** When the wait was decided, on the pacer's clock (see now()). */
  now: number;
  error?: RateLimitError;
}

/**
 * The limited routes of one client, and the waits on them. Created on a client's first 429 and kept for the
 * client's life: a route, once limited, stays paced (probing upward from the rate it was measured at). Shared with
 * the client's copies for the same account (withOptions, client-core.ts): the server limits per key, organization
 * and route, whatever the copy's timeout or concurrency. Each waiting call passes its own scheduler: its clock,
 * sleep, onRateLimit and log are its client's (the client's SchedulerOptions), and so are its counters, kept here by
 * client (counts()).
 */
export class Pacer {
  readonly routes = new Map<OperationSpec, RouteState>();
  /** Each client's counters, by its scheduler options (a copy sharing this pacer counts its own). */
  readonly #counts = new WeakMap<SchedulerOptions, WaitCounts>();
  /** The latest time any wait slept to: with a frozen test clock, time still moves forward by the sleeps. */
  #virtualNow = 0;

  /** The counters of the client whose options these are. */
  counts(client: SchedulerOptions): WaitCounts {
    let counts = this.#counts.get(client);
    if (!counts) this.#counts.set(client, (counts = { waiting: 0, rateLimited: 0, totalWaitMs: 0 }));
    return counts;
  }

  now(client: SchedulerOptions): number {
    const t = client.now();
    return t > this.#virtualNow ? t : this.#virtualNow;
  }

  /**
   * A 429 that is pacing (not a quota error): records it on its route — synchronously, before the call frees its
   * slot, so that the call handed the slot already sees the route limited — and decides the wait (headers, message,
   * the learned rate, else backoff). The call then sleeps it through wait().
   */
  limited(
    client: SchedulerOptions,
    op: OperationSpec,
    epoch: number,
    headers: Record<string, string>,
    error: RateLimitError,
    waits: CallWaits,
  ): LimitedWait {
    this.counts(client).rateLimited++;
    let route = this.routes.get(op);
    if (!route) {
      route = new RouteState(op);
      this.routes.set(op, route);
    }
    const now = this.now(client);
    let waitMs: number;
    let source: WaitSource;
    const stated = rateLimitWait(headers, error.message, client.now());
    waits.limited = (waits.limited ?? 0) + 1;
    waits.statedMs = stated?.ms;
    if (stated) {
      waitMs = stated.ms;
      source = stated.source;
    } else {
      // No wait stated: the route's next window when its rate is known, else the floor (the backoff) alone.
      waitMs = route.estimatedWait(now) ?? 0;
      source = 'estimate';
    }
    const floor = route.strike(epoch);
    if (waitMs < floor) {
      waitMs = floor;
      source = 'estimate';
    }
    route.limited(now, waitMs, source, epoch);
    return { route, waitMs, source, now };
  }

  /**
   * Waits for a route (after a 429, or before a request on a limited or paced route), after asking onRateLimit.
   * Throws the RateLimitError (`error`, or a new one when the call was not answered 429), carrying `retryAfterMs`,
   * when the wait would pass the call's maxRateLimitWait or onRateLimit refuses it.
   */
  async wait(client: SchedulerOptions, { route, op, planned, waits, signal, now, error }: RouteWait): Promise<void> {
    const info: RateLimitInfo = {
      route: route.route,
      operationId: operationId(op),
      ...planned,
      waitedMs: waits.waitedMs,
    };
    const why =
      waits.waitedMs + planned.waitMs > waits.maxMs
        ? 'longer than maxRateLimitWait allows'
        : planned.limited && (waits.limited ?? 0) >= MAX_RATE_LIMITED_ATTEMPTS
          ? `past the ${MAX_RATE_LIMITED_ATTEMPTS} 429s one call takes`
          : client.onRateLimit?.(info) === false && 'refused by onRateLimit';
    if (why) throw refusedWait(error, route, planned.waitMs, waits, why);
    client.logWait?.(
      `openai-admin: ${info.route} (${info.operationId}) rate limited; waiting ${info.waitMs} ms (${info.source}${info.limited ? ', after a 429' : ''}, attempt ${info.attempt}, ${info.waitedMs} ms waited so far)`,
    );
    const counts = this.counts(client);
    route.waiting++;
    counts.waiting++;
    const start = client.now();
    try {
      await client.sleep(planned.waitMs, signal);
    } finally {
      route.waiting--;
      counts.waiting--;
    }
    if (signal?.aborted) throw new APIUserAbortError();
    // The time that passed by the client's clock (a sleep can overrun: a busy event loop, a suspended machine), at
    // least the wait asked for (a test clock may stand still).
    const waited = Math.max(planned.waitMs, client.now() - start);
    waits.waitedMs += waited;
    counts.totalWaitMs += waited;
    if (now + planned.waitMs > this.#virtualNow) this.#virtualNow = now + planned.waitMs;
  }

  routeStats(client: SchedulerOptions): RateLimitStats['routes'] {
    const now = this.now(client);
    return [...this.routes.values()].map((r) => ({
      route: r.route,
      rateLimited: r.rateLimited,
      resumesAt: r.blockedUntil > now ? r.blockedUntil : null,
      estimate: r.capacity > 0 ? { requests: r.capacity, periodMs: r.periodMs } : null,
    }));
  }
}

/** The RateLimitError for a wait that was not taken, carrying the wait in `retryAfterMs` and what led to it. */
function refusedWait(
  error: RateLimitError | undefined,
  route: RouteState,
  waitMs: number,
  waits: CallWaits,
  why: string,
): RateLimitError {
  const result =
    error ??
    new RateLimitError(429, undefined, `${route.route} is rate limited (waiting in the client, not sent)`, undefined);
  result.retryAfterMs = waitMs;
  const stated = waits.statedMs;
  result.message += ` (rate limited: ${waits.limited ?? 0} 429s to this call, ${duration(waits.waitedMs)} waited, last stated wait ${stated === undefined ? 'none' : duration(stated)}; the next wait, ${duration(waitMs)}, was ${why}; retry later)`;
  return result;
}

const duration = (ms: number) => (ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`);
