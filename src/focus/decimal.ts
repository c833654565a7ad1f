/**
 * Exact decimal text, for money: costs arrive as decimal strings with more places than a double holds
 * ("0.0123456789012345678"), and a FOCUS file must add up to the bill. Sums are BigInt over a common scale, never
 * floats. Pure.
 */

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal as an integer and a power of ten: 12.50 → { units: 1250n, scale: 2 }. */
interface Scaled {
  units: bigint;
  scale: number;
}

function parse(text: string): Scaled {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal number: '${text.slice(0, 40)}'`);
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  const exp = Number(exponent);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400)
    throw new RangeError(`exponent out of range: '${text.slice(0, 40)}'`);
  let units = BigInt(`${whole || '0'}${fraction}`);
  let scale = fraction.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
}

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative && units !== 0n ? `-${text}` : text;
}

/**
 * A decimal number in plain notation, as FOCUS's Numeric Format wants it: no exponent, no `+`, a digit before the
 * point. Text already plain is returned unchanged (its places kept, so the exact text the API sent survives).
 *
 * @example
 * plainDecimal('1e-7')    // '0.0000001'
 * plainDecimal('+2.50')   // '2.50'
 * plainDecimal('0.0042')  // '0.0042'
 */
export function plainDecimal(text: string): string {
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  return format(parse(text));
}

/**
 * The exact sum of decimal texts (numbers are read by their shortest decimal form, `String(n)`), in plain notation
 * with the most places of any term.
 *
 * @example
 * sumDecimals(['0.1', '0.2'])                      // '0.3' (0.1 + 0.2 in floats is 0.30000000000000004)
 * sumDecimals(['0.0123456789012345678', '1'])      // '1.0123456789012345678'
 */
export function sumDecimals(values: Iterable<string | number>): string {
  const terms = [...values].map((v) => parse(typeof v === 'number' ? String(v) : v));
  const scale = terms.reduce((s, t) => Math.max(s, t.scale), 0);
  const units = terms.reduce((sum, t) => sum + t.units * 10n ** BigInt(scale - t.scale), 0n);
  return format({ units, scale });
}

/**
 * A decimal rounded half away from zero to `places` (2: to the cent), in plain notation.
 *
 * @example
 * roundDecimal('12.345', 2)  // '12.35'
 * roundDecimal('-0.004', 2)  // '0.00'
 */
export function roundDecimal(text: string, places: number): string {
  const { units, scale } = parse(text);
  if (scale <= places) return format({ units: units * 10n ** BigInt(places - scale), scale: places });
  const divisor = 10n ** BigInt(scale - places);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return format({ units: units < 0n ? -rounded : rounded, scale: places });
}
