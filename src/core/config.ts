import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { defaultSleep, headerIssues, type ClientConfig, type Logger } from './request.js';
import { OpenAIAdminError } from './errors.js';
import { clientOptionIssues } from './options.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_SOCKETS, fetchTransport, type Transport } from './transport.js';
import { checkBaseURL } from './url.js';
import type { ValidateMode } from './validation.js';

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
  /** Receives debug lines (method, path, attempt) and validation warnings; never the key. */
  logger?: Partial<Logger>;
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
}

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

function chooseTransport(userFetch: typeof fetch | undefined, maxSockets: number): Transport {
  if (userFetch !== undefined) {
    if (typeof userFetch !== 'function') throw new OpenAIAdminError('fetch must be a function');
    return fetchTransport(userFetch);
  }
  if (hasNodeBuiltins()) return lazyNodeTransport(maxSockets);
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
function lazyNodeTransport(maxSockets: number): Transport {
  let loaded: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  const load = () => (loading ??= import('./node-transport.js').then((m) => (loaded = m.nodeTransport({ maxSockets }))));
  return (request) => (loaded ? loaded(request) : load().then((transport) => transport(request)));
}

export function resolveConfig(options: ClientOptions): ClientConfig {
  // Every option's type and range, by the same checks as per-call options (options.ts).
  const issues = clientOptionIssues(options);
  if (issues.length) throw new OpenAIAdminError(issues.map((i) => `${i.path} ${i.message}`).join('; '));
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
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const validate = options.validate ?? 'off';
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const transport = chooseTransport(options.fetch, maxSockets);
  const organization = options.organization ?? env('OPENAI_ORG_ID') ?? null;
  const project = options.project ?? null;
  const defaultHeaders = options.defaultHeaders ?? {};
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
    logger: { debug: options.logger?.debug?.bind(options.logger) ?? noop, warn: options.logger?.warn?.bind(options.logger) ?? ((m: string) => console.warn(m)) },
    defaultHeaders,
    baseHeaders,
    baseHeaderIssues: headerIssues(baseHeaders),
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retryPolicy), maxRetries },
    allowInsecureHttp: options.allowInsecureHttp === true,
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser === true,
    maxResponseBytes,
    maxSockets,
  };
}

/** The fields that are not undefined: `{ maxDelayMs: undefined }` keeps the default instead of erasing it. */
function definedOnly<T extends object>(record: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [name, value] of Object.entries(record ?? {})) if (value !== undefined) (out as Record<string, unknown>)[name] = value;
  return out;
}

/** The key as it may appear anywhere printable. */
export function redactKey(key: string | null): string {
  if (key === null) return 'null';
  return key.length > 12 ? `${key.slice(0, 8)}…(redacted)` : '(redacted)';
}
