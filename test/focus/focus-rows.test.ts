/** The pure parts of openai-admin/focus: exact decimals, the month, and refusals that name the field. */
import { billingPeriod, focusRows, plainDecimal, roundDecimal, sumDecimals } from '../../src/focus/index.js';

const NOV_1 = Date.UTC(2026, 10, 1) / 1000;
const DAY = 86_400;
const cost = (over: Record<string, unknown> = {}) => ({
  start_time: NOV_1,
  end_time: NOV_1 + DAY,
  project_id: 'proj_a',
  line_item: 'gpt-4o-2024-08-06, output',
  amount: { value: 1.5, value_decimal: '1.5', currency: 'usd' },
  quantity: 150_000,
  quantity_unit: 'tokens',
  ...over,
});

describe('decimals', () => {
  test('plainDecimal writes exponents out and drops a plus sign; plain text stays exactly as sent', () => {
    expect(plainDecimal('1e-7')).toBe('0.0000001');
    expect(plainDecimal('1.5E3')).toBe('1500');
    expect(plainDecimal('+2.50')).toBe('2.50');
    expect(plainDecimal('-.5')).toBe('-0.5');
    expect(plainDecimal('0.0123456789012345678')).toBe('0.0123456789012345678');
    expect(() => plainDecimal('1,5')).toThrow(RangeError);
    expect(() => plainDecimal('')).toThrow(RangeError);
    expect(() => plainDecimal('1e999999')).toThrow(RangeError);
  });

  test('sumDecimals is exact where floats are not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['0.0123456789012345678', '1', 2])).toBe('3.0123456789012345678');
    expect(sumDecimals(['-1.25', '1.25'])).toBe('0.00');
    expect(sumDecimals([])).toBe('0');
    const tenThousand = Array.from({ length: 10_000 }, () => '0.0000001');
    expect(sumDecimals(tenThousand)).toBe('0.0010000');
  });

  test('roundDecimal rounds half away from zero to the cent', () => {
    expect(roundDecimal('12.345', 2)).toBe('12.35');
    expect(roundDecimal('12.3449999999999999999', 2)).toBe('12.34');
    expect(roundDecimal('-12.345', 2)).toBe('-12.35');
    expect(roundDecimal('-0.004', 2)).toBe('0.00');
    expect(roundDecimal('7', 2)).toBe('7.00');
  });
});

describe('focusRows', () => {
  test('maps a cost: account, periods, service, SKU, meter, sub account, quantities, the amount four times', () => {
    const { rows } = focusRows({
      month: '2026-11',
      costs: [cost({ amount: { value: 1e-7, currency: 'usd' } })],
      projectNames: new Map([['proj_a', 'Search']]),
      billingAccount: { id: 'org-123', name: 'Acme' },
    });
    expect(rows[0]).toMatchObject({
      BillingAccountId: 'org-123',
      BillingAccountName: 'Acme',
      BillingCurrency: 'USD',
      BillingPeriodStart: '2026-11-01T00:00:00Z',
      BillingPeriodEnd: '2026-12-01T00:00:00Z',
      ChargePeriodStart: '2026-11-01T00:00:00Z',
      ChargePeriodEnd: '2026-11-02T00:00:00Z',
      ChargeCategory: 'Usage',
      ChargeClass: null,
      BilledCost: '0.0000001',
      EffectiveCost: '0.0000001',
      ListCost: '0.0000001',
      ContractedCost: '0.0000001',
      PricingQuantity: '150000',
      PricingUnit: 'Tokens',
      ServiceName: 'gpt-4o-2024-08-06',
      SkuId: 'gpt-4o-2024-08-06, output',
      SkuMeter: 'output',
      SubAccountId: 'proj_a',
      SubAccountName: 'Search',
      SubAccountType: 'Project',
    });
  });

  test('a cost without a project has no sub account; an unknown project is named by its id; calls count as Requests', () => {
    const { rows } = focusRows({
      month: '2026-11',
      costs: [
        cost({ project_id: null }),
        cost({ project_id: 'proj_gone' }),
        cost({ line_item: 'web search tool calls', quantity: 3, quantity_unit: null }),
      ],
    });
    expect(rows.map((r) => [r.SubAccountId, r.SubAccountName, r.SubAccountType])).toEqual([
      [null, null, null],
      ['proj_gone', 'proj_gone', 'Project'],
      ['proj_a', 'proj_a', 'Project'],
    ]);
    expect(rows[2]).toMatchObject({
      ServiceName: 'web search tool calls',
      PricingQuantity: '3',
      PricingUnit: 'Requests',
    });
  });

  test.each([
    ['a cost outside the month', cost({ start_time: NOV_1 - DAY, end_time: NOV_1 }), /costs row 0: .*outside 2026-11/],
    ['a cost without a line item', cost({ line_item: null }), /costs row 0: line_item is missing/],
    [
      'an amount that is no number',
      cost({ amount: { value: NaN, value_decimal: 'abc', currency: 'usd' } }),
      /amount\.value/,
    ],
    ['an amount that is missing', cost({ amount: null }), /amount\.value/],
    ['a currency that is no ISO code', cost({ amount: { value: 1, currency: 'dollars' } }), /amount\.currency/],
  ])('refuses %s, naming the row and the field', (_what, bad, message) => {
    expect(() => focusRows({ month: '2026-11', costs: [cost(), bad].reverse() })).toThrow(message);
  });

  test('billingPeriod takes YYYY-MM only, naming month', () => {
    expect(billingPeriod('2026-12')).toEqual({ start: Date.UTC(2026, 11, 1) / 1000, end: Date.UTC(2027, 0, 1) / 1000 });
    for (const bad of ['2026-13', '2026-1', '26-11', '2026-11-01', ''])
      expect(() => billingPeriod(bad)).toThrow(/month must be YYYY-MM/);
  });
});
