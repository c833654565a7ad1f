/**
 * `report spend --html report.html`: one self-contained page (inline CSS and SVG, no script, no network) with
 * daily spend stacked by the chosen dimension, a legend, and the top groups with totals. Pure: report → HTML.
 *
 * Everything in the report came from a server (names, ids, line items, models, the currency, counters), so the
 * page is written with `markup` templates, which escape every value (output/html.ts), and it carries its own
 * Content-Security-Policy: no script, no network, only its own stylesheet (by hash). An escape missed some day
 * still runs nothing.
 *
 * The SVG is readable by machines too: each series is `<g class="series" data-key data-name>` holding one
 * `<rect data-date data-value>` per day with spend, so a test (or a person with devtools) can check the chart
 * against the numbers.
 */
import { createHash } from 'node:crypto';
import { markup, raw } from '../output/html.js';
import type { SpendReport } from './spend-report.js';

/** The chart shows the top groups; the rest are summed into one "other" series. */
export const TOP_SERIES = 8;
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A counter as digits; anything but a finite number (which the report should never hold) is shown as nothing. */
const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '');

/** The page's only style: one sheet, allowed by its hash (legend swatches are classes, not style attributes). */
const STYLE = `
  body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .meta { color: #57606a; margin: 0 0 16px; }
  .total { font-size: 28px; font-weight: 600; margin: 8px 0 16px; }
  svg text { font-size: 11px; fill: #57606a; }
  svg .grid { stroke: #d0d7de; stroke-width: 1; }
  ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }
  .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
${COLORS.map((c, i) => `  .swatch.c${i} { background: ${c}; }`).join('\n')}
  table { border-collapse: collapse; margin-top: 16px; }
  th, td { padding: 4px 12px; border-bottom: 1px solid #d0d7de; text-align: left; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.id { color: #57606a; font-family: ui-monospace, monospace; font-size: 12px; }
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

/** The top groups, plus "other" when there are more. Pure. */
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

export function renderSpendHtml(report: SpendReport, generatedAt: string): string {
  const series = chartSeries(report);
  const W = 900,
    H = 320,
    left = 64,
    bottom = 40,
    top = 16,
    right = 16;
  const plotW = W - left - right,
    plotH = H - top - bottom;
  const max = Math.max(0, ...report.totals.daily);
  const scaleMax = niceCeil(max);
  const slot = plotW / Math.max(1, report.dates.length);
  const barW = Math.max(1, slot * 0.8);
  const y = (v: number) => (scaleMax === 0 ? 0 : (v / scaleMax) * plotH);

  const stacks = report.dates.map(() => 0);
  const groups = series.map((s, si) => {
    const rects = s.daily.map((v, di) => {
      if (!(v > 0)) return '';
      const h = y(v);
      const yTop = top + plotH - y(stacks[di]) - h;
      stacks[di] += v;
      return markup`<rect x="${(left + di * slot + (slot - barW) / 2).toFixed(1)}" y="${yTop.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" data-date="${report.dates[di]}" data-value="${v}"><title>${s.name} ${report.dates[di]}: ${money(v)} ${report.currency}</title></rect>`;
    });
    return markup`<g class="series" data-key="${s.key}" data-name="${s.name}" fill="${COLORS[si % COLORS.length]}">${rects}</g>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = scaleMax * f;
    const ty = top + plotH - y(v);
    return markup`<line x1="${left}" x2="${W - right}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" class="grid"/><text x="${left - 6}" y="${(ty + 4).toFixed(1)}" text-anchor="end">${money(v)}</text>`;
  });
  const labelEvery = Math.ceil(report.dates.length / 10);
  const xLabels = report.dates.map((d, i) =>
    i % labelEvery === 0
      ? markup`<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${d.slice(5)}</text>`
      : '',
  );
  const legend = series.map((s, i) => markup`<li><span class="swatch c${i % COLORS.length}"></span>${s.name}</li>`);
  const usage = report.totals.requests !== undefined;
  const byProject = report.by === 'project';
  const label = { project: 'Project', line_item: 'Line item', model: 'Model' }[report.by];
  const tokens = (r: { input_tokens?: number; output_tokens?: number }) =>
    count((r.input_tokens ?? 0) + (r.output_tokens ?? 0));
  const rows = report.rows.map(
    (r) =>
      markup`<tr><td>${r.name}</td>${byProject ? markup`<td class="id">${r.key}</td>` : ''}<td class="num">${money(r.cost)}</td><td class="num">${(r.share * 100).toFixed(1)}%</td>${usage ? markup`<td class="num">${count(r.requests ?? 0)}</td><td class="num">${tokens(r)}</td>` : ''}</tr>`,
  );
  const title = `Spend by ${label.toLowerCase()}, ${report.from} to ${report.to}`;
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
<p class="meta">${report.dates.length} days (UTC) · currency ${report.currency || 'n/a'} · generated ${generatedAt} by openai-admin</p>
<p class="total" id="total">${money(report.totals.cost)} ${report.currency}</p>
<svg id="daily-spend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Daily spend stacked by ${label.toLowerCase()}">
${ticks.map((t) => markup`${t}\n`)}${groups.map((g) => markup`${g}\n`)}${xLabels}
</svg>
<ul class="legend">${legend}</ul>
<table id="top">
<thead><tr><th>${label}</th>${byProject ? raw('<th>ID</th>') : ''}<th class="num">Cost (${report.currency})</th><th class="num">Share</th>${usage ? raw('<th class="num">Requests</th><th class="num">Tokens</th>') : ''}</tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td>Total</td>${byProject ? raw('<td></td>') : ''}<td class="num">${money(report.totals.cost)}</td><td class="num">100%</td>${usage ? markup`<td class="num">${count(report.totals.requests ?? 0)}</td><td class="num">${tokens(report.totals)}</td>` : ''}</tr></tfoot>
</table>
</body>
</html>
`.text;
}

/** The smallest 1, 2 or 5 × 10^k at or above n: round numbers on the axis. Pure. */
export function niceCeil(n: number): number {
  if (n <= 0) return 0;
  const base = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * base >= n) return m * base;
  return 10 * base;
}
