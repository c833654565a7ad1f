/**
 * `npx tsx scripts/spend-dashboard-image.ts`: docs/images/spend-dashboard.png, the picture of the Grafana dashboard
 * in docs/spend.md. Grafana is not installable here (neither Debian nor npm has it), so this is a rendering of the
 * dashboard's panels, not a Grafana screenshot: each panel of docs/grafana/openai-admin-spend.json, laid out by its
 * gridPos, shows what its own PromQL returns from Debian's Prometheus (the Grafana variables filled as the spend
 * suite fills them), drawn here as plain SVG and HTML and captured by Debian's Chromium (playwright-core, offline).
 *
 * The data: the exporter (in this process) over a SQLite ledger, syncing every 250 ms from a seeded emulator with the
 * live API's quirks, whose clock runs half an hour per real half second (RUN_MS of real time is about
 * RUN_MS / 1000 hours of usage); Prometheus scrapes every second. Time axes are Prometheus' (real) time, labelled
 * with the emulator's time they correspond to. Run again when the dashboard changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIAdmin } from '../src/index.js';
import { openLedger, startExporter } from '../src/ledger/index.js';
import { manualClock, startEmulator } from '../src/testing/index.js';
import { startPrometheus } from '../test/slow/spend/support/components.js';
import { screenshotHtml } from './lib/screenshot.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs', 'images', 'spend-dashboard.png');
const RUN_MS = 150_000;
/** Emulated seconds per real millisecond: half an hour per half second. */
const SPEED = 1_800 / 500;
const START = Date.UTC(2026, 10, 1) / 1000;

interface Panel {
  title: string;
  type: 'timeseries' | 'barchart' | 'table' | 'stat';
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Array<{ expr: string; legendFormat?: string }>;
  fieldConfig?: { defaults?: { unit?: string } };
}
type Sample = { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> };

const dashboard = JSON.parse(readFileSync(join(root, 'docs', 'grafana', 'openai-admin-spend.json'), 'utf8')) as {
  title: string;
  panels: Panel[];
};
/** As the spend suite fills them (test/slow/spend/exporter.test.ts): all projects, a short rate window. */
const filled = (expr: string) => expr.replace(/\$__rate_interval/g, '15s').replace(/\$project/g, '.*');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function format(unit: string | undefined, v: number): string {
  if (unit === 'currencyUSD') return `$${v.toFixed(2)}`;
  if (unit === 's')
    return v >= 3_600 ? `${(v / 3_600).toFixed(1)} h` : v >= 60 ? `${Math.round(v / 60)} min` : `${v} s`;
  const abs = Math.abs(v);
  return abs >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : abs >= 1e3 ? `${(v / 1e3).toFixed(1)}K` : `${+v.toFixed(2)}`;
}
const legend = (metric: Record<string, string>) =>
  Object.entries(metric)
    .filter(([k]) => k !== '__name__')
    .map(([, v]) => v)
    .join(', ') || 'total';
const COLORS = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642'];

function timeseries(
  panel: Panel,
  series: Array<{ name: string; points: Array<[number, number]> }>,
  emu: (t: number) => number,
) {
  const W = 560;
  const H = 230;
  const all = series.flatMap((s) => s.points);
  if (!all.length) return '<p class="empty">no data</p>';
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const vmax = Math.max(...all.map((p) => p[1]), 1e-9);
  const x = (t: number) => 50 + ((t - t0) / Math.max(1, t1 - t0)) * (W - 60);
  const y = (v: number) => H - 20 - (v / vmax) * (H - 30);
  const unit = panel.fieldConfig?.defaults?.unit;
  const grid = [0, 0.5, 1]
    .map(
      (f) =>
        `<line x1="50" x2="${W - 10}" y1="${y(vmax * f)}" y2="${y(vmax * f)}" class="grid"/><text x="46" y="${y(vmax * f) + 4}" class="tick" text-anchor="end">${esc(format(unit, vmax * f))}</text>`,
    )
    .join('');
  const day = (t: number) => new Date(emu(t) * 1000).toISOString().slice(5, 13).replace('T', ' ') + 'h';
  const ticks = [t0, (t0 + t1) / 2, t1]
    .map(
      (t, i) =>
        `<text x="${x(t)}" y="${H - 4}" class="tick" text-anchor="${['start', 'middle', 'end'][i]}">${day(t)}</text>`,
    )
    .join('');
  const lines = series
    .map(
      (s, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const keys = series
    .map((s, i) => `<span class="key"><i style="background:${COLORS[i % COLORS.length]}"></i>${esc(s.name)}</span>`)
    .join('');
  return `<svg width="${W}" height="${H}">${grid}${ticks}${lines}</svg><div class="legend">${keys}</div>`;
}

function bars(panel: Panel, rows: Array<{ name: string; value: number }>) {
  const unit = panel.fieldConfig?.defaults?.unit;
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  return rows
    .map(
      (r, i) =>
        `<div class="bar"><span class="label">${esc(r.name)}</span><span class="track"><span style="width:${(r.value / max) * 100}%;background:${COLORS[i % COLORS.length]}"></span></span><span class="value">${esc(format(unit, r.value))}</span></div>`,
    )
    .join('');
}

const table = (panel: Panel, rows: Array<{ name: string; value: number }>) =>
  `<table>${rows
    .slice(0, 9)
    .map(
      (r) =>
        `<tr><td>${esc(r.name)}</td><td class="num">${esc(format(panel.fieldConfig?.defaults?.unit, r.value))}</td></tr>`,
    )
    .join('')}</table>${rows.length > 9 ? `<p class="more">… ${rows.length - 9} more line items</p>` : ''}`;

const work = mkdtempSync(join(tmpdir(), 'openai-admin-dashboard-image-'));
const clock = manualClock((START + 3_600) * 1000);
const emu = await startEmulator({ seed: 'docs', projects: 5, realism: 'api', rateLimit: false, now: clock.now });
const store = await openLedger(join(work, 'ledger.db'));
const seconds = () => Math.floor(clock.now() / 1000);
const exporter = await startExporter(new OpenAIAdmin({ apiKey: 'sk-admin-docs', baseURL: emu.url }), store, {
  port: 0,
  intervalMs: 250,
  sync: { since: START, bucketWidth: '1h', series: ['usage.completions', 'costs'], now: seconds },
});
await exporter.firstSync;
const prometheus = await startPrometheus(exporter.url.replace(/^http:\/\//, ''));
try {
  const realStart = Date.now() / 1000;
  const emuStart = seconds();
  const tick = setInterval(() => clock.advance(500 * SPEED * 1000), 500);
  await new Promise((r) => setTimeout(r, RUN_MS));
  clearInterval(tick);
  await new Promise((r) => setTimeout(r, 3_000)); // the last sync scraped
  const realEnd = Date.now() / 1000;
  const emuAt = (t: number) => emuStart + (t - realStart) * 1000 * SPEED;

  const cells: string[] = [];
  for (const panel of dashboard.panels) {
    let body: string;
    if (panel.type === 'timeseries') {
      const series = [];
      for (const target of panel.targets) {
        const q = new URLSearchParams({
          query: filled(target.expr),
          start: String(realStart),
          end: String(realEnd),
          step: '2',
        });
        const res = (await (await fetch(`${prometheus.url}/api/v1/query_range?${q}`)).json()) as {
          data: { result: Sample[] };
        };
        const what = /openai_admin_usage_(\w+?)_total/.exec(target.expr)?.[1];
        for (const s of res.data.result)
          series.push({
            name: `${legend(s.metric)}${panel.targets.length > 1 && what ? ` (${what.replace(/_/g, ' ')})` : ''}`,
            points: s.values!.map(([t, v]) => [t, Number(v)] as [number, number]),
          });
      }
      body = timeseries(panel, series, emuAt);
    } else {
      const result = (await prometheus.query(filled(panel.targets[0].expr))) as Sample[];
      const rows = result
        .map((s) => ({ name: legend(s.metric), value: Number(s.value![1]) }))
        .sort((a, b) => b.value - a.value);
      body =
        panel.type === 'stat'
          ? `<div class="stat">${esc(format(panel.fieldConfig?.defaults?.unit, rows[0]?.value ?? 0))}</div>`
          : panel.type === 'table'
            ? table(panel, rows)
            : bars(panel, rows);
    }
    const g = panel.gridPos;
    const exprs = panel.targets.map((t) => `<code>${esc(t.expr)}</code>`).join('<br>');
    cells.push(
      `<section style="grid-column:${g.x + 1} / span ${g.w};grid-row:${g.y / 8 + 1}"><h2>${esc(panel.title)}</h2>${body}<footer>${exprs}</footer></section>`,
    );
  }
  const from = new Date(emuStart * 1000).toISOString().slice(0, 16);
  const to = new Date(emuAt(realEnd) * 1000).toISOString().slice(0, 16);
  const html = `<!doctype html><meta charset="utf-8"><style>
    body { background:#111217; color:#ccccdc; font:13px system-ui, sans-serif; margin:16px; width:1180px }
    h1 { font-size:18px; margin:0 0 4px } .note { color:#8e8e9a; margin:0 0 12px }
    main { display:grid; grid-template-columns:repeat(24, 1fr); gap:8px }
    section { background:#181b1f; border:1px solid #2c3235; border-radius:3px; padding:8px; overflow:hidden }
    h2 { font-size:13px; margin:0 0 6px } footer { color:#6e7079; font-size:10px; margin-top:4px }
    code { font-family:monospace } .grid { stroke:#2c3235 } .tick { fill:#8e8e9a; font-size:10px }
    .legend { font-size:11px } .key { margin-right:10px; white-space:nowrap } .key i { display:inline-block; width:10px; height:3px; margin-right:4px; vertical-align:middle }
    .bar { display:flex; align-items:center; margin:5px 0 } .label { width:150px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap }
    .track { flex:1; background:#22252b; height:14px; margin:0 8px } .track span { display:block; height:14px } .value { width:80px; text-align:right }
    table { width:100%; border-collapse:collapse } td { border-bottom:1px solid #2c3235; padding:3px } .num { text-align:right }
    .stat { font-size:56px; color:#73bf69; text-align:center; margin:40px 0 } .more { color:#8e8e9a; margin:4px 0 } .empty { color:#8e8e9a }
  </style><h1>${esc(dashboard.title)}</h1>
  <p class="note">A rendering of the shipped dashboard's panels (docs/grafana/openai-admin-spend.json), not a Grafana screenshot:
  each panel shows what its own PromQL returned from Prometheus, scraping the exporter over a seeded emulator whose clock ran
  ${from} → ${to} UTC in ${Math.round(RUN_MS / 1000)} s (time axes show the emulator's time). Range windows in the
  queries are Prometheus' real time, so <code>[1d]</code> and <code>[1h]</code> span the whole run: "Cost per day" is
  the growth since the run began. Drawn by scripts/spend-dashboard-image.ts.</p>
  <main>${cells.join('')}</main>`;
  const file = join(work, 'dashboard.html');
  writeFileSync(file, html);
  await screenshotHtml(file, out, { width: 1212, height: 900 });
  console.log(`wrote ${out}`);
} finally {
  await prometheus.stop();
  await exporter.close();
  await store.close();
  await emu.close();
  rmSync(work, { recursive: true, force: true });
}
