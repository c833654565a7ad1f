import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type * as O from '../../generated/operation-types.gen.js';
import type { RequestOptions } from '../core/types/call.js';
import { usagePages, type UsagePagePromise } from '../core/client/usage.js';
import { APIResource } from './base.js';

/** One usage or costs result, picked out of the bucket result union by its `object` literal. */
export type UsageResultOf<O extends string> = Extract<T.UsageTimeBucket['results'][number], { object: O }>;

export type CompletionsUsageResult = UsageResultOf<'organization.usage.completions.result'>;
export type EmbeddingsUsageResult = UsageResultOf<'organization.usage.embeddings.result'>;
export type ModerationsUsageResult = UsageResultOf<'organization.usage.moderations.result'>;
export type ImagesUsageResult = UsageResultOf<'organization.usage.images.result'>;
export type AudioSpeechesUsageResult = UsageResultOf<'organization.usage.audio_speeches.result'>;
export type AudioTranscriptionsUsageResult = UsageResultOf<'organization.usage.audio_transcriptions.result'>;
export type VectorStoresUsageResult = UsageResultOf<'organization.usage.vector_stores.result'>;
export type CodeInterpreterSessionsUsageResult = UsageResultOf<'organization.usage.code_interpreter_sessions.result'>;
export type FileSearchCallsUsageResult = UsageResultOf<'organization.usage.file_searches.result'>;
export type WebSearchCallsUsageResult = UsageResultOf<'organization.usage.web_searches.result'>;

/**
 * `admin.usage`: usage per time bucket for each API family. Each method takes the query (`start_time` required)
 * and returns a usage page promise: `for await` walks buckets across pages, `.rows()` flattens them.
 */
export class Usage extends APIResource {
  /**
   * Get completions usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.completions({ start_time, bucket_width: '1h', group_by: ['model'] }).rows()) {
   *   console.log(row.start_time, row.model, row.input_tokens, row.output_tokens);
   * }
   */
  completions(
    query: O.UsageCompletionsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<CompletionsUsageResult, O.UsageCompletionsResponse> {
    return usagePages(this._client, ops.usageCompletions, query, options);
  }

  /**
   * Get embeddings usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.embeddings({ start_time, group_by: ['model'] }).rows()) console.log(row.model, row.input_tokens);
   */
  embeddings(
    query: O.UsageEmbeddingsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<EmbeddingsUsageResult, O.UsageEmbeddingsResponse> {
    return usagePages(this._client, ops.usageEmbeddings, query, options);
  }

  /**
   * Get moderations usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.moderations({ start_time }).rows()) console.log(row.start_time, row.input_tokens);
   */
  moderations(
    query: O.UsageModerationsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<ModerationsUsageResult, O.UsageModerationsResponse> {
    return usagePages(this._client, ops.usageModerations, query, options);
  }

  /**
   * Get images usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.images({ start_time, group_by: ['size'] }).rows()) console.log(row.size, row.images);
   */
  images(
    query: O.UsageImagesQuery,
    options?: RequestOptions,
  ): UsagePagePromise<ImagesUsageResult, O.UsageImagesResponse> {
    return usagePages(this._client, ops.usageImages, query, options);
  }

  /**
   * Get audio speeches usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.audioSpeeches({ start_time }).rows()) console.log(row.start_time, row.characters);
   */
  audioSpeeches(
    query: O.UsageAudioSpeechesQuery,
    options?: RequestOptions,
  ): UsagePagePromise<AudioSpeechesUsageResult, O.UsageAudioSpeechesResponse> {
    return usagePages(this._client, ops.usageAudioSpeeches, query, options);
  }

  /**
   * Get audio transcriptions usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.audioTranscriptions({ start_time }).rows()) console.log(row.start_time, row.seconds);
   */
  audioTranscriptions(
    query: O.UsageAudioTranscriptionsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<AudioTranscriptionsUsageResult, O.UsageAudioTranscriptionsResponse> {
    return usagePages(this._client, ops.usageAudioTranscriptions, query, options);
  }

  /**
   * Get vector stores usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.vectorStores({ start_time, group_by: ['project_id'] }).rows()) console.log(row.project_id, row.usage_bytes);
   */
  vectorStores(
    query: O.UsageVectorStoresQuery,
    options?: RequestOptions,
  ): UsagePagePromise<VectorStoresUsageResult, O.UsageVectorStoresResponse> {
    return usagePages(this._client, ops.usageVectorStores, query, options);
  }

  /**
   * Get code interpreter sessions usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.codeInterpreterSessions({ start_time }).rows()) console.log(row.start_time, row.num_sessions);
   */
  codeInterpreterSessions(
    query: O.UsageCodeInterpreterSessionsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<CodeInterpreterSessionsUsageResult, O.UsageCodeInterpreterSessionsResponse> {
    return usagePages(this._client, ops.usageCodeInterpreterSessions, query, options);
  }

  /**
   * Get file search calls usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.fileSearchCalls({ start_time }).rows()) console.log(row.start_time, row.num_requests);
   */
  fileSearchCalls(
    query: O.UsageFileSearchCallsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<FileSearchCallsUsageResult, O.UsageFileSearchCallsResponse> {
    return usagePages(this._client, ops.usageFileSearchCalls, query, options);
  }

  /**
   * Get web search calls usage details for the organization.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 7 * 86_400;
   * for await (const row of admin.usage.webSearchCalls({ start_time, bucket_width: '1h' }).rows()) console.log(row.start_time, row.num_requests);
   */
  webSearchCalls(
    query: O.UsageWebSearchCallsQuery,
    options?: RequestOptions,
  ): UsagePagePromise<WebSearchCallsUsageResult, O.UsageWebSearchCallsResponse> {
    return usagePages(this._client, ops.usageWebSearchCalls, query, options);
  }
}
