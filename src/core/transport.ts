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
}

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
 * server (the connection was never made), which is what lets even a create be retried.
 */
export class TransportFailure extends Error {
  override name = 'TransportFailure';
  constructor(
    readonly kind: 'timeout' | 'aborted' | 'connection',
    readonly sent: boolean,
    readonly detail: string,
    readonly receivedResponse: boolean,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/** Error codes meaning the connection was never established, so no byte of the request left. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export function neverConnected(code: string | undefined): boolean {
  return code !== undefined && NOT_CONNECTED.has(code);
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function failureDetail(error: unknown): string {
  return errorCode(error) ?? (error as Error)?.message ?? String(error);
}

/** Repeated headers (set-cookie, which Headers hands out one by one) are joined as the other values are. */
function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = key in out ? `${out[key]}, ${value}` : value));
  return out;
}

/** A transport over a fetch implementation: the global one in browsers, or whatever the user passes. */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async ({ url, method, headers, body, timeoutMs, signal: userSignal }) => {
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
      response = await fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }), signal: controller.signal });
      const text = await response.text();
      const res = response;
      return {
        status: res.status,
        text,
        header: (name) => res.headers.get(name),
        headers: () => headersToRecord(res.headers),
        toResponse: () => res,
      };
    } catch (error) {
      const received = response !== undefined;
      if (userSignal?.aborted) throw new TransportFailure('aborted', true, 'aborted by the caller', received, { cause: error });
      if (timedOut) throw new TransportFailure('timeout', true, `timed out after ${timeoutMs} ms`, received, { cause: error });
      const sent = received || !neverConnected(errorCode(error));
      throw new TransportFailure('connection', sent, failureDetail(error), received, { cause: error });
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  };
}
