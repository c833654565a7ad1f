/**
 * A month of the emulator's costs as FOCUS 1.2: the rows pass our checker with no violation, and their BilledCost adds
 * up to the costs endpoint's amounts exactly (decimal text, not floats), and so to the cent. (The endpoint's total under
 * another grouping can differ by a few cents: the emulator rounds tool calls per row, so per-project call counts do not
 * add up to the ungrouped count; the export's grouping is the finest the endpoint offers, and the one compared.) With
 * the live API's quirks (costs a day late, usage revised), the file equals what the endpoint says at the time it is
 * made, and the emulator's final truth once the month has settled. Time is a hand-moved clock.
 */
import { OpenAIAdmin } from '../../src/index.js';
import { fetchFocus, focusRows, FOCUS_COLUMNS, roundDecimal, sumDecimals } from '../../src/focus/index.js';
import { manualClock, startEmulator, type Emulator, type EmulatorOptions } from '../../src/testing/index.js';
import { addDecimals, checkFocusRows } from '../support/focus-check';

const KEY = 'sk-admin-focus-export';
const NOV = { start: Date.UTC(2026, 10, 1) / 1000, end: Date.UTC(2026, 11, 1) / 1000 };
const DAY = 86_400;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions, nowSeconds: number) {
  const clock = manualClock(nowSeconds * 1000);
  const started = (emu = await startEmulator({ seed: 'focus', now: clock.now, ...options }));
  return { clock, emu: started, admin: new OpenAIAdmin({ apiKey: KEY, baseURL: started.url, validate: 'strict' }) };
}

/** The costs endpoint's amounts for November as exact text, by the same grouping the export uses or none. */
async function endpointAmounts(admin: OpenAIAdmin, grouped = true): Promise<string[]> {
  const out: string[] = [];
  for await (const r of admin
    .costs({
      start_time: NOV.start,
      end_time: NOV.end,
      limit: 31,
      ...(grouped ? { group_by: ['project_id', 'line_item'] as ('project_id' | 'line_item')[] } : {}),
    })
    .rows())
    out.push(r.amount!.value_decimal!);
  return out;
}

const billed = (rows: { BilledCost: string | null }[]) => addDecimals(rows.map((r) => r.BilledCost!));

describe('FOCUS export of a settled month', () => {
  test.each([
    ['the spec’s behaviour (number amounts)', {}],
    ["realism: 'api' (decimal-string amounts of 19 places)", { realism: 'api' as const, rateLimit: false as const }],
  ])(
    '%s: no violation, and BilledCost adds up to the costs endpoint exactly and to its total to the cent',
    async (_, options) => {
      const { admin } = await start(options, NOV.end + 5 * DAY);
      const { rows, warnings } = await fetchFocus(admin, { month: '2026-11' });
      expect(warnings).toEqual([]);
      expect(rows.length).toBeGreaterThan(30 * 5);
      expect(checkFocusRows(FOCUS_COLUMNS, rows).violations).toEqual([]);

      const grouped = await endpointAmounts(admin, true);
      expect(rows.map((r) => r.BilledCost)).toEqual(grouped); // row for row, the text the API sent
      expect(billed(rows)).toBe(addDecimals(grouped));
      expect(roundDecimal(billed(rows), 2)).toBe(roundDecimal(addDecimals(grouped), 2));
      expect(sumDecimals(rows.map((r) => r.BilledCost!))).toBe(billed(rows)); // the exporter's own sum agrees
    },
  );

  test('every project is a sub account named as the API names it; every row lies in November', async () => {
    const { admin } = await start({}, NOV.end + 5 * DAY);
    const names = new Map<string, string>();
    for await (const p of admin.projects.list({ include_archived: true })) names.set(p.id, p.name ?? p.id);
    const { rows } = await fetchFocus(admin, { month: '2026-11' });
    for (const r of rows) {
      expect(r.SubAccountName).toBe(names.get(r.SubAccountId!));
      expect(r.ChargePeriodStart! >= '2026-11-01T00:00:00Z' && r.ChargePeriodEnd! <= '2026-12-01T00:00:00Z').toBe(true);
      expect(r.ConsumedQuantity).toMatch(/^\d+$/);
    }
    expect(new Set(rows.map((r) => r.ChargePeriodStart)).size).toBe(30);
  });
});

describe('FOCUS export while the month settles (realism: api: costs a day late, usage revised)', () => {
  test('made before the last day’s costs arrived, the file equals the endpoint then; a day later it equals the final truth to the digit', async () => {
    const { clock, admin, emu } = await start({ realism: 'api', rateLimit: false }, NOV.end + 6 * 3600);
    const truth = emu
      .truth('usageCosts', {
        start_time: NOV.start,
        end_time: NOV.end,
        group_by: ['project_id', 'line_item'],
        limit: 31,
      })
      .flatMap((b) => b.results.map((r) => String(r.amount!.value)));

    const early = await fetchFocus(admin, { month: '2026-11' });
    expect(checkFocusRows(FOCUS_COLUMNS, early.rows).violations).toEqual([]);
    expect(billed(early.rows)).toBe(addDecimals(await endpointAmounts(admin, true)));
    expect(early.rows.some((r) => r.ChargePeriodStart === '2026-11-30T00:00:00Z')).toBe(false); // still to come
    expect(early.rows.length).toBeLessThan(truth.length);

    clock.set((NOV.end + DAY) * 1000); // the 30th's costs are a day old: the month is complete
    const settled = await fetchFocus(admin, { month: '2026-11' });
    expect(checkFocusRows(FOCUS_COLUMNS, settled.rows).violations).toEqual([]);
    expect(settled.rows.map((r) => r.BilledCost)).toEqual(truth);
    expect(billed(settled.rows)).toBe(addDecimals(truth));
    expect(roundDecimal(billed(settled.rows), 2)).toBe(roundDecimal(addDecimals(truth), 2));
  });
});

describe('quantities from usage where costs carry none', () => {
  test('a token line item without quantity takes the tokens usage reports for its day, project and model', () => {
    const day = { start_time: NOV.start, end_time: NOV.start + DAY };
    const cost = (line_item: string) => ({ ...day, project_id: 'p', line_item, amount: { value: 1, currency: 'usd' } });
    const { rows, warnings } = focusRows({
      month: '2026-11',
      costs: [
        cost('o3-2025-04-16, input'),
        cost('o3-2025-04-16, cached input'),
        cost('o3-2025-04-16, output'),
        cost('web search tool calls'),
      ],
      usage: [
        {
          start_time: NOV.start,
          project_id: 'p',
          model: 'o3-2025-04-16',
          input_tokens: 1000,
          input_cached_tokens: 300,
          output_tokens: 250,
        },
      ],
    });
    expect(rows.map((r) => [r.PricingQuantity, r.PricingUnit])).toEqual([
      ['700', 'Tokens'],
      ['300', 'Tokens'],
      ['250', 'Tokens'],
      [null, null],
    ]);
    expect(warnings).toEqual([
      "no quantity for line item 'web search tool calls': PricingQuantity and ConsumedQuantity left null",
    ]);
  });
});
