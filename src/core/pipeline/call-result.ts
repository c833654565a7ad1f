import type { RawResult } from '../types/call.js';

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
