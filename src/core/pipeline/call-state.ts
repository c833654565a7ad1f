/**
 * One call's state across its attempts (request.ts runs the loop, failure.ts decides what follows a failed attempt)
 * and the attempt records they pass between them.
 */
import type { APIError } from '../base/errors.js';
import { attemptLine } from '../base/log.js';
import type { ClientConfig } from '../config/config.js';
import type { AttemptOutcome, RetryPolicy } from '../pacing/retry.js';
import type { CallWaits } from '../pacing/types.js';
import type { TransportResponse } from '../transport/transport.js';
import type { RequestOptions, RequestParts } from '../types/call.js';
import { operationId, type OperationSpec } from '../types/operation.js';

/** `final`: an answer that retrying would only repeat (a redirect, a body over the limit): never retried. */
export type FailedAttempt = { ok: false; outcome: AttemptOutcome; error: APIError; final?: true };
export type Attempt = { ok: true; response: TransportResponse; data: unknown } | FailedAttempt;

/**
 * One call's state across its attempts. The request loop (request.ts) alone changes the counters, after each
 * decision; failure.ts reads them to decide. `waits` is the call's rate-limit budget, kept by the pacing.
 */
export interface CallState {
  config: ClientConfig;
  op: OperationSpec;
  /** The parts as given (read-after-write looks up the path ids). */
  parts: RequestParts;
  options: RequestOptions;
  path: string;
  /** Overrides of the default retry policy: the client's, then this call's maxRetries. */
  policy: Partial<RetryPolicy>;
  /** Attempts made, retries counted against maxRetries, and read-after-write retries of a 404. */
  attempts: number;
  retriesDone: number;
  readAfterWrite: number;
  /** The call's rate-limit budget, made on its first wait, never on the fast path. */
  waits: CallWaits | undefined;
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
