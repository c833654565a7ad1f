import { resolveConfig, redactKey, type ClientConfig, type ClientOptions } from '../config/config.js';
import { bindCalls, type BuildFunction, type CallFunction, type RequestFunction } from '../pipeline/request.js';
import type { RateLimitStats } from '../pacing/scheduler.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/**
 * The internal option withOptions passes to the constructor: the configuration of the client it copies. A symbol
 * key, so that it is not an option anyone can write or see (option checks and copies read string keys only).
 */
const PARENT = Symbol('parent');
type CopyOptions = ClientOptions & { [PARENT]?: ClientConfig };

/**
 * The engine under the resource tree: holds the configuration (the key in a private field, so printing or
 * serialising a client never shows it) and turns an operation row plus parameters into calls. Pages are built
 * over it by `listPages` (pagination.ts) and `usagePages` (usage.ts), so that a bundle using no list carries no
 * pagination.
 * Every call is typed by its operation: the row passed in fixes the operation name `K`, and `K` fixes what the
 * parts may hold and what the call resolves to (see `OperationTypes`).
 */
export class ClientCore {
  /** @internal One request of operation `K` (request.ts's `call`, bound to this client's configuration). */
  declare readonly _call: CallFunction;
  /**
   * @internal One request of any operation, its parts already in wire form: what pages are fetched with (one
   * request per cursor).
   */
  declare readonly _request: RequestFunction;
  /**
   * @internal The request a call would send, built and checked by the function that builds the real one
   * (request.ts's buildRequest), parts in wire form; nothing is sent. The CLI's --dry-run prints it.
   */
  declare readonly _build: BuildFunction;
  readonly #config: ClientConfig;
  /** The options this client was made from, with what came from the environment filled in: copies start here. */
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    const parent = (options as CopyOptions)[PARENT];
    const c = (this.#config = resolveConfig(options));
    ({ call: this._call, request: this._request, build: this._build } = bindCalls(c));
    // A copy for the same account shares the route pacing learned so far: the server limits per key, organization
    // and route. (And on the same clock: the pacing's times are read on it.)
    if (
      parent &&
      parent.apiKey === c.apiKey &&
      parent.baseURL === c.baseURL &&
      parent.organization === c.organization &&
      parent.project === c.project &&
      parent.now === c.now
    )
      c.scheduler.pacing = parent.scheduler.pacing;
    // Spread copies symbol keys too: the parent's configuration must not live on in the copy's options.
    const { [PARENT]: _parent, ...own } = options as CopyOptions;
    this.#options = {
      ...own,
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
   * reset, 429s seen, total wait, and per limited route the rate learned (shared with copies for the same
   * account). A fresh snapshot on every read.
   * @example
   * await Promise.all(ids.map((id) => admin.projects.apiKeys.list(id)));
   * console.log(admin.rateLimitStats.rateLimited, admin.rateLimitStats.routes);
   */
  get rateLimitStats(): RateLimitStats {
    return this.#config.scheduler.stats();
  }

  /**
   * @deprecated Use rateLimitStats; goes in 1.0.
   * @example
   * admin.rateLimits.rateLimited; // now: admin.rateLimitStats.rateLimited
   */
  get rateLimits(): RateLimitStats {
    return this.rateLimitStats;
  }

  /**
   * A copy of this client with some options changed; the key (and everything else) is kept unless given. A copy
   * for the same key, base URL, organization and project shares the rate-limit pacing learned so far (its own
   * concurrency cap and timeout apply to its own calls); one for another account starts fresh.
   * @example
   * const patient = admin.withOptions({ timeout: 120_000, maxRetries: 5 });
   */
  withOptions(options: Partial<ClientOptions>): this {
    const Self = this.constructor as new (options: ClientOptions) => this;
    const copy: CopyOptions = { ...this.#options, ...options, [PARENT]: this.#config };
    return new Self(copy);
  }

  /** @internal A warning through this client's logger and log level (what usage rows refuse, usage.ts). */
  _warn(message: string): void {
    this.#config.logger.warn(message);
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
