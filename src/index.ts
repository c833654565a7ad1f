export { OpenAIAdmin } from './client.js';
export type { ClientOptions } from './core/config.js';
export type { RequestOptions, RawResult, Logger } from './core/request.js';
export type { ValidateMode } from './core/validation.js';
export { APIPromise } from './core/api-promise.js';
export { Page, PagePromise, PaginationError, nextCursor } from './core/pagination.js';
export { UsagePagePromise, bucketRows, type UsageRow, type UsageBucket } from './core/usage.js';
export { parseRetryAfter, backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './core/retry.js';
export { rateLimitWait, waitFromMessage, waitFromHeaders, parseDuration, type RateLimitWait, type WaitSource } from './core/rate-limit-wait.js';
export type { RateLimitInfo, RateLimitStats, OnRateLimit } from './core/scheduler.js';
export type { LogLevel } from './core/log.js';
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
  RequestValidationError,
  ResponseValidationError,
  type FieldIssue,
} from './core/errors.js';
export type * from '../generated/client/types.gen.js';
export { FRIENDLY_NAMES } from './resources/naming.js';
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
