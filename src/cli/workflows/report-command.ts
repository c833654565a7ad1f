/**
 * `openai-admin report spend`: see spend-period.ts (which days), spend-source.ts (where the numbers come from),
 * spend-report.ts (data), spend-render.ts (text) and spend-html.ts (page).
 */
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import type { LedgerStore } from '../../ledger/store.js';
import { clockOf, openLedgerOf } from './ledger-flags.js';
import { freshnessLine, ledgerFreshness, ledgerSpendSource } from './spend-ledger.js';
import { UsageError } from '../errors.js';
import { ListPrinter, printObject } from '../output/printer.js';
import { printRows, wholeNumber } from './print-rows.js';
import { MAX_DAYS, reportPeriods, type PeriodRequest } from './spend-period.js';
import { buildSpendReport, spendLines, SPEND_DIMENSIONS, type SpendDimension } from './spend-report.js';
import { apiSpendSource, type SpendSource } from './spend-source.js';

/** The period flags as a request; more than one way of choosing the days is a usage error. */
export function periodRequest(values: Record<string, unknown>): PeriodRequest {
  const chosen = (['days', 'month', 'since'] as const).filter((f) => values[f] !== undefined);
  if (values.until !== undefined && values.since === undefined) throw new UsageError('--until needs --since');
  if (chosen.length > 1)
    throw new UsageError(`choose the days one way: ${chosen.map((f) => `--${f}`).join(' or ')}, not both`);
  if (typeof values.month === 'string') return { month: values.month };
  if (typeof values.since === 'string')
    return { since: values.since, ...(typeof values.until === 'string' ? { until: values.until } : {}) };
  return { days: wholeNumber(values.days, 'days', 30, UsageError) };
}

/** The report's source: the API through the command's client, or with --db a ledger (no client, no request). */
async function spendSource(ctx: Context, ledger: LedgerStore | undefined): Promise<SpendSource> {
  if (ledger) return ledgerSpendSource(ledger);
  return apiSpendSource(await ctx.client(), (message) => void ctx.io.stderr.write(`warning: ${message}\n`));
}

export const reportSpend: Command = {
  words: ['report', 'spend'],
  summary:
    'Spend over a period (last N days, a calendar month, or dates) by project, line item or model, beside the period before.',
  description:
    'Costs joined with project names and completions usage (requests, input and output tokens, cost per million tokens) where it applies. ' +
    'Days are whole UTC days, as invoices count them; today, when included, is a partial day. The header gives the range, the previous ' +
    'period (the same number of days before; for a month, the month before) with the change, month-to-date and a forecast to month end ' +
    '(run rate of the complete days, method stated) when the range includes today, and the spend limit and alerts when set. Every active ' +
    'project is listed, zero spend included. A totals row closes the table, and on a terminal each row gets a sparkline of its daily spend. ' +
    '--csv is long format, one row per day, project and line item (date, project_id, project_name, line_item, amount, currency), as ' +
    'spreadsheets pivot it. --html writes a self-contained page (inline SVG: spend per day, or per week beyond 90 days, stacked by the ' +
    'chosen dimension in a colour-blind-safe palette; the month so far against the forecast, limit and alerts) that opens offline.',
  positionals: [],
  options: {
    days: {
      type: 'string',
      placeholder: 'N',
      description: `Whole UTC days ending today, today included (default 30, at most ${MAX_DAYS}).`,
    },
    month: {
      type: 'string',
      placeholder: 'YYYY-MM',
      description: 'A calendar month (UTC), up to today if it is the current one.',
    },
    since: { type: 'string', placeholder: 'YYYY-MM-DD', description: 'First UTC day of the range.' },
    until: {
      type: 'string',
      placeholder: 'YYYY-MM-DD',
      description: 'Last UTC day of the range, included (default today; needs --since).',
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
    'openai-admin report spend --month 2026-11',
    'openai-admin report spend --since 2026-10-01 --until 2026-12-31 --by model',
    'openai-admin report spend --month 2026-11 --csv > spend-2026-11.csv',
    'openai-admin report spend --days 30 --html report.html',
    'openai-admin report spend --db usage.db --by line_item',
  ],
  async run(ctx, values) {
    const request = periodRequest(values);
    const by = (values.by ?? 'project') as SpendDimension;
    if (!SPEND_DIMENSIONS.includes(by))
      throw new UsageError(`--by must be one of ${SPEND_DIMENSIONS.join(', ')}; got '${String(values.by)}'`);
    const ledger = typeof values.db === 'string' ? await openLedgerOf(values) : undefined;
    try {
      await runReport(ctx, values, request, by, ledger);
    } finally {
      await ledger?.close();
    }
  },
};

async function runReport(
  ctx: Context,
  values: Record<string, unknown>,
  request: PeriodRequest,
  by: SpendDimension,
  ledger: LedgerStore | undefined,
): Promise<void> {
  if (ledger && (await ledger.cursors()).length === 0)
    throw new UsageError(
      `the ledger ${ledger.where} holds nothing yet`,
      `run: openai-admin ledger sync --db ${ledger.where}`,
    );
  const now = ledger ? clockOf(ctx.io.env)() : Math.floor(Date.now() / 1000);
  try {
    reportPeriods(request, now);
  } catch (err) {
    // The period's own checks name the flag: a usage error, before anything is sent.
    throw err instanceof RangeError ? new UsageError(err.message) : err;
  }
  const source = await spendSource(ctx, ledger);
  const warn = (message: string) => void ctx.io.stderr.write(`warning: ${message}\n`);
  ctx.progress('fetching costs and usage…');
  const report = await buildSpendReport(source, { request, by, now, warn });
  const lines =
    ctx.output.format === 'csv' || ctx.output.format === 'ndjson' ? await spendLines(source, report, warn) : undefined;
  ctx.clearProgress();
  // From a ledger, how fresh the answer is: on stderr (stdout keeps the report's format) and in --json.
  const freshness = ledger ? await ledgerFreshness(ledger) : undefined;
  if (freshness) ctx.io.stderr.write(`${freshnessLine(freshness, now)}\n`);
  if (typeof values.html === 'string') {
    // The page's code loads only when a page is asked for (start-up: every command shares the command tree).
    const [{ writeFile }, { renderSpendHtml }] = await Promise.all([
      import('node:fs/promises'),
      import('./spend-html.js'),
    ]);
    await writeFile(values.html, renderSpendHtml(report, new Date().toISOString().slice(0, 19) + 'Z'));
    ctx.io.stderr.write(`wrote ${values.html}\n`);
  }
  // --max shortens what is printed (the top N groups); totals and the HTML page keep every group.
  if (ctx.max !== undefined) report.rows = report.rows.slice(0, ctx.max);
  if (ctx.output.format === 'json')
    return printObject(ctx.io.stdout, ctx.output, freshness ? { ...report, freshness } : report);
  if (lines) {
    const printer = new ListPrinter(ctx.io.stdout, ctx.output);
    await printer.add(lines);
    return printer.end();
  }
  const { renderSpendTable, spendRows } = await import('./spend-render.js');
  if (ctx.output.fields) return printRows(ctx, spendRows(report), []);
  const fit = { width: ctx.output.width, note: (message: string) => ctx.note(message) };
  ctx.io.stdout.write(renderSpendTable(report, { sparklines: ctx.io.stdout.isTTY === true, ...fit }));
}
