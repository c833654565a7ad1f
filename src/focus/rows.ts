/**
 * Costs (and, where a cost carries no quantity, usage) as FOCUS 1.2 rows: the FinOps Foundation's FOCUS
 * cost-and-usage dataset, https://focus.finops.org (specification: FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag
 * v1.2, `specification/columns/*.md`). Pure: the CLI feeds it from the API, a ledger can feed it from its store.
 *
 * How the Administration API maps (docs/focus.md has the table and the reasons):
 * - the organization is the billing account; each project a sub account (SubAccountType "Project");
 * - a costs line item ("gpt-4o-2024-08-06, input") is a SKU (SkuId = SkuPriceId = the line item), its model (the part
 *   before the comma; a tool such as "web search tool calls" as it is) the service, the part after the comma the
 *   meter; every service is "AI and Machine Learning" / "Generative AI";
 * - a daily costs bucket is a charge period, the month a billing period; every row is ChargeCategory "Usage",
 *   ChargeFrequency "Usage-Based", ChargeClass null (the API reports no corrections);
 * - the amount is BilledCost, EffectiveCost, ListCost and ContractedCost alike: the API reports what is billed at
 *   list price, with no discount, commitment or negotiated price to tell them apart. The exact decimal text the API
 *   sent is kept, so the file adds up to the costs endpoint exactly;
 * - the quantity the cost is for (costs grouped by line_item carry it; else the tokens the usage endpoints report for
 *   the same day, project and model) is PricingQuantity and ConsumedQuantity.
 * Columns FOCUS makes conditional on what the provider supports and the API does not state (regions, resources,
 * commitment discounts, capacity reservations, unit prices, tags, invoices) are left out.
 */
import { plainDecimal } from './decimal.js';

/** The FOCUS version the rows follow. */
export const FOCUS_VERSION = '1.2';

/** The columns of a FOCUS row, in the order files are written. */
export const FOCUS_COLUMNS = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'PricingUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'ServiceCategory',
  'ServiceSubcategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
] as const;

export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
/** One FOCUS row: every column, its value as text (decimals in plain notation, date/times as `YYYY-MM-DDTHH:mm:ssZ`), null where FOCUS wants null. */
export type FocusRow = Record<FocusColumn, string | null>;

/** A costs row as the client's `.rows()` gives it (grouped by project_id and line_item, daily). */
export interface FocusCostInput {
  start_time: number;
  end_time: number;
  project_id?: string | null;
  line_item?: string | null;
  amount?: { value?: number; value_decimal?: string; currency?: string } | null;
  quantity?: number | null;
  quantity_unit?: string | null;
}

/** A usage row (completions or embeddings, grouped by project_id and model, daily), for costs without a quantity. */
export interface FocusUsageInput {
  start_time: number;
  project_id?: string | null;
  model?: string | null;
  input_tokens?: number;
  input_cached_tokens?: number;
  output_tokens?: number;
}

export interface FocusInput {
  /** The billing period: a UTC month, `YYYY-MM`. Every cost must fall inside it. */
  month: string;
  costs: Iterable<FocusCostInput>;
  /** Usage to take quantities from where a cost row has none (optional). */
  usage?: Iterable<FocusUsageInput>;
  /** Project names by id (projects are sub accounts; an unknown id is named by itself). */
  projectNames?: ReadonlyMap<string, string>;
  /** The billing account: the organization (default id `organization`, no name). */
  billingAccount?: { id: string; name?: string | null };
}

export interface FocusDataset {
  version: typeof FOCUS_VERSION;
  rows: FocusRow[];
  /** What could not be filled as FOCUS wants (a quantity nobody reported), once per kind. */
  warnings: string[];
}

/** The API's `quantity_unit` in FOCUS's Unit Format (`specification/attributes/unit_format.md`). */
const UNITS: Record<string, string> = {
  tokens: 'Tokens',
  '1000_tokens': '1000 Tokens',
  characters: 'Characters',
  images: 'Images',
  duration_seconds: 'Seconds',
  duration_minutes: 'Minutes',
  duration_hours: 'Hours',
  gibibyte_hours: 'GiB-Hours',
};

/** FOCUS Date/Time Format: `YYYY-MM-DDTHH:mm:ssZ`, UTC. */
const dateTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `2026-11` → the month's bounds in Unix seconds; anything else is a RangeError naming `month`. */
export function billingPeriod(month: string): { start: number; end: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM (e.g. 2026-11), got '${month.slice(0, 40)}'`);
  const [year, index] = [Number(m[1]), Number(m[2]) - 1];
  return { start: Date.UTC(year, index, 1) / 1000, end: Date.UTC(year, index + 1, 1) / 1000 };
}

/** "gpt-4o-2024-08-06, cached input" → service "gpt-4o-2024-08-06", meter "cached input"; a tool name is both. */
function splitLineItem(lineItem: string): { service: string; meter: string } {
  const comma = lineItem.indexOf(',');
  return comma < 0
    ? { service: lineItem.trim(), meter: lineItem.trim() }
    : { service: lineItem.slice(0, comma).trim(), meter: lineItem.slice(comma + 1).trim() };
}

/** Tokens of a line item's meter from a usage row: input less cached, cached input, output. */
function tokensOf(meter: string, u: FocusUsageInput): number | undefined {
  if (meter === 'input')
    return u.input_tokens === undefined ? undefined : u.input_tokens - (u.input_cached_tokens ?? 0);
  if (meter === 'cached input') return u.input_cached_tokens;
  if (meter === 'output') return u.output_tokens;
  return undefined;
}

/**
 * The FOCUS 1.2 rows of one month of costs: one row per costs result (day × project × line item), its amount
 * exactly as the API sent it. Throws a RangeError naming the field for a cost outside the month, without a line
 * item or without a finite amount: a FOCUS file that is wrong is worse than none.
 *
 * @example
 * ```ts
 * import { focusRows } from 'openai-admin/focus';
 * const { rows } = focusRows({
 *   month: '2026-11',
 *   costs: [{ start_time: 1793491200, end_time: 1793577600, project_id: 'proj_1', line_item: 'gpt-4o-2024-08-06, input',
 *             amount: { value: 0.25, value_decimal: '0.25', currency: 'usd' }, quantity: 100000, quantity_unit: 'tokens' }],
 *   projectNames: new Map([['proj_1', 'Search']]),
 * });
 * rows[0].BilledCost // '0.25'; rows[0].SubAccountName // 'Search'; rows[0].PricingUnit // 'Tokens'
 * ```
 */
export function focusRows(input: FocusInput): FocusDataset {
  const period = billingPeriod(input.month);
  const account = input.billingAccount ?? { id: 'organization', name: null };
  if (!account.id) throw new RangeError('billingAccount.id must not be empty (FOCUS BillingAccountId is not nullable)');
  const warnings = new Set<string>();
  const usage = new Map<string, FocusUsageInput>();
  for (const u of input.usage ?? []) usage.set(`${u.start_time}\n${u.project_id ?? ''}\n${u.model ?? ''}`, u);

  const rows: FocusRow[] = [];
  let index = 0;
  for (const c of input.costs) {
    const where = `costs row ${index++}`;
    if (!(c.start_time >= period.start && c.end_time <= period.end && c.start_time < c.end_time))
      throw new RangeError(`${where}: start_time/end_time ${c.start_time}–${c.end_time} lie outside ${input.month}`);
    if (typeof c.line_item !== 'string' || !c.line_item.trim())
      throw new RangeError(`${where}: line_item is missing (query costs with group_by line_item)`);
    const text = c.amount?.value_decimal ?? (typeof c.amount?.value === 'number' ? String(c.amount.value) : undefined);
    if (text === undefined || !Number.isFinite(Number(text)))
      throw new RangeError(`${where}: amount.value is not a finite number (${String(text).slice(0, 40)})`);
    const cost = plainDecimal(text.trim());
    const currency = (c.amount?.currency ?? '').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency))
      throw new RangeError(`${where}: amount.currency '${currency.slice(0, 20)}' is no ISO 4217 code`);
    const { service, meter } = splitLineItem(c.line_item);

    let quantity: number | undefined =
      typeof c.quantity === 'number' && Number.isFinite(c.quantity) ? c.quantity : undefined;
    let unit: string | null =
      quantity === undefined ? null : c.quantity_unit ? (UNITS[c.quantity_unit] ?? c.quantity_unit) : null;
    if (quantity !== undefined && unit === null) unit = 'Requests'; // calls (tool line items) have no API unit
    if (quantity === undefined) {
      const u = usage.get(`${c.start_time}\n${c.project_id ?? ''}\n${service}`);
      const tokens = u ? tokensOf(meter, u) : undefined;
      if (tokens !== undefined) [quantity, unit] = [tokens, 'Tokens'];
      else warnings.add(`no quantity for line item '${c.line_item}': PricingQuantity and ConsumedQuantity left null`);
    }
    const amount = quantity === undefined ? null : plainDecimal(String(quantity));
    const project = c.project_id ?? null;

    rows.push({
      BillingAccountId: account.id,
      BillingAccountName: account.name ?? null,
      BillingCurrency: currency,
      BillingPeriodStart: dateTime(period.start),
      BillingPeriodEnd: dateTime(period.end),
      ChargePeriodStart: dateTime(c.start_time),
      ChargePeriodEnd: dateTime(c.end_time),
      ChargeCategory: 'Usage',
      ChargeClass: null,
      ChargeDescription: c.line_item,
      ChargeFrequency: 'Usage-Based',
      BilledCost: cost,
      EffectiveCost: cost,
      ListCost: cost,
      ContractedCost: cost,
      PricingQuantity: amount,
      PricingUnit: amount === null ? null : unit,
      ConsumedQuantity: amount,
      ConsumedUnit: amount === null ? null : unit,
      ProviderName: 'OpenAI',
      PublisherName: 'OpenAI',
      InvoiceIssuerName: 'OpenAI',
      ServiceCategory: 'AI and Machine Learning',
      ServiceSubcategory: 'Generative AI',
      ServiceName: service,
      SkuId: c.line_item,
      SkuPriceId: c.line_item,
      SkuMeter: meter,
      SubAccountId: project,
      SubAccountName: project === null ? null : input.projectNames?.get(project) || project,
      SubAccountType: project === null ? null : 'Project',
    });
  }
  return { version: FOCUS_VERSION, rows, warnings: [...warnings] };
}
