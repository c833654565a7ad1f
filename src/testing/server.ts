import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { crossFieldIssues, requestValidator } from '../core/validation/validation.js';
import { authenticate } from './auth.js';
import { ApiError, badRequest, fromValidation, invalidUrl } from './errors.js';
import { FaultInjector } from './faults.js';
import { handlers } from './handlers/index.js';
import { oversizedField } from './limits.js';
import { parseQuery } from './query.js';
import type { Realism } from './realism.js';
import { Rng } from './random.js';
import { matchRoute } from './router.js';
import type { EmulatorState } from './store.js';

/** The largest request body the emulator reads (1 MiB); more is answered 413 without buffering it. */
export const MAX_BODY_BYTES = 1 << 20;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(): ApiError {
  // connection: close, so node:http does not go on reading (and discarding) the rest of a huge body.
  return new ApiError(
    413,
    `Request body too large: the emulator reads at most ${MAX_BODY_BYTES} bytes.`,
    'invalid_request_error',
    null,
    null,
    { connection: 'close' },
  );
}

/**
 * Reads the body as UTF-8 text, buffering at most MAX_BODY_BYTES. A declared content-length above the bound is
 * refused before reading (413, connection closed); a chunked body that crosses the bound is drained without
 * buffering and then refused, so the 413 is never lost to a reset of a connection with unread bytes (node's
 * requestTimeout bounds a body that never ends). Compressed bodies are refused: the client never sends them.
 */
function readBody(req: IncomingMessage): Promise<string> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return Promise.reject(
      new ApiError(
        415,
        `Unsupported content-encoding '${encoding.slice(0, 64)}': send the JSON body uncompressed.`,
        'invalid_request_error',
      ),
    );
  }
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(tooLarge());
      try {
        resolve(utf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(badRequest('The request body is not valid UTF-8.'));
      }
    });
    req.on('error', reject);
    // A client that goes away mid-body: settle (a no-op after 'end') so the handler never hangs.
    req.on('close', () => reject(badRequest('The request body ended early.')));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * One request through the pipeline: request id → auth → faults → route → validate → handler.
 * Faults come after auth (the real API rate-limits authenticated callers) and before the handler,
 * so an injected 429 or 500 never half-applies a mutation.
 */
async function handle(
  state: EmulatorState,
  faults: FaultInjector,
  realism: Realism | null,
  ids: Rng,
  req: IncomingMessage,
  res: ServerResponse,
  afterChange?: () => void,
): Promise<void> {
  const started = Date.now();
  const requestId = `req_${ids.hex(32)}`;
  const base = { 'x-request-id': requestId };
  const reply = (status: number, body: unknown, extra: Record<string, string> = {}) =>
    send(res, status, body, { ...base, 'openai-processing-ms': String(Date.now() - started), ...extra });
  const fail = (e: ApiError) => reply(e.status, e.toBody(), { ...e.headers });
  const method = req.method ?? 'GET';
  try {
    // node:http's own answer to a missing Host is an empty 400; this one is in OpenAI's shape (see createServer).
    if (req.headers.host === undefined && req.httpVersion !== '1.0')
      throw badRequest('Missing Host header: HTTP/1.1 requests must name the host.');
    const url = parseTarget(method, req.url);
    const authError = authenticate(req.headers.authorization);
    if (authError) return fail(authError);
    const fault = faults.next();
    if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.error) return fail(fault.error);

    const route = url.pathname.startsWith('/v1/') ? matchRoute(method, url.pathname.slice(3)) : null;
    if (!route) return fail(invalidUrl(method, url.pathname));
    // realism: 'api' only: per-route rate limits and the read-after-write 404 window (realism.ts).
    const early = realism?.before(req.headers.authorization ?? '', route);
    if (early) return fail(early);

    const raw = await readBody(req);
    let body: unknown;
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw badRequest(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
        );
      }
    }
    // Before the schema: a 1 MB name is refused as the API refuses it, never stored (limits.ts).
    const oversized = body === undefined ? null : oversizedField(body);
    if (oversized) throw oversized;
    const query = parseQuery(url.searchParams, route.op);
    const input: Record<string, unknown> = {};
    if (route.op.pathParams.length) input.path = route.params;
    if (Object.keys(query).length || route.op.query.length) input.query = query;
    if (body !== undefined) input.body = body;
    const validate = await requestValidator(route.op);
    if (!validate(input)) throw fromValidation(validate.errors);
    // The checks the spec cannot express (usage limit per bucket width, a time range that ends before it
    // starts) are the client's own, applied here as the API applies them.
    const [issue] = crossFieldIssues(route.op, input);
    if (issue)
      throw badRequest(
        `Invalid '${issue.path.replace(/^\w+\./, '')}': ${issue.message}.`,
        issue.path.replace(/^\w+\./, ''),
      );
    // realism: 'api' only: what the live API refuses beyond its spec (group_by=api_key_id on costs).
    const refused = realism?.refuse(route.name, query);
    if (refused) throw refused;

    let out = handlers[route.name]({ state, path: route.params, query, body: body ?? {} });
    // A change is on disk (stateFile) before it is acknowledged: a kill after the answer loses nothing.
    if (method !== 'GET' && afterChange) afterChange();
    if (realism) out = realism.after(route.name, route, out);
    return reply(out.status, out.body);
  } catch (e) {
    if (e instanceof ApiError) return fail(e);
    // A bug in the emulator should look like an upstream 500, but say it is the emulator's.
    return fail(new ApiError(500, `Emulator error: ${e instanceof Error ? e.message : String(e)}`, 'server_error'));
  }
}

/**
 * The request target as a URL. Node hands over the raw target, which can be anything a client wrote
 * (`//`, `http://[`, `*`): what `new URL` rejects is a 400, not an exception.
 */
function parseTarget(method: string, target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://emulator.invalid');
  } catch {
    throw badRequest(
      `Invalid URL (${method} ${String(target).slice(0, 200)}): the request target is not a valid path.`,
    );
  }
}

/** A response node:http writes itself (unparseable request line or headers), but in OpenAI's error shape. */
function clientErrorResponse(error: Error & { code?: string }): string {
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const text = JSON.stringify(
    new ApiError(status, `Malformed HTTP request (${error.code ?? 'parse error'}).`, 'invalid_request_error').toBody(),
  );
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`;
}

/** Creates (but does not start) the HTTP server around a state, a fault injector and, for `realism: 'api'`, a Realism. */
export function createEmulatorServer(
  state: EmulatorState,
  faults: FaultInjector,
  realism: Realism | null = null,
  /** Called after every request that may have changed the state, before it is answered (persistence). */
  afterChange?: () => void,
): Server {
  const ids = new Rng(`${state.seed}|request-ids`);
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(state, faults, realism, ids, req, res, afterChange).catch((e: unknown) => {
      // Last line of defence: whatever escaped handle() ends this exchange, never the process.
      if (!res.headersSent)
        send(
          res,
          500,
          new ApiError(500, `Emulator error: ${e instanceof Error ? e.message : String(e)}`, 'server_error').toBody(),
        );
      else res.destroy();
    });
  });
  const answered = new WeakSet<object>();
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    // node:http reports the same parse error again for every later chunk of the connection: answer once.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    // Answer, then keep reading (and dropping) what the client still sends until it closes: closing a socket with
    // unread bytes resets the connection, and the reset can destroy the answer before the client reads it.
    socket.end(clientErrorResponse(error));
    socket.resume();
    socket.setTimeout(10_000, () => socket.destroy());
  });
  return server;
}
