/**
 * `report spend --html report.html`: one self-contained page (inline CSS and SVG, no script, no network) with the
 * period's spend stacked by the chosen dimension (per day, or per week beyond WEEKLY_AFTER_DAYS days), the month so
 * far against its forecast, spend limit and alerts, and a table of every group beside the previous period.
 * Pure: report → HTML.
 *
 * Colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), grey for "other";
 * today's partial day is drawn lighter and labelled. Both axes say their unit (USD/day or USD/week).
 *
 * Everything in the report came from a server (names, ids, line items, models, the currency, counters), so the
 * page is written with `markup` templates, which escape every value (output/html.ts), and it carries its own
 * Content-Security-Policy: no script, no network, only its own stylesheet (by hash). An escape missed some day
 * still runs nothing.
 *
 * The SVG is readable by machines too: each series is `<g class="series" data-key data-name>` holding one
 * `<rect data-date data-value>` per day (or week, then `data-date` is the week's first day) with spend, so a test
 * (or a person with devtools) can check the chart against the numbers.
 */
import { createHash } from 'node:crypto';
import { markup, raw, type Markup } from '../output/html.js';
import { money, perMillion, signedMoney, signedPercent } from './spend-render.js';
import type { SpendFigures, SpendReport } from './spend-report.js';

/** The chart shows the top groups; the rest are summed into one "other" series. */
export const TOP_SERIES = 8;
/** Longer ranges are drawn per week: daily bars would be thinner than a pixel's worth of meaning. */
export const WEEKLY_AFTER_DAYS = 90;
/** Okabe & Ito (2008), "Color Universal Design": eight colours told apart under the common colour-vision deficiencies. */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
const OTHER = '#999999';
const colour = (i: number, key: string) => (key === '(other)' ? OTHER : OKABE_ITO[i % OKABE_ITO.length]);

/** A counter as digits; anything but a finite number (which the report should never hold) is shown as nothing. */
const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '');
/** A number the page computed (never server text), with fixed decimals for coordinates. */
const fixed = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '0');

/** The page's only style: one sheet, allowed by its hash (legend swatches are classes, not style attributes). */
const STYLE = `
  body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 4px; }
  .meta { color: #57606a; margin: 0 0 16px; }
  .total { font-size: 28px; font-weight: 600; margin: 8px 0 0; }
  .compare { margin: 0 0 16px; color: #57606a; }
  .up { color: #b35806; } .down { color: #0072B2; }
  svg text { font-size: 11px; fill: #57606a; }
  svg text.unit { font-size: 12px; fill: #1f2328; }
  svg .grid { stroke: #d0d7de; stroke-width: 1; }
  svg .partial { fill-opacity: 0.4; }
  svg .cumulative { fill: none; stroke: #0072B2; stroke-width: 2; }
  svg .forecast { fill: none; stroke: #0072B2; stroke-width: 2; stroke-dasharray: 6 4; }
  svg .limit { stroke: #D55E00; stroke-width: 2; }
  svg .alert { stroke: #E69F00; stroke-width: 1.5; stroke-dasharray: 4 3; }
  ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }
  .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
${[...OKABE_ITO, OTHER].map((c, i) => `  .swatch.c${i} { background: ${c}; }`).join('\n')}
  .note { color: #57606a; font-size: 12px; }
  table { border-collapse: collapse; margin-top: 16px; }
  th, td { padding: 4px 10px; border-bottom: 1px solid #d0d7de; text-align: left; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.id { color: #57606a; font-family: ui-monospace, monospace; font-size: 12px; }
  tr.zero td { color: #8c959f; }
  tfoot td { font-weight: 600; }
`;

/**
 * No script, no request of any kind (images, fonts, frames, forms, a <base>), and no style but the sheet above:
 * markup a server smuggled in despite the escaping can neither run nor call out.
 */
export const SPEND_HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'`;

export interface Series {
  key: string;
  name: string;
  daily: number[];
}

/** The top groups with spend, plus "other" when there are more. Pure. */
export function chartSeries(report: SpendReport, top = TOP_SERIES): Series[] {
  const series: Series[] = report.rows.slice(0, top).map((r) => ({ key: r.key, name: r.name, daily: r.daily }));
  const rest = report.rows.slice(top);
  if (rest.length)
    series.push({
      key: '(other)',
      name: `${rest.length} other`,
      daily: report.dates.map((_, i) => rest.reduce((s, r) => s + r.daily[i], 0)),
    });
  return series;
}

export interface Buckets {
  unit: 'day' | 'week';
  /** First day of each bucket (YYYY-MM-DD). */
  starts: string[];
  /** Which report days each bucket sums: [first index, end index). */
  spans: Array<[number, number]>;
}

/**
 * Days, or weeks (Monday to Sunday, UTC, as ISO 8601 counts them; the first and last may be shorter) when the range
 * is longer than WEEKLY_AFTER_DAYS. Pure.
 */
export function chartBuckets(dates: readonly string[]): Buckets {
  if (dates.length <= WEEKLY_AFTER_DAYS)
    return { unit: 'day', starts: [...dates], spans: dates.map((_, i) => [i, i + 1] as [number, number]) };
  const starts: string[] = [];
  const spans: Array<[number, number]> = [];
  dates.forEach((d, i) => {
    const monday = new Date(`${d}T00:00:00Z`).getUTCDay() === 1;
    if (i === 0 || monday) {
      if (spans.length) spans[spans.length - 1][1] = i;
      starts.push(d);
      spans.push([i, dates.length]);
    }
  });
  return { unit: 'week', starts, spans };
}

const bucketValues = (daily: readonly number[], b: Buckets) =>
  b.spans.map(([from, to]) => Math.round(daily.slice(from, to).reduce((s, v) => s + v, 0) * 1e6) / 1e6);

/** The smallest 1, 2 or 5 × 10^k at or above n: round numbers on the axis. Pure. */
export function niceCeil(n: number): number {
  if (n <= 0) return 0;
  const base = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * base >= n) return m * base;
  return 10 * base;
}

const W = 900;
const H = 320;
const PAD = { left: 72, right: 120, top: 16, bottom: 40 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

/** Horizontal grid lines with money labels, and the unit written along the axis. */
function axis(scaleMax: number, unit: string): Markup {
  const y = (v: number) => PAD.top + plotH - (scaleMax === 0 ? 0 : (v / scaleMax) * plotH);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const ty = y(scaleMax * f);
    return markup`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${fixed(ty)}" y2="${fixed(ty)}" class="grid"/><text x="${PAD.left - 6}" y="${fixed(ty + 4)}" text-anchor="end">${money(scaleMax * f)}</text>\n`;
  });
  return markup`${ticks}<text class="unit" transform="translate(14 ${fixed(PAD.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${unit}</text>\n`;
}

function spendChart(report: SpendReport, series: Series[], buckets: Buckets, cur: string): Markup {
  const values = series.map((s) => bucketValues(s.daily, buckets));
  const totals = bucketValues(report.totals.daily, buckets);
  const scaleMax = niceCeil(Math.max(0, ...totals));
  const h = (v: number) => (scaleMax === 0 ? 0 : (v / scaleMax) * plotH);
  const slot = plotW / Math.max(1, buckets.starts.length);
  const barW = Math.max(1, slot * 0.8);
  const lastIndex = buckets.starts.length - 1;
  const partial = (i: number) => report.partialDay !== null && i === lastIndex;
  const stacks = buckets.starts.map(() => 0);
  const groups = series.map((s, si) => {
    const rects = values[si].map((v, bi) => {
      if (!(v > 0)) return '';
      const height = h(v);
      const yTop = PAD.top + plotH - h(stacks[bi]) - height;
      stacks[bi] += v;
      const x = PAD.left + bi * slot + (slot - barW) / 2;
      const label = buckets.unit === 'week' ? `week of ${buckets.starts[bi]}` : buckets.starts[bi];
      return markup`<rect x="${fixed(x)}" y="${fixed(yTop)}" width="${fixed(barW)}" height="${fixed(height)}" data-date="${buckets.starts[bi]}" data-value="${v}"${partial(bi) ? raw(' class="partial"') : ''}><title>${s.name} ${label}${partial(bi) ? ' (partial)' : ''}: ${money(v)} ${cur}</title></rect>`;
    });
    return markup`<g class="series" data-key="${s.key}" data-name="${s.name}" fill="${colour(si, s.key)}">${rects}</g>\n`;
  });
  const labelEvery = Math.ceil(buckets.starts.length / 10);
  const xLabels = buckets.starts.map((d, i) =>
    i % labelEvery === 0 || partial(i)
      ? markup`<text x="${fixed(PAD.left + i * slot + slot / 2)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${d.slice(5)}</text>`
      : '',
  );
  const partialNote = report.partialDay
    ? markup`<text x="${fixed(PAD.left + lastIndex * slot + slot / 2)}" y="${H - PAD.bottom + 30}" text-anchor="middle">${buckets.unit === 'week' ? 'partial week' : 'today, partial'}</text>`
    : '';
  const unit = `${cur}/${buckets.unit}`;
  return markup`<svg id="daily-spend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Spend per ${buckets.unit} (${unit}) stacked by ${report.by}" data-unit="${unit}">
${axis(scaleMax, unit)}${groups}${xLabels}${partialNote}
</svg>`;
}

/** The month so far, cumulative, with the forecast to month end and the spend limit and alerts as lines. */
function monthChart(report: SpendReport, cur: string): Markup | '' {
  const m = report.month;
  if (!m) return '';
  const cumulative: number[] = [];
  m.daily.reduce((s, v, i) => (cumulative[i] = s + v), 0);
  const t = report.thresholds;
  const lines = [...(t?.limit !== undefined ? [t.limit] : []), ...(t?.alerts ?? [])];
  const scaleMax = niceCeil(Math.max(0, m.forecast, ...cumulative, ...lines));
  const x = (day: number) => PAD.left + (day / m.daysInMonth) * plotW; // day = days since the 1st, at the day's end
  const y = (v: number) => PAD.top + plotH - (scaleMax === 0 ? 0 : (v / scaleMax) * plotH);
  const points = cumulative.map((v, i) => `${fixed(x(i + 1))},${fixed(y(v))}`);
  const path = `${fixed(x(0))},${fixed(y(0))} ${points.join(' ')}`;
  const last = cumulative.length;
  const forecast = markup`<polyline class="forecast" points="${fixed(x(last))},${fixed(y(cumulative.at(-1) ?? 0))} ${fixed(x(m.daysInMonth))},${fixed(y(m.forecast))}" data-value="${m.forecast}"><title>forecast ${money(m.forecast)} ${cur}</title></polyline>`;
  const threshold = (value: number, kind: 'limit' | 'alert') =>
    markup`<line class="${kind}" x1="${PAD.left}" x2="${W - PAD.right}" y1="${fixed(y(value))}" y2="${fixed(y(value))}" data-value="${value}"/><text x="${W - PAD.right + 4}" y="${fixed(y(value) + 4)}">${kind === 'limit' ? 'limit' : 'alert'} ${money(value)}</text>`;
  const thresholdLines = [
    ...(t?.alerts ?? []).map((a) => threshold(a, 'alert')),
    ...(t?.limit !== undefined ? [threshold(t.limit, 'limit')] : []),
  ];
  const dayLabels = [1, 8, 15, 22, m.daysInMonth].map(
    (d) =>
      markup`<text x="${fixed(x(d - 0.5))}" y="${H - PAD.bottom + 16}" text-anchor="middle">${m.month.slice(5)}-${String(d).padStart(2, '0')}</text>`,
  );
  return markup`<h2>Month to date, ${m.month}</h2>
<p class="compare">${money(m.monthToDate)} ${cur} so far; forecast to month end ${money(m.forecast)} ${cur}. <span class="note">Method: ${m.method}.</span></p>
<svg id="month-to-date" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Cumulative spend this month (${cur}) with forecast, spend limit and alerts">
${axis(scaleMax, cur)}<polyline class="cumulative" points="${path}" data-value="${m.monthToDate}"><title>month to date ${money(m.monthToDate)} ${cur}</title></polyline>
${forecast}
${thresholdLines}${dayLabels}
<text x="${fixed(x(last) + 4)}" y="${fixed(y(cumulative.at(-1) ?? 0) - 6)}">now</text>
</svg>
<p class="note">Solid: spend so far; dashed: forecast${t?.limit !== undefined ? '; vermillion: spend limit' : ''}${t?.alerts.length ? '; orange dashed: spend alerts' : ''}${t ? '' : ' (spend limit and alerts could not be read)'}.</p>`;
}

export function renderSpendHtml(report: SpendReport, generatedAt: string): string {
  const series = chartSeries(report);
  const buckets = chartBuckets(report.dates);
  const cur = report.currency || 'USD';
  const legend = series.map(
    (s, i) =>
      markup`<li><span class="swatch c${s.key === '(other)' ? OKABE_ITO.length : i % OKABE_ITO.length}"></span>${s.name}</li>`,
  );
  const usage = report.totals.requests !== undefined;
  const byProject = report.by === 'project';
  const label = { project: 'Project', line_item: 'Line item', model: 'Model' }[report.by];
  const rowCells = (r: SpendFigures) =>
    markup`<td class="num">${money(r.cost)}</td><td class="num">${money(r.previous_cost)}</td><td class="num">${signedMoney(r.change)}</td><td class="num">${signedPercent(r.change_pct, r.cost)}</td>${usage ? markup`<td class="num">${count(r.requests ?? 0)}</td><td class="num">${count(r.input_tokens ?? 0)}</td><td class="num">${count(r.output_tokens ?? 0)}</td><td class="num">${perMillion(r.cost_per_1m_tokens)}</td>` : ''}`;
  const rows = report.rows.map(
    (r) =>
      markup`<tr${r.cost === 0 ? raw(' class="zero"') : ''}><td>${r.name}</td>${byProject ? markup`<td class="id">${r.key}</td>` : ''}${rowCells(r)}<td class="num">${(r.share * 100).toFixed(1)}%</td></tr>`,
  );
  const title = `Spend by ${label.toLowerCase()}, ${report.from} to ${report.to}`;
  const p = report.previous;
  const change = report.totals.change;
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${SPEND_HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<h1>${title}</h1>
<p class="meta">${report.dates.length} days (UTC)${report.partialDay ? ` · today (${report.partialDay}) is partial` : ''} · currency ${report.currency || 'n/a'} · generated ${generatedAt} by openai-admin</p>
<p class="total" id="total">${money(report.totals.cost)} ${report.currency}</p>
<p class="compare" id="previous">previous period ${p.from} to ${p.to} (${p.description}): ${money(p.cost)} ${cur} · <span class="${change > 0 ? 'up' : change < 0 ? 'down' : ''}">${signedMoney(change)} ${cur}${report.totals.change_pct === null ? '' : ` (${signedPercent(report.totals.change_pct, report.totals.cost)})`}</span></p>
<h2>Spend per ${buckets.unit}</h2>
${spendChart(report, series, buckets, cur)}
<ul class="legend">${legend}</ul>
${monthChart(report, cur)}
<table id="top">
<thead><tr><th>${label}</th>${byProject ? raw('<th>ID</th>') : ''}<th class="num">Cost (${cur})</th><th class="num">Previous</th><th class="num">Change</th><th class="num">Change %</th>${usage ? markup`<th class="num">Requests</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">${cur} / 1M tokens</th>` : ''}<th class="num">Share</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td>Total</td>${byProject ? raw('<td></td>') : ''}${rowCells(report.totals)}<td class="num">100%</td></tr></tfoot>
</table>
<p class="note">Whole UTC days, as invoices count them. ${cur} / 1M tokens: all of a row's cost over its input and output tokens.</p>
</body>
</html>
`.text;
}
