/**
 * A real node:http server on 127.0.0.1 that rate limits like the real Administration API (issue 11): per route
 * (method + path template), a fixed window opened by the route's first request lets `capacity` requests through;
 * the rest get a 429 stating the wait only in the message. The window runs on an injected clock, so tests stay
 * deterministic with a fake one. Answers project API key lists (one key per project) and project retrieves.
 */
import { FixedWindowLimiter, rateLimitBody } from '../../bench/rate-limiter.js';
import { json, startServer, type LocalServer } from './local-server.js';
import { OpenAIAdmin } from '../../src/client.js';
import type { ClientOptions } from '../../src/core/config/config.js';
import { SECRET_KEY } from './client.js';

export interface RateLimitedServer {
  baseURL: string;
  limiter: FixedWindowLimiter;
  /** Requests answered 200, per route template. */
  served: Map<string, number>;
  server: LocalServer;
  close(): Promise<void>;
}

const template = (path: string) => path.replace(/\/proj_[^/]+/, '/{project_id}');

export async function startRateLimitedServer({
  capacity,
  periodMs,
  now,
}: {
  capacity: number;
  periodMs: number;
  now: () => number;
}): Promise<RateLimitedServer> {
  const limiter = new FixedWindowLimiter(capacity, periodMs, now);
  const served = new Map<string, number>();
  const server = await startServer((_req, res, seen) => {
    const path = seen.url.split('?')[0].replace(/^\/v1/, '');
    const route = `${seen.method} ${template(path)}`;
    const verdict = limiter.take(route);
    if (!verdict.ok) {
      const body = rateLimitBody(route, limiter.capacity, verdict.waitMs);
      res.writeHead(429, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      return res.end(body);
    }
    served.set(route, (served.get(route) ?? 0) + 1);
    const keys = /^\/organization\/projects\/([^/]+)\/api_keys$/.exec(path);
    if (keys) {
      const key = {
        object: 'organization.project.api_key',
        id: `key_${keys[1]}`,
        name: 'k',
        redacted_value: 'sk-…abc',
        created_at: 1,
        owner: { type: 'user' },
      };
      return json(res, 200, { object: 'list', data: [key], first_id: key.id, last_id: key.id, has_more: false });
    }
    const one = /^\/organization\/projects\/([^/]+)$/.exec(path);
    if (one)
      return json(res, 200, {
        object: 'organization.project',
        id: one[1],
        name: one[1],
        created_at: 1,
        status: 'active',
      });
    json(res, 404, { error: { message: `no route ${path}`, type: 'invalid_request_error' } });
  });
  return { baseURL: `${server.url}/v1`, limiter, served, server, close: server.close };
}

/**
 * A fake clock that only sleeps move forward, and only while nothing else happens: sleeping calls wake in order
 * of their wake-up time, each once `busy()` (say, requests in flight) is false. Time then never jumps while a
 * request is on the wire, as it could if every sleep moved the clock at once. Nothing really sleeps.
 */
export function steppingClock(start = Date.UTC(2025, 0, 1, 12, 0, 0)) {
  let t = start;
  const sleeps: number[] = [];
  const pending: { wake: number; resolve: () => void }[] = [];
  let pumping = false;
  const clock = {
    sleeps,
    busy: (): boolean => false,
    now: () => t,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        const entry = { wake: t + ms, resolve };
        pending.push(entry);
        signal?.addEventListener('abort', () => (pending.splice(pending.indexOf(entry), 1), resolve()), { once: true });
        if (!pumping) ((pumping = true), setImmediate(pump));
      }),
  };
  function pump() {
    if (!pending.length) return void (pumping = false);
    if (!clock.busy()) {
      pending.sort((a, b) => a.wake - b.wake);
      const next = pending.shift()!;
      if (next.wake > t) t = next.wake;
      next.resolve();
    }
    setImmediate(pump);
  }
  return clock;
}

/**
 * A client whose clock, sleeps and jitter are the stepping clock's: the clock holds still while the client has
 * requests in flight, so the server's windows and the client's waits agree whatever the machine's speed.
 */
export function clockedClient(
  baseURL: string,
  clock: ReturnType<typeof steppingClock>,
  options: Partial<ClientOptions> = {},
): OpenAIAdmin {
  const admin = new OpenAIAdmin({
    apiKey: SECRET_KEY,
    baseURL,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0,
    ...options,
  });
  clock.busy = () => admin.rateLimitStats.inFlight > 0;
  return admin;
}
