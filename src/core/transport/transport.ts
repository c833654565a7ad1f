/**
 * How one attempt reaches the server. The request loop (request.ts) needs only: send this, give me the status,
 * the headers and the whole body text within the timeout, or tell me how it failed and whether the request may
 * have been sent. Two implementations: fetch (any runtime, or the user's own) and node:http (node-transport.ts).
 */

export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Covers the whole exchange, body included: a server that sends headers and then stalls is a timeout. */
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /**
   * The most body bytes to take, counted after decompression as they arrive: past it the transport stops
   * reading, closes the connection and fails with `failure: 'too-large'`, so a decompression bomb or an endless
   * body costs at most about this much memory.
   */
  maxResponseBytes: number;
  /**
   * Send on a new connection rather than an idle pooled one (creates: see request.ts). A keep-alive socket that
   * the server closes at the very moment it is reused fails with a reset that cannot be told apart from a crash
   * after processing; a create must never meet that ambiguity just because a socket was old. Transports without
   * control over their pool (fetch) ignore it.
   */
  fresh?: boolean | undefined;
}

/**
 * The default of `maxResponseBytes`: 64 MiB. The largest legitimate page measured on the emulator is a day of
 * 1-minute completions usage (1,440 buckets, the most one page may hold): 5.3 MB grouped by project_id and
 * model (5 projects × 3 models, ~338 bytes a result), 48.8 MB grouped by all six of its dimensions; 100 items of
 * any list are under 1 MB. 64 MiB holds the first 12 times over and the second with a third to spare, and stays
 * far below V8's longest string (~512 MiB), so a body within the limit can always become text.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The default of `maxSockets` (node:http transport): at most 16 connections per host. The Administration API
 * allows each endpoint only about 10 requests a minute, so more parallel connections buy nothing but 429s,
 * while 16 still lets a script fan out over several endpoints; calls beyond it wait for a free connection.
 */
export const DEFAULT_MAX_SOCKETS = 16;

export interface TransportResponse {
  status: number;
  text: string;
  /** A header value by lower-case name, or null. */
  header(name: string): string | null;
  /** Every header, lower-case names. A fresh object the caller may change. */
  headers(): Record<string, string>;
  /** The standard Response; transports without one build it on first use (its body is then unread). */
  toResponse(): Response;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * An attempt that ended without a whole response. `sent: false` only when nothing can have reached the
 * server (the connection was never made), which is what lets even a create be retried. A plain object rather
 * than a class, so that node-transport.ts (loaded lazily) needs nothing from this module at run time and a
 * browser bundle carries no chunk shared between the two.
 */
export interface TransportFailure {
  /** 'too-large': the body passed maxResponseBytes (or could not become a string); status and headers are set. */
  failure: 'timeout' | 'aborted' | 'connection' | 'too-large';
  sent: boolean;
  detail: string;
  receivedResponse: boolean;
  cause?: unknown;
  /** With 'too-large': the response's status and headers (lower-case names). */
  status?: number;
  headers?: Record<string, string>;
}

export function isTransportFailure(value: unknown): value is TransportFailure {
  return typeof value === 'object' && value !== null && typeof (value as { failure?: unknown }).failure === 'string';
}

/** undici's codes for a connection that was never established, so no byte of the request left. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Repeated headers (set-cookie, which Headers hands out one by one) are joined as the other values are. */
function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = key in out ? `${out[key]}, ${value}` : value));
  return out;
}

/** One decoder for every call: decode() without `stream` keeps no state between calls. Drops a BOM, as text() does. */
let utf8: TextDecoder | undefined;

/**
 * The body as text, taking at most `limit` bytes (after the decoding fetch does itself). A declared length over
 * the limit fails before reading; otherwise chunks are counted as they arrive and kept as they are (no copy until
 * the one concatenation at the end). Throws a 'too-large' TransportFailure; the caller closes the connection.
 */
async function readLimited(response: Response, limit: number): Promise<string> {
  const { headers, body } = response;
  const tooLarge = (detail: string, cause?: unknown): TransportFailure => ({
    failure: 'too-large',
    sent: true,
    detail,
    receivedResponse: true,
    status: response.status,
    headers: headersToRecord(headers),
    cause,
  });
  const declared = headers.get('content-length');
  if (!headers.has('content-encoding') && Number(declared) > limit) throw tooLarge(`content-length ${declared}`);
  // A fetch stand-in whose responses have no stream: its text() is all there is.
  if (!body) return response.text();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let read; !(read = await reader.read()).done; chunks.push(read.value)) {
    if ((total += read.value.byteLength) > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(`the body passed ${limit} bytes`);
    }
  }
  let bytes = chunks[0];
  if (chunks.length > 1) {
    bytes = new Uint8Array(total);
    total = 0;
    for (const chunk of chunks) bytes.set(chunk, (total += chunk.byteLength) - chunk.byteLength);
  }
  try {
    return (utf8 ??= new TextDecoder()).decode(bytes);
  } catch (cause) {
    // Longer than a JavaScript string can be (only reachable with maxResponseBytes raised past ~512 MiB).
    throw tooLarge(`${total} bytes are too long for a string`, cause);
  }
}

/**
 * A transport over a fetch implementation: the global one in browsers, or whatever the user passes.
 * Redirects are not followed (`redirect: 'manual'`): the 3xx comes back as a response, or, in a browser, as an
 * opaque redirect, which has status 0 and which this transport reports as status 0 with an empty body.
 */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async ({ url, method, headers, body, timeoutMs, signal: userSignal, maxResponseBytes }) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onUserAbort = () => controller.abort();
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    let response: Response | undefined;
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        redirect: 'manual',
      });
      const text = response.type === 'opaqueredirect' ? '' : await readLimited(response, maxResponseBytes);
      const res = response;
      return {
        status: res.status,
        text,
        header: (name) => res.headers.get(name),
        headers: () => headersToRecord(res.headers),
        toResponse: () => res,
      };
    } catch (cause) {
      if (isTransportFailure(cause)) {
        // Stop the download: cancelling the reader may leave the connection to the pool's judgement.
        controller.abort();
        throw cause;
      }
      const receivedResponse = response !== undefined;
      const code = errorCode(cause);
      const failure: TransportFailure = userSignal?.aborted
        ? { failure: 'aborted', sent: true, detail: 'aborted by the caller', receivedResponse, cause }
        : timedOut
          ? { failure: 'timeout', sent: true, detail: `timed out after ${timeoutMs} ms`, receivedResponse, cause }
          : {
              failure: 'connection',
              sent: receivedResponse || code === undefined || !NOT_CONNECTED.has(code),
              detail: code ?? (cause as Error)?.message ?? String(cause),
              receivedResponse,
              cause,
            };
      throw failure;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  };
}
