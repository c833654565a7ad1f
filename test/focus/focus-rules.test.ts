/**
 * The FOCUS rules file and our checker: the rules cover the FOCUS 1.2 column list and cite it, and the checker fails
 * every kind of row the rules forbid (so a clean result on the exporter's output means something).
 */
import { focusRows, FOCUS_COLUMNS, type FocusRow } from '../../src/focus/index.js';
import { checkFocusRows, loadFocusRules } from '../support/focus-check';

const rules = loadFocusRules('1.2');
const NOV_1 = Date.UTC(2026, 10, 1) / 1000;
const DAY = 86_400;

/** A valid dataset from the exporter: two days, two projects, a token line item and a tool line item. */
function validRows(): FocusRow[] {
  return focusRows({
    month: '2026-11',
    costs: [
      {
        start_time: NOV_1,
        end_time: NOV_1 + DAY,
        project_id: 'proj_a',
        line_item: 'gpt-4o-2024-08-06, input',
        amount: { value: 0.25, value_decimal: '0.25', currency: 'usd' },
        quantity: 100_000,
        quantity_unit: 'tokens',
      },
      {
        start_time: NOV_1 + DAY,
        end_time: NOV_1 + 2 * DAY,
        project_id: null,
        line_item: 'web search tool calls',
        amount: { value: 0.02, value_decimal: '0.0200000000000000001', currency: 'usd' },
        quantity: 2,
        quantity_unit: null,
      },
    ],
    projectNames: new Map([['proj_a', 'Search']]),
  }).rows;
}

const check = (rows: Record<string, string | null>[], header: readonly string[] = FOCUS_COLUMNS) =>
  checkFocusRows(header, rows, rules).violations.map((v) => v.rule);

describe('the FOCUS 1.2 rules file', () => {
  test('names its source (the FOCUS_Spec repository at tag v1.2) and covers the 57 columns of the spec, each citing its file', () => {
    expect(rules.focusVersion).toBe('1.2');
    expect(rules.source).toMatchObject({ tag: 'v1.2', repository: expect.stringContaining('FOCUS_Spec') });
    expect(rules.columns).toHaveLength(57);
    for (const c of rules.columns) {
      expect(c.source).toMatch(/^specification\/columns\/[a-z]+\.md$/);
      expect(['Mandatory', 'Recommended', 'Conditional']).toContain(c.featureLevel);
      expect(['String', 'Decimal', 'Date/Time', 'JSON']).toContain(c.dataType);
    }
    const mandatory = rules.columns.filter((c) => c.featureLevel === 'Mandatory').map((c) => c.column);
    expect(mandatory).toEqual(expect.arrayContaining(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']));
    for (const r of rules.relations) expect(r.source).toMatch(/specification\//);
  });

  test('the exporter writes every Mandatory column, and no column that is neither FOCUS nor x_', () => {
    const known = new Set(rules.columns.map((c) => c.column));
    for (const c of FOCUS_COLUMNS) expect(known.has(c)).toBe(true);
    for (const c of rules.columns.filter((c) => c.featureLevel === 'Mandatory'))
      expect(FOCUS_COLUMNS as readonly string[]).toContain(c.column);
  });
});

describe('the checker', () => {
  test('passes the exporter’s rows', () => {
    expect(check(validRows())).toEqual([]);
  });

  const mutations: [string, (r: Record<string, string | null>) => void, string][] = [
    ['a null in a not-nullable column', (r) => (r.BilledCost = null), 'not-null'],
    ['a positive sign on a decimal', (r) => (r.BilledCost = '+0.25'), 'format:Decimal'],
    ['a comma in a decimal', (r) => (r.ListCost = '1,25'), 'format:Decimal'],
    ['a currency symbol', (r) => (r.EffectiveCost = '$0.25'), 'format:Decimal'],
    ['a date/time without Z', (r) => (r.ChargePeriodStart = '2026-11-01T00:00:00'), 'format:Date/Time'],
    ['a date with an offset', (r) => (r.BillingPeriodEnd = '2026-12-01T00:00:00+01:00'), 'format:Date/Time'],
    ['a lower-case currency', (r) => (r.BillingCurrency = 'usd'), 'format:Currency'],
    ['a ChargeCategory outside the allowed values', (r) => (r.ChargeCategory = 'Use'), 'allowed-values'],
    ['a ChargeClass other than Correction', (r) => (r.ChargeClass = 'Refund'), 'allowed-values'],
    ['a ServiceCategory outside the list', (r) => (r.ServiceCategory = 'AI'), 'allowed-values'],
    [
      'a charge period that ends before it starts',
      (r) => (r.ChargePeriodEnd = '2026-10-31T00:00:00Z'),
      'relation:charge-period-order',
    ],
    ['an empty charge period', (r) => (r.ChargePeriodEnd = r.ChargePeriodStart), 'relation:charge-period-order'],
    [
      'a billing period that ends before it starts',
      (r) => (r.BillingPeriodEnd = '2026-10-01T00:00:00Z'),
      'relation:billing-period-order',
    ],
    [
      'a usage charge without a PricingQuantity',
      (r) => ((r.PricingQuantity = null), (r.PricingUnit = null)),
      'relation:pricing-quantity-usage',
    ],
    ['a quantity without its unit', (r) => (r.PricingUnit = null), 'relation:pricing-unit-with-quantity'],
    ['a consumed quantity without its unit', (r) => (r.ConsumedUnit = null), 'relation:consumed-unit-with-quantity'],
    [
      'a usage charge without a ConsumedQuantity',
      (r) => ((r.ConsumedQuantity = null), (r.ConsumedUnit = null)),
      'relation:consumed-quantity-usage',
    ],
    [
      'a consumed quantity on a purchase',
      (r) => ((r.ChargeCategory = 'Purchase'), (r.ChargeFrequency = 'One-Time')),
      'relation:consumed-quantity-not-usage',
    ],
    ['a usage-based purchase', (r) => (r.ChargeCategory = 'Purchase'), 'relation:purchase-frequency'],
    ['a tax with a SKU', (r) => (r.ChargeCategory = 'Tax'), 'relation:pricing-quantity-tax'],
    ['a usage charge without a SkuId', (r) => (r.SkuId = null), 'relation:sku-usage'],
    ['a sub account without a name', (r) => (r.SubAccountName = null), 'relation:sub-account-name'],
    ['a sub account without a type', (r) => (r.SubAccountType = null), 'relation:sub-account-type'],
    ['a subcategory under the wrong category', (r) => (r.ServiceCategory = 'Compute'), 'relation:subcategory-parent'],
    [
      'a credit whose effective cost differs from its billed cost',
      (r) => ((r.ChargeCategory = 'Credit'), (r.ConsumedQuantity = r.ConsumedUnit = null), (r.EffectiveCost = '0.24')),
      'relation:credit-costs-match-billed',
    ],
    ['spaces only in a not-nullable string', (r) => (r.ProviderName = '  '), 'format:String'],
  ];
  test.each(mutations)('fails %s', (_what, mutate, rule) => {
    const rows = validRows() as Record<string, string | null>[];
    mutate(rows[0]);
    expect(check(rows)).toContain(rule);
  });

  test('fails a unit price whose product with the quantity is not the cost, to the last digit', () => {
    const rows = validRows().map((r) => ({ ...r, ListUnitPrice: '0.0000025', ContractedUnitPrice: '0.0000025' }));
    rows[1].ListUnitPrice = rows[1].ContractedUnitPrice = '0.01';
    const header = [...FOCUS_COLUMNS, 'ListUnitPrice', 'ContractedUnitPrice'];
    expect(check(rows, header)).toEqual(['relation:list-cost-product', 'relation:contracted-cost-product']);
    rows[0].ListUnitPrice = '-0.0000025';
    expect(check(rows, header)).toContain('relation:unit-prices-non-negative');
  });

  test('fails a missing Mandatory column, an unknown column and a custom column without x_', () => {
    const rows = validRows();
    const header = FOCUS_COLUMNS.filter((c) => c !== 'BilledCost');
    expect(check(rows, header)).toEqual(['mandatory-column']);
    expect(check(rows, [...FOCUS_COLUMNS, 'ProjectName'])).toEqual(['unknown-column']);
    expect(check(rows, [...FOCUS_COLUMNS, 'x_ProjectName'])).toEqual([]);
  });
});
