/**
 * `openai-admin/focus`: the FinOps FOCUS 1.2 cost-and-usage dataset from the Administration API's costs and usage.
 * A subpath of its own, so the core client's bundle pays nothing for it.
 *
 * @module openai-admin/focus
 */
export {
  billingPeriod,
  focusRows,
  FOCUS_COLUMNS,
  FOCUS_VERSION,
  type FocusColumn,
  type FocusCostInput,
  type FocusDataset,
  type FocusInput,
  type FocusRow,
  type FocusUsageInput,
} from './rows.js';
export { fetchFocus, type FocusExportOptions } from './fetch.js';
export { plainDecimal, roundDecimal, sumDecimals } from './decimal.js';
