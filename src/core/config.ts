import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { defaultSleep, headerIssues, type ClientConfig, type Logger } from './request.js';
import { OpenAIAdminError } from './errors.js';
import { fetchTransport, type Transport } from './transport.js';
import { checkBaseURL } from './url.js';
import type { ValidateMode } from './validation.js';
import { LOG_DEBUG, LOG_ERROR, LOG_INFO, LOG_WARN, levelSinks, resolveLogLevel, type LeveledLogger, type LogLevel } from './log.js';
import { Scheduler, type OnRateLimit } from './scheduler.js';
import { RecentIds } from './recent-ids.js';

export interface ClientOptions {
  /**
   * An organization admin key (sk-admin-…). Defaults to `process.env.OPENAI_ADMIN_KEY`. Pass `null` on purpose
   * when a proxy adds the key (the usual browser set-up).
   */
  apiKey?: string | null;
  /** Defaults to `process.env.OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. */
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
}

export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 60_000;

const env = (name: string): string | undefined => {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === '' ? undefined : value;
};

/** True in a browser main thread or a web worker, where a bundled key is readable by every visitor. */
export function isBrowserLike(): boolean {
  const g = globalThis as Record<string, unknown>;
  const isNode = typeof (g.process as { versions?: { node?: string } } | undefined)?.versions?.node === 'string';
  return !isNode && (typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined');
}

const noop = () => {};

function chooseTransport(userFetch: typeof fetch | undefined): Transport {
  if (userFetch !== undefined) {
    if (typeof userFetch !== 'function') throw new OpenAIAdminError('fetch must be a function');
    return fetchTransport(userFetch);
  }
  if (hasNodeBuiltins()) return lazyNodeTransport();
  const globalFetch = globalThis.fetch?.bind(globalThis) as typeof fetch | undefined;
  if (!globalFetch) throw new OpenAIAdminError('No fetch available: pass options.fetch');
  return fetchTransport(globalFetch);
}

function hasNodeBuiltins(): boolean {
  return typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === 'function';
}

/**
 * The node:http transport is imported on the first call, not statically: a browser bundle then carries it
 * only as a chunk that is never loaded, and its initial size stays as small as before.
 */
function lazyNodeTransport(): Transport {
  let loaded: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  const load = () => (loading ??= import('./node-transport.js').then((m) => (loaded = m.nodeTransport())));
  return (request) => (loaded ? loaded(request) : load().then((transport) => transport(request)));
}

export function resolveConfig(options: ClientOptions): ClientConfig {
  const apiKey = options.apiKey === undefined ? env('OPENAI_ADMIN_KEY') ?? undefined : options.apiKey;
  if (apiKey === undefined) {
    throw new OpenAIAdminError(
      'Missing admin key: pass apiKey or set OPENAI_ADMIN_KEY (an organization admin key, sk-admin-…). ' +
        'Pass apiKey: null if a proxy adds the key.',
    );
  }
  if (apiKey !== null) {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new OpenAIAdminError('apiKey must be a non-empty string or null');
    if (/[\r\n\0]/.test(apiKey)) throw new OpenAIAdminError('apiKey must not contain CR, LF or NUL characters');
    if (isBrowserLike() && !options.dangerouslyAllowBrowser) {
      throw new OpenAIAdminError(
        'An admin key in a browser is readable by anyone who opens the page. Call the API through your own server ' +
          'or proxy with apiKey: null, or pass dangerouslyAllowBrowser: true if you understand the risk.',
      );
    }
  }
  const baseURL = checkBaseURL(options.baseURL ?? env('OPENAI_BASE_URL') ?? DEFAULT_BASE_URL, options.allowInsecureHttp === true);
  const maxRetries = options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new OpenAIAdminError(`maxRetries must be a whole number ≥ 0 (got ${maxRetries})`);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new OpenAIAdminError(`timeout must be a positive number of ms (got ${timeout})`);
  const validate = options.validate ?? 'off';
  if (!['off', 'warn', 'strict'].includes(validate)) throw new OpenAIAdminError(`validate must be 'off', 'warn' or 'strict' (got ${String(validate)})`);
  const transport = chooseTransport(options.fetch);
  const organization = options.organization ?? env('OPENAI_ORG_ID') ?? null;
  const project = options.project ?? null;
  const defaultHeaders = options.defaultHeaders ?? {};
  const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  if (!(maxConcurrency === Infinity || (Number.isInteger(maxConcurrency) && maxConcurrency >= 1))) {
    throw new OpenAIAdminError(`maxConcurrency must be a whole number ≥ 1 or Infinity (got ${maxConcurrency})`);
  }
  const maxRateLimitWait = options.maxRateLimitWait ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  if (!(maxRateLimitWait >= 0)) throw new OpenAIAdminError(`maxRateLimitWait must be a number of ms ≥ 0 (got ${maxRateLimitWait})`);
  if (options.onRateLimit !== undefined && typeof options.onRateLimit !== 'function') throw new OpenAIAdminError('onRateLimit must be a function');
  const logLevel = resolveLogLevel(options.logLevel, options.logger !== undefined);
  const sinks = levelSinks(options.logger);
  const logger = {
    error: logLevel >= LOG_ERROR ? sinks.error : noop,
    warn: logLevel >= LOG_WARN ? sinks.warn : noop,
    info: logLevel >= LOG_INFO ? sinks.info : noop,
    debug: logLevel >= LOG_DEBUG ? sinks.debug : noop,
  };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const baseHeaders: Record<string, string> = { accept: 'application/json', ...defaultHeaders };
  if (apiKey !== null) baseHeaders.authorization = `Bearer ${apiKey}`;
  if (organization) baseHeaders['openai-organization'] = organization;
  if (project) baseHeaders['openai-project'] = project;
  return {
    baseURL,
    apiKey,
    organization,
    project,
    timeout,
    validate,
    fetch: options.fetch,
    transport,
    logger,
    defaultHeaders,
    baseHeaders,
    baseHeaderIssues: headerIssues(baseHeaders),
    sleep,
    now,
    random,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, maxRetries },
    allowInsecureHttp: options.allowInsecureHttp === true,
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser === true,
    logLevel,
    maxConcurrency,
    maxRateLimitWait,
    onRateLimit: options.onRateLimit,
    recentCreates: new RecentIds(),
    loggerOption: options.logger as ClientConfig['loggerOption'],
    logLevelOption: options.logLevel,
    scheduler: new Scheduler({
      maxInFlight: maxConcurrency,
      now,
      sleep,
      random,
      onRateLimit: options.onRateLimit,
      logWait: logLevel >= LOG_INFO ? (i) => logger.info(`openai-admin: ${i.route} (${i.operationId}) rate limited; waiting ${i.waitMs} ms (${i.source}${i.limited ? ', after a 429' : ''}, attempt ${i.attempt}, ${i.waitedMs} ms waited so far)`) : undefined,
    }),
  };
}

/** The key as it may appear anywhere printable. */
export function redactKey(key: string | null): string {
  if (key === null) return 'null';
  return key.length > 12 ? `${key.slice(0, 8)}…(redacted)` : '(redacted)';
}
