/**
 * A real node:http server on 127.0.0.1 that plays the usage and costs endpoints the way the live API behaves
 * (the facts restated in src/ledger/sync.ts): a minute's usage shows up half at first and whole
 * only REVISE_AFTER seconds later, so a closed bucket changes after it closed; a day's costs appear COSTS_LATE after
 * the day and are revised once more until COSTS_FINAL; amounts come sometimes as JSON strings. The clock is the
 * test's (`now()`), the same the bin reads through OPENAI_ADMIN_TEST_CLOCK, so what is served depends on no timing.
 *
 * `truth()` is the final answer: every token and every micro-dollar, as they stand once nothing changes any more.
 */
import type { ServerResponse } from 'node:http';
import { json, startServer, type LocalServer } from '../../../support/local-server';

export const REVISE_AFTER = 10 * 60;
export const COSTS_LATE = 20 * 3_600;
export const COSTS_FINAL = 30 * 3_600;
const DAY = 86_400;

export interface UsageEvent {
  /** Unix seconds, a multiple of 60. */
  t: number;
  project_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  requests: number;
}

export interface DailyCost {
  day: number;
  project_id: string;
  line_item: string;
  /** Micro-dollars (exact integers). */
  micros: number;
}

export interface Truth {
  input_tokens: number;
  output_tokens: number;
  num_model_requests: number;
  /** Micro-dollars. */
  cost_micros: number;
  byProject: Map<string, { input_tokens: number; cost_micros: number }>;
}

export interface RevisingUpstream extends LocalServer {
  events: UsageEvent[];
  costs: DailyCost[];
  projects: Array<{ id: string; name: string }>;
  /** Requests per path (pathname without /v1). */
  count(path?: string): number;
  truth(): Truth;
}

/** A deterministic workload: `days` days from `start` (a day edge), a few events an hour over 3 projects and 2 models. */
export function workload(start: number, days: number): { events: UsageEvent[]; costs: DailyCost[] } {
  const events: UsageEvent[] = [];
  const costs: DailyCost[] = [];
  const projects = ['proj_a', 'proj_b', 'proj_c'];
  const models = ['gpt-4o-2024-08-06', 'gpt-4o-mini'];
  let seed = 12345;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let m = 0; m < days * 24 * 60; m += 7 + next(23)) {
    events.push({
      t: start + m * 60,
      project_id: projects[next(3)],
      model: models[next(2)],
      input_tokens: 1 + next(5_000),
      output_tokens: next(900),
      requests: 1 + next(4),
    });
  }
  for (let d = 0; d < days; d++)
    for (const p of projects)
      for (const item of ['gpt-4o-2024-08-06, input', 'gpt-4o-2024-08-06, output', 'web search tool calls'])
        costs.push({ day: start + d * DAY, project_id: p, line_item: item, micros: 1 + next(9_999_999) });
  return { events, costs };
}

const usageShown = (e: UsageEvent, now: number, field: 'input_tokens' | 'output_tokens' | 'requests') =>
  now < e.t + 60 ? 0 : now < e.t + 60 + REVISE_AFTER ? Math.floor(e[field] / 2) : e[field];

const costShown = (c: DailyCost, now: number) =>
  now < c.day + DAY + COSTS_LATE ? undefined : now < c.day + DAY + COSTS_FINAL ? Math.floor(c.micros * 0.9) : c.micros;

const decimal = (micros: number) => `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;

const WIDTH: Record<string, number> = { '1m': 60, '1h': 3_600, '1d': DAY };

export async function startRevisingUpstream(
  now: () => number,
  data: { events: UsageEvent[]; costs: DailyCost[] },
): Promise<RevisingUpstream> {
  const counts = new Map<string, number>();
  const projects = [
    { id: 'proj_a', name: 'Alpha' },
    { id: 'proj_b', name: 'Beta "quoted"' },
    { id: 'proj_c', name: 'Gamma' },
  ];
  const page = (res: ServerResponse, q: URLSearchParams, bucket: (s: number, e: number) => unknown[]) => {
    const width = WIDTH[q.get('bucket_width') ?? '1d'];
    const start = Number(q.get('page') ?? q.get('start_time'));
    const end = Number(q.get('end_time') ?? now());
    const limit = Number(q.get('limit') ?? 7);
    const data = [];
    let s = start;
    for (; s < end && data.length < limit; s += width)
      data.push({ object: 'bucket', start_time: s, end_time: s + width, results: bucket(s, s + width) });
    const more = s < end;
    json(res, 200, { object: 'page', data, has_more: more, next_page: more ? String(s) : null });
  };
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/v1/, '');
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const q = url.searchParams;
    const clock = now();
    if (path === '/organization/projects')
      return json(res, 200, {
        object: 'list',
        data: projects.map((p) => ({
          object: 'organization.project',
          id: p.id,
          name: p.name,
          created_at: 0,
          status: 'active',
        })),
        first_id: 'proj_a',
        last_id: 'proj_c',
        has_more: false,
      });
    if (path === '/organization/costs') {
      if (q.getAll('group_by').includes('api_key_id'))
        return json(res, 400, { error: { message: 'Invalid group_by: api_key_id', type: 'invalid_request_error' } });
      return page(res, q, (s, e) =>
        data.costs
          .filter((c) => c.day >= s && c.day < e)
          .flatMap((c, i) => {
            const shown = costShown(c, clock);
            if (shown === undefined) return [];
            // Every other amount as a JSON string, as some live responses send it.
            const value = i % 2 ? decimal(shown) : shown / 1e6;
            return [
              {
                object: 'organization.costs.result',
                amount: { value, currency: 'usd' },
                line_item: c.line_item,
                project_id: c.project_id,
              },
            ];
          }),
      );
    }
    if (path === '/organization/usage/completions')
      return page(res, q, (s, e) => {
        const groups = new Map<
          string,
          { project_id: string; model: string; input_tokens: number; output_tokens: number; num_model_requests: number }
        >();
        for (const ev of data.events) {
          if (ev.t < s || ev.t >= e) continue;
          const key = `${ev.project_id}/${ev.model}`;
          const g = groups.get(key) ?? {
            project_id: ev.project_id,
            model: ev.model,
            input_tokens: 0,
            output_tokens: 0,
            num_model_requests: 0,
          };
          g.input_tokens += usageShown(ev, clock, 'input_tokens');
          g.output_tokens += usageShown(ev, clock, 'output_tokens');
          g.num_model_requests += usageShown(ev, clock, 'requests');
          groups.set(key, g);
        }
        return [...groups.values()]
          .filter((g) => g.num_model_requests > 0 || g.input_tokens > 0)
          .map((g) => ({ object: 'organization.usage.completions.result', ...g, batch: null, service_tier: null }));
      });
    if (path.startsWith('/organization/usage/')) return page(res, q, () => []);
    return json(res, 404, { error: { message: `no route ${path}` } });
  });
  return Object.assign(server, {
    ...data,
    projects,
    count: (p?: string) => (p ? (counts.get(p) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    truth(): Truth {
      const byProject = new Map<string, { input_tokens: number; cost_micros: number }>();
      const of = (p: string) =>
        byProject.get(p) ?? (byProject.set(p, { input_tokens: 0, cost_micros: 0 }), byProject.get(p)!);
      const t: Truth = { input_tokens: 0, output_tokens: 0, num_model_requests: 0, cost_micros: 0, byProject };
      for (const e of data.events) {
        t.input_tokens += e.input_tokens;
        t.output_tokens += e.output_tokens;
        t.num_model_requests += e.requests;
        of(e.project_id).input_tokens += e.input_tokens;
      }
      for (const c of data.costs) ((t.cost_micros += c.micros), (of(c.project_id).cost_micros += c.micros));
      return t;
    },
  });
}
