/**
 * Error classes. One factory (`APIError.generate`) picks the HTTP class from the status; request validation
 * and response validation are separate from HTTP errors because the server either never saw the request or
 * answered successfully.
 */

/** Response headers, lower-cased names. */
export type HeaderRecord = Record<string, string>;

export class OpenAIAdminError extends Error {
  override name = 'OpenAIAdminError';
}

/** Shape of OpenAI error bodies: `{ error: { message, type, param, code } }`. */
interface ErrorBody {
  message?: unknown;
  type?: unknown;
  param?: unknown;
  code?: unknown;
}

const ADMIN_KEY_HINT =
  ' The Administration API needs an organization admin key (sk-admin-…), created by an organization owner; ' +
  'project keys (sk-proj-…) and service-account keys are rejected.';

export class APIError extends OpenAIAdminError {
  override name = 'APIError';
  readonly status: number | undefined;
  readonly headers: HeaderRecord | undefined;
  /** From the `x-request-id` response header: quote it when contacting OpenAI support. */
  readonly requestID: string | null;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  /** The parsed error body, or a short excerpt when the body was not JSON. */
  readonly error: unknown;
  /**
   * Where a redirect (3xx) pointed, from its `Location` header; null otherwise, and when a browser hid it
   * (an opaque redirect). Redirects are never followed: see the Transport section of the README.
   */
  readonly location: string | null;

  constructor(
    status: number | undefined,
    body: unknown,
    message: string | undefined,
    headers: HeaderRecord | undefined,
  ) {
    super(APIError.makeMessage(status, body, message));
    this.status = status;
    this.headers = headers;
    this.requestID = headers?.['x-request-id'] ?? null;
    this.location = status !== undefined && status >= 300 && status < 400 ? (headers?.location ?? null) : null;
    this.error = body;
    const detail = APIError.detail(body);
    this.type = typeof detail?.type === 'string' ? detail.type : null;
    this.code = typeof detail?.code === 'string' ? detail.code : null;
    this.param = typeof detail?.param === 'string' ? detail.param : null;
  }

  private static detail(body: unknown): ErrorBody | undefined {
    if (!body || typeof body !== 'object') return undefined;
    const inner = (body as { error?: unknown }).error;
    return inner && typeof inner === 'object' ? inner : body;
  }

  private static makeMessage(status: number | undefined, body: unknown, message: string | undefined): string {
    const detail = APIError.detail(body);
    let text =
      typeof detail?.message === 'string' && detail.message
        ? detail.message
        : typeof body === 'string' && body
          ? body
          : (message ?? '(no body)');
    if (status === 401 || status === 403) text += ADMIN_KEY_HINT;
    return status ? `${status} ${text}` : text;
  }

  /** The single place that maps a status to an error class. */
  static generate(
    status: number,
    body: unknown,
    message: string | undefined,
    headers: HeaderRecord | undefined,
  ): APIError {
    const Class = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, body, message, headers);
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** The wait, in milliseconds, that was not taken: past maxRateLimitWait, refused by onRateLimit, or after the last retry. */
  retryAfterMs: number | null = null;
}

const STATUS_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export class APIConnectionError extends APIError {
  override name = 'APIConnectionError';
  constructor({ message, cause }: { message?: string | undefined; cause?: unknown } = {}) {
    super(undefined, undefined, message ?? 'Connection error.', undefined);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor({ message }: { message?: string } = {}) {
    super({ message: message ?? 'Request timed out.' });
  }
}

export class APIUserAbortError extends APIError {
  override name = 'APIUserAbortError';
  constructor({ message }: { message?: string } = {}) {
    super(undefined, undefined, message ?? 'Request was aborted.', undefined);
  }
}

/**
 * The response was larger than `maxResponseBytes` (counted after decompression, as it arrived): reading stopped
 * there and the connection was closed. Not a connection error: the same request would get the same answer, so
 * it is never retried. The server did answer, so a create it reports on was most likely carried out.
 */
export class ResponseTooLargeError extends APIError {
  override name = 'ResponseTooLargeError';
  /** The limit that was exceeded, in bytes. */
  readonly limit: number;
  constructor({
    message,
    status,
    headers,
    limit,
  }: {
    message: string;
    status: number | undefined;
    headers: HeaderRecord | undefined;
    limit: number;
  }) {
    super(status, undefined, message, headers);
    // Not "<status> <message>": a 200 in front of a failure would mislead.
    this.message = message;
    this.limit = limit;
  }
}

/**
 * A create (a POST the spec marks as not safe to retry) failed in a way that leaves its outcome unknown:
 * the server may have processed it. It is not retried, so that nothing is created twice.
 */
export class OutcomeUnknownError extends APIError {
  override name = 'OutcomeUnknownError';
  /** Set by reconciliation when several items could be the one created: the caller decides. */
  candidates: Record<string, unknown>[] | undefined = undefined;
  constructor(operationId: string, reason: APIError) {
    super(reason.status, reason.error, undefined, reason.headers);
    this.message =
      `${operationId} failed after the request was sent (${reason.message}); the outcome is unknown and it was not ` +
      `retried to avoid a duplicate. List the resource to check whether it was created before trying again.`;
    (this as { cause?: unknown }).cause = reason;
  }
}

export interface FieldIssue {
  /** Where the problem is, e.g. `path.project_id`, `query.limit`, `body.name`. */
  path: string;
  message: string;
}

/** Issues as one line: `path message; path message` (the messages of every error that lists issues). */
export const issueText = (issues: readonly FieldIssue[]): string =>
  issues.map((i) => `${i.path} ${i.message}`).join('; ');

/** The request was rejected before any I/O: nothing was sent. */
export class RequestValidationError extends OpenAIAdminError {
  override name = 'RequestValidationError';
  readonly issues: FieldIssue[];
  constructor(operationId: string, issues: FieldIssue[]) {
    super(`Invalid request for ${operationId}: ${issueText(issues)}. Nothing was sent.`);
    this.issues = issues;
  }
}

/** The request succeeded, but the body does not match the spec (only with `validate: 'strict'`). */
export class ResponseValidationError extends OpenAIAdminError {
  override name = 'ResponseValidationError';
  readonly issues: FieldIssue[];
  readonly body: unknown;
  constructor(operationId: string, issues: FieldIssue[], body: unknown) {
    super(`Response of ${operationId} does not match the spec: ${issueText(issues)}`);
    this.issues = issues;
    this.body = body;
  }
}
