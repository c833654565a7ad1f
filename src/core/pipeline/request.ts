import {
  cleanIssuePath,
  operationId,
  wireParts,
  type OperationName,
  type OperationOf,
  type OperationSpec,
  type PartsOf,
  type ResponseOf,
} from '../types/operation.js';
import type { RawResult, RequestOptions, RequestParts } from '../types/call.js';
import { APIUserAbortError, RequestValidationError } from '../base/errors.js';
import { lazy, required } from '../base/lazy.js';
import { LOG_DEBUG } from '../base/log.js';
import type { ClientConfig } from '../config/config.js';
import { headerIssues, requestOptionIssues } from '../config/options.js';
import { NOT_ADMITTED } from '../pacing/scheduler.js';
import { isTransportFailure, type TransportRequest, type TransportResponse } from '../transport/transport.js';
import { pathIssues, validateRequest, validateResponse } from '../validation/validation.js';
import { APIPromise, CallResult } from './api-promise.js';
import { logAttempt, callWaits, type Attempt, type CallState } from './call-state.js';

// Loaded when first needed (base/lazy.ts), so that a bundle's initial chunk carries only the success path: the
// failure handling (failure.ts: errors, retries, rate-limit pacing, the key scrub) on the first failure, the body
// serialiser (body.ts) on the first call with a body or extras, the scrub alone when a call fails before it was
// sent, reconciliation (reconcile.ts) when a create fails ambiguously. A chunk that cannot load fails the call with
// an APIConnectionError saying what could not load, and the next call tries again.
const failureModule = lazy(() => import('./failure.js'));
const bodyModule = lazy(() => import('../validation/body.js'));
const scrubModule = lazy(() => import('../base/scrub-lazy.js'));
const reconcileModule = lazy(() => import('./reconcile.js'));
const loadFailure = (what: string) =>
  required(
    failureModule,
    `The request failed (${what}) and openai-admin could not load the code that handles failures`,
    'not retried; for a create, whether it was carried out is unknown',
  );
// On the success path (a create's body) a module already loaded is taken as is, without base/lazy.ts.
const loadBody = () =>
  bodyModule.loaded ??
  required(bodyModule, 'openai-admin could not load its request body serialiser', 'nothing was sent');
const loadScrub = () =>
  required(
    scrubModule,
    'The call failed and openai-admin could not load the code that reports errors without the key',
    'the original error is withheld',
  );

const NO_OPTIONS: RequestOptions = Object.freeze({});

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

/** One request of operation `K`, parameters as the caller spelled them: what every resource method makes. */
export type CallFunction = <K extends OperationName>(
  op: OperationOf<K>,
  parts: PartsOf<K>,
  options?: RequestOptions,
) => APIPromise<ResponseOf<K>>;
/** One request of any operation, parts already in wire form: what pages are fetched with (one per cursor). */
export type RequestFunction = <Body>(
  op: OperationOf<OperationName>,
  parts: RequestParts,
  options?: RequestOptions,
) => Promise<RawResult<Body>>;

/** The request a call of `op` would send (parts in wire form), built and checked, nothing sent: for `--dry-run`. */
export type BuildFunction = (
  op: OperationSpec,
  parts: RequestParts,
  options?: RequestOptions,
) => BuiltRequest | Promise<BuiltRequest>;

/**
 * A client's ways into the pipeline, bound to its configuration: ClientCore keeps them as `_call`, `_request` and
 * `_build`, so that a call runs from the resource method (or the page fetcher) straight into this module and
 * never back through the client, and a dry run is built by the very function that builds the real request. Only
 * operations with renamed parameters pay for the renaming, both ways.
 */
export function bindCalls(config: ClientConfig): {
  call: CallFunction;
  request: RequestFunction;
  build: BuildFunction;
} {
  const request: RequestFunction = <Body>(
    op: OperationOf<OperationName>,
    parts: RequestParts,
    options?: RequestOptions,
  ) => {
    const sent = performRequest<Body>(config, op, parts, options);
    return op.wireNames ? sent.catch((error: unknown) => Promise.reject(inCallerSpelling(op, error))) : sent;
  };
  const call: CallFunction = <K extends OperationName>(
    op: OperationOf<K>,
    parts: PartsOf<K>,
    options?: RequestOptions,
  ) => new APIPromise(request<ResponseOf<K>>(op, op.wireNames ? wireParts(op, parts) : parts, options));
  return { call, request, build: (op, parts, options) => buildRequest(config, op, parts, options) };
}

/** A request validation error that names parameters as the caller wrote them (`event_types`, not `event_types[]`). */
function inCallerSpelling(op: OperationOf<OperationName>, error: unknown): unknown {
  if (!(error instanceof RequestValidationError)) return error;
  const issues = error.issues.map((issue) => ({ ...issue, path: cleanIssuePath(op, issue.path) }));
  return issues.some((issue, i) => issue.path !== error.issues[i].path)
    ? new RequestValidationError(operationId(op), issues)
    : error;
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
    const checkedOptions = checkOptions(op, options);
    const built = buildRequest(config, op, parts, checkedOptions);
    return await send<T>(config, op, built instanceof Promise ? await built : built, checkedOptions);
  } catch (error) {
    throw (await loadScrub()).scrubErrorForKey(error, config.apiKey);
  }
}

/** The options as given, checked (only when given: a call without options does no work here, options.ts). */
function checkOptions(op: OperationSpec, options: RequestOptions | undefined): RequestOptions {
  if (options === undefined) return NO_OPTIONS;
  const issues = requestOptionIssues(options);
  if (issues.length) throw new RequestValidationError(operationId(op), issues);
  return options;
}

// What goes on the wire: path, query string and URL (the checks they rely on are validation.ts's).

/** Fills `{name}` placeholders with percent-encoded ids; throws before any I/O on an unusable id. */
export function buildPath(
  op: Pick<OperationSpec, 'name' | 'path' | 'pathParams'>,
  params: Record<string, unknown> = {},
): string {
  const issues = pathIssues(op, params);
  if (issues.length) throw new RequestValidationError(operationId(op), issues);
  return fillPath(op, params);
}

/**
 * The path with its ids percent-encoded in place, the ids already checked (validateRequest runs pathIssues, so a
 * call does not check them twice). A string pattern per id rather than a regular expression with a callback: the
 * encoded id has no `$`, so it is taken as is.
 */
function fillPath(op: Pick<OperationSpec, 'path' | 'pathParams'>, params: Record<string, unknown> = {}): string {
  let path = op.path;
  for (const name of op.pathParams) path = path.replaceAll(`{${name}}`, encodeURIComponent(params[name] as string));
  return path;
}

const encodeKey = (key: string) => encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
const encodeValue = (value: unknown) => encodeURIComponent(String(value));

/**
 * Query string in the form the API expects: arrays repeat the key (`group_by=a&group_by=b`), objects use
 * deepObject (`effective_at[gte]=1`). Undefined and null values are left out; order follows the spec.
 */
export function serializeQuery(op: Pick<OperationSpec, 'query'>, query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const { name, kind } of op.query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    if (kind === 'array' && Array.isArray(value)) {
      for (const item of value) parts.push(`${encodeKey(name)}=${encodeValue(item)}`);
    } else if (kind === 'object' && typeof value === 'object') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item !== undefined && item !== null) parts.push(`${encodeKey(`${name}[${key}]`)}=${encodeValue(item)}`);
      }
    } else {
      parts.push(`${encodeKey(name)}=${encodeValue(value)}`);
    }
  }
  return parts.join('&');
}

/** Joins base URL, path and query without doubling or dropping slashes. */
export function buildURL(baseURL: string, path: string, queryString: string): string {
  const base = baseURL.endsWith('/') ? baseURL.slice(0, -1) : baseURL;
  return `${base}${path}${queryString ? `?${queryString}` : ''}`;
}

/** A request ready to send: what goes on the wire, and the parts as validated (the body parsed back from its text). */
export interface BuiltRequest {
  request: TransportRequest;
  parts: RequestParts;
  /** The parts as checked: the body is the one parsed back from the text sent. */
  checked: RequestParts;
  path: string;
}

/**
 * Validates a call and builds its request, sending nothing: what `performRequest` sends, and what the CLI's
 * `--dry-run` prints (ClientCore._build, bound by bindCalls). Throws RequestValidationError naming each bad field. Errors are not
 * scrubbed here (performRequest does that). Synchronous for a call without a body or extras once the operation's
 * validator is loaded: a warm client's call reaches the scheduler in the same tick.
 */
export function buildRequest(
  config: ClientConfig,
  op: OperationSpec,
  parts: RequestParts,
  options: RequestOptions = NO_OPTIONS,
): BuiltRequest | Promise<BuiltRequest> {
  if (options.signal?.aborted) throw new APIUserAbortError();
  if (parts.body !== undefined || options.extraBody !== undefined || options.extraQuery !== undefined)
    return buildWithBody(config, op, parts, options);
  const validating = validateRequest(op, parts);
  const build = () => finishRequest(config, op, parts, parts, undefined, serializeQuery(op, parts.query), options);
  return validating ? validating.then(build) : build();
}

async function buildWithBody(
  config: ClientConfig,
  op: OperationSpec,
  parts: RequestParts,
  options: RequestOptions,
): Promise<BuiltRequest> {
  let checked = parts;
  let bodyText: string | undefined;
  if (parts.body !== undefined) {
    // Serialised first, and the validator sees the parsed text: what is checked is exactly what is sent (body.ts).
    const serialized = (await loadBody()).serializeJSON(parts.body, 'body');
    if (serialized.text === undefined) throw new RequestValidationError(operationId(op), serialized.issues);
    bodyText = serialized.text;
    checked = { ...parts, body: JSON.parse(bodyText) };
  }
  await validateRequest(op, checked);
  let queryString = serializeQuery(op, parts.query);
  if (options.extraBody !== undefined || options.extraQuery !== undefined) {
    const extras = (await loadBody()).withExtras(op, checked.body, bodyText, queryString, options);
    if (extras.issues.length) throw new RequestValidationError(operationId(op), extras.issues);
    ({ bodyText, queryString } = extras);
  }
  return finishRequest(config, op, parts, checked, bodyText, queryString, options);
}

function finishRequest(
  config: ClientConfig,
  op: OperationSpec,
  parts: RequestParts,
  checked: RequestParts,
  bodyText: string | undefined,
  queryString: string,
  options: RequestOptions,
): BuiltRequest {
  const path = fillPath(op, parts.path);
  const request: TransportRequest = {
    url: buildURL(config.baseURL, path, queryString),
    method: op.method,
    headers: buildHeaders(config, op, bodyText !== undefined, options.headers),
    body: bodyText,
    timeoutMs: options.timeout ?? config.timeout,
    signal: options.signal,
    maxResponseBytes: options.maxResponseBytes ?? config.maxResponseBytes,
    // A create goes on a new connection: a pooled one closing under it would make its outcome unknown (transport.ts).
    fresh: !op.retrySafe,
  };
  return { request, parts, checked, path };
}

/**
 * Sends a built request until it succeeds or failure.ts says to stop. The loop keeps the call's counters: each
 * failed attempt gets a decision (failure.ts) — send again as a retry, as a rate-limit wait or a read-after-write
 * wait (neither uses up maxRetries), reconcile, or the error thrown from there.
 */
async function send<T>(
  config: ClientConfig,
  op: OperationSpec,
  built: BuiltRequest,
  options: RequestOptions,
): Promise<RawResult<T>> {
  const call: CallState = {
    config,
    op,
    parts: built.parts,
    options,
    path: built.path,
    policy:
      options.maxRetries === undefined ? config.retryPolicy : { ...config.retryPolicy, maxRetries: options.maxRetries },
    attempts: 0,
    retriesDone: 0,
    readAfterWrite: 0,
    waits: undefined,
  };
  // A clock read creates can afford: reconciliation looks for items made since.
  const startedAt = op.retrySafe ? 0 : config.now();
  // Rate limits (scheduler.ts): the call's wait budget is made on its first wait, never on the fast path.
  const { scheduler } = config;
  for (;;) {
    let epoch = scheduler.tryEnter(op);
    if (epoch === NOT_ADMITTED) epoch = await scheduler.enter(op, options.signal, callWaits(call), call.attempts);
    const attemptStart = config.logLevel >= LOG_DEBUG ? config.now() : 0;
    let attempt: Attempt;
    try {
      attempt = await attemptOnce(config, op, built.request);
    } catch (thrown) {
      scheduler.leave();
      throw thrown;
    }
    call.attempts++;
    if (!attempt.ok) {
      // failure.ts (loaded by attemptOnce) frees the slot, waits what the decision needs, or throws.
      const next = await (await loadFailure(attempt.error.name)).afterFailure(call, attempt, epoch, attemptStart);
      if (next === 'retry') call.retriesDone++;
      else if (next === 'read-after-write') call.readAfterWrite++;
      else if (next === 'reconcile') {
        const { reconcileCreate } = await required(
          reconcileModule,
          'openai-admin could not load reconciliation',
          'whether the create was carried out is unknown',
        );
        return reconcileCreate<T>(
          (list, parts, listOptions) => performRequest(config, list, parts, listOptions),
          config.logger,
          op,
          built.checked,
          options,
          startedAt,
          attempt.error,
        );
      }
      continue;
    }
    scheduler.leave();
    if (config.logLevel >= LOG_DEBUG) logAttempt(call, attempt, attemptStart);
    if (epoch >= 0) scheduler.succeeded(op, epoch);
    if (!op.retrySafe) rememberCreated(config, attempt.data);
    // With validation off (the default) nothing is awaited here: the result is handed back in this tick.
    const mode = options.validate ?? config.validate;
    if (mode !== 'off')
      await validateResponse(
        op,
        attempt.data,
        mode,
        // The call succeeded: a scrub that cannot load costs the warning's text, not the result.
        (m) =>
          loadScrub().then(
            (scrub) => scrub.warnWithoutKey(config.logger, config.apiKey, m),
            (error: Error) => config.logger.warn(`openai-admin: ${operationId(op)}: ${error.message}`),
          ),
        config.responseValidators,
      );
    const { response } = attempt;
    return new CallResult(attempt.data as T, response.header('x-request-id'), () => response.toResponse());
  }
}

function rememberCreated(config: ClientConfig, data: unknown) {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id === 'string') config.recentCreates.add(id, config.now());
}
