import type { RawResult } from '../types/call.js';

/**
 * A promise of the typed data that also keeps the raw `Response` and request id reachable:
 * `await admin.projects.retrieve(id)` gives the project, `.withResponse()` gives `{ data, response, requestID }`.
 * The request starts when the promise is created, as with any promise.
 */
export class APIPromise<T> extends Promise<T> {
  // Promise's own then/catch create plain promises: a subclass constructor would be called with an executor.
  static override get [Symbol.species]() {
    return Promise;
  }

  readonly #raw: Promise<RawResult<T>>;
  #data: Promise<T> | undefined;

  constructor(raw: Promise<RawResult<T>>) {
    super((resolve) => resolve(null as T));
    this.#raw = raw;
  }

  /** The data together with the raw Response and the `x-request-id`. */
  withResponse(): Promise<RawResult<T>> {
    return this.#raw;
  }

  /** The raw Response (its body is already read). */
  asResponse(): Promise<Response> {
    return this.#raw.then((r) => r.response);
  }

  private parse(): Promise<T> {
    return (this.#data ??= this.#raw.then((r) => r.data));
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.parse().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.parse().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.parse().finally(onfinally);
  }
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
