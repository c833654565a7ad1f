/**
 * A server (127.0.0.1) that answers the three queries `report spend` makes — projects, costs, completions usage —
 * with a hostile value in every field it can hold one: names, ids, the currency, line items, models, cursors,
 * object tags, counters sent as strings (numeric ones, which must add up, and markup, which must be refused), and
 * fields the report does not read. Each hostile value names its field, so a test can tell which one got through.
 *
 * A value is markup that runs `pwned('<field>')` wherever it is not escaped: in text (HTML, an SVG <title>, an
 * HTML <title>: it closes that first), in a double-quoted or single-quoted attribute (it closes the attribute and
 * the tag), and after upper-casing (the call is spelled in decimal character references, which upper-casing
 * leaves alone and the parser decodes in the attribute that runs it). No comma: `--by model` splits at one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, startServer, type LocalServer } from './local-server';

/** What the hostile markup calls; a test exposes it to the page and expects no call. */
export const PWNED = 'pwned';

const references = (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');

/** The hostile value for one field. */
export const hostile = (field: string) =>
  `${field} </title></textarea></style>"'><img src=x onerror="${references(`${PWNED}('${field}')`)}"><script>${PWNED}('${field}')</script>`;

const DAY = 86_400;

/** The one project with hostile fields (its id is hostile too) and a plain one. */
export const HOSTILE_PROJECT_ID = `proj_${hostile('project.id')}`;
export const HOSTILE_PROJECT_NAME = hostile('project.name');
export const PLAIN_PROJECT = { id: 'proj_plain', name: 'Plain <b>project</b> & "co"' };
export const CURRENCY = hostile('currency');
export const HOSTILE_LINE_ITEM = hostile('line_item');
export const HOSTILE_MODEL = hostile('model');
export const PLAIN_LINE_ITEM = 'gpt-4o-2024-08-06, input';

/**
 * What `report spend --json` must show for this data (a bucket per day from the query's start_time):
 * the hostile project costs 1.5 + 3 = 4.5 (a third cost's `amount.value` is markup: refused), the plain one 2.25
 * (sent as the decimal string "2.25"); the hostile project made "5" + "5" = 10 requests (the bug gave "055") with
 * input_tokens "100" (another row's markup refused) and output_tokens 7 (another row's null refused); the plain
 * project 2 requests, 10 + 20 tokens.
 */
export const EXPECTED = {
  hostile: { cost: 4.5, requests: 10, input_tokens: 100, output_tokens: 7 },
  plain: { cost: 2.25, requests: 2, input_tokens: 10, output_tokens: 20 },
  totals: { cost: 6.75, requests: 12, input_tokens: 110, output_tokens: 27 },
};

/** The fields of a usage row that are neither counters nor read by the report: hostile too. */
const extraUsageFields = (n: number) => ({
  user_id: hostile(`usage.user_id.${n}`),
  api_key_id: hostile(`usage.api_key_id.${n}`),
  service_tier: hostile(`usage.service_tier.${n}`),
  batch: hostile(`usage.batch.${n}`),
});

const bucket = (start: number, results: object[], n: number) => ({
  object: hostile(`bucket.object.${n}`),
  start_time: start,
  end_time: hostile(`bucket.end_time.${n}`),
  start_time_iso: hostile(`bucket.start_time_iso.${n}`),
  results,
});

function projectsPage() {
  return {
    object: hostile('projects.object'),
    data: [
      {
        id: HOSTILE_PROJECT_ID,
        object: hostile('project.object'),
        name: HOSTILE_PROJECT_NAME,
        created_at: hostile('project.created_at'),
        archived_at: hostile('project.archived_at'),
        status: hostile('project.status'),
      },
      { ...PLAIN_PROJECT, object: 'organization.project', created_at: 1711471533, status: 'active' },
    ],
    first_id: hostile('projects.first_id'),
    last_id: hostile('projects.last_id'),
    has_more: false,
  };
}

const NEXT_COSTS_PAGE = hostile('costs.next_page');

function costsPage(start: number, cursor: string | null) {
  const cost = (value: unknown, project_id: string, line_item: string, object = 'organization.costs.result') => ({
    object,
    amount: { value, currency: CURRENCY },
    line_item,
    project_id,
    organization_id: hostile('costs.organization_id'),
  });
  if (cursor === null)
    // Two pages, the first one's cursor hostile too (the client sends it back URL-encoded).
    return {
      object: hostile('costs.page.object'),
      data: [
        bucket(
          start,
          [cost(1.5, HOSTILE_PROJECT_ID, HOSTILE_LINE_ITEM), cost('2.25', PLAIN_PROJECT.id, PLAIN_LINE_ITEM)],
          1,
        ),
      ],
      has_more: true,
      next_page: NEXT_COSTS_PAGE,
    };
  if (cursor !== NEXT_COSTS_PAGE) throw new Error(`unexpected costs cursor ${cursor}`);
  return {
    object: 'page',
    data: [
      bucket(
        start + DAY,
        [
          cost(3, HOSTILE_PROJECT_ID, HOSTILE_LINE_ITEM),
          cost(hostile('amount.value'), HOSTILE_PROJECT_ID, HOSTILE_LINE_ITEM, hostile('costs.object')),
        ],
        2,
      ),
    ],
    has_more: false,
    next_page: hostile('costs.last_next_page'),
  };
}

function usagePage(start: number) {
  const usage = (project_id: string, model: string, counters: Record<string, unknown>, n: number) => ({
    object: 'organization.usage.completions.result',
    project_id,
    model,
    ...counters,
    ...extraUsageFields(n),
  });
  return {
    object: 'page',
    data: [
      bucket(
        start,
        [
          usage(
            HOSTILE_PROJECT_ID,
            HOSTILE_MODEL,
            { num_model_requests: '5', input_tokens: '100', output_tokens: 7 },
            1,
          ),
          usage(
            PLAIN_PROJECT.id,
            'gpt-4o-2024-08-06',
            { num_model_requests: 2, input_tokens: 10, output_tokens: 20 },
            2,
          ),
        ],
        3,
      ),
      bucket(
        start + DAY,
        [
          usage(
            HOSTILE_PROJECT_ID,
            HOSTILE_MODEL,
            { num_model_requests: '5', input_tokens: hostile('input_tokens'), output_tokens: null },
            3,
          ),
        ],
        4,
      ),
    ],
    has_more: false,
    next_page: hostile('usage.next_page'),
  };
}

/** The organization's spend alerts: one numeric threshold (123.45 USD) among hostile text. No spend limit (404). */
function alertsPage() {
  return {
    object: hostile('alerts.object'),
    data: [
      {
        id: hostile('alert.id'),
        object: hostile('alert.object'),
        threshold_amount: 12_345,
        currency: 'USD',
        interval: 'month',
        notification_channel: { type: 'email', recipients: [hostile('alert.recipient')] },
      },
    ],
    has_more: false,
  };
}

/** Answers the report's queries; anything else is a 404 (the spend limit: none set). */
export function hostileSpendHandler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const start = Number(url.searchParams.get('start_time'));
  if (url.pathname === '/v1/organization/projects') return json(res, 200, projectsPage());
  if (url.pathname === '/v1/organization/costs') return json(res, 200, costsPage(start, url.searchParams.get('page')));
  if (url.pathname === '/v1/organization/usage/completions') return json(res, 200, usagePage(start));
  if (url.pathname === '/v1/organization/spend_alerts') return json(res, 200, alertsPage());
  json(res, 404, { error: { message: `no ${url.pathname}`, type: 'invalid_request_error' } });
}

/** The server, with the base URL to give the CLI (`OPENAI_BASE_URL`). */
export async function startHostileSpendServer(): Promise<LocalServer & { baseURL: string }> {
  const server = await startServer(hostileSpendHandler);
  return Object.assign(server, { baseURL: `${server.url}/v1` });
}
