/**
 * HTML from server data, escaped by construction: in a `markup` template every interpolated value is escaped unless
 * it is markup a `markup` template built, so forgetting to escape is not possible and escaping twice does not happen.
 *
 * Escaping `& < > " '` makes a value inert in the two places these templates put values: element text (HTML, and
 * inline SVG, which the HTML parser reads with the same rules: an SVG `<title>` is no safer than a `<td>`) and
 * attribute values in double quotes. Nothing else is a place for a value: not a tag or attribute name, an unquoted
 * attribute, an event handler, a URL, a `style`, `<style>` or `<script>` — templates must not put one there.
 * Upper-casing (the currency is) is no escape: `&#X3C;` is still `<` to the parser.
 *
 * (Not called `html`: Prettier would reformat the templates as HTML, changing the page.)
 */

/** Markup built by a `markup` template (or deliberately raw, see {@link raw}): inserted into others as it is. */
export class Markup {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in a double-quoted attribute value. null and undefined are empty. Pure. */
export function escapeHtml(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value: an object shows as its text, escaped
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** One interpolated value: markup as it is, a list item by item, anything else escaped. */
function insert(value: unknown): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(insert).join('');
  return escapeHtml(value);
}

/**
 * A template whose values are escaped (see the module comment for where values may go).
 * @example markup`<td title="${name}">${name}</td>` // name = '"><img onerror=…>' stays text
 */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += insert(values[i]) + strings[i + 1];
  return new Markup(out);
}

/** Trusted constant markup (the stylesheet, the CSP): never server data. */
export const raw = (text: string): Markup => new Markup(text);
