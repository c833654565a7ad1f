/** `openai-admin report spend`: see spend-report.ts (data), spend-render.ts (text) and spend-html.ts (page). */
import { writeFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { clockOf, openLedgerOf } from './ledger-flags.js';
import { freshnessLine, spendReportFromLedger } from './spend-ledger.js';
import { UsageError } from '../errors.js';
import { printObject } from '../output/printer.js';
import { printRows, wholeNumber } from './print-rows.js';
import { renderSpendHtml } from './spend-html.js';
import { renderSpendTable, spendRows } from './spend-render.js';
import { buildSpendReport, SPEND_DIMENSIONS, type SpendDimension } from './spend-report.js';

async function fromApi(ctx: Context, days: number, by: SpendDimension) {
  const admin = await ctx.client();
  ctx.progress('fetching costs and usage…');
  const report = await buildSpendReport(admin, {
    days,
    by,
    warn: (message) => void ctx.io.stderr.write(`warning: ${message}\n`),
  });
  ctx.clearProgress();
  return report;
}

/** From the ledger: no client, no key needed; the freshness goes to stderr (stdout keeps the report's format). */
async function fromLedger(ctx: Context, values: Record<string, unknown>, days: number, by: SpendDimension) {
  const store = await openLedgerOf(values);
  try {
    if ((await store.cursors()).length === 0)
      throw new UsageError(
        `the ledger ${store.where} holds nothing yet`,
        `run: openai-admin ledger sync --db ${store.where}`,
      );
    const now = clockOf(ctx.io.env)();
    const report = await spendReportFromLedger(store, { days, by, now });
    ctx.io.stderr.write(`${freshnessLine(report.freshness, now)}\n`);
    return report;
  } finally {
    await store.close();
  }
}

export const reportSpend: Command = {
  words: ['report', 'spend'],
  summary: 'Spend over the last N days by project, line item or model: totals, shares, usage, daily sparklines.',
  description:
    'Costs joined with project names and completions usage (requests, tokens) where it applies. A header gives the date range and currency, ' +
    'a totals row closes the table, and on a terminal each row gets a sparkline of its daily spend. --html writes a self-contained page ' +
    '(inline SVG: daily spend stacked by the chosen dimension, and the top groups) that opens offline.',
  positionals: [],
  options: {
    days: {
      type: 'string',
      placeholder: 'N',
      description: 'Whole UTC days ending today, today included (default 30, at most 180).',
    },
    by: {
      type: 'string',
      placeholder: SPEND_DIMENSIONS.join('|'),
      description: 'Group by project (default), line_item or model (the model part of each line item).',
    },
    html: { type: 'string', placeholder: 'file', description: 'Also write a self-contained HTML report to this file.' },
    db: {
      type: 'string',
      placeholder: 'file|postgres://…',
      description: 'Answer from this ledger (see ledger sync) without a request, saying how fresh it is.',
    },
  },
  examples: [
    'openai-admin report spend --days 30 --by project',
    'openai-admin report spend --by model --csv > spend.csv',
    'openai-admin report spend --html report.html',
    'openai-admin report spend --db usage.db --by line_item',
  ],
  async run(ctx, values) {
    const days = wholeNumber(values.days, 'days', 30, UsageError);
    if (days < 1 || days > 180) throw new UsageError(`--days must be between 1 and 180, got ${days}`);
    const by = (values.by ?? 'project') as SpendDimension;
    if (!SPEND_DIMENSIONS.includes(by))
      throw new UsageError(`--by must be one of ${SPEND_DIMENSIONS.join(', ')}; got '${String(values.by)}'`);
    const report =
      typeof values.db === 'string' ? await fromLedger(ctx, values, days, by) : await fromApi(ctx, days, by);
    if (typeof values.html === 'string') {
      await writeFile(
        values.html,
        renderSpendHtml(report, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'),
      );
      ctx.io.stderr.write(`wrote ${values.html}\n`);
    }
    // --max shortens what is printed (the top N groups); totals and the HTML page keep every group.
    if (ctx.max !== undefined) report.rows = report.rows.slice(0, ctx.max);
    if (ctx.output.format === 'json') return printObject(ctx.io.stdout, ctx.output, report);
    if (ctx.output.format !== 'table' || ctx.output.fields) return printRows(ctx, spendRows(report), []);
    ctx.io.stdout.write(renderSpendTable(report, { sparklines: ctx.io.stdout.isTTY === true }));
  },
};
