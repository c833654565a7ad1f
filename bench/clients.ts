/**
 * The clients doing identical work: raw fetch (the floor, cursors followed by hand), the same loops over a bare
 * keep-alive node:http Agent (`raw-http`, the floor under this client's Node transport), this client (the build in
 * bench/.build, transpiled from src/ and generated/ exactly as tsc would emit them, unbundled) with its Node
 * default transport (node:http), the same client made to use Node's fetch (`admin-fetch`, to show what the
 * transport accounts for), and the official `openai` package's admin namespace. Each task returns
 * { count, checksum } for checking.
 */
import { join } from 'node:path';
import { API_KEY, HASH_SEED, USAGE_END, USAGE_START, mix, type Check } from './common.js';
import { loadOpenAI } from './openai-package.js';

export type ClientKind = 'raw' | 'raw-http' | 'admin' | 'admin-fetch' | 'openai';

export interface Client {
  retrieve(times: number): Promise<Check>;
  /** `strict`: this client with validate: 'strict' (others ignore it). */
  paginate(limit: number, onItem?: (createdAt: number) => void, strict?: boolean): Promise<Check>;
  usageExport(): Promise<Check>;
}

const buildRoot = join(import.meta.dirname, '..');

export async function loadClient(kind: ClientKind, baseURL: string): Promise<Client> {
  if (kind === 'raw') return rawClient(baseURL, fetchGet());
  if (kind === 'raw-http') return rawClient(baseURL, await keepAliveGet());
  if (kind === 'openai') return openaiClient(baseURL);
  return adminClient(baseURL, kind === 'admin-fetch' ? globalThis.fetch : undefined);
}

const RAW_HEADERS = { authorization: `Bearer ${API_KEY}`, accept: 'application/json' };

/** GET and parse JSON with Node's fetch (undici): the raw-fetch floor. */
function fetchGet(): (url: string) => Promise<any> {
  return async (url) => {
    const res = await fetch(url, { headers: RAW_HEADERS });
    if (!res.ok) throw new Error(`raw: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/**
 * GET and parse JSON with a bare keep-alive `node:http` loop (one Agent, keepAlive, body chunks joined and parsed):
 * the floor under this client's own node:http transport (issue 20: ≤ 1.10 × per request, ≥ 0.95 × its pagination
 * throughput). No timeout, no size limit, no retries: the least a Node program can do per request.
 */
async function keepAliveGet(): Promise<(url: string) => Promise<any>> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true });
  return (url) =>
    new Promise((resolve, reject) => {
      http
        .get(url, { agent, headers: RAW_HEADERS }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`raw-http: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text));
          });
          res.on('error', reject);
        })
        .on('error', reject);
    });
}

/** The hand-written loops (cursors followed by hand) over one way to GET JSON. */
function rawClient(baseURL: string, get: (url: string) => Promise<any>): Client {
  return {
    async retrieve(times) {
      let h = HASH_SEED;
      for (let i = 0; i < times; i++)
        h = mix(h, (await get(`${baseURL}/organization/projects/proj_00000042`)).created_at);
      return { count: times, checksum: h };
    },
    async paginate(limit, onItem) {
      let h = HASH_SEED;
      let count = 0;
      let after: string | null = null;
      for (;;) {
        const page: any = await get(
          `${baseURL}/organization/projects?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        for (const p of page.data) {
          h = mix(h, p.created_at);
          onItem?.(p.created_at);
          count++;
        }
        if (!page.has_more) break;
        after = page.last_id;
      }
      return { count, checksum: h };
    },
    // The hand-written loop: the largest limit for 1h buckets, next_page followed by hand, rows flattened.
    async usageExport() {
      let h = HASH_SEED;
      let count = 0;
      let page: string | null = null;
      for (;;) {
        const url = `${baseURL}/organization/usage/completions?start_time=${USAGE_START}&end_time=${USAGE_END}&bucket_width=1h&limit=168${page ? `&page=${page}` : ''}`;
        const body: any = await get(url);
        ({ h, count } = foldUsagePage(body, h, count));
        if (!body.has_more || !body.next_page) break;
        page = body.next_page;
      }
      return { count, checksum: h };
    },
  };
}

/** Flattens one usage page into rows and folds them into the checksum: the same work for every hand-written loop. */
function foldUsagePage(body: any, h: number, count: number): { h: number; count: number } {
  for (const bucket of body.data) {
    for (const { object: _o, ...rest } of bucket.results) {
      const row = { start_time: bucket.start_time, end_time: bucket.end_time, ...rest };
      h = mix(mix(h, row.start_time), row.input_tokens);
      count++;
    }
  }
  return { h, count };
}

async function adminClient(baseURL: string, fetchImpl: typeof fetch | undefined): Promise<Client> {
  const { OpenAIAdmin } = await import(join(buildRoot, 'src', 'index.js'));
  const admin = new OpenAIAdmin({ apiKey: API_KEY, baseURL, fetch: fetchImpl });
  // Strict and off share one process, so that their ratio measures validation and not two processes' luck.
  const strictAdmin = admin.withOptions({ validate: 'strict' });
  const query = { start_time: USAGE_START, end_time: USAGE_END, bucket_width: '1h' };
  return {
    async retrieve(times) {
      let h = HASH_SEED;
      for (let i = 0; i < times; i++) h = mix(h, (await admin.projects.retrieve('proj_00000042')).created_at);
      return { count: times, checksum: h };
    },
    async paginate(limit, onItem, strict) {
      let h = HASH_SEED;
      let count = 0;
      for await (const p of (strict ? strictAdmin : admin).projects.list({ limit })) {
        h = mix(h, p.created_at);
        onItem?.(p.created_at);
        count++;
      }
      return { count, checksum: h };
    },
    // No limit given: the client is expected to pick the largest the bucket width allows.
    async usageExport() {
      const usage = admin.usage.completions(query);
      let h = HASH_SEED;
      let count = 0;
      for await (const row of usage.rows()) {
        h = mix(mix(h, row.start_time), row.input_tokens);
        count++;
      }
      return { count, checksum: h };
    },
  };
}

async function openaiClient(baseURL: string): Promise<Client> {
  const OpenAI = await loadOpenAI();
  const client = new OpenAI({ adminAPIKey: API_KEY, apiKey: null, baseURL });
  const projects = client.admin.organization.projects;
  return {
    async retrieve(times) {
      let h = HASH_SEED;
      for (let i = 0; i < times; i++) h = mix(h, (await projects.retrieve('proj_00000042')).created_at);
      return { count: times, checksum: h };
    },
    async paginate(limit, onItem) {
      let h = HASH_SEED;
      let count = 0;
      for await (const p of projects.list({ limit })) {
        h = mix(h, p.created_at);
        onItem?.(p.created_at);
        count++;
      }
      return { count, checksum: h };
    },
    // usage.completions is not auto-paginated in the openai package: a hand-written loop over it.
    async usageExport() {
      let h = HASH_SEED;
      let count = 0;
      let page: string | undefined;
      for (;;) {
        const body: any = await client.admin.organization.usage.completions({
          start_time: USAGE_START,
          end_time: USAGE_END,
          bucket_width: '1h',
          limit: 168,
          ...(page ? { page } : {}),
        } as any);
        ({ h, count } = foldUsagePage(body, h, count));
        if (!body.has_more || !body.next_page) break;
        page = body.next_page;
      }
      return { count, checksum: h };
    },
  };
}
