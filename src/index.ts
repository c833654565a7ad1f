/**
 * The OpenAI Administration API client: {@link OpenAIAdmin}, its resources (generated from the spec), the
 * error classes, the page types, the domain types (`Project`, `ProjectUser`, …) and, per operation, the types
 * of what it takes and returns (`CreateProjectBody`, `ListAuditLogsQuery`, `ListProjectsItem`, …).
 *
 * For a program's tests, `openai-admin/testing` starts a local emulator. For raw calls without retries,
 * validation or pagination, `openai-admin/generated` is hey-api's SDK over its own fetch client.
 * @module openai-admin
 */
export { OpenAIAdmin } from './client.js';
// Values are what a user constructs, catches or checks with instanceof: the client, the promise and page classes,
// the errors. ClientCore (the engine under OpenAIAdmin) and APIResource (the base of the resource classes, which
// are types here too) are types only: the client creates them, and nothing public takes or extends them.
export type { ClientCore } from './core/client/client-core.js';
export type { ClientOptions } from './core/config/config.js';
export type { RequestOptions, RawResult, Logger, ValidateMode } from './core/types/call.js';
export type { RetryPolicy } from './core/pacing/retry.js';
export { APIPromise } from './core/pipeline/api-promise.js';
export { Page, PagePromise, PaginationError } from './core/pipeline/pagination.js';
export { UsagePagePromise, type UsageRow, type UsageBucket, type CostAmount } from './core/client/usage.js';
export type { RateLimitInfo, RateLimitStats, OnRateLimit } from './core/pacing/scheduler.js';
// Types only: rateLimitWait itself stays on the lazy failure path (a value export would pull it, and retry.ts, into
// every initial chunk: +1.24 KB gzip measured; test/integration/bundle-splitting.test.ts keeps them out).
export type { RateLimitWait, WaitSource } from './core/pacing/rate-limit-wait.js';
export type { LogLevel } from './core/base/log.js';
export {
  OpenAIAdminError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  OutcomeUnknownError,
  ResponseTooLargeError,
  RequestValidationError,
  ResponseValidationError,
  type FieldIssue,
} from './core/base/errors.js';
export { FRIENDLY_NAMES, FRIENDLY_ALIASES } from './resources/naming.js';
export type { OperationName, PaginatedOperationName } from './core/types/operation.js';
export type { APIResource } from './resources/base.js';
// The resource classes (admin.projects is a Projects, …): for annotations; the client creates them.
export type * from '../generated/resources.gen.js';
export { Usage } from './resources/usage.js';
// Per operation: <Operation>Body, <Operation>Query, <Operation>Response, <Operation>Item.
export type * from '../generated/operation-types.gen.js';
export type * from './types.js';
export type {
  UsageResultOf,
  CompletionsUsageResult,
  EmbeddingsUsageResult,
  ModerationsUsageResult,
  ImagesUsageResult,
  AudioSpeechesUsageResult,
  AudioTranscriptionsUsageResult,
  VectorStoresUsageResult,
  CodeInterpreterSessionsUsageResult,
  FileSearchCallsUsageResult,
  WebSearchCallsUsageResult,
} from './resources/usage.js';
