import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crossFieldIssues, requestValidator } from '../core/validation.js';
import { authenticate } from './auth.js';
import { ApiError, badRequest, fromValidation, invalidUrl } from './errors.js';
import { FaultInjector } from './faults.js';
import { handlers } from './handlers/index.js';
import { parseQuery } from './query.js';
import type { Realism } from './realism.js';
import { Rng } from './random.js';
import { matchRoute } from './router.js';
import type { EmulatorState } from './store.js';

const MAX_BODY_BYTES = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(badRequest('Request body too large.'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
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
async function handle(state: EmulatorState, faults: FaultInjector, realism: Realism | null, ids: Rng, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = `req_${ids.hex(32)}`;
  const base = { 'x-request-id': requestId };
  const reply = (status: number, body: unknown, extra: Record<string, string> = {}) =>
    send(res, status, body, { ...base, 'openai-processing-ms': String(Date.now() - started), ...extra });
  const fail = (e: ApiError) => reply(e.status, e.toBody(), { ...e.headers });
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  try {
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
        throw badRequest('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload.)');
      }
    }
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
    if (issue) throw badRequest(`Invalid '${issue.path.replace(/^\w+\./, '')}': ${issue.message}.`, issue.path.replace(/^\w+\./, ''));

    let out = handlers[route.name]({ state, path: route.params, query, body: body ?? {} });
    if (realism) out = realism.after(route.name, route, out);
    return reply(out.status, out.body);
  } catch (e) {
    if (e instanceof ApiError) return fail(e);
    // A bug in the emulator should look like an upstream 500, but say it is the emulator's.
    return fail(new ApiError(500, `Emulator error: ${e instanceof Error ? e.message : String(e)}`, 'server_error'));
  }
}

/** Creates (but does not start) the HTTP server around a state, a fault injector and, for `realism: 'api'`, a Realism. */
export function createEmulatorServer(state: EmulatorState, faults: FaultInjector, realism: Realism | null = null): Server {
  const ids = new Rng(`${state.seed}|request-ids`);
  return createServer((req, res) => {
    void handle(state, faults, realism, ids, req, res);
  });
}
