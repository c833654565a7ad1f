/**
 * `realism: 'api'`: the emulator behaves like the live Administration API rather than its spec, so that scripts
 * meet in tests what they will meet in production (sources in the README of the reference material, real-api.md):
 * - per-route rate limits, about 10 requests per 60 s bucket per route and key, whose 429s state the wait only in
 *   the message ("… Please try again in 20s.") with no `Retry-After` and no `x-ratelimit-*` headers
 *   (mkdev-me/terraform-provider-openai #76, jianyuan/terraform-provider-openai `apiclient.go`);
 * - creates answering 200 or 201, flipping between them (jianyuan/terraform-provider-openai #152);
 * - costs `amount.value` as a decimal string (mozilla/bigquery-etl #9739);
 * - a resource just created answering 404 for a moment (jianyuan `apiclient.go` retries such 404s).
 * Everything is decided from the seed and the emulator's clock, so a test sees the same thing on every run.
 */
import type { OperationName } from '../../generated/operations.gen.js';
import { operationId } from '../core/types/operation.js';
import { ApiError } from './errors.js';
import { MAX_RATE_LIMIT_WINDOWS } from './limits.js';
import type { Reply } from './handlers/types.js';
import { unit } from './random.js';
import type { RouteMatch } from './router.js';
import { atTime, refuseCostsGrouping, type UsageQuirkSettings } from './usage-quirks.js';
import { USAGE_KINDS } from './usage.js';

/** A route's request budget: `requests` per `windowMs`, per route (method + path template) and per key. */
export interface RateLimitOptions {
  /** Requests a key may send to one route per window (default 10). */
  requests?: number;
  /** Length of the window in ms, by the emulator's clock (default 60 000). */
  windowMs?: number;
}

/** What `realism: 'api'` turns on, each tunable; see EmulatorOptions. */
export interface RealismSettings {
  rateLimit: Required<RateLimitOptions> | null;
  /** How long a just-created resource answers 404, in ms (0: never). */
  readAfterWriteMs: number;
  /** Creates answer 200 or 201, chosen per create from the seed. */
  flipCreateStatus: boolean;
  /** Costs carry `amount.value` as a decimal string. */
  decimalAmounts: boolean;
  /** Usage revised after buckets close, costs a day late, api_key_id refused on costs (absent: none). */
  usageQuirks?: UsageQuirkSettings;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { requests: 10, windowMs: 60_000 };
export const DEFAULT_READ_AFTER_WRITE_MS = 500;

/**
 * A wait as the API words it: "350ms", "20s", "1m30s". Rounded up, so a client that waits what it reads is
 * never early. Pure.
 *
 * @example
 * formatWait(350) // '350ms'
 * formatWait(19_200) // '20s'
 * formatWait(90_000) // '1m30s'
 */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.ceil(ms))}ms`;
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** The 429 of an exhausted route: the wait is in the message only, like the live API. Pure. */
export function rateLimitError(route: string, limit: Required<RateLimitOptions>, waitMs: number): ApiError {
  const per = limit.windowMs === 60_000 ? 'min (RPM)' : formatWait(limit.windowMs);
  return new ApiError(
    429,
    `Rate limit reached for requests to ${route} in organization org-emulator on requests per ${per}: ` +
      `Limit ${limit.requests}, Used ${limit.requests}, Requested 1. Please try again in ${formatWait(waitMs)}. ` +
      'Visit https://platform.openai.com/account/rate-limits to learn more.',
    'requests',
    null,
    'rate_limit_exceeded',
  );
}

/** A create: a POST that makes a resource or a membership (not retry-safe, or an add…/assign… call). */
export function isCreate(route: Pick<RouteMatch, 'op'>): boolean {
  return route.op.method === 'POST' && (!route.op.retrySafe || /^(add|assign)-/.test(operationId(route.op)));
}

/** What a param names, for the 404 text: `service_account_id` → "service account". */
const what = (param: string) => param.replace(/_id$/, '').replace(/_/g, ' ');

interface Hidden {
  /** The create's path template, e.g. `/organization/projects/{project_id}/service_accounts`. */
  collection: string;
  /** The item param below it, e.g. `service_account_id`. */
  param: string;
  id: string;
  /** The create's own path params (a service account is hidden in its project only). */
  scope: Record<string, string>;
  until: number;
}

/** The param that names one item of a collection, from the operations below it (`…/users` → `user_id`). */
function itemParam(collection: string, paths: readonly string[]): string | null {
  for (const path of paths) {
    const m = path.startsWith(`${collection}/{`) ? /^\{(\w+)\}/.exec(path.slice(collection.length + 1)) : null;
    if (m) return m[1];
  }
  return null;
}

/**
 * The state of the realistic behaviours: rate-limit windows, ids still hidden after a create, the count of
 * creates. Consulted by the server before and after each handler.
 */
export class Realism {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private hidden: Hidden[] = [];
  private creates = 0;

  constructor(
    private readonly seed: string,
    readonly settings: RealismSettings,
    private readonly clock: () => number,
    private readonly paths: readonly string[],
  ) {}

  /**
   * Before the handler: a 429 when the key has spent this route's window, else a 404 when the request names an
   * id created less than `readAfterWriteMs` ago. Every routed request counts against the window, 404s included.
   */
  before(key: string, route: RouteMatch): ApiError | null {
    const now = this.clock();
    const limit = this.settings.rateLimit;
    if (limit) {
      const routeName = `${route.op.method} /v1${route.op.path}`;
      const bucket = `${key}\n${routeName}`;
      let w = this.windows.get(bucket);
      if (!w || now >= w.start + limit.windowMs) {
        // One window per key and route, and any bearer key is accepted: bounded, expired and oldest first.
        if (!w && this.windows.size >= MAX_RATE_LIMIT_WINDOWS) this.prune(now, limit.windowMs);
        this.windows.set(bucket, (w = { start: now, count: 0 }));
      }
      if (w.count >= limit.requests) return rateLimitError(routeName, limit, w.start + limit.windowMs - now);
      w.count++;
    }
    if (this.hidden.length) {
      this.hidden = this.hidden.filter((h) => h.until > now);
      for (const h of this.hidden) {
        const below =
          route.op.path === `${h.collection}/{${h.param}}` || route.op.path.startsWith(`${h.collection}/{${h.param}}/`);
        if (
          below &&
          route.params[h.param] === h.id &&
          Object.entries(h.scope).every(([k, v]) => route.params[k] === v)
        ) {
          return new ApiError(
            404,
            `No ${what(h.param)} found with id '${h.id}'.`,
            'invalid_request_error',
            h.param,
            'not_found',
          );
        }
      }
    }
    return null;
  }

  /** Drops the expired windows; if every one is live, the oldest half (their keys start afresh). */
  private prune(now: number, windowMs: number): void {
    for (const [bucket, w] of this.windows) if (now >= w.start + windowMs) this.windows.delete(bucket);
    let drop = this.windows.size >= MAX_RATE_LIMIT_WINDOWS ? this.windows.size / 2 : 0;
    for (const bucket of this.windows.keys()) {
      if (drop-- <= 0) break;
      this.windows.delete(bucket);
    }
  }

  /** Windows held now (for the bound's test). */
  get windowCount(): number {
    return this.windows.size;
  }

  /** After validation, before the handler: the live API's refusals the spec does not state (usage-quirks.ts). */
  refuse(name: OperationName, query: Record<string, unknown>): ApiError | null {
    const quirks = this.settings.usageQuirks;
    return quirks && name === 'usageCosts' ? refuseCostsGrouping(quirks, query) : null;
  }

  /**
   * After the handler: a create's status flips between 200 and 201, its id hides for a moment; usage is revised
   * and costs are late (usage-quirks.ts); costs go decimal.
   */
  after(name: OperationName, route: RouteMatch, reply: Reply): Reply {
    if (reply.status >= 300) return reply;
    const quirks = this.settings.usageQuirks;
    if (quirks && Object.hasOwn(USAGE_KINDS, name))
      reply = { ...reply, body: atTime(quirks, name === 'usageCosts', reply.body, Math.floor(this.clock() / 1000)) };
    if (isCreate(route)) {
      const n = this.creates++;
      const id = (reply.body as { id?: unknown } | null)?.id;
      const param = itemParam(route.op.path, this.paths);
      if (this.settings.readAfterWriteMs > 0 && typeof id === 'string' && param) {
        this.hidden.push({
          collection: route.op.path,
          param,
          id,
          scope: { ...route.params },
          until: this.clock() + this.settings.readAfterWriteMs,
        });
      }
      if (this.settings.flipCreateStatus)
        return { ...reply, status: unit(`${this.seed}|create-status|${n}`) < 0.5 ? 200 : 201 };
    }
    if (name === 'usageCosts' && this.settings.decimalAmounts)
      return { ...reply, body: decimalCosts(this.seed, reply.body) };
    return reply;
  }
}

/**
 * A costs page with every `amount.value` as a decimal string of 19 places, more than a double holds (like
 * "0.0123456789012345678"): the six places the emulator computes, then seeded digits. Pure.
 */
export function decimalCosts(seed: string, body: unknown): unknown {
  const page = body as { data: { start_time: number; results: { amount?: { value?: unknown } }[] }[] };
  return {
    ...page,
    data: page.data.map((bucket) => ({
      ...bucket,
      results: bucket.results.map((r, i) => {
        const value = r.amount?.value;
        if (typeof value !== 'number') return r;
        const tail = String(Math.floor(unit(`${seed}|decimal|${bucket.start_time}|${i}`) * 1e13)).padStart(13, '0');
        return { ...r, amount: { ...r.amount, value: `${value.toFixed(6)}${tail}` } };
      }),
    })),
  };
}
