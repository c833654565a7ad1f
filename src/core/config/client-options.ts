import type { LeveledLogger, LogLevel } from '../base/log.js';
import type { RetryPolicy } from '../pacing/retry.js';
import type { OnRateLimit } from '../pacing/types.js';
import type { Logger, ResponseValidators, ValidateMode } from '../types/call.js';

/** What `new OpenAIAdmin(options)` takes; resolved into a ClientConfig by resolveConfig (config.ts). */
export interface ClientOptions {
  /**
   * An organization admin key (sk-admin-…). Defaults to `process.env.OPENAI_ADMIN_KEY`. Pass `null` on purpose
   * when a proxy adds the key (the usual browser set-up).
   */
  apiKey?: string | null;
  /** Defaults to `process.env.OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. Defaults to `process.env.OPENAI_ORG_ID`; `null` sends none. */
  organization?: string | null;
  /** Sent as `OpenAI-Project`. */
  project?: string | null;
  /** Retries after the first attempt (default 2). Creates are retried only when provably unprocessed. */
  maxRetries?: number;
  /** Per-attempt timeout in ms (default 60 000). */
  timeout?: number;
  /**
   * A fetch implementation. Default: in Node (20.16 and later) a built-in node:http(s) transport, which is
   * faster and lighter than Node's fetch and does not follow redirects; elsewhere the global fetch.
   * Pass `globalThis.fetch` to use Node's fetch anyway (to let a fetch mock see the calls, say).
   */
  fetch?: typeof fetch;
  /** Response validation: 'off' (default), 'warn' or 'strict'. Requests are always validated. */
  validate?: ValidateMode;
  /** Receives log lines (see logLevel) and validation warnings; never the key. Missing methods log nothing (warn: the console). */
  logger?: Partial<Logger> & LeveledLogger;
  /** Headers added to every request. */
  defaultHeaders?: Record<string, string>;
  /** Allows an API key in a browser, where every visitor could read it. */
  dangerouslyAllowBrowser?: boolean;
  /** Allows plain http to a non-loopback host (e.g. a proxy inside a trusted network). */
  allowInsecureHttp?: boolean;
  /** Injectable for tests: sleep, clock and randomness of the retry loop. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Overrides of the retry policy (delays, statuses, the longest server-requested wait to sleep through). */
  retryPolicy?: Partial<RetryPolicy>;
  /**
   * The largest response body to accept, in bytes after decompression (default 64 MiB, 32 times the largest
   * list page and above the largest usage page measured; see the README's Transport section). A larger response
   * is cut off, its connection closed, and the call fails with ResponseTooLargeError, which is never retried:
   * this is what keeps a decompression bomb or an endless body from exhausting memory. Per call too.
   * @example
   * const admin = new OpenAIAdmin({ maxResponseBytes: 256 * 1024 * 1024 }); // a very large organization's usage
   */
  maxResponseBytes?: number;
  /**
   * Most open connections per host with the built-in Node transport (default 16); further calls wait for a free
   * one. The API allows each endpoint about 10 requests a minute, so more parallelism buys only 429s. Does not
   * apply when `fetch` is given: its own connection pool decides.
   * @example
   * const admin = new OpenAIAdmin({ maxSockets: 4 });
   */
  maxSockets?: number;
  /**
   * Requests this client keeps on the wire at once (default 8); further calls queue in order. `Infinity` for no cap.
   * @example new OpenAIAdmin({ maxConcurrency: 4 })
   */
  maxConcurrency?: number;
  /**
   * The most one call may spend waiting on rate limits in total, in ms (default 300 000, five minutes: admin jobs
   * are batch jobs). A 429 is pacing: the call waits for the reset the server states and tries again, without
   * using up maxRetries. Past this budget the call fails with a RateLimitError carrying `retryAfterMs`.
   * @example new OpenAIAdmin({ maxRateLimitWait: 60_000 })
   */
  maxRateLimitWait?: number;
  /**
   * Told of every rate-limit wait before it starts (route, operation, wait, attempt, where the wait came from);
   * return `false` to refuse the wait, and the call fails at once with a RateLimitError carrying `retryAfterMs`.
   * @example new OpenAIAdmin({ onRateLimit: (info) => info.waitMs < 30_000 || console.warn(`${info.route}: giving up`) === undefined && false })
   */
  onRateLimit?: OnRateLimit;
  /**
   * Which lines reach the logger (or the console, without one): 'off', 'error', 'warn', 'info' (retries and
   * rate-limit waits) or 'debug' (every attempt: method, path, status, duration, request id). Defaults to the
   * environment variable OPENAI_ADMIN_LOG, else 'debug' with a logger and 'warn' without.
   * @example new OpenAIAdmin({ logLevel: 'debug' }) // or OPENAI_ADMIN_LOG=debug node script.js
   */
  logLevel?: LogLevel;
  /**
   * The response validators, for `validate: 'warn' | 'strict'` in a bundle. Unbundled (Node, Deno, Bun) they
   * load by themselves; a bundler leaves them out unless imported (they are ~700 KB), so import and pass them.
   * @example
   * import * as responseValidators from 'openai-admin/response-validators';
   * const admin = new OpenAIAdmin({ validate: 'strict', responseValidators });
   */
  responseValidators?: ResponseValidators;
}
