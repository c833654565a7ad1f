/**
 * A real node:http server on 127.0.0.1 for wrapper tests: it plays a scripted sequence of responses, one per
 * request, and records every request it received (method, path, query, headers, body). Reusable by any suite.
 *
 * @example
 * const server = await startTestServer();
 * server.enqueue({ status: 500 }, { status: 200, body: { ok: true } });
 * const admin = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: server.baseURL });
 * // … server.requests has one entry per request received
 * await server.close();
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startServer, type SeenRequest } from './local-server.js';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received on the request line (e.g. `/v1/organization/projects?limit=2`). */
  url: string;
  /** The path without the query, still percent-encoded as sent. */
  path: string;
  /** The raw query string without `?` ('' when none). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when empty or not JSON. */
  json: unknown;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (HTML, truncated JSON, …); undefined sends no body. */
  body?: unknown;
  /** Never answer: the client must time out or abort. */
  hang?: boolean;
  /** Destroy the connection after the request was received, without any response (a reset after sending). */
  destroy?: boolean;
  /** Send status and headers, then stall forever before the body. */
  stallBody?: boolean;
  /** Hold the response until this settles (a handshake: the test releases it when it has seen what it needs). */
  heldUntil?: Promise<unknown>;
}

export type Responder = ScriptedResponse | ((request: RecordedRequest, index: number) => ScriptedResponse);

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v1`, the baseURL to give the client. */
  baseURL: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Appends responses to the script: each request consumes the next one. */
  enqueue(...responses: Responder[]): void;
  /** The response once the script is used up (default: 418 with an error body saying the script ran out). */
  setFallback(responder: Responder): void;
  /** Clears the script, the fallback and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const SCRIPT_EXHAUSTED: ScriptedResponse = {
  status: 418,
  body: { error: { message: 'test server: no scripted response left', type: 'test_script_exhausted' } },
};

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let script: Responder[] = [];
  let fallback: Responder = SCRIPT_EXHAUSTED;

  const local = await startServer((req, res, seen) => {
    const recorded = record(seen);
    const index = requests.push(recorded) - 1;
    const next = script.length ? script.shift()! : fallback;
    const reply = typeof next === 'function' ? next(recorded, index) : next;
    const respond = () => {
      if (reply.hang) return;
      if (reply.destroy) return void req.socket.destroy();
      const headers: Record<string, string> = { ...reply.headers };
      let payload: string | undefined;
      if (typeof reply.body === 'string') payload = reply.body;
      else if (reply.body !== undefined) {
        payload = JSON.stringify(reply.body);
        headers['content-type'] ??= 'application/json';
      }
      res.writeHead(reply.status ?? 200, headers);
      if (reply.stallBody) return void res.flushHeaders();
      res.end(payload);
    };
    if (reply.heldUntil) void reply.heldUntil.then(respond, respond);
    else respond();
  });

  return {
    origin: local.url,
    baseURL: `${local.url}/v1`,
    requests,
    enqueue: (...responses) => void script.push(...responses),
    setFallback: (responder) => void (fallback = responder),
    reset() {
      script = [];
      fallback = SCRIPT_EXHAUSTED;
      requests.length = 0;
    },
    close: local.close,
  };
}

/**
 * One test server for the whole file: registers beforeAll (start), afterAll (close) and beforeEach (reset) where
 * it is called, and returns a handle that forwards to the running server (use it inside tests and hooks only).
 */
export function useTestServer(): TestServer {
  let current: TestServer | undefined;
  beforeAll(async () => {
    current = await startTestServer();
  });
  afterAll(() => current?.close());
  beforeEach(() => running().reset());
  const running = () => {
    if (!current) throw new Error('useTestServer: the server is started in beforeAll; use it inside tests and hooks');
    return current;
  };
  return {
    get origin() {
      return running().origin;
    },
    get baseURL() {
      return running().baseURL;
    },
    get requests() {
      return running().requests;
    },
    enqueue: (...responses) => running().enqueue(...responses),
    setFallback: (responder) => running().setFallback(responder),
    reset: () => running().reset(),
    close: () => running().close(),
  };
}

function record(seen: SeenRequest): RecordedRequest {
  const q = seen.url.indexOf('?');
  const rawQuery = q === -1 ? '' : seen.url.slice(q + 1);
  let json: unknown;
  try {
    json = seen.body ? JSON.parse(seen.body) : undefined;
  } catch {
    json = undefined;
  }
  return {
    ...seen,
    method: seen.method || 'GET',
    url: seen.url || '/',
    path: q === -1 ? seen.url : seen.url.slice(0, q),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    json,
  };
}

/** Injectable sleep/clock/random for the retry loop: records the waits and never really sleeps. */
export function fakeTimers(options: { now?: number; random?: number } = {}) {
  const sleeps: number[] = [];
  const now = options.now ?? Date.UTC(2025, 0, 1, 12, 0, 0);
  return {
    sleeps,
    sleep: async (ms: number) => void sleeps.push(ms),
    now: () => now,
    random: () => options.random ?? 0,
  };
}

/** A logger that keeps every line, for asserting on warnings and on what never gets logged. */
export function captureLogger() {
  const lines: { level: 'debug' | 'warn'; message: string }[] = [];
  return {
    lines,
    debug: (message: string) => void lines.push({ level: 'debug', message }),
    warn: (message: string) => void lines.push({ level: 'warn', message }),
    all: () => lines.map((l) => l.message).join('\n'),
  };
}

/** A list page in the `cursor` style (`last_id` + `has_more`). */
export function cursorPage<T extends { id: string }>(
  items: T[],
  hasMore: boolean,
  lastId: string | null = items.at(-1)?.id ?? null,
) {
  return { object: 'list', data: items, first_id: items[0]?.id ?? null, last_id: lastId, has_more: hasMore };
}

/** A project object as the API returns it. */
export function project(id: string, name = `Project ${id}`) {
  return { id, object: 'organization.project', name, created_at: 1_700_000_000, archived_at: null, status: 'active' };
}

/** A promise with its resolve outside: the two halves of a handshake between a test and its server. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
