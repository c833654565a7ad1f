/**
 * The API key in every encoding a server or proxy might echo it back in, and an independent oracle that says
 * whether a text still shows the key in any of them. Shared by the scrub unit, property and attack tests.
 */
import { inspect } from 'node:util';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'latin1').toString('base64url');
const pctAll = (text: string) =>
  [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`).join('');
const jsonEscapeAll = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
const htmlEntities = (text: string) => [...text].map((c) => `&#${c.charCodeAt(0)};`).join('');

/**
 * Named encodings of the key as plain text (safe to put in a header value or a string inside a body).
 * Each is a different mechanism: case, escapes, base64 at each byte alignment inside a longer encoded string.
 */
export function keyEncodings(key: string): Record<string, string> {
  return {
    raw: key,
    lower: key.toLowerCase(),
    upper: key.toUpperCase(),
    bearer: `Bearer ${key}`,
    'json-escaped': jsonEscapeAll(key),
    'json-escaped-first': `\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}`,
    'percent-all': pctAll(key),
    'percent-lower': pctAll(key).toLowerCase(),
    'html-entities': htmlEntities(key),
    hex: hex(key),
    base64: b64(key),
    base64url: b64url(key),
    'base64-bearer': b64(`Bearer ${key}`),
    'base64url-bearer': b64url(`Bearer ${key}`),
    'base64-upper': b64(key.toUpperCase()),
    'base64-lower': b64(key.toLowerCase()),
    'base64-embedded-align-1': b64(`{"k":"${key}"}`),
    'base64-embedded-align-2': b64(`x:${key};`),
    'base64-embedded-align-3': b64(`abc${key}xy`),
    'base64-of-percent': b64(pctAll(key)),
    'percent-of-base64': encodeURIComponent(b64(`Bearer ${key}`)).replace(
      /[A-Za-z0-9]/g,
      (c) => `%${c.charCodeAt(0).toString(16)}`,
    ),
    'base64-of-base64': b64(b64(key)),
  };
}

/**
 * The characters of base64(prefix + key + suffix) that depend only on the key, for each of the 3 byte
 * alignments: found in a text, they give the key away whatever surrounds it.
 */
function base64Cores(key: string, encode: (s: string) => string): string[] {
  const cores: string[] = [];
  for (let align = 0; align < 3; align++) {
    const a = encode('\0'.repeat(align) + key + '\0\0');
    const b = encode('\xff'.repeat(align) + key + '\xff\xff');
    let best = '';
    let run = '';
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) run += a[i];
      else run = '';
      if (run.length > best.length) best = run;
    }
    cores.push(best);
  }
  return cores;
}

/** Every form whose presence in a text means the key leaked; `caseless` ones are compared lower-cased. */
export function leakForms(key: string): { caseless: string[]; exact: string[] } {
  const secret = key.replace(/^sk-(?:[a-z]+-)?/i, '');
  const bytes = [...Buffer.from(key, 'latin1')];
  // Raw bytes as util.inspect shows a Buffer (spaced hex) and as JSON.stringify shows it (decimal list).
  const spacedHex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const decimals = bytes.join(',');
  const caseless = [key, secret, jsonEscapeAll(key), pctAll(key), hex(key), htmlEntities(key), spacedHex, decimals].map(
    (s) => s.toLowerCase(),
  );
  const exact: string[] = [];
  for (const variant of [key, key.toLowerCase(), key.toUpperCase(), pctAll(key)]) {
    exact.push(...base64Cores(variant, b64), ...base64Cores(variant, b64url));
  }
  exact.push(...base64Cores(b64(key), b64));
  return { caseless, exact };
}

/** The leak forms found in a text (empty when the text is clean). */
export function leaksIn(text: string, key: string): string[] {
  const { caseless, exact } = leakForms(key);
  const lower = text.toLowerCase();
  return [...caseless.filter((form) => lower.includes(form)), ...exact.filter((form) => text.includes(form))];
}

/** Every printable surface of an error: message, String, util.inspect at full depth, JSON, and its fields. */
export function errorSurfaces(error: any): string {
  const forms = [
    String(error),
    error?.message ?? '',
    error?.stack ?? '',
    inspect(error, { depth: Infinity, showHidden: true }),
    safeJSON(error),
  ];
  for (const field of ['headers', 'error', 'body', 'issues', 'cause', 'requestID', 'type', 'code', 'param']) {
    if (error?.[field] !== undefined)
      forms.push(inspect(error[field], { depth: Infinity, showHidden: true }), safeJSON(error[field]));
  }
  return forms.join('\n');
}

function safeJSON(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
