/**
 * `openai-admin export focus --month 2026-11 [-o focus.csv]`: a month of costs as the FinOps FOCUS 1.2 dataset
 * (src/focus), as formula-safe CSV, on stdout or written atomically to a file. The FOCUS code loads only when this
 * command runs, so other commands start as fast as before.
 */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { renderCsv } from '../output/csv.js';
import { printRows } from './print-rows.js';

const DAY = 86_400;

export const exportFocus: Command = {
  words: ['export', 'focus'],
  summary: 'A month of costs as the FinOps FOCUS 1.2 cost-and-usage dataset (CSV).',
  description:
    'One row per day, project and line item: projects as sub accounts, models as services, line items as SKUs, tokens as ' +
    'consumed and pricing quantities, amounts exactly as the costs endpoint sent them (BilledCost = EffectiveCost = ListCost = ' +
    'ContractedCost: the API reports list-price billing with no discounts). Cells a spreadsheet would run as formulas are ' +
    "neutralised with a leading ' (--csv-raw: as they came). With -o the file is replaced atomically; without it the CSV goes to stdout " +
    '(--json/--ndjson: the rows as JSON). See docs/focus.md.',
  positionals: [],
  defaultFormat: 'csv',
  options: {
    month: { type: 'string', placeholder: 'YYYY-MM', description: 'The billing period, a UTC month (required).' },
    'billing-account': {
      type: 'string',
      placeholder: 'id',
      description: "BillingAccountId: the organization's id (default 'organization').",
    },
    'billing-account-name': { type: 'string', placeholder: 'name', description: 'BillingAccountName (default empty).' },
  },
  examples: [
    'openai-admin export focus --month 2026-11 -o focus-2026-11.csv',
    'openai-admin export focus --month 2026-10 > october.csv',
  ],
  notes: [
    'Costs arrive about a day late: a month is complete from the 2nd of the next month (UTC); an export before that warns.',
  ],
  async run(ctx, values) {
    if (typeof values.month !== 'string') throw new UsageError('--month is required (YYYY-MM, e.g. 2026-11)');
    const focus = await import('../../focus/index.js');
    let period: { start: number; end: number };
    try {
      period = focus.billingPeriod(values.month);
    } catch (e) {
      throw new UsageError(`--month: ${(e as Error).message}`);
    }
    const accountId = typeof values['billing-account'] === 'string' ? values['billing-account'] : 'organization';
    if (!accountId.trim()) throw new UsageError('--billing-account must not be empty');
    const accountName = typeof values['billing-account-name'] === 'string' ? values['billing-account-name'] : null;
    const admin = await ctx.client();
    ctx.progress(`fetching costs for ${values.month}…`);
    const dataset = await focus.fetchFocus(admin, {
      month: values.month,
      billingAccount: { id: accountId, name: accountName },
    });
    ctx.clearProgress();
    for (const w of dataset.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
    if (Date.now() / 1000 < period.end + DAY)
      ctx.io.stderr.write(
        `warning: costs arrive about a day late; ${values.month} is complete from ` +
          `${new Date((period.end + DAY) * 1000).toISOString().slice(0, 10)} (UTC)\n`,
      );
    const csv = renderCsv(focus.FOCUS_COLUMNS, dataset.rows, { raw: ctx.output.csvRaw === true });
    const totals = new Map<string, string[]>();
    for (const r of dataset.rows)
      totals.set(r.BillingCurrency!, [...(totals.get(r.BillingCurrency!) ?? []), r.BilledCost!]);
    const summary = [...totals].map(([cur, values]) => `${focus.roundDecimal(focus.sumDecimals(values), 2)} ${cur}`);
    // -o FILE is the global flag: stdout goes to a temporary file renamed over FILE once the command succeeds.
    if (ctx.output.format === 'csv') ctx.io.stdout.write(csv);
    else await printRows(ctx, dataset.rows, focus.FOCUS_COLUMNS);
    const output = ctx.globals.output;
    ctx.io.stderr.write(
      `FOCUS ${focus.FOCUS_VERSION}: ${dataset.rows.length} rows for ${values.month}` +
        `${summary.length ? `, billed ${summary.join(', ')}` : ''}` +
        `${typeof output === 'string' ? ` → ${output}` : ''}\n`,
    );
  },
};
