import { operationId, type OperationSpec } from '../types/operation.js';
import {
  APIConnectionError,
  APIUserAbortError,
  RequestValidationError,
  type APIError,
  type FieldIssue,
} from '../base/errors.js';
import { requestOptionIssues } from '../config/options.js';
import type { AttemptOutcome, RetryPolicy } from '../pacing/retry.js';
import {
  isTransportFailure,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../transport/transport.js';
import { buildPath, buildURL, serializeQuery } from '../validation/url.js';
import {
  validateRequest,
  validateResponse,
  type RequestParts,
  type ResponseValidators,
  type ValidateMode,
} from '../validation/validation.js';
import { NOT_ADMITTED, type CallWaits, type OnRateLimit, type Scheduler } from '../pacing/scheduler.js';
import { LOG_DEBUG, attemptLine } from '../base/log.js';
import type { RecentIds } from '../pacing/recent-ids.js';

export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  info?(message: string): void;
  error?(message: string): void;
}

// Loaded when first needed, so that a bundle's initial chunk carries only the success path: the failure handling
// (failure.ts: errors, retries, rate-limit pacing, the key scrub) on the first failure, the body serialiser
// (body.ts) on the first call with a body or extras, the scrub alone when a call fails before it was sent.
// In a code-split browser bundle each is a chunk fetched over the network, which can fail just when the network
// does: the call then fails with an APIConnectionError saying what could not load (no server text in it), not with
// the loader's TypeError, and the next call tries again.
let failure: typeof import('./failure.js') | undefined;
const loadFailure = async (what: string) =>
  (failure ??= await loadLazily(
    () => import('./failure.js'),
    `The request failed (${what}) and openai-admin could not load the code that handles failures`,
    'not retried; for a create, whether it was carried out is unknown',
  ));
let body: typeof import('../validation/body.js') | undefined;
const loadBody = async () =>
  (body ??= await loadLazily(
    () => import('../validation/body.js'),
    'openai-admin could not load its request body serialiser',
    'nothing was sent',
  ));
let scrub: typeof import('../base/scrub-lazy.js') | undefined;
const loadScrub = async () =>
  (scrub ??= await loadLazily(
    () => import('../base/scrub-lazy.js'),
    'The call failed and openai-admin could not load the code that reports errors without the key',
    'the original error is withheld',
  ));

async function loadLazily<M>(load: () => Promise<M>, what: string, consequence: string): Promise<M> {
  try {
    return await load();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new APIConnectionError({ message: `${what} (${reason}); ${consequence}.`, cause });
  }
}

/** Resolved client configuration; see ClientOptions in client.ts for the documented user-facing form. */

export interface ClientConfig {
  baseURL: string;
  apiKey: string | null;
  organization: string | null;
  project: string | null;
  timeout: number;
  validate: ValidateMode;
  /** Response validators passed by the caller (bundles); else they load from generated/ on first use. */
  responseValidators?: ResponseValidators;
  /** What the user passed as `fetch`, if anything; kept so that copies choose the same transport. */
  fetch: typeof fetch | undefined;
  transport: Transport;
  logger: Logger;
  defaultHeaders: Record<string, string>;
  /** Accept, default, auth, organization and project headers: the same on every request. */
  baseHeaders: Record<string, string>;
  baseHeaderIssues: FieldIssue[];
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
  /** The client's overrides of the default retry policy (DEFAULT_RETRY_POLICY, retry.ts). */
  retryPolicy: Partial<RetryPolicy>;
  /** Kept so that copies made with withOptions() are checked as strictly as the original. */
  allowInsecureHttp: boolean;
  dangerouslyAllowBrowser: boolean;
  maxResponseBytes: number;
  maxSockets: number;
  /** Numeric log level (log.ts): lines above it are neither built nor timed. */
  logLevel: number;
  maxConcurrency: number;
  maxRateLimitWait: number;
  onRateLimit: OnRateLimit | undefined;
  /** Concurrency cap and per-route rate-limit pacing (scheduler.ts). */
  scheduler: Scheduler;
  /** Ids this client created moments ago, for read-after-write retries of 404s (recent-ids.ts). */
  recentCreates: RecentIds;
  /** The logger and logLevel options as given, so that copies made with withOptions() resolve them afresh. */
  loggerOption: (Partial<Logger> & Record<string, unknown>) | undefined;
  logLevelOption: string | undefined;
}

/** Per-call overrides. */
export interface RequestOptions {
  /** Retries after the first attempt (default: the client's, 2). */
  maxRetries?: number;
  /** Per-attempt timeout in ms (default: the client's, 60 000). */
  timeout?: number;
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Response validation for this call. */
  validate?: ValidateMode;
  /**
   * Body fields newer than the spec, merged into the JSON body after validation (the spec's own fields are
   * refused here: pass them in the body, where they are checked). An unknown field in the body itself is a
   * RequestValidationError, so a typo is never sent.
   *
   * @example
   * await admin.projects.create({ name: 'Docs' }, { extraBody: { brand_new_flag: true } });
   */
  extraBody?: Record<string, unknown>;
  /**
   * Query parameters newer than the spec, appended after validation (text, numbers, booleans, or arrays of
   * them, repeated as `name=a&name=b`). Parameters the spec knows are refused here: pass them in the query.
   *
   * @example
   * for await (const user of admin.users.list({ limit: 100 }, { extraQuery: { include_disabled: true } })) console.log(user.id);
   */
  extraQuery?: Record<string, unknown>;
  /**
   * The largest response body to accept for this call, in bytes after decompression (default: the client's,
   * 64 MiB); past it the call fails with ResponseTooLargeError.
   * @example
   * await admin.usage.completions({ start_time, bucket_width: '1m' }, { maxResponseBytes: 256 * 1024 * 1024 });
   */
  maxResponseBytes?: number;
  /**
   * The most this call may wait on rate limits in total, in ms (default: the client's, 300 000).
   * @example await admin.projects.list({}, { maxRateLimitWait: 10_000 })
   */
  maxRateLimitWait?: number;
  /**
   * After a create fails ambiguously, look for what it made instead of throwing OutcomeUnknownError at once
   * (default true; creates with a natural key only: see README, "Safe creates").
   * @example await admin.projects.create({ name: 'ops' }, { reconcile: false })
   */
  reconcile?: boolean;
}

export interface RawResult<T> {
  data: T;
  response: Response;
  /** The `x-request-id` header: quote it to OpenAI support. */
  requestID: string | null;
  /** True when a create failed ambiguously and `data` was found by listing (reconcile.ts); `response` is the list's. */
  reconciled?: boolean;
  /** Set on a reconciled result that lacks something only the create response had (a service account's key). */
  warning?: string;
}

const NO_OPTIONS: RequestOptions = Object.freeze({});

/** What HTTP allows in a field value (tab, visible ASCII, obs-text); both transports refuse anything else. */
const HEADER_VALUE_PROBLEM = /[^\t\x20-\x7e\x80-\xff]/;
/** An HTTP token (RFC 9110 §5.6.2), the only legal header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A short, single-line excerpt of a non-JSON body (an HTML error page from a proxy, say): each tag and each run of
 * whitespace becomes one space. Tags are found with indexOf, not `<[^>]*>`, which is quadratic on a body of `<`.
 */
export function excerpt(text: string, max = 200): string {
  const parts: string[] = [];
  for (let at = 0; ;) {
    const open = text.indexOf('<', at);
    const close = open < 0 ? -1 : text.indexOf('>', open);
    if (close < 0) {
      parts.push(text.slice(at));
      break;
    }
    parts.push(text.slice(at, open), ' ');
    at = close + 1;
  }
  const flat = parts.join('').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The issues of a set of headers. CR/LF/NUL would let a value inject headers; other control characters and
 * characters beyond Latin-1 would make fetch or node:http throw mid-call instead of naming the field. Pure.
 */
export function headerIssues(headers: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) issues.push({ path: `headers.${name}`, message: 'is not a valid HTTP header name' });
    else if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      issues.push({ path: `headers.${name}`, message: 'must be a string without CR, LF or NUL' });
    else if (HEADER_VALUE_PROBLEM.test(value))
      issues.push({
        path: `headers.${name}`,
        message: 'must be Latin-1 text without control characters (tab allowed)',
      });
  }
  return issues;
}

/**
 * The client's own headers are built and checked once, at construction (config.baseHeaders); a call adds
 * only the content type and its own extra headers, which are checked here.
 */
function buildHeaders(config: ClientConfig, op: OperationSpec, hasBody: boolean, extra?: Record<string, string>) {
  const issues = extra ? [...config.baseHeaderIssues, ...headerIssues(extra)] : config.baseHeaderIssues;
  // Reported per call rather than at construction, so that a bad header fails like any other bad input.
  if (issues.length) throw new RequestValidationError(operationId(op), issues);
  if (!hasBody && !extra) return config.baseHeaders;
  return { ...config.baseHeaders, ...extra, ...(hasBody ? { 'content-type': 'application/json' } : {}) };
}

/** `final`: an answer that retrying would only repeat (a redirect, a body over the limit): never retried. */
export type FailedAttempt = { ok: false; outcome: AttemptOutcome; error: APIError; final?: true };
export type Attempt = { ok: true; response: TransportResponse; data: unknown } | FailedAttempt;

/** One call's state across its attempts: what failure.ts reads and updates between them. */
export interface CallState {
  config: ClientConfig;
  op: OperationSpec;
  /** The parts as given, and as validated (the body parsed back from the text sent). */
  parts: RequestParts;
  checked: RequestParts;
  options: RequestOptions;
  path: string;
  /** Overrides of the default retry policy: the client's, then this call's maxRetries. */
  policy: Partial<RetryPolicy>;
  /** Creates only: when the call started (reconciliation looks for items made since). */
  createStartedAt: number;
  attempts: number;
  retriesDone: number;
  readAfterWrite: number;
  /** The call's rate-limit budget, made on its first wait, never on the fast path. */
  waits: CallWaits | undefined;
}

/** One attempt. Only success is handled here; a failure's error is built by failure.ts, loaded then. */
async function attemptOnce(config: ClientConfig, op: OperationSpec, request: TransportRequest): Promise<Attempt> {
  let response: TransportResponse;
  try {
    response = await config.transport(request);
  } catch (error) {
    if (!isTransportFailure(error)) throw error;
    if (error.failure === 'aborted') throw new APIUserAbortError();
    return (await loadFailure(error.failure)).failedAttempt(config, op, request, error);
  }
  if (response.status >= 200 && response.status < 300) {
    try {
      return { ok: true, response, data: JSON.parse(response.text) };
    } catch {
      // Not JSON: failure.ts makes it an error (the response was incomplete or not from the API).
    }
  }
  return (await loadFailure(`status ${response.status}`)).failedAttempt(config, op, request, response);
}

/**
 * One API call: validate → build → send, retrying as the policy allows → parse → validate the response.
 * Never retries a create after an ambiguous failure (see retry.ts). Every error that leaves it has the key
 * scrubbed out (scrub.ts); the success path does no scrubbing at all.
 */
export async function performRequest<T>(
  config: ClientConfig,
  op: OperationSpec,
  parts: RequestParts,
  options?: RequestOptions,
): Promise<RawResult<T>> {
  try {
    if (options === undefined) return await performUnscrubbed<T>(config, op, parts, NO_OPTIONS);
    // Checked only when given: a call without options does no work here (options.ts).
    const issues = requestOptionIssues(options);
    if (issues.length) throw new RequestValidationError(operationId(op), issues);
    return await performUnscrubbed<T>(config, op, parts, options);
  } catch (error) {
    throw (await loadScrub()).scrubErrorForKey(error, config.apiKey);
  }
}

async function performUnscrubbed<T>(
  config: ClientConfig,
  op: OperationSpec,
  parts: RequestParts,
  options: RequestOptions,
): Promise<RawResult<T>> {
  if (options.signal?.aborted) throw new APIUserAbortError();
  let checked = parts;
  let bodyText: string | undefined;
  if (parts.body !== undefined) {
    // Serialised first, and the validator sees the parsed text: what is checked is exactly what is sent (body.ts).
    const serialized = (await loadBody()).serializeJSON(parts.body, 'body');
    if (serialized.text === undefined) throw new RequestValidationError(operationId(op), serialized.issues);
    bodyText = serialized.text;
    checked = { ...parts, body: JSON.parse(bodyText) };
  }
  const validating = validateRequest(op, checked);
  if (validating) await validating;
  const path = buildPath(op, parts.path);
  let queryString = serializeQuery(op, parts.query);
  if (options.extraBody !== undefined || options.extraQuery !== undefined) {
    const extras = (await loadBody()).withExtras(op, checked.body, bodyText, queryString, options);
    if (extras.issues.length) throw new RequestValidationError(operationId(op), extras.issues);
    ({ bodyText, queryString } = extras);
  }
  const hasBody = bodyText !== undefined;
  const headers = buildHeaders(config, op, hasBody, options.headers);
  const url = buildURL(config.baseURL, path, queryString);
  const request: TransportRequest = {
    url,
    method: op.method,
    headers,
    body: bodyText,
    timeoutMs: options.timeout ?? config.timeout,
    signal: options.signal,
    maxResponseBytes: options.maxResponseBytes ?? config.maxResponseBytes,
    // A create goes on a new connection: a pooled one closing under it would make its outcome unknown (transport.ts).
    fresh: !op.retrySafe,
  };
  const call: CallState = {
    config,
    op,
    parts,
    checked,
    options,
    path,
    policy:
      options.maxRetries === undefined ? config.retryPolicy : { ...config.retryPolicy, maxRetries: options.maxRetries },
    // A clock read creates can afford.
    createStartedAt: op.retrySafe ? 0 : config.now(),
    attempts: 0,
    retriesDone: 0,
    readAfterWrite: 0,
    waits: undefined,
  };
  // Rate limits (scheduler.ts): the call's wait budget is made on its first wait, never on the fast path.
  const { scheduler } = config;
  for (; ; call.retriesDone++) {
    let epoch = scheduler.tryEnter(op);
    if (epoch === NOT_ADMITTED) epoch = await scheduler.enter(op, options.signal, callWaits(call), call.attempts);
    const startedAt = config.logLevel >= LOG_DEBUG ? config.now() : 0;
    let attempt: Attempt;
    try {
      attempt = await attemptOnce(config, op, request);
    } catch (thrown) {
      scheduler.leave();
      throw thrown;
    }
    if (!attempt.ok) {
      // failure.ts (loaded by attemptOnce) frees the slot and decides: send again, a reconciled result, or throw.
      const next = await failure!.afterFailure<T>(call, attempt, epoch, startedAt);
      if (next === failure!.AGAIN) continue;
      return next;
    }
    scheduler.leave();
    call.attempts++;
    if (config.logLevel >= LOG_DEBUG) logAttempt(call, attempt, startedAt);
    if (epoch >= 0) scheduler.succeeded(op, epoch);
    if (!op.retrySafe) rememberCreated(config, attempt.data);
    await validateResponse(
      op,
      attempt.data,
      options.validate ?? config.validate,
      async (m) => {
        // The call succeeded: a scrub that cannot load costs the warning's text, not the result.
        const loaded = await loadScrub().catch((error: Error) => error);
        if (loaded instanceof Error) return config.logger.warn(`openai-admin: ${operationId(op)}: ${loaded.message}`);
        const key = loaded.keyNeedles(config.apiKey);
        config.logger.warn(key ? loaded.scrubString(m, key) : m);
      },
      config.responseValidators,
    );
    return rawResult(attempt.data as T, attempt.response);
  }
}

function rememberCreated(config: ClientConfig, data: unknown) {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id === 'string') config.recentCreates.add(id, config.now());
}

/** The call's rate-limit budget, made on its first wait. */
export function callWaits(call: CallState): CallWaits {
  return (call.waits ??= {
    maxMs: call.options.maxRateLimitWait ?? call.config.maxRateLimitWait,
    waitedMs: 0,
  });
}

export function logAttempt(call: CallState, attempt: Attempt, startedAt: number) {
  const { config, op } = call;
  const status = attempt.ok ? attempt.response.status : (attempt.error.status ?? attempt.error.name);
  const requestID = attempt.ok ? attempt.response.header('x-request-id') : attempt.error.requestID;
  config.logger.debug(
    attemptLine(op.method, call.path, operationId(op), status, config.now() - startedAt, call.attempts, requestID),
  );
}

/**
 * A call's data, request id and Response, the Response built on first access (most callers only want the
 * data). A class, not an object literal with a getter: V8 builds such literals on a slow path that
 * pretenures them, and over 2,000 pages that grew the heap by 35 MB before a full GC (bench/, memory).
 */
export class CallResult<T> implements RawResult<T> {
  readonly #response: () => Response;

  constructor(
    readonly data: T,
    readonly requestID: string | null,
    response: () => Response,
  ) {
    this.#response = response;
  }

  get response(): Response {
    return this.#response();
  }
}

function rawResult<T>(data: T, response: TransportResponse): RawResult<T> {
  return new CallResult(data, response.header('x-request-id'), () => response.toResponse());
}

export async function sleepOrAbort(config: ClientConfig, ms: number, signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new APIUserAbortError();
  await config.sleep(ms, signal);
  if (signal?.aborted) throw new APIUserAbortError();
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
