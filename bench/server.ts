/**
 * Local emulation of the endpoints the benchmark uses, on 127.0.0.1 only. Base URL: http://127.0.0.1:PORT/n/N/v1
 * where N is the size of the project list. Responses are cached as ready-made buffers so that the server's
 * cost per request is small and identical for every client.
 *
 *   GET /n/N/v1/organization/projects?limit&after      cursor pagination (last_id, has_more), limit 1..100 (default 20)
 *   GET /n/N/v1/organization/projects/{id}             one project
 *   GET /n/N/v1/organization/usage/completions?...      hourly/daily buckets with next_page, limits as the live API
 *   GET /n/N/v1/organization/projects/{id}/api_keys     one key per project (the fan-out task)
 *   /rl/C/P/n/N/v1/...                                  the same, rate limited as the real Admin API: per route, C
 *                                                        requests per fixed window of P ms, then 429s stating the
 *                                                        wait only in the message (bench/rate-limiter.ts)
 *   GET /__stats, POST /__reset                         request counter (for "fewest requests"), 429s sent
 *
 * Run as a child process (it reports its port over IPC) or directly: `node server.js [port]`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  API_KEY,
  USAGE_END,
  USAGE_LIMITS,
  USAGE_RESULTS_PER_BUCKET,
  USAGE_START,
  project,
  projectIndex,
  usageResult,
} from './common.js';
import { FixedWindowLimiter, rateLimitBody } from './rate-limiter.js';

const MAX_N = 1_000_000;
const CACHE_MAX = 20_000;
const cache = new Map<string, Buffer>();
let requests = 0;
let requestSeq = 0;
/** One limiter per (capacity, window) prefix; cleared by /__reset so that every fan-out run starts fresh. */
const limiters = new Map<string, FixedWindowLimiter>();
const limitedCount = () => [...limiters.values()].reduce((sum, l) => sum + l.limited, 0);

function cached(key: string, make: () => unknown): Buffer {
  let buf = cache.get(key);
  if (!buf) {
    if (cache.size >= CACHE_MAX) cache.clear();
    buf = Buffer.from(JSON.stringify(make()));
    cache.set(key, buf);
  }
  return buf;
}

function send(res: ServerResponse, status: number, body: Buffer | string) {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': buf.length,
    'x-request-id': `req_${++requestSeq}`,
  });
  res.end(buf);
}

const error = (message: string, type = 'invalid_request_error') =>
  JSON.stringify({ error: { message, type, param: null, code: null } });

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const v = Number(raw);
  return Number.isInteger(v) ? v : Number.NaN;
}

function listProjects(res: ServerResponse, n: number, q: URLSearchParams) {
  const limit = intParam(q, 'limit') ?? 20;
  if (!(limit >= 1 && limit <= 100)) return send(res, 400, error('limit must be between 1 and 100'));
  const after = q.get('after');
  const start = after ? projectIndex(after) + 1 : 0;
  if (!Number.isInteger(start) || start < 0) return send(res, 400, error(`bad cursor ${after}`));
  const body = cached(`p:${n}:${start}:${limit}`, () => {
    const end = Math.min(n, start + limit);
    const data = [];
    for (let i = start; i < end; i++) data.push(project(i));
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: end < n,
    };
  });
  send(res, 200, body);
}

/** The first page of a project's API keys: one user key, as the live API shapes it. */
function projectKeys(projectId: string) {
  const key = {
    object: 'organization.project.api_key',
    id: `key_${projectId}`,
    name: 'ci',
    redacted_value: 'sk-proj-…abcd',
    created_at: 1_700_000_000,
    last_used_at: null,
    owner: {
      type: 'user',
      user: {
        object: 'organization.project.user',
        id: 'user_1',
        name: 'A',
        email: 'a@example.com',
        role: 'owner',
        added_at: 1_700_000_000,
      },
    },
  };
  return { object: 'list', data: [key], first_id: key.id, last_id: key.id, has_more: false };
}

function usageCompletions(res: ServerResponse, q: URLSearchParams) {
  const width = q.get('bucket_width') ?? '1d';
  const limits = USAGE_LIMITS[width];
  if (!limits) return send(res, 400, error(`bad bucket_width ${width}`));
  const seconds = width === '1m' ? 60 : width === '1h' ? 3600 : 86400;
  const start = intParam(q, 'start_time');
  if (start === undefined || !Number.isInteger(start)) return send(res, 400, error('start_time is required'));
  const endParam = intParam(q, 'end_time');
  const end = Math.min(endParam ?? USAGE_END, USAGE_END);
  const limit = intParam(q, 'limit') ?? limits.default;
  if (!(limit >= 1 && limit <= limits.max))
    return send(res, 400, error(`limit must be between 1 and ${limits.max} for bucket_width ${width}`));
  const page = q.get('page');
  const first = page ? Number.parseInt(page.slice(3), 10) : 0;
  if (!Number.isInteger(first) || first < 0) return send(res, 400, error(`bad page ${page}`));
  const total = Math.max(0, Math.ceil((end - start) / seconds));
  const body = cached(`u:${start}:${end}:${width}:${limit}:${first}`, () => {
    const last = Math.min(total, first + limit);
    const data = [];
    for (let b = first; b < last; b++) {
      const s = start + b * seconds;
      // Data exists only for hourly buckets aligned with USAGE_START; other widths get empty results.
      const hourly = width === '1h' ? (s - USAGE_START) / 3600 : -1;
      const results = [];
      if (hourly >= 0 && Number.isInteger(hourly))
        for (let k = 0; k < USAGE_RESULTS_PER_BUCKET; k++) results.push(usageResult(hourly, k));
      data.push({
        object: 'bucket',
        start_time: s,
        end_time: s + seconds,
        start_time_iso: new Date(s * 1000).toISOString(),
        end_time_iso: new Date((s + seconds) * 1000).toISOString(),
        results,
      });
    }
    const more = last < total;
    return { object: 'page', data, has_more: more, next_page: more ? `pg_${last}` : null };
  });
  send(res, 200, body);
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/__stats') return send(res, 200, JSON.stringify({ requests, rateLimited: limitedCount() }));
  if (url.pathname === '/__reset') {
    requests = 0;
    limiters.clear();
    return send(res, 200, '{}');
  }
  requests++;
  if (req.headers.authorization !== `Bearer ${API_KEY}`)
    return send(res, 401, error('Incorrect API key provided', 'invalid_request_error'));
  if (req.method !== 'GET') return send(res, 405, error('method not allowed'));
  let pathname = url.pathname;
  const rl = /^\/rl\/(\d+)\/(\d+)(\/.*)$/.exec(pathname);
  if (rl) {
    const [, capacity, periodMs, rest] = rl;
    let limiter = limiters.get(`${capacity}/${periodMs}`);
    if (!limiter)
      limiters.set(`${capacity}/${periodMs}`, (limiter = new FixedWindowLimiter(Number(capacity), Number(periodMs))));
    const route = `${req.method} ${rest.replace(/^\/n\/\d+\/v1/, '').replace(/\/proj_[^/]+/, '/{project_id}')}`;
    const verdict = limiter.take(route);
    if (!verdict.ok) return send(res, 429, rateLimitBody(route, limiter.capacity, verdict.waitMs));
    pathname = rest!;
  }
  const m = /^\/n\/(\d+)\/v1(\/.*)$/.exec(pathname);
  if (!m) return send(res, 404, error(`no route ${url.pathname}`));
  const n = Math.min(Number(m[1]), MAX_N);
  const path = m[2];
  if (path === '/organization/projects') return listProjects(res, n, url.searchParams);
  if (path === '/organization/usage/completions') return usageCompletions(res, url.searchParams);
  const keys = /^\/organization\/projects\/([^/]+)\/api_keys$/.exec(path);
  if (keys)
    return send(
      res,
      200,
      cached(`k:${keys[1]}`, () => projectKeys(decodeURIComponent(keys[1]))),
    );
  const one = /^\/organization\/projects\/([^/]+)$/.exec(path);
  if (one) {
    const i = projectIndex(decodeURIComponent(one[1]));
    if (!Number.isInteger(i) || i < 0 || i >= n) return send(res, 404, error('No such project'));
    return send(
      res,
      200,
      cached(`r:${i}`, () => project(i)),
    );
  }
  send(res, 404, error(`no route ${path}`));
}

export function startServer(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// Run as a process: report the port to the parent and exit when the parent goes away.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { port, close } = await startServer(Number(process.argv[2] ?? 0));
  if (process.send) {
    process.send({ type: 'listening', port });
    process.on('disconnect', () => void close().then(() => process.exit(0)));
  } else {
    console.log(`bench server on http://127.0.0.1:${port}`);
  }
  process.on('SIGTERM', () => void close().then(() => process.exit(0)));
}
