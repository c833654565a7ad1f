/**
 * Where `report spend` gets its numbers: a small interface, so that another source (a local ledger database) can
 * stand in for the API. `apiSpendSource` reads them through the client's public API: paged `.rows()` of costs and
 * completions usage, the project list, and the organization's spend limit and alerts.
 */
import type { OpenAIAdmin } from '../../client.js';

export type CostGroup = 'project_id' | 'line_item';

/** One daily cost bucket's row, as the costs endpoint gives it (values unchecked: a server may send anything). */
export interface SpendCostRow {
  start_time: unknown;
  project_id?: unknown;
  line_item?: unknown;
  amount?: { value?: unknown; currency?: unknown } | null;
}

export interface SpendUsageRow {
  start_time?: unknown;
  project_id?: unknown;
  model?: unknown;
  num_model_requests?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
}

/** Monthly thresholds in the currency's unit (dollars, not the API's cents). */
export interface SpendThresholds {
  currency: string;
  /** The organization's hard spend limit, when one is set. */
  limit?: number;
  /** The organization's spend alerts' thresholds, ascending. */
  alerts: number[];
}

export interface SpendSource {
  /** Daily cost rows with start_time in [start, end), grouped by these fields. */
  costs(start: number, end: number, groupBy: readonly CostGroup[]): AsyncIterable<SpendCostRow>;
  /** Daily completions usage rows in [start, end), grouped by project or model. */
  usage(start: number, end: number, groupBy: 'project_id' | 'model'): AsyncIterable<SpendUsageRow>;
  /** Every project, archived ones included. */
  projects(): AsyncIterable<{ id: unknown; name?: unknown; status?: unknown }>;
  /** The spend limit and alerts; undefined when the source cannot tell (no permission, not in a ledger). */
  thresholds(): Promise<SpendThresholds | undefined>;
}

const status = (err: unknown) => (err as { status?: unknown } | null)?.status;

/**
 * The API as a source. Thresholds: a 404 on the spend limit means none is set; any other failure to read the limit
 * or the alerts (a key without the permission) leaves them out, said once through `warn`.
 * @example const report = await buildSpendReport(apiSpendSource(admin, console.warn), { request: { days: 30 }, by: 'project' });
 */
export function apiSpendSource(admin: OpenAIAdmin, warn: (message: string) => void = () => {}): SpendSource {
  return {
    costs: (start, end, groupBy) =>
      admin.costs({ start_time: start, end_time: end, bucket_width: '1d', group_by: [...groupBy] }).rows(),
    usage: (start, end, groupBy) =>
      admin.usage.completions({ start_time: start, end_time: end, bucket_width: '1d', group_by: [groupBy] }).rows(),
    projects: () => admin.projects.list({ include_archived: true, limit: 100 }),
    async thresholds() {
      try {
        let limit: number | undefined;
        let currency = 'USD';
        try {
          const l = await admin.spendLimit.retrieve();
          if (typeof l.threshold_amount === 'number' && Number.isFinite(l.threshold_amount))
            limit = l.threshold_amount / 100;
          if (typeof l.currency === 'string') currency = l.currency.toUpperCase();
        } catch (err) {
          if (status(err) !== 404) throw err;
        }
        const alerts: number[] = [];
        for await (const a of admin.spendAlerts.list())
          if (typeof a.threshold_amount === 'number' && Number.isFinite(a.threshold_amount))
            alerts.push(a.threshold_amount / 100);
        return { currency, ...(limit !== undefined ? { limit } : {}), alerts: alerts.sort((x, y) => x - y) };
      } catch (err) {
        warn(`the spend limit and alerts could not be read (${(err as Error)?.message ?? String(err)}); left out`);
        return undefined;
      }
    },
  };
}
