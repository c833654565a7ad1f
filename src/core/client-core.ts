import { APIPromise } from './api-promise.js';
import { resolveConfig, redactKey, type ClientOptions } from './config.js';
import { RequestValidationError } from './errors.js';
import {
  cleanIssuePath,
  toWireQuery,
  type OperationName,
  type OperationOf,
  type PaginatedOperationName,
  type PaginatedOperationOf,
  type ItemOf,
  type PartsOf,
  type ResponseOf,
} from './operation.js';
import { PagePromise } from './pagination.js';
import { performRequest, type ClientConfig, type RequestOptions } from './request.js';
import { UsagePagePromise } from './usage.js';
import type { RequestParts } from './validation.js';
import type { RateLimitStats } from './scheduler.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The results a bucket of operation `K` may hold (never for operations without buckets). */
type BucketResultOf<K extends PaginatedOperationName> =
  ResponseOf<K> extends { data: ReadonlyArray<{ results: ReadonlyArray<infer R> }> }
    ? Extract<R, { object: string }>
    : never;

/**
 * The engine under the resource tree: holds the configuration (the key in a private field, so printing or
 * serialising a client never shows it) and turns an operation row plus parameters into calls and pages.
 * Every call is typed by its operation: the row passed in fixes the operation name `K`, and `K` fixes what the
 * parts may hold and what the call resolves to (see `OperationTypes`).
 */
export class ClientCore {
  readonly #config: ClientConfig;
  /** The options this client was made from, with what came from the environment filled in: copies start here. */
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    this.#config = resolveConfig(options);
    const c = this.#config;
    this.#options = {
      ...options,
      apiKey: c.apiKey,
      baseURL: c.baseURL,
      organization: c.organization,
      project: c.project,
    };
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

  /**
   * A copy of this client with some options changed; the key (and everything else) is kept unless given.
   * @example
   * const patient = admin.withOptions({ timeout: 120_000, maxRetries: 5 });
   */
  withOptions(options: Partial<ClientOptions>): this {
    const Self = this.constructor as new (options: ClientOptions) => this;
    return new Self({ ...this.#options, ...options });
  }

  /** @internal One request of operation `K`. */
  _call<K extends OperationName>(
    op: OperationOf<K>,
    parts: PartsOf<K>,
    options?: RequestOptions,
  ): APIPromise<ResponseOf<K>> {
    return new APIPromise(this.send<ResponseOf<K>>(op, wireParts(op, parts), options));
  }

  /** @internal The pages of a paginated operation `K`. */
  _list<K extends PaginatedOperationName>(
    op: PaginatedOperationOf<K>,
    parts: PartsOf<K>,
    options?: RequestOptions,
  ): PagePromise<ItemOf<K>, ResponseOf<K>> {
    return new PagePromise(op.pagination, this.pageFetcher<ResponseOf<K>>(op, wireParts(op, parts), options));
  }

  /**
   * @internal The bucket pages of a usage or costs operation `K`; `Result` narrows the operation's own union of
   * bucket results to the one variant this operation returns (the spec types every bucket with the full union).
   */
  _usage<K extends PaginatedOperationName, Result extends BucketResultOf<K>>(
    op: PaginatedOperationOf<K>,
    query: NonNullable<PartsOf<K>['query']>,
    options?: RequestOptions,
  ): UsagePagePromise<Result, ResponseOf<K>> {
    const q = query as Record<string, unknown>;
    // The fewest requests: ask for as many buckets per page as the bucket width allows.
    const limit = q.limit ?? op.pagination.limitByBucketWidth?.[(q.bucket_width as string | undefined) ?? '1d'];
    const parts = wireParts(op, { query: { ...q, limit } });
    return new UsagePagePromise(op.pagination, this.pageFetcher<ResponseOf<K>>(op, parts, options));
  }

  private pageFetcher<Body>(
    op: PaginatedOperationOf<PaginatedOperationName>,
    parts: RequestParts,
    options?: RequestOptions,
  ) {
    const param = op.pagination.requestParam;
    return (cursor: string | null) =>
      this.send<Body>(op, cursor === null ? parts : { ...parts, query: { ...parts.query, [param]: cursor } }, options);
  }

  private send<Body>(op: OperationOf<OperationName>, parts: RequestParts, options?: RequestOptions) {
    const sent = performRequest<Body>(this.#config, op, parts, options);
    // Only operations with renamed parameters pay for the extra step; the others return the promise as is.
    return op.wireNames ? sent.catch((error: unknown) => Promise.reject(inCallerSpelling(op, error))) : sent;
  }

  toJSON() {
    return {
      baseURL: this.#config.baseURL,
      apiKey: redactKey(this.#config.apiKey),
      organization: this.#config.organization,
    };
  }

  [INSPECT]() {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }
}

/** A request validation error that names parameters as the caller wrote them (`event_types`, not `event_types[]`). */
function inCallerSpelling(op: OperationOf<OperationName>, error: unknown): unknown {
  if (!(error instanceof RequestValidationError)) return error;
  const issues = error.issues.map((issue) => ({ ...issue, path: cleanIssuePath(op, issue.path) }));
  return issues.some((issue, i) => issue.path !== error.issues[i].path)
    ? new RequestValidationError(op.id, issues)
    : error;
}

/** The parts as the request layer wants them: untyped records, the query under its wire names. */
function wireParts(
  op: OperationOf<OperationName>,
  parts: { path?: object; query?: object; body?: unknown },
): RequestParts {
  const query = parts.query as Record<string, unknown> | undefined;
  const wire = toWireQuery(op, query);
  return (wire === query ? parts : { ...parts, query: wire }) as RequestParts;
}
