import type { OperationSpec } from '../../generated/operations.gen.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OutcomeUnknownError,
  RateLimitError,
  RequestValidationError,
  ResponseTooLargeError,
  type FieldIssue,
} from './errors.js';
import { appendExtraQuery, extraBodyIssues, extraQueryIssues, mergeExtraBody, serializeJSON } from './body.js';
import { requestOptionIssues } from './options.js';
import { decideRetry, type AttemptOutcome, type RetryPolicy } from './retry.js';
import {
  isTransportFailure,
  type Transport,
  type TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
import { buildPath, buildURL, serializeQuery } from './url.js';
import {
  validateRequest,
  validateResponse,
  type RequestParts,
  type ResponseValidators,
  type ValidateMode,
} from './validation.js';
import { NOT_ADMITTED, type CallWaits, type OnRateLimit, type Scheduler } from './scheduler.js';
import { LOG_DEBUG, LOG_INFO, attemptLine } from './log.js';
import { READ_AFTER_WRITE_DELAYS_MS, type RecentIds } from './recent-ids.js';

export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  info?(message: string): void;
  error?(message: string): void;
}

/** Resolved client configuration; see ClientOptions in client.ts for the documented user-facing form. */
// The scrub (scrub.ts) is needed only once something failed: loaded then, so it stays out of a bundle's initial
// chunk and off the success path. Every failure path below awaits loadScrub() before it builds an error.
let scrub: typeof import('./scrub.js') | undefined;
const loadScrub = async () => (scrub ??= await import('./scrub.js'));
const scrubErrorForKey = <E>(error: E, apiKey: string | null): E => scrub!.scrubErrorForKey(error, apiKey);

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
  retryPolicy: RetryPolicy;
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

/** A short, single-line excerpt of a non-JSON body (an HTML error page from a proxy, say). */
export function excerpt(text: string, max = 200): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
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
  if (issues.length) throw new RequestValidationError(op.id, issues);
  if (!hasBody && !extra) return config.baseHeaders;
  return { ...config.baseHeaders, ...extra, ...(hasBody ? { 'content-type': 'application/json' } : {}) };
}

/** `final`: an answer that retrying would only repeat (a redirect, a body over the limit): never retried. */
type Attempt =
  | { ok: true; response: TransportResponse; data: unknown }
  | { ok: false; outcome: AttemptOutcome; error: APIError; final?: true };

async function attemptOnce(config: ClientConfig, op: OperationSpec, request: TransportRequest): Promise<Attempt> {
  let response: TransportResponse;
  try {
    response = await config.transport(request);
  } catch (error) {
    if (!isTransportFailure(error)) throw error;
    if (error.failure === 'aborted') throw new APIUserAbortError();
    await loadScrub();
    if (error.failure === 'too-large')
      return {
        ok: false,
        outcome: { kind: 'connection', sent: true },
        error: tooLarge(config, op, request, error),
        final: true,
      };
    if (error.failure === 'timeout') {
      const timeout = new APIConnectionTimeoutError({ message: `Request timed out after ${request.timeoutMs} ms.` });
      // A timeout before the connection was up sent nothing: as safe to retry as a refused connection.
      return {
        ok: false,
        outcome: error.sent ? { kind: 'timeout' } : { kind: 'connection', sent: false },
        error: timeout,
      };
    }
    const message = error.receivedResponse
      ? `Connection lost while reading the response (${error.detail}).`
      : `Connection error (${error.detail}).`;
    const connection = new APIConnectionError({ message, cause: error.cause });
    return {
      ok: false,
      outcome: { kind: 'connection', sent: error.sent },
      error: scrubErrorForKey(connection, config.apiKey),
    };
  }
  const { status, text } = response;
  if (status >= 200 && status < 300) {
    try {
      return { ok: true, response, data: JSON.parse(text) };
    } catch {
      // Truncated, empty or not from the API: as uncertain as a connection lost after sending.
      await loadScrub();
      return {
        ok: false,
        outcome: { kind: 'connection', sent: true },
        error: scrubErrorForKey(unparseableSuccess(op, response, config.apiKey), config.apiKey),
      };
    }
  }
  const headers = response.headers();
  await loadScrub();
  // Status 0 is the opaque redirect a browser's fetch gives instead of the 3xx (see fetchTransport).
  if (status === 0 || (status >= 300 && status < 400)) {
    return {
      ok: false,
      outcome: { kind: 'status', status, headers },
      error: scrubErrorForKey(redirectError(status, { ...headers }), config.apiKey),
      final: true,
    };
  }
  // Parsed first, scrubbed after (scrub.ts): a JSON-escaped or encoded echo of the key is caught in its decoded form.
  const error = scrubErrorForKey(errorFromBody(status, text, { ...headers }, config.apiKey), config.apiKey);
  return { ok: false, outcome: { kind: 'status', status, headers }, error };
}

/**
 * A 3xx is never followed, by either transport: following would re-send a create (or turn it into a GET that
 * looks like success) and send the key and organization headers wherever the server points. Location is scrubbed.
 */
function redirectError(status: number, headers: Record<string, string>): APIError {
  const error = new APIError(status, undefined, undefined, headers);
  error.message =
    `The server answered ${status ? status : 'a'} redirect to ${status ? (headers.location ?? 'no location') : 'a location the browser hides'}; ` +
    'not followed, so that a create is not re-sent and the key stays on the configured host (set baseURL to the final address).';
  return error;
}

/** The body passed maxResponseBytes: what happened, how to raise the limit, and for a create, that it was received. */
function tooLarge(
  config: ClientConfig,
  op: OperationSpec,
  request: TransportRequest,
  failure: TransportFailure,
): ResponseTooLargeError {
  const limit = request.maxResponseBytes;
  const message =
    `${op.id}: response (status ${failure.status}) over maxResponseBytes, ${limit} bytes (${failure.detail}); not read further, connection closed. ` +
    `If legitimate, raise maxResponseBytes (client or per call) or ask for smaller pages.${op.retrySafe ? '' : ' The server answered, so it was most likely carried out; not retried.'}`;
  return scrubErrorForKey(
    new ResponseTooLargeError({ message, status: failure.status, headers: failure.headers, limit }),
    config.apiKey,
  );
}

function errorFromBody(status: number, text: string, headers: Record<string, string>, apiKey: string | null): APIError {
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Scrubbed before it is cut: a cut through an encoded key would leave most of it unrecognisable.
    body = excerpt(scrubText(text, apiKey));
  }
  return APIError.generate(status, body, text ? undefined : `(empty body, status ${status})`, headers);
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
    if (issues.length) throw new RequestValidationError(op.id, issues);
    return await performUnscrubbed<T>(config, op, parts, options);
  } catch (error) {
    await loadScrub();
    throw scrubErrorForKey(error, config.apiKey);
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
    const serialized = serializeJSON(parts.body, 'body');
    if (serialized.text === undefined) throw new RequestValidationError(op.id, serialized.issues);
    bodyText = serialized.text;
    checked = { ...parts, body: JSON.parse(bodyText) };
  }
  const validating = validateRequest(op, checked);
  if (validating) await validating;
  const path = buildPath(op, parts.path);
  let queryString = serializeQuery(op, parts.query);
  if (options.extraBody !== undefined || options.extraQuery !== undefined) {
    ({ bodyText, queryString } = withExtras(op, checked.body, bodyText, queryString, options));
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
  const policy =
    options.maxRetries === undefined ? config.retryPolicy : { ...config.retryPolicy, maxRetries: options.maxRetries };

  // Rate limits (scheduler.ts): the call's wait budget is made on its first wait, never on the fast path.
  const { scheduler } = config;
  let waits: CallWaits | undefined;
  let attempts = 0;
  // Creates only: when the call started (reconciliation looks for items made since) — a clock read creates can afford.
  const createStartedAt = op.retrySafe ? 0 : config.now();
  let readAfterWrite = 0;
  for (let retriesDone = 0; ; retriesDone++) {
    let epoch = scheduler.tryEnter(op);
    if (epoch === NOT_ADMITTED)
      epoch = await scheduler.enter(op, options.signal, (waits ??= callWaits(config, options)), attempts);
    const startedAt = config.logLevel >= LOG_DEBUG ? config.now() : 0;
    let attempt: Attempt;
    try {
      attempt = await attemptOnce(config, op, request);
    } catch (thrown) {
      scheduler.leave();
      throw thrown;
    }
    // A 429 is recorded before the slot is freed: the call handed the slot must already see the route limited.
    const limit =
      !attempt.ok &&
      attempt.outcome.kind === 'status' &&
      isPacing(attempt.outcome.status, attempt.outcome.headers, attempt.error)
        ? scheduler.limited(op, epoch, attempt.outcome.headers, attempt.error, (waits ??= callWaits(config, options)))
        : undefined;
    scheduler.leave();
    attempts++;
    if (config.logLevel >= LOG_DEBUG) logAttempt(config, op, path, attempt, attempts, startedAt);
    if (attempt.ok) {
      if (epoch >= 0) scheduler.succeeded(op, epoch);
      if (!op.retrySafe) rememberCreated(config, attempt.data);
      await validateResponse(
        op,
        attempt.data,
        options.validate ?? config.validate,
        async (m) => {
          await loadScrub();
          config.logger.warn(scrubText(m, config.apiKey));
        },
        config.responseValidators,
      );
      return rawResult(attempt.data as T, attempt.response);
    }
    const { error } = attempt;
    if (attempt.final) throw error;
    if (limit) {
      // A 429 is pacing, not a failure: wait for the reset and send again, without using up maxRetries.
      await scheduler.waitOut(op, limit, error as RateLimitError, waits!, attempts, options.signal);
      retriesDone--;
      continue;
    }
    if (
      attempt.outcome.kind === 'status' &&
      attempt.outcome.status === 404 &&
      config.recentCreates.size > 0 &&
      readAfterWrite < READ_AFTER_WRITE_DELAYS_MS.length &&
      config.recentCreates.namesRecent(parts.path, config.now())
    ) {
      // Read-after-write: an id this client created moments ago may not be visible yet.
      const delayMs = READ_AFTER_WRITE_DELAYS_MS[readAfterWrite++];
      if (config.logLevel >= LOG_INFO)
        config.logger.info!(`openai-admin: ${op.id}: 404 for an id created moments ago; retrying in ${delayMs} ms`);
      await sleepOrAbort(config, delayMs, options.signal);
      retriesDone--;
      continue;
    }
    const decision = decideRetry({
      outcome: attempt.outcome,
      retriesDone,
      retrySafe: op.retrySafe,
      nowMs: config.now(),
      random: config.random(),
      policy,
    });
    if (decision.retry) {
      if (config.logLevel >= LOG_INFO)
        config.logger.info!(`openai-admin: ${op.id}: ${error.message}; retrying in ${decision.delayMs} ms`);
      await sleepOrAbort(config, decision.delayMs, options.signal);
      continue;
    }
    if (decision.reason === 'outcome-unknown') {
      if (options.reconcile !== false && op.naturalKey) {
        const { reconcileCreate } = await import('./reconcile.js');
        return reconcileCreate<T>(config, op, checked, options, createStartedAt, error);
      }
      throw new OutcomeUnknownError(op.id, error);
    }
    if (error instanceof RateLimitError && decision.waitMs !== undefined) {
      error.retryAfterMs = decision.waitMs;
      if (decision.reason === 'wait-too-long') {
        error.message += ` (the server asked to wait ${Math.round(decision.waitMs / 1000)} s, longer than the client sleeps; retry later)`;
      }
    }
    throw error;
  }
}

/** A 429 that asks the client to slow down (not a quota error, not refused by x-should-retry: false). */
function isPacing(status: number, headers: Record<string, string>, error: APIError): error is RateLimitError {
  return (
    status === 429 &&
    headers['x-should-retry'] !== 'false' &&
    error.code !== 'insufficient_quota' &&
    error instanceof RateLimitError
  );
}

function rememberCreated(config: ClientConfig, data: unknown) {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id === 'string') config.recentCreates.add(id, config.now());
}

function callWaits(config: ClientConfig, options: RequestOptions): CallWaits {
  return { maxMs: options.maxRateLimitWait ?? config.maxRateLimitWait, waitedMs: 0, unstated: 0 };
}

function logAttempt(
  config: ClientConfig,
  op: OperationSpec,
  path: string,
  attempt: Attempt,
  n: number,
  startedAt: number,
) {
  const status = attempt.ok ? attempt.response.status : (attempt.error.status ?? attempt.error.name);
  const requestID = attempt.ok ? attempt.response.header('x-request-id') : attempt.error.requestID;
  config.logger.debug(attemptLine(op.method, path, op.id, status, config.now() - startedAt, n, requestID));
}

/**
 * The body and query string with the per-call `extraBody` / `extraQuery` merged in, after validation: the
 * escape hatch for fields and parameters newer than the spec. They may only name what the spec does not
 * know; known names go through the validator like any other.
 */
function withExtras(
  op: OperationSpec,
  validatedBody: unknown,
  bodyText: string | undefined,
  queryString: string,
  options: RequestOptions,
) {
  const { extraBody, extraQuery } = options;
  const issues = [
    ...(extraBody ? extraBodyIssues(op, extraBody) : []),
    ...(extraQuery ? extraQueryIssues(op, extraQuery) : []),
  ];
  if (extraBody && !issues.length) {
    const merged = serializeJSON(mergeExtraBody(validatedBody, extraBody), 'options.extraBody');
    issues.push(...merged.issues);
    bodyText = merged.text;
  }
  if (issues.length) throw new RequestValidationError(op.id, issues);
  return { bodyText, queryString: extraQuery ? appendExtraQuery(queryString, extraQuery) : queryString };
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

/** A message with the key scrubbed out, for the logger (errors are scrubbed whole by scrubErrorForKey). */
function scrubText(text: string, apiKey: string | null): string {
  const key = scrub!.keyNeedles(apiKey);
  return key ? scrub!.scrubString(text, key) : text;
}

function unparseableSuccess(op: OperationSpec, response: TransportResponse, apiKey: string | null): APIConnectionError {
  const { text } = response;
  // Scrubbed before it is cut (a cut through an encoded key would hide it from the scrub) and again with the error.
  const what = text ? `invalid JSON (${excerpt(scrubText(text, apiKey), 80)})` : 'an empty body';
  const type = response.header('content-type') ?? 'no content type';
  return new APIConnectionError({
    message: `${op.id}: status ${response.status} with ${what}, ${type}; the response was incomplete or not from the API.`,
  });
}

async function sleepOrAbort(config: ClientConfig, ms: number, signal: AbortSignal | undefined) {
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
