/**
 * How one value reads in a terminal table: times as dates, numbers with separators, objects as JSON; line breaks
 * and tabs as one space, other controls escaped (safe-text.ts) before the width is measured. Pure.
 */
import { escapeControls } from './safe-text.js';

/** A column whose numbers are Unix seconds: created_at, last_used_at, start_time, effective_at, … */
export const isTimeColumn = (column: string): boolean => /(^|[._])(\w+_at|\w*_time|created|expires)$/.test(column);

/** Unix seconds → `2026-11-29 14:05` (UTC); midnight shows as the date alone. */
export function formatTime(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

// Built on first use: creating an Intl formatter costs tens of ms at start-up, which --help never needs.
let numberFormat: Intl.NumberFormat | undefined;
const formatNumber = (n: number) =>
  (numberFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })).format(n);

export function formatCell(column: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (isTimeColumn(column) && Number.isInteger(value) && value > 0) return formatTime(value);
    return formatNumber(value);
  }
  if (typeof value === 'string') return oneLine(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return oneLine(JSON.stringify(value) ?? typeof value);
}

/** Text on one table line: CR, LF and tab runs as one space, every other control character escaped. */
export const oneLine = (text: string): string => escapeControls(text.replace(/[\r\n\t]+/g, ' '));

/** Numbers (not times) are right-aligned. */
export const isNumericCell = (column: string, value: unknown): boolean =>
  typeof value === 'number' && !isTimeColumn(column);
