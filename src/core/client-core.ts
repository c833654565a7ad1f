import type { OperationSpec } from '../../generated/operations.gen.js';
import { APIPromise } from './api-promise.js';
import { resolveConfig, redactKey, type ClientOptions } from './config.js';
import { PagePromise } from './pagination.js';
import { performRequest, type ClientConfig, type RequestOptions } from './request.js';
import { UsagePagePromise } from './usage.js';
import type { RequestParts } from './validation.js';
import type { RateLimitStats } from './scheduler.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The engine under the resource tree: holds the configuration (the key in a private field, so printing or
 * serialising a client never shows it) and turns an operation row plus parameters into calls and pages.
 */
export class ClientCore {
  readonly #config: ClientConfig;

  constructor(options: ClientOptions = {}) {
    this.#config = resolveConfig(options);
  }

  get baseURL(): string {
    return this.#config.baseURL;
  }

  /**
   * The scheduler's counters: requests in flight, calls queued for a slot, calls waiting for a rate limit to
   * reset, 429s seen, total wait, and per limited route the rate learned. A fresh snapshot on every read.
   * @example
   * await Promise.all(ids.map((id) => admin.projects.apiKeys.list(id)));
   * console.log(admin.rateLimits.rateLimited, admin.rateLimits.routes);
   */
  get rateLimits(): RateLimitStats {
    return this.#config.scheduler.stats();
  }

  /** A copy of this client with some options changed; the key is kept unless given. */
  protected optionsForCopy(): ClientOptions {
    const c = this.#config;
    return {
      apiKey: c.apiKey,
      baseURL: c.baseURL,
      organization: c.organization,
      project: c.project,
      maxRetries: c.retryPolicy.maxRetries,
      timeout: c.timeout,
      validate: c.validate,
      fetch: c.fetch,
      logger: c.loggerOption,
      defaultHeaders: c.defaultHeaders,
      sleep: c.sleep,
      now: c.now,
      random: c.random,
      retryPolicy: c.retryPolicy,
      allowInsecureHttp: c.allowInsecureHttp,
      dangerouslyAllowBrowser: c.dangerouslyAllowBrowser,
      maxConcurrency: c.maxConcurrency,
      maxRateLimitWait: c.maxRateLimitWait,
      onRateLimit: c.onRateLimit,
      logLevel: c.logLevelOption as ClientOptions['logLevel'],
    };
  }

  /** @internal */
  _call<T>(op: OperationSpec, parts: RequestParts, options?: RequestOptions): APIPromise<T> {
    return new APIPromise<T>(performRequest<T>(this.#config, op, parts, options));
  }

  /** @internal */
  _list<Item, Body>(op: OperationSpec, parts: RequestParts, options?: RequestOptions): PagePromise<Item, Body> {
    return new PagePromise<Item, Body>(op.pagination!, this.pageFetcher<Body>(op, parts, options));
  }

  /** @internal */
  _usage<Result extends { object: string }, Body>(
    op: OperationSpec,
    query: Record<string, unknown>,
    options?: RequestOptions,
  ): UsagePagePromise<Result, Body> {
    const widths = op.pagination!.limitByBucketWidth!;
    // The fewest requests: ask for as many buckets per page as the bucket width allows.
    const limit = query.limit ?? widths[(query.bucket_width as string | undefined) ?? '1d'];
    return new UsagePagePromise(op.pagination!, this.pageFetcher<Body>(op, { query: { ...query, limit } }, options));
  }

  private pageFetcher<Body>(op: OperationSpec, parts: RequestParts, options?: RequestOptions) {
    const param = op.pagination!.requestParam;
    return (cursor: string | null) =>
      performRequest<Body>(this.#config, op, cursor === null ? parts : { ...parts, query: { ...parts.query, [param]: cursor } }, options);
  }

  toJSON() {
    return { baseURL: this.#config.baseURL, apiKey: redactKey(this.#config.apiKey), organization: this.#config.organization };
  }

  [INSPECT]() {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }
}
