/**
 * One month of FOCUS rows from the API, in the fewest requests: costs grouped by project and line item (one page of
 * 31 daily buckets), project names (pages of 100), and usage only when some cost carries no quantity. Pacing and
 * retries are the client's own (its scheduler paces per route, as the live API's limits need).
 */
import type { OpenAIAdmin } from '../client.js';
import { billingPeriod, focusRows, type FocusCostInput, type FocusDataset, type FocusUsageInput } from './rows.js';

export interface FocusExportOptions {
  /** The billing period, a UTC month: `YYYY-MM`. */
  month: string;
  /** The billing account (default id `organization`). */
  billingAccount?: { id: string; name?: string | null };
}

/**
 * Fetches a month of costs (and what names and quantities they need) and returns its FOCUS 1.2 rows.
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { fetchFocus } from 'openai-admin/focus';
 * const { rows, warnings } = await fetchFocus(new OpenAIAdmin(), { month: '2026-11' });
 * ```
 */
export async function fetchFocus(admin: OpenAIAdmin, options: FocusExportOptions): Promise<FocusDataset> {
  const { start, end } = billingPeriod(options.month);
  const range = { start_time: start, end_time: end, bucket_width: '1d', limit: 31 } as const;
  const costs: FocusCostInput[] = [];
  for await (const row of admin.costs({ ...range, group_by: ['project_id', 'line_item'] }).rows()) costs.push(row);

  const projectNames = new Map<string, string>();
  if (costs.some((c) => c.project_id))
    for await (const p of admin.projects.list({ include_archived: true, limit: 100 }))
      if (typeof p.id === 'string' && typeof p.name === 'string') projectNames.set(p.id, p.name);

  // Costs grouped by line_item carry their quantity; usage is asked only for what lacks one.
  const usage: FocusUsageInput[] = [];
  if (costs.some((c) => typeof c.quantity !== 'number')) {
    const query = { ...range, group_by: ['project_id', 'model'] as ('project_id' | 'model')[] };
    for await (const u of admin.usage.completions(query).rows()) usage.push(u);
    for await (const u of admin.usage.embeddings(query).rows()) usage.push(u);
  }
  return focusRows({ month: options.month, costs, usage, projectNames, billingAccount: options.billingAccount });
}
