/**
 * The shapes a call is made of, shared by every layer above: what a caller passes (parts, options), what a call
 * resolves to, and the logger it reports through. Types only: with operation.ts, the leaf of src/core.
 * @module
 */

/** Response validation: 'off' (default, fastest), 'warn' (log and continue) or 'strict' (throw). */
export type ValidateMode = 'off' | 'warn' | 'strict';

/** The response validators by camelCase operation name: the module openai-admin/response-validators. */
export type ResponseValidators = Readonly<Record<string, unknown>>;

/** A call's parameters in wire form: path ids, query and body as untyped records. */
export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  info?(message: string): void;
  error?(message: string): void;
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
  /** True when a create failed ambiguously and `data` was found by listing (pipeline/reconcile.ts); `response` is the list's. */
  reconciled?: boolean;
  /** Set on a reconciled result that lacks something only the create response had (a service account's key). */
  warning?: string;
}
