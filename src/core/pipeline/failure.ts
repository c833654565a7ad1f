/**
 * What follows a failed attempt, loaded on a client's first failure (a dynamic import from request.ts), so that the
 * success path of a browser bundle carries none of it: the error the attempt becomes (parsed, then scrubbed of the
 * key: scrub.ts), and the next step — sleep out a rate limit (pacing.ts), retry a 404 for an id created moments ago,
 * back off and retry (retry.ts), reconcile an ambiguous create (reconcile.ts), or give up with the error.
 */
import { operationId, type OperationSpec } from '../types/operation.js';
import {
  APIConnectionError,
  APIUserAbortError,
  APIConnectionTimeoutError,
  APIError,
  OutcomeUnknownError,
  RateLimitError,
  ResponseTooLargeError,
} from '../base/errors.js';
import { Pacer, type LimitedWait } from '../pacing/pacing.js';
import type { ClientConfig } from '../config/config.js';
import { callWaits, logAttempt, type CallState, type FailedAttempt } from './call-state.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../pacing/retry.js';
import { keyNeedles, scrubErrorForKey, scrubString } from '../base/scrub.js';
import {
  isTransportFailure,
  type TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from '../transport/transport.js';
import { LOG_DEBUG, LOG_INFO } from '../base/log.js';

/**
 * What follows a failed attempt, for the request loop to act on: send again as a retry (counted against
 * maxRetries), after a rate-limit wait or after a read-after-write wait (neither counted), or reconcile the create.
 * Giving up is the error, thrown.
 */
export type NextStep = 'retry' | 'rate-limited' | 'read-after-write' | 'reconcile';

/**
 * What a failed attempt becomes: a transport failure (connection, timeout, body over the limit; not an abort), a
 * 2xx whose body is not JSON, or any other status.
 */
export function failedAttempt(
  config: ClientConfig,
  op: OperationSpec,
  request: TransportRequest,
  failed: TransportFailure | TransportResponse,
): FailedAttempt {
  if (isTransportFailure(failed)) return transportFailed(config, op, request, failed);
  return failed.status >= 200 && failed.status < 300
    ? unparseableSuccess(config, op, failed)
    : statusFailed(config, failed);
}

function transportFailed(
  config: ClientConfig,
  op: OperationSpec,
  request: TransportRequest,
  error: TransportFailure,
): FailedAttempt {
  if (error.failure === 'too-large')
    return {
      ok: false,
      outcome: { kind: 'connection', sent: true },
      error: tooLarge(config, op, request, error),
      final: true,
    };
  if (error.failure === 'timeout') {
    const timeout = new APIConnectionTimeoutError({
      message: `Request timed out after ${request.timeoutMs} ms calling ${where(request)}.`,
    });
    // A timeout before the connection was up sent nothing: as safe to retry as a refused connection.
    return {
      ok: false,
      outcome: error.sent ? { kind: 'timeout' } : { kind: 'connection', sent: false },
      error: timeout,
    };
  }
  const message = error.receivedResponse
    ? `Connection lost while reading the response (${error.detail}) from ${where(request)}.`
    : `Connection error (${error.detail}) calling ${where(request)}.`;
  const connection = new APIConnectionError({ message, cause: error.cause });
  return {
    ok: false,
    outcome: { kind: 'connection', sent: error.sent },
    error: scrubErrorForKey(connection, config.apiKey),
  };
}

/**
 * Which endpoint a connection error is about: method, origin and path — never the userinfo of a base URL with
 * credentials, nor the query (ids, emails), and the key is in a header, never in the URL.
 */
function where(request: TransportRequest): string {
  try {
    const url = new URL(request.url);
    return `${request.method} ${url.origin}${url.pathname}`;
  } catch {
    return request.method;
  }
}

/** A 2xx whose body is not JSON (truncated, empty or not from the API): as uncertain as a connection lost after sending. */
function unparseableSuccess(config: ClientConfig, op: OperationSpec, response: TransportResponse): FailedAttempt {
  const { text } = response;
  // Scrubbed before it is cut (a cut through an encoded key would hide it from the scrub) and again with the error.
  const what = text ? `invalid JSON (${excerpt(scrubText(text, config.apiKey), 80)})` : 'an empty body';
  const type = response.header('content-type') ?? 'no content type';
  const error = new APIConnectionError({
    message: `${operationId(op)}: status ${response.status} with ${what}, ${type}; the response was incomplete or not from the API.`,
  });
  return { ok: false, outcome: { kind: 'connection', sent: true }, error: scrubErrorForKey(error, config.apiKey) };
}

/** A status other than 2xx: the API's error (or a redirect, never followed), parsed first and scrubbed after. */
function statusFailed(config: ClientConfig, response: TransportResponse): FailedAttempt {
  const { status, text } = response;
  const headers = response.headers();
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
 * The step after a failed attempt, which still holds its scheduler slot: frees it (a 429 is recorded on its route
 * first, so that the call handed the slot already sees the route limited), waits what the next step needs, and
 * answers it; or throws the error. Reads the call's counters, never changes them (the loop does, by the answer).
 */
export async function afterFailure(
  call: Readonly<CallState>,
  attempt: FailedAttempt,
  epoch: number,
  startedAt: number,
): Promise<NextStep> {
  const { config, op, options } = call;
  const { scheduler } = config;
  const { outcome, error } = attempt;
  let pacer: Pacer | undefined;
  let limit: LimitedWait | undefined;
  if (isPacing(outcome, error)) {
    pacer = scheduler.pacing.pacer ??= new Pacer();
    limit = pacer.limited(scheduler.options, op, epoch, outcome.headers, error as RateLimitError, callWaits(call));
  }
  scheduler.leave();
  if (config.logLevel >= LOG_DEBUG) logAttempt(call, attempt, startedAt);
  if (attempt.final) throw error;
  if (pacer && limit) {
    // A 429 is pacing, not a failure: wait for the reset and send again, without using up maxRetries.
    const { route, waitMs, source, now } = limit;
    await pacer.wait(scheduler.options, {
      route,
      op,
      planned: { waitMs, source, limited: true, attempt: call.attempts },
      waits: callWaits(call),
      signal: options.signal,
      now,
      error: error as RateLimitError,
    });
    return 'rate-limited';
  }
  // Read-after-write: an id this client created moments ago may not be visible yet.
  const delayMs =
    outcome.kind === 'status' && outcome.status === 404
      ? config.recentCreates.retryDelay(call.parts.path, config.now(), call.readAfterWrite)
      : undefined;
  if (delayMs !== undefined) {
    if (config.logLevel >= LOG_INFO)
      config.logger.info(
        `openai-admin: ${operationId(op)}: 404 for an id created moments ago; retrying in ${delayMs} ms`,
      );
    await sleepOrAbort(config.sleep, delayMs, options.signal);
    return 'read-after-write';
  }
  const decision = decideRetry({
    outcome,
    retriesDone: call.retriesDone,
    retrySafe: op.retrySafe,
    nowMs: config.now(),
    random: config.random(),
    policy: { ...DEFAULT_RETRY_POLICY, ...call.policy },
  });
  if (decision.retry) {
    if (config.logLevel >= LOG_INFO)
      config.logger.info(`openai-admin: ${operationId(op)}: ${error.message}; retrying in ${decision.delayMs} ms`);
    await sleepOrAbort(config.sleep, decision.delayMs, options.signal);
    return 'retry';
  }
  if (decision.reason === 'outcome-unknown') {
    if (options.reconcile !== false && op.naturalKey) return 'reconcile';
    throw new OutcomeUnknownError(operationId(op), error);
  }
  if (error instanceof RateLimitError && decision.waitMs !== undefined) {
    error.retryAfterMs = decision.waitMs;
    if (decision.reason === 'wait-too-long') {
      error.message += ` (the server asked to wait ${Math.round(decision.waitMs / 1000)} s, longer than the client sleeps; retry later)`;
    }
  }
  throw error;
}

/** A 429 that asks the client to slow down (not a quota error, not refused by x-should-retry: false). */
function isPacing(
  outcome: FailedAttempt['outcome'],
  error: APIError,
): outcome is Extract<FailedAttempt['outcome'], { kind: 'status' }> {
  return (
    outcome.kind === 'status' &&
    outcome.status === 429 &&
    outcome.headers['x-should-retry'] !== 'false' &&
    error.code !== 'insufficient_quota' &&
    error instanceof RateLimitError
  );
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
    `${operationId(op)}: response (status ${failure.status}) over maxResponseBytes, ${limit} bytes (${failure.detail}); not read further, connection closed. ` +
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

/** A message with the key scrubbed out, for the logger (errors are scrubbed whole by scrubErrorForKey). */
function scrubText(text: string, apiKey: string | null): string {
  const key = keyNeedles(apiKey);
  return key ? scrubString(text, key) : text;
}

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

/** Sleeps `ms` on the given (injectable) sleep; an abort before, during or after it throws APIUserAbortError. */
export async function sleepOrAbort(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
) {
  if (signal?.aborted) throw new APIUserAbortError();
  await sleep(ms, signal);
  if (signal?.aborted) throw new APIUserAbortError();
}
