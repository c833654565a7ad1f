/**
 * The per-client scheduler: bounded concurrency, and per-route pacing once a route has been rate limited.
 *
 * A route is an operation (method + path template, e.g. `GET /organization/projects/{project_id}/api_keys`): the
 * Administration API limits each endpoint separately (about 7–10 requests per minute on some), so a 429 on one
 * route must not slow the others. Rate-limit waits are pacing, not failures: they do not consume `maxRetries`;
 * `maxRateLimitWait` (the time a call may spend waiting on rate limits, by the clock) and a ceiling of 429s per call
 * bound them. Whatever wait a 429 states, the route waits at least a floor that doubles with each round of 429s
 * without a success (1 s to 60 s), and after two such rounds lets one request through at a time (pacing.ts).
 *
 * Learning the rate: the first 429 on a route blocks it until the reset the server states (header or message).
 * The window after that reset is measured: its first admission starts it, the next 429 ends it, and the number of
 * requests that succeeded in it over its length (first admission → reset) is taken as the route's rate. From then
 * on at most that many requests start per window, and the rest wait for the next window instead of drawing 429s.
 * A 429 in a paced window means the estimate was too generous: the window gets a larger safety margin and the
 * server's wait is taken as is. The estimate also probes upward: after a few full windows without a 429 the route
 * admits one request more per window while the server lets them through (pacing.ts, PROBE_AFTER_FULL_WINDOWS),
 * so an estimate learned too low recovers; a refused probe puts it back where it was.
 * The pacing is shared by a client and its `withOptions` copies for the same key, base URL, organization and
 * project (and clock): the server's limits are the account's, whatever each copy's timeout or concurrency cap.
 *
 * Cost when nothing is limited: tryEnter is two comparisons and an increment; no clock read, no allocation. The
 * pacing itself (pacing.ts) is loaded on a client's first failed attempt, with the failure handling: a client that
 * is never limited does not carry it (a browser bundle's initial chunk stays small).
 * The clock and sleep are the client's (injectable): the scheduler also keeps a virtual time (the latest wake-up
 * it slept to), so that with a frozen test clock a sleep still moves time forward and nothing waits twice.
 */
import type { OperationSpec } from '../../../generated/operations.gen.js';
import { APIUserAbortError } from '../base/errors.js';
import type { Pacer } from './pacing.js';
import type { CallWaits, RateLimitStats, SchedulerOptions } from './types.js';

export type { CallWaits, OnRateLimit, RateLimitInfo, RateLimitStats, SchedulerOptions } from './types.js';

/** tryEnter's answer when the call must take the slow path. */
export const NOT_ADMITTED = -2;
/** An admission on a route the scheduler keeps no state for (never limited). */
export const UNTRACKED = -1;

interface SlotWaiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The route pacing, shared by a client and its copies for the same account (client-core.ts): `pacer` is set by
 * the failure handling on the first 429 (failure.ts), never unset.
 */
export interface Pacing {
  pacer?: Pacer;
}

export class Scheduler {
  /** @internal Also what the pacer's waits use. */
  readonly options: SchedulerOptions;
  /** @internal Replaced by a copy's constructor with its parent's, when both talk to the same account. */
  pacing: Pacing = {};
  #inFlight = 0;
  readonly #slotWaiters: (SlotWaiter | undefined)[] = [];
  #slotHead = 0;
  #queued = 0;

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  /**
   * The fast path: admits the call at once when a slot is free, nobody queues and its route was never limited.
   * Returns the window epoch (UNTRACKED for a route without state) or NOT_ADMITTED (then call enter()).
   */
  tryEnter(op: OperationSpec): number {
    const pacer = this.pacing.pacer;
    if (
      this.#inFlight < this.options.maxInFlight &&
      this.#queued === 0 &&
      (pacer === undefined || !pacer.routes.has(op))
    ) {
      this.#inFlight++;
      return UNTRACKED;
    }
    return NOT_ADMITTED;
  }

  /** The slow path: waits for a slot and for the route's reset or next window. */
  async enter(op: OperationSpec, signal: AbortSignal | undefined, waits: CallWaits, attempt: number): Promise<number> {
    for (;;) {
      if (this.#inFlight < this.options.maxInFlight && this.#queued === 0) this.#inFlight++;
      else await this.#waitForSlot(signal); // the slot is handed over: inFlight already counts this call
      const pacer = this.pacing.pacer;
      const route = pacer?.routes.get(op);
      if (!pacer || !route) return UNTRACKED;
      const now = pacer.now(this.options);
      const waitMs = route.admit(now);
      if (waitMs <= 0) return route.epoch;
      // Waiting for a route must not hold a slot that calls on other routes could use.
      this.leave();
      const source = route.blockedUntil > now ? route.blockSource : 'estimate';
      await pacer.wait(this.options, {
        route,
        op,
        planned: { waitMs, source, limited: false, attempt },
        waits,
        signal,
        now,
      });
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
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#inFlight++;
      waiter.resolve();
      return;
    }
  }

  /** A success on a tracked route (epoch ≥ 0), for the window count. */
  succeeded(op: OperationSpec, epoch: number): void {
    this.pacing.pacer?.routes.get(op)?.success(epoch);
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
    const pacer = this.pacing.pacer;
    // The wait counters are the pacing's (pacing.ts), per client: none before the client's first 429.
    const counts = pacer?.counts(this.options);
    return {
      inFlight: this.#inFlight,
      queued: this.#queued,
      waiting: counts?.waiting ?? 0,
      rateLimited: counts?.rateLimited ?? 0,
      totalWaitMs: counts?.totalWaitMs ?? 0,
      routes: pacer?.routeStats(this.options) ?? [],
    };
  }
}

// Read-after-write: the ids this client created in the last moments, so that a 404 naming one of them (the API
// is eventually consistent: a service account just created can answer 404 for a moment) is retried briefly
// instead of failing. Bounded (the most recent MAX_IDS ids) and only touched on creates and on 404s. Kept here,
// beside the scheduler, as the client's other memory across calls: a create notes its id without another module.

/** How long after its creation a 404 naming an id is taken for lag rather than absence. */
export const READ_AFTER_WRITE_WINDOW_MS = 2_000;
/** The waits before each retry of such a 404: at most three retries, 1.75 s in all. */
export const READ_AFTER_WRITE_DELAYS_MS: readonly number[] = [250, 500, 1_000];
const MAX_IDS = 256;

export class RecentIds {
  /** id → creation time; a Map iterates in insertion order, so the first key is the oldest. */
  readonly #created = new Map<string, number>();

  add(id: string, at: number): void {
    this.#created.delete(id);
    this.#created.set(id, at);
    if (this.#created.size > MAX_IDS) this.#created.delete(this.#created.keys().next().value!);
  }

  /**
   * The wait before retrying a 404 whose path names an id created within the window before `now`, when fewer
   * than READ_AFTER_WRITE_DELAYS_MS.length such retries were made; else undefined (the 404 stands).
   */
  retryDelay(path: Record<string, unknown> | undefined, now: number, retriesDone: number): number | undefined {
    return this.#created.size > 0 && retriesDone < READ_AFTER_WRITE_DELAYS_MS.length && this.namesRecent(path, now)
      ? READ_AFTER_WRITE_DELAYS_MS[retriesDone]
      : undefined;
  }

  /** True when one of the path's values is an id created within the window before `now`. */
  namesRecent(path: Record<string, unknown> | undefined, now: number): boolean {
    if (!path) return false;
    for (const value of Object.values(path)) {
      const at = typeof value === 'string' ? this.#created.get(value) : undefined;
      if (at !== undefined && now - at <= READ_AFTER_WRITE_WINDOW_MS) return true;
    }
    return false;
  }
}
