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
 * server (the connection was never made), which is what lets even a create be retried. A plain object rather
 * than a class, so that node-transport.ts (loaded lazily) needs nothing from this module at run time and a
 * browser bundle carries no chunk shared between the two.
 */
export interface TransportFailure {
  failure: 'timeout' | 'aborted' | 'connection';
  sent: boolean;
  detail: string;
  receivedResponse: boolean;
  cause?: unknown;
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
    } catch (cause) {
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
