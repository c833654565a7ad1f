/**
 * What the emulator's costs charge: one entry per costs line item, naming the usage it is priced from. The
 * costs endpoint multiplies the synthetic usage by these prices, so costs and usage always agree (usage.ts).
 *
 * Source: OpenAI's public list prices (platform.openai.com/docs/pricing) as of mid-2025, standard tier, USD;
 * the shared reference material has no price list, so treat them as illustrative: the emulator is not a
 * billing source. Simplifications: batch and flex usage is charged at the standard price (the live API
 * halves it), audio tokens inside input/output tokens are charged as text, and omni-moderation is free (no
 * line item), as upstream.
 */
/**
 * The usage families that line items are priced from; usage.ts checks each is one of its own (this file imports
 * nothing from it, so that the two do not import each other).
 */
export type PricedUsage = 'usageCompletions' | 'usageEmbeddings' | 'usageWebSearchCalls' | 'usageFileSearchCalls';

/** USD per million tokens. `cached_input` is charged for `input_cached_tokens`, `input` for the rest. */
export const TOKEN_PRICES_PER_MILLION = {
  // usageCompletions
  'gpt-4o-2024-08-06': { input: 2.5, cached_input: 1.25, output: 10 },
  'gpt-4o-mini-2024-07-18': { input: 0.15, cached_input: 0.075, output: 0.6 },
  'o3-2025-04-16': { input: 2, cached_input: 0.5, output: 8 },
  // usageEmbeddings
  'text-embedding-3-small': { input: 0.02 },
  'text-embedding-3-large': { input: 0.13 },
} as const satisfies Record<string, { input: number; cached_input?: number; output?: number }>;

/** USD per thousand tool calls (web search: the Responses API tool's rate, search content tokens left out). */
export const TOOL_PRICES_PER_THOUSAND_CALLS = {
  'web search tool calls': { usage: 'usageWebSearchCalls', price: 10 },
  'file search tool calls': { usage: 'usageFileSearchCalls', price: 2.5 },
} as const satisfies Record<string, { usage: PricedUsage; price: number }>;

/** One costs line item: the usage metric it counts and the price of one unit. */
export interface LineItemPrice {
  /** As the costs endpoint names it: "<model>, input" / "cached input" / "output", or a tool's name. */
  lineItem: string;
  /** The usage family that meters it, and the model within it (none for tool calls). */
  usage: PricedUsage;
  model?: string;
  /** The usage metric counted, less `minus` (input tokens include the cached ones, which are charged apart). */
  metric: string;
  minus?: string;
  usdPerUnit: number;
  /** `quantity_unit` of a row grouped by line_item (null: no unit of the API's list fits calls). */
  quantityUnit: 'tokens' | null;
}

const MODEL_USAGE: Record<keyof typeof TOKEN_PRICES_PER_MILLION, PricedUsage> = {
  'gpt-4o-2024-08-06': 'usageCompletions',
  'gpt-4o-mini-2024-07-18': 'usageCompletions',
  'o3-2025-04-16': 'usageCompletions',
  'text-embedding-3-small': 'usageEmbeddings',
  'text-embedding-3-large': 'usageEmbeddings',
};

/** Every line item the emulator's costs carry, in the order they are listed. */
export const LINE_ITEM_PRICES: readonly LineItemPrice[] = [
  ...Object.entries(TOKEN_PRICES_PER_MILLION).flatMap(([model, prices]): LineItemPrice[] => {
    const usage = MODEL_USAGE[model as keyof typeof TOKEN_PRICES_PER_MILLION];
    const p: { input: number; cached_input?: number; output?: number } = prices;
    const item = (part: string, metric: string, perMillion: number, minus?: string): LineItemPrice => ({
      lineItem: `${model}, ${part}`,
      usage,
      model,
      metric,
      ...(minus ? { minus } : {}),
      usdPerUnit: perMillion / 1e6,
      quantityUnit: 'tokens',
    });
    const items = [
      p.cached_input === undefined
        ? item('input', 'input_tokens', p.input)
        : item('input', 'input_tokens', p.input, 'input_cached_tokens'),
    ];
    if (p.cached_input !== undefined) items.push(item('cached input', 'input_cached_tokens', p.cached_input));
    if (p.output !== undefined) items.push(item('output', 'output_tokens', p.output));
    return items;
  }),
  ...Object.entries(TOOL_PRICES_PER_THOUSAND_CALLS).map(([lineItem, { usage, price }]): LineItemPrice => ({
    lineItem,
    usage,
    metric: 'num_requests',
    usdPerUnit: price / 1e3,
    quantityUnit: null,
  })),
];
