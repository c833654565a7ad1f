import type { RetryPolicy } from '../pacing/retry.js';
import { lazy, required } from '../base/lazy.js';
import type { ClientOptions } from './client-options.js';
import type { FieldIssue } from '../base/errors.js';
import type { Logger, ResponseValidators, ValidateMode } from '../types/call.js';
import { issueText, OpenAIAdminError } from '../base/errors.js';
import { clientOptionIssues, headerIssues } from './options.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_SOCKETS,
  fetchTransport,
  type Transport,
} from '../transport/transport.js';
import { checkBaseURL } from '../validation/url.js';
import { definedOnly } from '../validation/validation.js';
import { LOG_DEBUG, LOG_ERROR, LOG_INFO, LOG_WARN, levelSinks, resolveLogLevel } from '../base/log.js';
import { RecentIds, Scheduler } from '../pacing/scheduler.js';
import { readEnv } from '../base/env.js';

/** Resolved client configuration; ClientOptions (client-options.ts) is the documented form a user passes. */
export interface ClientConfig {
  baseURL: string;
  apiKey: string | null;
  organization: string | null;
  project: string | null;
  timeout: number;
  validate: ValidateMode;
  /** Response validators passed by the caller (bundles); else they load from generated/ on first use. */
  responseValidators?: ResponseValidators;
  transport: Transport;
  /** Every level present: the ones below logLevel do nothing. */
  logger: Required<Logger>;
  /** Accept, default, auth, organization and project headers: the same on every request. */
  baseHeaders: Record<string, string>;
  baseHeaderIssues: FieldIssue[];
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
  /** The client's overrides of the default retry policy (DEFAULT_RETRY_POLICY, retry.ts). */
  retryPolicy: Partial<RetryPolicy>;
  maxResponseBytes: number;
  /** Numeric log level (log.ts): lines above it are neither built nor timed. */
  logLevel: number;
  maxRateLimitWait: number;
  /** Concurrency cap and per-route rate-limit pacing (pacing/scheduler.ts). */
  scheduler: Scheduler;
  /** Ids this client created moments ago, for read-after-write retries of 404s (pacing/scheduler.ts). */
  recentCreates: RecentIds;
}

export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The global object as the runtime checks below see it; a parameter so tests can describe another runtime. */
type Globals = Record<string, unknown>;

export { readEnv, type EnvRead } from '../base/env.js';
export type { ClientOptions } from './client-options.js';

const env = (name: string): string | undefined => readEnv(name).value;

/**
 * A server runtime: Node, Bun, Deno or Cloudflare's workerd. Their code is not sent to visitors, so a key there
 * is as private as the server. workerd is recognised by its documented `navigator.userAgent`, since it defines
 * `WorkerGlobalScope` but no `process` unless nodejs_compat is on (and before 2025-08-15 no `process.versions.node`).
 */
function isServerRuntime(g: Globals): boolean {
  const versions = (g.process as { versions?: { node?: unknown; bun?: unknown } } | undefined)?.versions;
  if (typeof versions?.node === 'string' || typeof versions?.bun === 'string') return true;
  if (typeof g.Deno === 'object' && g.Deno !== null) return true;
  return (g.navigator as { userAgent?: unknown } | undefined)?.userAgent === 'Cloudflare-Workers';
}

/**
 * True in a browser page, or in a worker a page started (dedicated, shared or service worker: they define
 * `importScripts` and `location`), where a bundled key is readable by every visitor. A server runtime is never
 * browser-like, even with `WorkerGlobalScope` (workerd) or `document` (jsdom in Node).
 *
 * @example
 * ```ts
 * isBrowserLike({ WorkerGlobalScope: class {}, navigator: { userAgent: 'Cloudflare-Workers' } }); // false
 * isBrowserLike({ window: {}, document: {} }); // true
 * ```
 */
export function isBrowserLike(g: Globals = globalThis): boolean {
  if (isServerRuntime(g)) return false;
  if (typeof g.document !== 'undefined' || typeof g.window !== 'undefined') return true;
  return (
    typeof g.WorkerGlobalScope !== 'undefined' &&
    typeof g.importScripts === 'function' &&
    typeof g.location !== 'undefined'
  );
}

const noop = () => {};

/** The transport of a client without options.fetch: node:http(s) where those modules really load, else fetch. */
export function chooseTransport(
  userFetch: typeof fetch | undefined,
  maxSockets: number,
  g: Globals = globalThis,
  onLoaded?: (transport: Transport) => void,
): Transport {
  if (userFetch !== undefined) {
    if (typeof userFetch !== 'function') throw new OpenAIAdminError('fetch must be a function');
    return fetchTransport(userFetch);
  }
  if (hasNodeBuiltins(g)) return lazyNodeTransport(maxSockets, onLoaded);
  const globalFetch = typeof g.fetch === 'function' ? (g.fetch as typeof fetch).bind(g) : undefined;
  if (!globalFetch) throw new OpenAIAdminError('No fetch available: pass options.fetch');
  return fetchTransport(globalFetch);
}

/**
 * True when node:http and node:stream load through process.getBuiltinModule with what the node transport uses.
 * Having the function is not enough: workerd's nodejs_compat before 2025-08-15 has it but returns undefined for
 * node:http, and choosing the node transport there failed every call. node:https and node:zlib are not loaded to
 * decide: with tls and crypto they are a tenth of a CLI command's start-up, which an http:// base URL never needs
 * (issue 17 §8); every runtime with a working node:http has both, and the transport loads them on first use.
 */
export function hasNodeBuiltins(g: Globals = globalThis): boolean {
  const load = (g.process as { getBuiltinModule?: unknown } | undefined)?.getBuiltinModule;
  if (typeof load !== 'function') return false;
  try {
    const get = (id: string) => load.call(g.process, id) as Record<string, unknown> | undefined;
    const http = get('node:http');
    const stream = get('node:stream');
    return (
      typeof http?.Agent === 'function' &&
      typeof http.request === 'function' &&
      typeof stream?.Transform === 'function' &&
      typeof (g.Buffer as { byteLength?: unknown } | undefined)?.byteLength === 'function'
    );
  } catch {
    return false;
  }
}

/**
 * The node:http transport is imported on the first call, not statically: a browser bundle then carries it
 * only as a chunk that is never loaded, and its initial size stays as small as before. Once loaded, it is handed to
 * `onLoaded`: the client's configuration puts it in this wrapper's place, so that a call goes from the request loop
 * straight into the transport.
 */
function lazyNodeTransport(maxSockets: number, onLoaded?: (transport: Transport) => void): Transport {
  // package.json's "browser" field maps node-transport out of browser builds (dead code there). A runtime with
  // node:http that is bundled for the browser anyway (a worker bundled with browser conditions) gets an empty
  // module here: it uses fetch. A module that could not load is tried again by the next call (base/lazy.ts).
  const transport = lazy(() =>
    import('../transport/node-transport.js').then((m: Partial<typeof import('../transport/node-transport.js')>) => {
      const made =
        typeof m.nodeTransport === 'function'
          ? m.nodeTransport({ maxSockets })
          : fetchTransport(globalThis.fetch.bind(globalThis));
      onLoaded?.(made);
      return made;
    }),
  );
  return async (request) =>
    (await required(transport, 'openai-admin could not load its node:http transport', 'nothing was sent'))(request);
}

export function resolveConfig(options: ClientOptions): ClientConfig {
  // Every option's type and range, by the same checks as per-call options (options.ts).
  const issues = clientOptionIssues(options);
  if (issues.length) throw new OpenAIAdminError(issueText(issues));
  const keyRead = options.apiKey === undefined ? readEnv('OPENAI_ADMIN_KEY') : undefined;
  const apiKey = keyRead ? keyRead.value : options.apiKey;
  if (apiKey === undefined) {
    throw new OpenAIAdminError(
      'Missing admin key: pass apiKey or set OPENAI_ADMIN_KEY (an organization admin key, sk-admin-…). ' +
        'Pass apiKey: null if a proxy adds the key.' +
        (keyRead?.denied ? ' This runtime denied reading OPENAI_ADMIN_KEY (Deno: --allow-env=OPENAI_ADMIN_KEY).' : ''),
    );
  }
  if (apiKey !== null) {
    if (typeof apiKey !== 'string' || apiKey.trim() === '')
      throw new OpenAIAdminError('apiKey must be a non-empty string or null');
    if (/[\r\n\0]/.test(apiKey)) throw new OpenAIAdminError('apiKey must not contain CR, LF or NUL characters');
    if (isBrowserLike() && !options.dangerouslyAllowBrowser) {
      throw new OpenAIAdminError(
        'An admin key in a browser is readable by anyone who opens the page. Call the API through your own server ' +
          'or proxy with apiKey: null, or pass dangerouslyAllowBrowser: true if you understand the risk.',
      );
    }
  }
  const baseURL = checkBaseURL(
    options.baseURL ?? env('OPENAI_BASE_URL') ?? DEFAULT_BASE_URL,
    options.allowInsecureHttp === true,
  );
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const validate = options.validate ?? 'off';
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  // The node transport, once loaded, replaces its lazy wrapper here (config is assigned below, before any call).
  const transport = chooseTransport(options.fetch, maxSockets, globalThis, (loaded) => (config.transport = loaded));
  // Only an option not given reads the environment; null means no organization header, as in the official SDK.
  const organization = options.organization === undefined ? (env('OPENAI_ORG_ID') ?? null) : options.organization;
  const project = options.project ?? null;
  const defaultHeaders = options.defaultHeaders ?? {};
  const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const maxRateLimitWait = options.maxRateLimitWait ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
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
  const config: ClientConfig = {
    baseURL,
    apiKey,
    organization,
    project,
    timeout,
    validate,
    transport,
    logger,
    baseHeaders,
    baseHeaderIssues: headerIssues(baseHeaders),
    sleep,
    now,
    random,
    // Overrides only: the defaults (retry.ts) load with the failure handling. maxRetries wins over retryPolicy's.
    retryPolicy:
      options.maxRetries === undefined
        ? definedOnly(options.retryPolicy)
        : { ...definedOnly(options.retryPolicy), maxRetries: options.maxRetries },
    maxResponseBytes,
    logLevel,
    maxRateLimitWait,
    recentCreates: new RecentIds(),
    scheduler: new Scheduler({
      maxInFlight: maxConcurrency,
      now,
      sleep,
      onRateLimit: options.onRateLimit,
      logWait: logLevel >= LOG_INFO ? logger.info : undefined,
    }),
    responseValidators: options.responseValidators,
  };
  return config;
}

/** The key as it may appear anywhere printable. */
export function redactKey(key: string | null): string {
  if (key === null) return 'null';
  return key.length > 12 ? `${key.slice(0, 8)}…(redacted)` : '(redacted)';
}

/** Default sleep: a timer that an AbortSignal cuts short. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
